package pattern_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/pattern"
)

func mustECS(tb testing.TB, event string) *pattern.Observation {
	tb.Helper()
	o, err := pattern.ParseECS([]byte(event))
	if err != nil {
		tb.Fatalf("ParseECS(%s): %v", event, err)
	}
	return o
}

// ecsCanonical renders an observation's objects with references replaced by
// the referenced object's type, so tests do not depend on key numbering.
func ecsCanonical(o *pattern.Observation) []string {
	var out []string
	for _, sco := range o.Objects {
		out = append(out, ecsRender(o, sco, 0))
	}
	sort.Strings(out)
	return out
}

func ecsRender(o *pattern.Observation, v any, depth int) string {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			val := v[k]
			if strings.HasSuffix(k, "_ref") || strings.HasSuffix(k, "_refs") {
				val = ecsDeref(o, val, depth)
			}
			parts = append(parts, k+"="+ecsRender(o, val, depth))
		}
		return "{" + strings.Join(parts, " ") + "}"
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			parts = append(parts, ecsRender(o, e, depth))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case json.Number:
		return "#" + v.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func ecsDeref(o *pattern.Observation, v any, depth int) any {
	switch v := v.(type) {
	case string:
		if sco, ok := o.Objects[v]; ok && depth < 3 {
			return "@" + ecsRender(o, sco, depth+1)
		}
		return "dangling:" + v
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = ecsDeref(o, e, depth)
		}
		return out
	}
	return v
}

