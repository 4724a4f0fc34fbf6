package stix_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/isachub/isachub/stix"
)

// The expected ids were computed independently with Python's uuid.uuid5
// over the canonical JSON of the ID contributing properties.
func TestDeterministicID(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"DomainName", `{"type":"domain-name","id":"domain-name--00000000-0000-4000-8000-000000000000","value":"example.com"}`, "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7"},
		{"IPv4", `{"type":"ipv4-addr","id":"ipv4-addr--00000000-0000-4000-8000-000000000000","value":"198.51.100.3","resolves_to_refs":["mac-addr--00000000-0000-4000-8000-000000000000"]}`, "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := stix.ParseObject([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := stix.DeterministicID(o)
			if err != nil || !ok || got != tt.want {
				t.Errorf("DeterministicID = %q, %v, %v; want %q", got, ok, err, tt.want)
			}
		})
	}
	t.Run("NoContributingProperties", func(t *testing.T) {
		o, _ := stix.ParseObject([]byte(`{"type":"process","id":"process--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","pid":4}`))
		if _, ok, _ := stix.DeterministicID(o); ok {
			t.Error("process has no ID contributing properties")
		}
	})
	t.Run("HashPreference", func(t *testing.T) {
		// Only MD5 contributes when MD5 and SHA-256 are both present.
		a, _ := stix.ParseObject([]byte(`{"type":"file","id":"file--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","hashes":{"MD5":"` + strings.Repeat("0", 32) + `","SHA-256":"` + strings.Repeat("f", 64) + `"}}`))
		b, _ := stix.ParseObject([]byte(`{"type":"file","id":"file--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","hashes":{"MD5":"` + strings.Repeat("0", 32) + `"}}`))
		ida, _, _ := stix.DeterministicID(a)
		idb, _, _ := stix.DeterministicID(b)
		if ida != idb {
			t.Errorf("%s != %s", ida, idb)
		}
	})
}

// TestCanonicalize covers RFC 8785: key order by UTF-16 code units,
// ECMAScript number forms, and minimal string escaping.
func TestCanonicalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"b":1,"a":[true,null,"x"]}`, `{"a":[true,null,"x"],"b":1}`},
		{`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000001,1e-7,-0,100]}`, `{"numbers":[333333333.3333333,1e+30,4.5,0.002,0.000001,1e-7,0,100]}`},
		{`{"s":"\u20ac$\u000f\nA'B\"\\\\\"/<>&\u2028"}`, "{\"s\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/<>&\u2028\"}"},
		// UTF-8 byte order puts U+FB33 first; UTF-16 order puts U+1F600
		// first, as its high surrogate 0xD83D is below 0xFB33.
		{`{"\ufb33":1,"\ud83d\ude00":2}`, "{\"\U0001F600\":2,\"\uFB33\":1}"},
	}
	for _, tt := range tests {
		dec := json.NewDecoder(strings.NewReader(tt.in))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		got, err := stix.Canonicalize(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("Canonicalize(%s)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}
