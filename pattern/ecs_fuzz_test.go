package pattern_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/isachub/isachub/pattern"
)

// FuzzParseEvent feeds arbitrary event lines to ParseEvent (ECS events,
// bundles, observed-data): it must never panic, and a successful parse must
// give observations whose references stay inside Objects' key space or
// dangle harmlessly.
func FuzzParseEvent(f *testing.F) {
	for _, s := range []string{
		`{"source.ip":"10.0.0.5","destination":{"ip":"2001:db8::1","port":443},"network.transport":"tcp"}`,
		`{"dns":{"question":{"name":"evil.example"},"resolved_ip":["192.0.2.1"]},"@timestamp":"2024-05-01T10:00:00Z"}`,
		`{"file":{"path":"C:\\x\\a.exe","hash":{"sha256":"aa"},"size":"12"},"process":{"name":"a.exe","pid":1,"parent":{"pid":2}}}`,
		`{"email":{"from":{"address":"a@b"},"to":{"address":["c@d"]},"subject":"s"},"user":{"name":"u","email":"u@x"}}`,
		`{"registry":{"hive":"HKLM","key":"SOFTWARE\\Run","value":"v","data":{"strings":["x"]}}}`,
		`{"tls.server.x509.subject.distinguished_name":"CN=x","tls.server.hash.sha1":"ab","event.count":3,"event.start":"2024-05-01T10:00:00Z"}`,
		`{"type":"observed-data","id":"observed-data--1","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr","value":"1.2.3.4"}}}`,
		`{"type":"bundle","id":"bundle--1","objects":[{"type":"observed-data","id":"observed-data--1","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"object_refs":["ipv4-addr--1"]},{"type":"ipv4-addr","id":"ipv4-addr--1","value":"1.2.3.4"}]}`,
		`[]`, `{}`, `null`, `{"source.ip":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		obs, err := pattern.ParseEvent(data)
		if err != nil {
			return
		}
		for _, o := range obs {
			if o == nil || o.Objects == nil && o.ID != "" {
				t.Fatalf("observation without objects: %+v", o)
			}
			if o.LastObserved.Before(o.FirstObserved) {
				t.Fatalf("last_observed before first_observed: %+v", o)
			}
			for _, sco := range o.Objects {
				if _, ok := sco["type"].(string); !ok {
					t.Fatalf("SCO without a type: %v", sco)
				}
			}
		}
	})
}

// FuzzLoadObservations feeds arbitrary documents to LoadObservations: it
// must never panic.
func FuzzLoadObservations(f *testing.F) {
	for _, name := range []string{"observations/bundle21.json", "observations/embedded21.json", "observations/observed20.json"} {
		f.Add(mustReadTestdata(f, name))
	}
	f.Add([]byte(`[{"type":"bundle","objects":[{"type":"observed-data","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"object_refs":["a--1"]},{"type":"a","id":"a--1","x_ref":"a--1"}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		obs, err := pattern.LoadObservations(data)
		if err != nil {
			return
		}
		for _, o := range obs {
			if o.NumberObserved < 1 || len(o.Objects) == 0 {
				t.Fatalf("invalid observation accepted: %+v", o)
			}
		}
	})
}

// FuzzECSFastPath holds ParseECS, which scans common events without
// encoding/json, to the result of decoding with encoding/json and mapping
// with ObservationFromECS: the same observation, or an error from both.
func FuzzECSFastPath(f *testing.F) {
	for _, s := range []string{
		`{"source.ip":"10.0.0.5","destination":{"ip":"2001:db8::1","port":443},"network.transport":"tcp"}`,
		` {"dns":{"question":{"name":"a.example"},"resolved_ip":["192.0.2.1","192.0.2.2"]},"@timestamp":"2024-05-01T10:00:00Z"} `,
		`{"file":{"size":-0.5e+3,"hash":{"sha256":"aa"}},"event":{"count":2},"x":[true,false,null,1,"s"],"y":[]}`,
		`{"source":{"ip":"10.0.0.1"},"source.ip":"10.0.0.1"}`,
		`{"source":{"ip":"10.0.0.1"},"source.ip":"10.0.0.2"}`,
		`{"a":1,"a":2}`, `{"url.full":"http://x/\u00e9"}`, `{"user.name":"b\\u00f6b"}`,
		`{"a":{}}`, `{}`, `{"a":[{"b":1}]}`, `{"n":01}`, `{"n":1.}`, `{"t":tru}`, `{"a":1}x`, `[1]`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, fastErr := pattern.ParseECS(data)
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		slowErr := dec.Decode(&v)
		if slowErr == nil {
			if _, err := dec.Token(); err != io.EOF {
				slowErr = errors.New("trailing data")
			}
		}
		m, isObject := v.(map[string]any)
		if slowErr != nil || !isObject {
			if fastErr == nil {
				t.Fatalf("ParseECS accepted %q, which encoding/json rejects (%v) or is not an object", data, slowErr)
			}
			return
		}
		slow, err := pattern.ObservationFromECS(m)
		if (err == nil) != (fastErr == nil) {
			t.Fatalf("%q: ParseECS error %v, ObservationFromECS error %v", data, fastErr, err)
		}
		if err == nil && !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q: ParseECS gives %+v, ObservationFromECS %+v", data, fast, slow)
		}
	})
}
