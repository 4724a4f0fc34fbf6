package export_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/isachub/isachub/export"
	"github.com/isachub/isachub/pattern"
)

func addSeeds(f *testing.F) {
	for _, tt := range translated {
		f.Add(tt.pattern)
	}
	f.Add("[ipv4-addr:value = '198.51.100.0/24'] AND [domain-name:value LIKE 'x%']")
	f.Add("[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8' OR network-traffic:src_port IN (1, 2, 3)]")
	f.Add("[url:value = 'http://a.example:99/%00|;\"']")
}

// FuzzObservables checks that Observables never panics and agrees with
// the CSV writer on what it exports.
func FuzzObservables(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, p string) {
		obs, err := export.Observables(p)
		if err != nil {
			return
		}
		for _, o := range obs {
			if o.Value == "" || strings.ContainsAny(o.Value, "\r\n") {
				t.Fatalf("%q: observable %+v", p, o)
			}
		}
		w := export.NewCSVWriter(&bytes.Buffer{})
		if err := w.Write(testIndicator(p)); err != nil {
			t.Fatal(err)
		}
		if got := w.Report().Written; got != len(obs) {
			t.Fatalf("%q: CSV wrote %d rows for %d observables", p, got, len(obs))
		}
	})
}

// FuzzRules checks that every rule written for any pattern passes the
// strict grammar, and that translated patterns agree with their rules on
// random flows.
func FuzzRules(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, p string) {
		for _, d := range []string{"suricata", "snort"} {
			rules, rep := rulesFor(t, d, p) // fails on a rule the grammar refuses
			if (len(rules) == 0) != (len(rep.Skipped) == 1) {
				t.Fatalf("%s %q: %d rules and report %+v", d, p, len(rules), rep)
			}
			if len(rules) > 0 {
				checkEquivalent(t, p, pattern.MustParse(p), rules, uint64(len(p)), 200)
			}
		}
	})
}
