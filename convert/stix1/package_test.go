package stix1_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/convert"
)

// fixtures are the documents that convert.
var fixtures = []string{
	"indicators.xml", "conditions.xml", "cybox.xml", "observables.xml", "ttps.xml",
	"actors.xml", "markings.xml", "report.xml", "related-packages.xml", "versions.xml",
}

func TestPackageReport(t *testing.T) {
	r := mustConvert(t, "indicators.xml", opts())
	reps := r.ofType("report")
	if len(reps) != 1 {
		t.Fatalf("%d reports", len(reps))
	}
	rep := reps[0]
	if rep["id"] != id("report", "example:Package-2f6ae8e4-1b2c-4a3d-9e8f-1a2b3c4d5e6f") || rep["name"] != "Example watchlist" ||
		rep["description"] != "Addresses, domains, URLs and hashes seen in a campaign." || rep["published"] != "2015-04-01T10:00:00.123Z" {
		t.Errorf("report %v", rep)
	}
	var want []string
	for _, o := range r.objs {
		if o["type"] != "report" && o["type"] != "marking-definition" {
			want = append(want, o["id"].(string))
		}
	}
	if got := strs(rep["object_refs"]); !slices.Equal(got, want) {
		t.Errorf("object_refs %v\nwant everything else %v", got, want)
	}
}

func TestRelatedPackages(t *testing.T) {
	r := mustConvert(t, "related-packages.xml", opts())
	inner := r.get(t, id("report", "example:Package-inner"))
	outer := r.get(t, id("report", "example:Package-outer"))
	ind := r.get(t, id("indicator", "example:indicator-inner"))
	if ind["created"] != "2014-03-03T03:03:03.000Z" || ind["created_by_ref"] == nil {
		t.Errorf("inner indicator %v", ind)
	}
	if !slices.Contains(strs(inner["object_refs"]), ind["id"].(string)) || !slices.Contains(strs(outer["object_refs"]), inner["id"].(string)) {
		t.Errorf("reports: inner %v outer %v", inner["object_refs"], outer["object_refs"])
	}
	if _, ok := r.get(t, id("attack-pattern", "example:ttp-outer"))["created_by_ref"]; ok {
		t.Error("the outer TTP took the inner package's source")
	}
	if r.rel(ind["id"].(string), "indicates", id("attack-pattern", "example:ttp-outer")) == nil {
		t.Error("no relationship across packages")
	}
}

func TestVersions(t *testing.T) {
	r := mustConvert(t, "versions.xml", opts())
	var versions []map[string]any
	for _, o := range r.objs {
		if o["id"] == id("indicator", "example:indicator-v") {
			versions = append(versions, o)
		}
	}
	if len(versions) != 2 {
		t.Fatalf("%d versions, want 2 (the copy of the first is sent once)", len(versions))
	}
	if versions[1]["created"] != "2014-01-01T00:00:00.000Z" || versions[1]["modified"] != "2014-06-01T00:00:00.000Z" || versions[1]["name"] != "Second version" {
		t.Errorf("second version %v", versions[1])
	}
	bad := r.get(t, id("indicator", "example:indicator-badtime"))
	if bad["created"] != "2024-01-02T03:04:05.000Z" {
		t.Errorf("no timestamp anywhere: created %v, want opts.Now", bad["created"])
	}
	r.mustEntry(t, ind1+"[4]/@timestamp", convert.Approximate, "not an xs:dateTime")
}

func TestDeterministic(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			a := mustConvert(t, name, opts())
			b := mustConvert(t, name, opts())
			if !slices.EqualFunc(a.raws, b.raws, func(x, y json.RawMessage) bool { return bytes.Equal(x, y) }) {
				t.Fatal("two conversions of the same input differ")
			}
			var ra, rb strings.Builder
			a.rep.WriteText(&ra)
			b.rep.WriteText(&rb)
			if ra.String() != rb.String() {
				t.Fatal("two reports of the same input differ")
			}
			// Another Now changes only what the input does not date.
			c := mustConvert(t, name, convert.Options{Now: now.Add(time.Hour)})
			if len(c.objs) != len(a.objs) {
				t.Fatalf("%d objects, then %d", len(a.objs), len(c.objs))
			}
			for i := range a.objs {
				if a.objs[i]["id"] != c.objs[i]["id"] {
					t.Errorf("ids depend on Now: %v, %v", a.objs[i]["id"], c.objs[i]["id"])
				}
			}
		})
	}
}

func TestAnonymous(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			r := mustConvert(t, name, convert.Options{Now: now, Anonymous: true})
			for i, raw := range r.raws {
				if r.objs[i]["type"] == "marking-definition" {
					continue // a statement is content (a copyright), not a source
				}
				for _, leak := range []string{`"identity"`, "created_by_ref", "where_sighted_refs", "Example ISAC", "Inner Org", "Member Bank"} {
					if bytes.Contains(raw, []byte(leak)) {
						t.Errorf("anonymous conversion has %s:\n%s", leak, raw)
					}
				}
			}
		})
	}
	r := mustConvert(t, "indicators.xml", convert.Options{Now: now, Anonymous: true})
	r.mustEntry(t, "/stix:STIX_Package/stix:STIX_Header/stix:Information_Source", convert.NotConverted, "anonymous")
}

func TestEveryFixtureReported(t *testing.T) {
	// Every entry has a path into the document.
	for _, name := range fixtures {
		r := mustConvert(t, name, opts())
		for _, e := range r.rep.Entries {
			if !strings.HasPrefix(e.Path, "/stix:STIX_Package") {
				t.Errorf("%s: entry without a path: %+v", name, e)
			}
		}
	}
}