func TestParseECS(t *testing.T) {
	tests := []struct {
		name  string
		event string
		want  []string // some of ecsCanonical(o), each must be present
		count int      // number of SCOs, 0 = do not check
	}{
		{"OKNetworkDotted",
			`{"source.ip":"10.0.0.5","destination.ip":"2001:db8::1","source.port":51515,"destination.port":"443","network.transport":"TCP","network.protocol":"tls","network.type":"ipv4"}`,
			[]string{
				`{type="ipv4-addr" value="10.0.0.5"}`,
				`{type="ipv6-addr" value="2001:db8::1"}`,
				`{dst_port=#443 dst_ref="@{type=\"ipv6-addr\" value=\"2001:db8::1\"}" protocols=["ipv4","tcp","tls"] src_port=#51515 src_ref="@{type=\"ipv4-addr\" value=\"10.0.0.5\"}" type="network-traffic"}`,
			}, 3},
		{"OKNetworkNested",
			`{"source":{"ip":"10.0.0.5","port":51515},"destination":{"ip":"192.0.2.1","port":443,"bytes":1200}}`,
			[]string{`{dst_byte_count=#1200 dst_port=#443 dst_ref="@{type=\"ipv4-addr\" value=\"192.0.2.1\"}" src_port=#51515 src_ref="@{type=\"ipv4-addr\" value=\"10.0.0.5\"}" type="network-traffic"}`}, 3},
		{"OKClientServer",
			`{"client":{"ip":"10.0.0.7","port":50000},"server":{"address":"192.0.2.80","port":8080}}`,
			[]string{`{dst_port=#8080 dst_ref="@{type=\"ipv4-addr\" value=\"192.0.2.80\"}" src_port=#50000 src_ref="@{type=\"ipv4-addr\" value=\"10.0.0.7\"}" type="network-traffic"}`}, 3},
		{"OKSourceWinsOverClient",
			`{"source.ip":"10.0.0.1","client.ip":"10.0.0.1","source.port":1,"client.port":2,"destination.address":"www.example.org","destination.port":443}`,
			[]string{`{dst_port=#443 src_port=#1 src_ref="@{type=\"ipv4-addr\" value=\"10.0.0.1\"}" type="network-traffic"}`,
				`{type="domain-name" value="www.example.org"}`}, 3},
		{"OKIPv4MappedIPv6",
			`{"source.ip":"::ffff:192.0.2.9"}`,
			[]string{`{type="ipv4-addr" value="192.0.2.9"}`}, 2},
		{"OKDNS",
			`{"dns":{"question":{"name":"evil.example"},"resolved_ip":["192.0.2.1","192.0.2.2"]}}`,
			[]string{`{resolves_to_refs=["@{type=\"ipv4-addr\" value=\"192.0.2.1\"}","@{type=\"ipv4-addr\" value=\"192.0.2.2\"}"] type="domain-name" value="evil.example"}`}, 3},
		{"OKURLAndDomainDeduplicated",
			`{"url.full":"https://evil.example/a","url.original":"https://evil.example/a","url.domain":"evil.example","dns.question.name":"evil.example"}`,
			[]string{`{type="url" value="https://evil.example/a"}`, `{type="domain-name" value="evil.example"}`}, 2},
		{"OKFile",
			`{"file":{"name":"a.exe","size":1024,"path":"C:\\Temp\\a.exe","hash":{"sha256":"aa","md5":"bb","sha1":"cc","sha512":"dd"}}}`,
			[]string{`{hashes={MD5="bb" SHA-1="cc" SHA-256="aa" SHA-512="dd"} name="a.exe" parent_directory_ref="@{path=\"C:\\\\Temp\" type=\"directory\"}" size=#1024 type="file"}`}, 2},
		{"OKFileNameFromPath",
			`{"file.path":"/tmp/x/run.sh"}`,
			[]string{`{name="run.sh" parent_directory_ref="@{path=\"/tmp/x\" type=\"directory\"}" type="file"}`}, 2},
		{"OKProcess",
			`{"process":{"name":"powershell.exe","pid":4242,"command_line":"powershell -enc AAA","executable":"C:\\Windows\\powershell.exe","hash":{"sha256":"ee"},"parent":{"pid":1,"name":"explorer.exe"}}}`,
			[]string{`{command_line="powershell -enc AAA" image_ref="@{hashes={SHA-256=\"ee\"} name=\"powershell.exe\" parent_directory_ref=\"@{path=\\\"C:\\\\\\\\Windows\\\" type=\\\"directory\\\"}\" type=\"file\"}" name="powershell.exe" parent_ref="@{image_ref=\"@{name=\\\"explorer.exe\\\" type=\\\"file\\\"}\" name=\"explorer.exe\" pid=#1 type=\"process\"}" pid=#4242 type="process"}`}, 0},
		{"OKEmail",
			`{"email":{"from":{"address":"a@x.example"},"to":{"address":["b@y.example","c@z.example"]},"subject":"invoice"}}`,
			[]string{`{from_ref="@{type=\"email-addr\" value=\"a@x.example\"}" is_multipart=false subject="invoice" to_refs=["@{type=\"email-addr\" value=\"b@y.example\"}","@{type=\"email-addr\" value=\"c@z.example\"}"] type="email-message"}`}, 4},
		{"OKUser",
			`{"user":{"name":"alice","id":"S-1-5-21","email":"alice@x.example"}}`,
			[]string{`{account_login="alice" type="user-account" user_id="S-1-5-21"}`,
				`{belongs_to_ref="@{account_login=\"alice\" type=\"user-account\" user_id=\"S-1-5-21\"}" type="email-addr" value="alice@x.example"}`}, 2},
		{"OKMAC",
			`{"host":{"mac":["00-00-5E-00-53-23","00:00:5e:00:53:24"],"ip":"192.0.2.44"}}`,
			[]string{`{type="mac-addr" value="00:00:5e:00:53:23"}`, `{type="mac-addr" value="00:00:5e:00:53:24"}`, `{type="ipv4-addr" value="192.0.2.44"}`}, 3},
		{"OKRegistryHiveAndKey",
			`{"registry":{"hive":"HKLM","key":"SOFTWARE\\Run","value":"evil","data":{"strings":["c:\\evil.exe"],"type":"REG_SZ"}}}`,
			[]string{`{key="HKEY_LOCAL_MACHINE\\SOFTWARE\\Run" type="windows-registry-key" values=[{data="c:\\evil.exe" data_type="REG_SZ" name="evil"}]}`}, 1},
		{"OKRegistryPath",
			`{"registry.path":"HKCU\\Software\\X\\v","registry.value":"v"}`,
			[]string{`{key="HKEY_CURRENT_USER\\Software\\X" type="windows-registry-key" values=[{name="v"}]}`}, 1},
		{"OKTLS",
			`{"tls":{"server":{"hash":{"sha1":"ab12"},"x509":{"serial_number":"55","subject":{"distinguished_name":"CN=evil"},"issuer":{"distinguished_name":"CN=ca"}}}}}`,
			[]string{`{hashes={SHA-1="ab12"} issuer="CN=ca" serial_number="55" subject="CN=evil" type="x509-certificate"}`}, 1},
		{"OKHTTP",
			`{"source.ip":"10.0.0.1","http.request.method":"GET","url.path":"/a","user_agent.original":"curl/8"}`,
			[]string{`{extensions={http-request-ext={request_header={User-Agent="curl/8"} request_method="get" request_value="/a"}} src_ref="@{type=\"ipv4-addr\" value=\"10.0.0.1\"}" type="network-traffic"}`}, 2},
		{"OKUnmappedFieldsIgnored", `{"message":"hello","labels":{"x":1},"tags":["a"]}`, nil, 0},
		{"OKNullFieldIgnored", `{"source.ip":null,"url.full":null}`, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := mustECS(t, tt.event)
			got := ecsCanonical(o)
			for _, w := range tt.want {
				found := false
				for _, g := range got {
					found = found || g == w
				}
				if !found {
					t.Errorf("missing object\n  %s\nin\n  %s", w, strings.Join(got, "\n  "))
				}
			}
			if tt.count > 0 && len(got) != tt.count {
				t.Errorf("got %d objects, want %d:\n  %s", len(got), tt.count, strings.Join(got, "\n  "))
			}
			if tt.want == nil && len(got) != 0 {
				t.Errorf("got objects %v, want none", got)
			}
		})
	}
}

