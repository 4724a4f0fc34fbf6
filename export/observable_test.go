package export_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/export"
	"github.com/isachub/isachub/stix"
)

func TestObservables(t *testing.T) {
	const sha = "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"
	tests := []struct {
		pattern string
		want    []export.Observable
	}{
		{"[ipv4-addr:value = '198.51.100.7']", []export.Observable{{export.KindIPv4, "198.51.100.7"}}},
		{"[ipv4-addr:value = '198.51.100.0/24']", []export.Observable{{export.KindCIDR, "198.51.100.0/24"}}},
		{"[ipv4-addr:value = '198.51.100.7/32']", []export.Observable{{export.KindIPv4, "198.51.100.7"}}},
		{"[ipv6-addr:value = '2001:DB8::1/128']", []export.Observable{{export.KindIPv6, "2001:db8::1"}}},
		{"[ipv6-addr:value ISSUBSET '2001:db8::1/64']", []export.Observable{{export.KindCIDR, "2001:db8::/64"}}},
		{"[ipv4-addr:value IN ('198.51.100.7', 'not-an-ip', '203.0.113.9')]", []export.Observable{{export.KindIPv4, "198.51.100.7"}, {export.KindIPv4, "203.0.113.9"}}},
		{"[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 443]", []export.Observable{{export.KindIPv4, "198.51.100.7"}}},
		{"[domain-name:value = 'evil.example.com'] FOLLOWEDBY [url:value = 'http://evil.example.com/x'] WITHIN 5 SECONDS", []export.Observable{{export.KindDomain, "evil.example.com"}, {export.KindURL, "http://evil.example.com/x"}}},
		{"[file:hashes.'SHA-256' = '" + strings.ToUpper(sha) + "' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f' OR artifact:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
			[]export.Observable{{export.KindSHA256, sha}, {export.KindMD5, "cead3f77f6cda6ec00f57d76c9a6879f"}, {export.KindSHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"}}},
		{"[email-addr:value = 'bad@example.com'] OR [email-message:to_refs[*].value = 'victim@example.org']", []export.Observable{{export.KindEmail, "bad@example.com"}, {export.KindEmail, "victim@example.org"}}},
		{"[ipv4-addr:value != '198.51.100.7' AND ipv4-addr:value NOT IN ('203.0.113.9')]", nil},
		{"[domain-name:value LIKE '%.example.com' OR domain-name:value MATCHES 'x']", nil},
		{"[domain-name:value = 'a.example' OR domain-name:value = 'a.example']", []export.Observable{{export.KindDomain, "a.example"}}},
		{"[domain-name:value = 'bad\nname']", nil},
		{"[file:name = 'x.exe']", nil},
	}
	for _, tt := range tests {
		got, err := export.Observables(tt.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q:\n got %v\nwant %v", tt.pattern, got, tt.want)
		}
	}
	if _, err := export.Observables("[broken"); err == nil {
		t.Error("a broken pattern gave no error")
	}
}

func mustIndicator(tb testing.TB, file string) export.Indicator {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	o, err := stix.ParseObject(data)
	if err != nil {
		tb.Fatal(err)
	}
	ind, err := export.FromObject(o, "")
	if err != nil {
		tb.Fatal(err)
	}
	return ind
}

func TestFromObject(t *testing.T) {
	ind := mustIndicator(t, "testdata/indicator.json")
	if ind.TLP != "amber" || ind.Confidence == nil || *ind.Confidence != 85 || ind.PatternType != "stix" ||
		!slices.Equal(ind.KillChainPhases, []string{"mitre-attack:command-and-control"}) || len(ind.Labels) != 2 {
		t.Errorf("%+v", ind)
	}
	o, _ := stix.ParseObject([]byte(`{"type":"malware","id":"malware--1"}`))
	if _, err := export.FromObject(o, ""); err == nil {
		t.Error("a malware object became an indicator")
	}
}

func TestCSVWriter(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		var buf bytes.Buffer
		w := export.NewCSVWriter(&buf)
		if err := w.Write(mustIndicator(t, "testdata/indicator.json")); err != nil {
			t.Fatal(err)
		}
		bad := testIndicator("[file:name = 'x.exe']")
		if err := w.Write(bad); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile("testdata/indicator.csv")
		if buf.String() != string(want) {
			t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
		}
		rep := w.Report()
		if rep.Indicators != 2 || rep.Exported != 1 || rep.Written != 2 || len(rep.Skipped) != 1 || rep.Skipped[0].ID != bad.ID {
			t.Errorf("%+v", rep)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(rows[0]) != 12 {
			t.Errorf("rows %v err %v", rows, err)
		}
	})
	t.Run("EscapeFormulas", func(t *testing.T) {
		var buf bytes.Buffer
		w := export.NewCSVWriter(&buf)
		w.EscapeFormulas = true
		ind := testIndicator("[domain-name:value = 'a.example']")
		ind.Name = "=HYPERLINK(\"x\")"
		w.Write(ind)
		w.Flush()
		if !strings.Contains(buf.String(), `"'=HYPERLINK(""x"")"`) {
			t.Errorf("%s", buf.String())
		}
	})
	t.Run("SkipFunc", func(t *testing.T) {
		w := export.NewCSVWriter(&bytes.Buffer{})
		n := 0
		w.SkipFunc = func(export.Skip) { n++ }
		w.Write(testIndicator("[file:name = 'x']"))
		if n != 1 || len(w.Report().Skipped) != 0 {
			t.Errorf("n %d report %+v", n, w.Report())
		}
	})
}

func TestTXTWriter(t *testing.T) {
	var buf bytes.Buffer
	w := export.NewTXTWriter(&buf, export.KindIPv4)
	w.Write(testIndicator("[ipv4-addr:value IN ('198.51.100.7', '203.0.113.9')] OR [domain-name:value = 'a.example']"))
	w.Write(testIndicator("[ipv4-addr:value = '198.51.100.7']"))
	w.Write(testIndicator("[domain-name:value = 'a.example']"))
	w.Flush()
	if got, want := buf.String(), "198.51.100.7\n203.0.113.9\n198.51.100.7\n"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if rep := w.Report(); rep.Exported != 2 || rep.Written != 3 || len(rep.Skipped) != 1 {
		t.Errorf("%+v", rep)
	}
	if _, err := export.ParseKind("sha512"); err == nil {
		t.Error("ParseKind accepted sha512")
	}
	if k, err := export.ParseKind("cidr"); err != nil || k != export.KindCIDR {
		t.Error(k, err)
	}
}
