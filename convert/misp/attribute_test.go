package misp_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/pattern"
)

// attrUUID is the uuid of attribute n of testdata/attributes.json.
func attrUUID(n int) string { return fmt.Sprintf("a2000000-0000-4000-8000-%012x", n) }

// TestAttributeTypes checks every MISP attribute type that converts, in
// testdata/attributes.json: attribute 2k-1 has to_ids and becomes an
// indicator with the pattern given, attribute 2k has not and becomes an
// observed-data of the SCO types given (or, with none, a note).
func TestAttributeTypes(t *testing.T) {
	r := MustConvert(t, "attributes.json", convert.Options{})
	tests := []struct {
		typ, pattern string
		scos         []string
	}{
		{"ip-src", "[network-traffic:src_ref.value = '198.51.100.1']", []string{"network-traffic", "ipv4-addr"}},
		{"ip-dst", "[network-traffic:dst_ref.value = '2001:db8::1']", []string{"network-traffic", "ipv6-addr"}},
		{"ip-dst", "[network-traffic:dst_ref.value ISSUBSET '192.0.2.0/24']", []string{"network-traffic", "ipv4-addr"}},
		{"ip-src|port", "[network-traffic:src_ref.value = '198.51.100.2' AND network-traffic:src_port = 4444]", []string{"network-traffic", "ipv4-addr"}},
		{"ip-dst|port", "[network-traffic:dst_ref.value = '203.0.113.9' AND network-traffic:dst_port = 443]", []string{"network-traffic", "ipv4-addr"}},
		{"domain", "[domain-name:value = 'example.org']", []string{"domain-name"}},
		{"hostname", "[domain-name:value = 'www.example.org']", []string{"domain-name"}},
		{"domain|ip", "[domain-name:value = 'example.net' AND domain-name:resolves_to_refs[*].value = '192.0.2.10']", []string{"domain-name", "ipv4-addr"}},
		{"hostname|port", "[network-traffic:dst_ref.value = 'mail.example.org' AND network-traffic:dst_port = 25]", []string{"network-traffic", "domain-name"}},
		{"url", "[url:value = 'https://example.org/a?b=c']", []string{"url"}},
		{"uri", "[url:value = '/wp-admin/x.php']", []string{"url"}},
		{"link", "[url:value = 'https://blog.example.org/post']", []string{"url"}},
		{"email", "[email-addr:value = 'alice@example.org']", []string{"email-addr"}},
		{"email-src", "[email-message:from_ref.value = 'bob@example.org']", []string{"email-message", "email-addr"}},
		{"email-dst", "[email-message:to_refs[*].value = 'carol@example.org']", []string{"email-message", "email-addr"}},
		{"email-subject", `[email-message:subject = 'Invoice \'overdue\'']`, []string{"email-message"}},
		{"email-attachment", "[email-message:body_multipart[*].body_raw_ref.name = 'invoice.zip']", []string{"email-message", "file"}},
		{"filename", `[file:name = 'C:\\Users\\Public\\evil.dll']`, []string{"file"}},
		{"md5", "[file:hashes.MD5 = '9e107d9d372bb6826bd81d3542a419d6']", []string{"file"}},
		{"sha1", "[file:hashes.'SHA-1' = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12']", []string{"file"}},
		{"sha256", "[file:hashes.'SHA-256' = 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592']", []string{"file"}},
		{"sha512", "[file:hashes.'SHA-512' = '07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb642e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6']", []string{"file"}},
		{"ssdeep", "[file:hashes.SSDEEP = '96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrJzrhuyZvHYm8tKp/RWO']", []string{"file"}},
		{"filename|md5", "[file:name = 'a.exe' AND file:hashes.MD5 = '9e107d9d372bb6826bd81d3542a419d6']", []string{"file"}},
		{"filename|sha1", "[file:name = 'b.exe' AND file:hashes.'SHA-1' = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12']", []string{"file"}},
		{"filename|sha256", "[file:name = 'c.exe' AND file:hashes.'SHA-256' = 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592']", []string{"file"}},
		{"mac-address", "[mac-addr:value = '00:1a:2b:3c:4d:5e']", []string{"mac-addr"}},
		{"AS", "[autonomous-system:number = 13335]", []string{"autonomous-system"}},
		{"user-agent", `[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/5.0 \'quoted\'']`, nil},
		{"http-method", "[network-traffic:extensions.'http-request-ext'.request_method = 'POST']", nil},
		{"mutex", `[mutex:name = 'Global\\MsWinZonesCacheCounterMutexA']`, []string{"mutex"}},
		{"regkey", `[windows-registry-key:key = 'HKCU\\Software\\Classes\\ms-settings']`, []string{"windows-registry-key"}},
		{"regkey|value", `[windows-registry-key:key = 'HKLM\\System\\Run' AND windows-registry-key:values[*].data = 'payload.exe']`, []string{"windows-registry-key"}},
		{"x509-fingerprint-sha1", "[x509-certificate:hashes.'SHA-1' = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12']", []string{"x509-certificate"}},
		{"x509-fingerprint-sha256", "[x509-certificate:hashes.'SHA-256' = 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592']", []string{"x509-certificate"}},
		{"x509-fingerprint-md5", "[x509-certificate:hashes.MD5 = '9e107d9d372bb6826bd81d3542a419d6']", []string{"x509-certificate"}},
		{"port", "[network-traffic:dst_port = 8080]", nil},
	}
	for i, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			ind := r.madeFrom(t, "indicator", attrUUID(2*i+1))
			if got := ind.String("pattern"); got != tt.pattern {
				t.Errorf("pattern\n got %s\nwant %s", got, tt.pattern)
			}
			if _, err := pattern.Parse(ind.String("pattern")); err != nil {
				t.Error(err)
			}
			if ind.String("name") != tt.typ+": "+valueOf(t, r, 2*i+1) {
				t.Errorf("name %q", ind.String("name"))
			}
			if tt.scos == nil {
				note := r.madeFrom(t, "note", attrUUID(2*i+2))
				if !strings.HasPrefix(note.String("content"), tt.typ+": ") {
					t.Errorf("note %s", note.Raw())
				}
				r.wantEntry(t, fmt.Sprintf("$.Event.Attribute[%d]", 2*i+1), convert.Approximate, "no valid STIX 2.1 observable")
				return
			}
			od := r.madeFrom(t, "observed-data", attrUUID(2*i+2))
			var types []string
			for _, id := range prop[[]string](t, od, "object_refs") {
				types = append(types, id[:strings.Index(id, "--")])
			}
			if !slices.Equal(types, tt.scos) {
				t.Errorf("observed-data of %q, want %q", types, tt.scos)
			}
		})
	}

	t.Run("Other types", func(t *testing.T) {
		n := 2 * len(tests)
		at := func(k int) string { return fmt.Sprintf("$.Event.Attribute[%d]", n+k) }
		vuln := r.madeFrom(t, "vulnerability", attrUUID(n+1))
		if vuln.String("name") != "CVE-2014-0160" {
			t.Errorf("vulnerability %s", vuln.Raw())
		}
		other := r.madeFrom(t, "vulnerability", attrUUID(n+2))
		if _, has := other.Property("external_references"); has {
			t.Errorf("MS17-010 is no CVE id: %s", other.Raw())
		}
		r.wantEntry(t, at(1), convert.Approximate, "not a CVE id")
		for k := 3; k <= 4; k++ {
			note := r.madeFrom(t, "note", attrUUID(n+k))
			if hasRef(prop[[]string](t, note, "object_refs"), convert.ID("misp", "report", attrUUID(0))) == false {
				t.Errorf("a text or comment attribute is a note on the report: %s", note.Raw())
			}
			r.wantEntry(t, at(k-1), convert.Approximate, "note on the report")
		}
		for k, pt := range map[int]string{5: "yara", 6: "sigma", 7: "stix"} {
			if got := r.madeFrom(t, "indicator", attrUUID(n+k)).String("pattern_type"); got != pt {
				t.Errorf("attribute %d: pattern_type %q, want %q", n+k, got, pt)
			}
		}
		r.wantEntry(t, at(7), convert.NotConverted, "not a valid STIX pattern")
		r.wantEntry(t, at(8), convert.NotConverted, `"hex" is not converted`)
		r.wantEntry(t, at(9), convert.NotConverted, `"other" is not converted`)
		r.wantEntry(t, at(10)+".value", convert.NotConverted, "not a valid MD5 hash")
		r.wantEntry(t, at(11)+".value", convert.NotConverted, "not an IP address")
		r.wantEntry(t, at(12)+".value", convert.NotConverted, "not an AS number")
		r.wantEntry(t, at(13)+".value", convert.NotConverted, "not a MAC-48 address")
		r.wantEntry(t, at(14)+".value", convert.NotConverted, "not a port number")
	})
}