func TestParseECSDottedEqualsNested(t *testing.T) {
	a := mustECS(t, `{"source.ip":"10.0.0.5","source.port":1,"file.hash.sha256":"aa","process.name":"x"}`)
	b := mustECS(t, `{"source":{"ip":"10.0.0.5","port":1},"file":{"hash":{"sha256":"aa"}},"process":{"name":"x"}}`)
	c := mustECS(t, `{"source":{"ip":"10.0.0.5"},"source.port":1,"file.hash":{"sha256":"aa"},"process.name":"x","file":{"hash.sha256":"aa"}}`)
	if !reflect.DeepEqual(ecsCanonical(a), ecsCanonical(b)) || !reflect.DeepEqual(ecsCanonical(a), ecsCanonical(c)) {
		t.Fatalf("dotted and nested forms differ:\n%v\n%v\n%v", ecsCanonical(a), ecsCanonical(b), ecsCanonical(c))
	}
}

func TestParseECSTimes(t *testing.T) {
	t.Run("OKTimestamp", func(t *testing.T) {
		o := mustECS(t, `{"@timestamp":"2024-05-01T10:00:00.5Z","event":{"count":7}}`)
		want := time.Date(2024, 5, 1, 10, 0, 0, 500_000_000, time.UTC)
		if !o.FirstObserved.Equal(want) || !o.LastObserved.Equal(want) || o.NumberObserved != 7 {
			t.Fatalf("got %v %v %d", o.FirstObserved, o.LastObserved, o.NumberObserved)
		}
		if o.ID != "" {
			t.Errorf("ID = %q, want empty for a flat event", o.ID)
		}
	})
	t.Run("OKStartEnd", func(t *testing.T) {
		o := mustECS(t, `{"@timestamp":"2024-05-01T10:00:09Z","event.start":"2024-05-01T10:00:00Z","event.end":"2024-05-01T10:00:10Z"}`)
		if d := o.LastObserved.Sub(o.FirstObserved); d != 10*time.Second {
			t.Fatalf("span = %v", d)
		}
	})
	t.Run("OKNoTimestamp", func(t *testing.T) {
		o := mustECS(t, `{"url.full":"http://x/"}`)
		if !o.FirstObserved.IsZero() || o.NumberObserved != 1 {
			t.Fatalf("got %v %d", o.FirstObserved, o.NumberObserved)
		}
	})
}

func TestParseECSErrors(t *testing.T) {
	tests := []struct{ name, event, want string }{
		{"ErrNotJSON", `{"source.ip":`, "invalid JSON"},
		{"ErrTrailingData", `{} {}`, "invalid JSON: unexpected data after the JSON value"},
		{"ErrTrailingGarbage", `{"a":1}x`, "invalid JSON: unexpected data after the JSON value"},
		{"ErrNotObject", `["source.ip"]`, "an ECS event must be a JSON object"},
		{"ErrBadIP", `{"source.ip":"10.0.0.300"}`, `field source.ip: "10.0.0.300" is not an IP address`},
		{"ErrIPNotString", `{"destination":{"ip":true}}`, "field destination.ip must be a string, found a boolean"},
		{"ErrBadPort", `{"destination.port":"https"}`, `field destination.port must be a non-negative integer, found "https"`},
		{"ErrNegativeSize", `{"file.size":-1}`, "field file.size must be a non-negative integer"},
		{"ErrBadTimestamp", `{"@timestamp":"May 1st"}`, `field @timestamp: "May 1st" is not an RFC 3339 timestamp`},
		{"ErrBadCount", `{"event.count":0}`, "field event.count must be between 1 and 999999999"},
		{"ErrEndBeforeStart", `{"event.start":"2024-05-01T10:00:10Z","event.end":"2024-05-01T10:00:00Z"}`, "event.end is before event.start"},
		{"ErrConflict", `{"source.ip":"10.0.0.1","source":{"ip":"10.0.0.2"}}`, "field source.ip is given twice with different values"},
		{"ErrBadResolvedIP", `{"dns.question.name":"x","dns.resolved_ip":["1.2.3.4","nope"]}`, `field dns.resolved_ip: "nope" is not an IP address`},
		{"ErrArrayElement", `{"email.to.address":["a@x",{"b":1}]}`, "field email.to.address[1] must be a string, found an object"},
		{"ErrTooDeep", strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40), "nested more than 32 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pattern.ParseECS([]byte(tt.event))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
