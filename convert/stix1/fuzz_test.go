package stix1_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/isachub/isachub/convert/stix1"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// FuzzConvert feeds arbitrary bytes to Convert: it must not panic, its
// error must be nil or a *convert.FormatError, and every object it sends
// must pass pattern.Validate. The seeds come from testdata: the small
// documents whole, and each construct of the larger ones in a package of
// its own (small seeds keep the fuzzer's minimisation quick).
func FuzzConvert(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Add([]byte(pkgOpen + "<stix:Indicators>" + uriIndicator(1, "t") + "</stix:Indicators></stix:STIX_Package>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := stix1.Convert(bytes.NewReader(data), "fuzz", opts(), func(raw json.RawMessage) error {
			o, err := stix.ParseObject(raw)
			if err != nil {
				t.Fatalf("object is not JSON: %v\n%s", err, raw)
			}
			if res := pattern.Validate(o); !res.Valid() {
				t.Fatalf("object does not pass pattern.Validate: %+v\n%s", res.Errors, raw)
			}
			return nil
		})
		if rep == nil {
			t.Fatal("nil report")
		}
		if err != nil && formatError(err) == nil {
			t.Fatalf("error %v is not a *convert.FormatError", err)
		}
	})
}

var (
	rootRe = regexp.MustCompile(`(?s)<(\w+):STIX_Package\b[^>]*>`)
	// constructRes find the constructs of a fixture by name, whatever
	// their prefix.
	constructRes = func() map[string]*regexp.Regexp {
		m := map[string]*regexp.Regexp{}
		for _, name := range []string{"Indicator", "TTP", "Threat_Actor", "Campaign", "Incident", "Course_Of_Action", "Exploit_Target", "Report", "Observable", "STIX_Header", "Kill_Chains"} {
			m[name] = regexp.MustCompile(`(?s)<(\w+:)?` + name + `\b[^>]*[^/]>.*?</(\w+:)?` + name + `>`)
		}
		return m
	}()
)

var sections = map[string]string{
	"Indicator": "Indicators", "TTP": "TTPs", "Kill_Chains": "TTPs", "Threat_Actor": "Threat_Actors",
	"Campaign": "Campaigns", "Incident": "Incidents", "Course_Of_Action": "Courses_Of_Action",
	"Exploit_Target": "Exploit_Targets", "Report": "Reports", "Observable": "Observables",
}

// fuzzSeeds returns the seeds made of testdata.
func fuzzSeeds(tb testing.TB) [][]byte {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	var seeds [][]byte
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		root := rootRe.FindSubmatch(data)
		if len(data) < 4096 || root == nil {
			seeds = append(seeds, data)
			continue
		}
		p := string(root[1])
		for _, name := range slices.Sorted(maps.Keys(constructRes)) {
			for _, m := range constructRes[name].FindAll(data, -1) {
				seeds = append(seeds, wrapSeed(root[0], p, name, m))
			}
		}
	}
	return seeds
}

// wrapSeed puts one construct into a package of its own, in its section.
func wrapSeed(root []byte, p, name string, m []byte) []byte {
	seed := append([]byte(nil), root...)
	sec := sections[name]
	if sec != "" {
		seed = append(seed, "<"+p+":"+sec+">"...)
	}
	seed = append(seed, m...)
	if sec != "" {
		seed = append(seed, "</"+p+":"+sec+">"...)
	}
	return append(seed, "</"+p+":STIX_Package>"...)
}

// TestFuzzSeeds runs the seeds as a test: most of them convert.
func TestFuzzSeeds(t *testing.T) {
	seeds := fuzzSeeds(t)
	ok := 0
	for _, s := range seeds {
		if r := convertBytes(t, s, opts()); r.err == nil && len(r.objs) > 0 {
			ok++
		}
	}
	if len(seeds) < 50 || ok < len(seeds)/2 {
		t.Errorf("%d seeds, %d of them convert to objects", len(seeds), ok)
	}
}