// valueOf returns the value of attribute n of testdata/attributes.json.
func valueOf(t *testing.T, r result, n int) string {
	t.Helper()
	ind := r.madeFrom(t, "indicator", attrUUID(n))
	_, v, _ := strings.Cut(ind.String("name"), ": ")
	return v
}

// TestPatternEscaping parses each pattern made from values full of quotes
// and backslashes and checks that its literal is the value again (STIX 2.1
// section 9.4: \' and \\ are the only escapes).
func TestPatternEscaping(t *testing.T) {
	r := MustConvert(t, "hostile/nul-utf8.json", convert.Options{})
	tests := []struct{ uuid, value string }{
		{"9a000000-0000-4000-8000-000000000301", "nul\x00.example.org"},
		{"9a000000-0000-4000-8000-000000000302", "http://x.example/\ufffd(' OR \\ 1=1 ]"},
		{"9a000000-0000-4000-8000-000000000304", `' AND [x:y = 1] \'`},
		{"9a000000-0000-4000-8000-000000000305", "HKLM\\\\Soft\x00ware\\"},
	}
	for _, tt := range tests {
		t.Run(tt.uuid, func(t *testing.T) {
			ind := r.madeFrom(t, "indicator", tt.uuid)
			p, err := pattern.Parse(ind.String("pattern"))
			if err != nil {
				t.Fatalf("%s: %v", ind.String("pattern"), err)
			}
			var got []string
			pattern.Walk(p, func(n pattern.Node) bool {
				if c, ok := n.(*pattern.Comparison); ok {
					got = append(got, c.Value.Str)
				}
				return true
			})
			if len(got) != 1 || got[0] != tt.value {
				t.Errorf("literal %q, want %q (pattern %s)", got, tt.value, ind.String("pattern"))
			}
		})
	}
}
