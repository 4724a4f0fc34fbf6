package sqlite_test

import (
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// TestExplainObjects checks that the page query of every main filter shape
// seeks an index from the cursor and reads rows in index order: no full
// scan and no temporary b-tree for sorting, so that page 10,000 costs what
// page 1 costs.
func TestExplainObjects(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	org, coll := benchTenant(t, ctx, db)
	ingest(t, ctx, db, coll, org, storetest.Indicators(0, 2000), 1000)
	page, err := db.Objects(ctx, coll, isachub.Unrestricted(), isachub.ObjectFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	typesPage, err := db.Objects(ctx, coll, isachub.Unrestricted(), isachub.ObjectFilter{Limit: 10, Types: []string{"malware", "indicator"}})
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().Add(-time.Hour)
	// What the hub operator of another community may not see: every level
	// but CLEAR (isachub.Reader.Hidden).
	var hidden isachub.TLPSet
	for _, l := range []stix.TLP{stix.TLPNone, stix.TLPGreen, stix.TLPAmber, stix.TLPAmberStrict, stix.TLPRed} {
		hidden = hidden.With(l)
	}
	shapes := []struct {
		name string
		f    isachub.ObjectFilter
		// index is the index every read of objects must use; sorted marks
		// the shapes allowed a bounded sort: the merge of several types'
		// pages, and the versions of the given ids.
		index  string
		sorted bool
		// hidden is what the read hides (isachub.Hiding).
		hidden isachub.TLPSet
	}{
		{"Default", isachub.ObjectFilter{}, "objects_added", false, 0},
		{"AddedAfter", isachub.ObjectFilter{AddedAfter: after}, "objects_added", false, 0},
		{"Next", isachub.ObjectFilter{Limit: 10, Next: page.Next}, "objects_added", false, 0},
		{"Type", isachub.ObjectFilter{Types: []string{"indicator"}}, "objects_type", false, 0},
		{"TypeAddedAfter", isachub.ObjectFilter{Types: []string{"indicator"}, AddedAfter: after}, "objects_type", false, 0},
		{"TypeAllVersions", isachub.ObjectFilter{Types: []string{"indicator"}, Versions: []string{"all"}, AddedAfter: after}, "objects_type", false, 0},
		{"AllVersions", isachub.ObjectFilter{Versions: []string{"all"}, AddedAfter: after}, "objects_added", false, 0},
		{"First", isachub.ObjectFilter{Versions: []string{"first"}, AddedAfter: after}, "objects_added", false, 0},
		{"Timestamp", isachub.ObjectFilter{Versions: []string{"2026-01-02T03:04:05.000Z", "last"}, AddedAfter: after}, "objects_added", false, 0},
		{"SpecVersion", isachub.ObjectFilter{SpecVersions: []string{"2.1"}, AddedAfter: after}, "objects_added", false, 0},
		{"Types", isachub.ObjectFilter{Types: []string{"indicator", "malware", "tool"}, AddedAfter: after}, "objects_type", true, 0},
		{"TypesNext", isachub.ObjectFilter{Types: []string{"indicator", "malware"}, Limit: 10, Next: typesPage.Next}, "objects_type", true, 0},
		{"IDs", isachub.ObjectFilter{IDs: []string{storetest.IndicatorID(1), storetest.IndicatorID(2)}}, "objects_id", true, 0},
		{"IDsTypes", isachub.ObjectFilter{IDs: []string{storetest.IndicatorID(1)}, Types: []string{"indicator", "malware"}}, "objects_id", true, 0},
		// TLP: hidden versions are filtered in the same walk; the latest
		// visible version is checked through objects_id (hiddenAware).
		{"HiddenLast", isachub.ObjectFilter{AddedAfter: after}, "objects_added", false, hidden},
		{"HiddenNext", isachub.ObjectFilter{Limit: 10, Next: page.Next}, "objects_added", false, hidden},
		{"HiddenFirstOrLast", isachub.ObjectFilter{Versions: []string{"first", "last"}, AddedAfter: after}, "objects_added", false, hidden},
		{"HiddenType", isachub.ObjectFilter{Types: []string{"indicator"}, AddedAfter: after}, "objects_type", false, hidden},
		{"HiddenTypes", isachub.ObjectFilter{Types: []string{"indicator", "malware"}, AddedAfter: after}, "objects_type", true, hidden},
		{"HiddenIDs", isachub.ObjectFilter{IDs: []string{storetest.IndicatorID(1)}, Versions: []string{"all"}}, "objects_id", true, hidden},
	}
	check := func(t *testing.T) {
		for _, tc := range shapes {
			t.Run(tc.name, func(t *testing.T) {
				plan, err := db.ExplainObjects(ctx, coll, isachub.Hiding(tc.hidden), tc.f)
				if err != nil {
					t.Fatal(err)
				}
				joined := strings.Join(plan, "\n")
				if testing.Verbose() && tc.hidden != 0 {
					t.Logf("plan:\n%s", joined)
				}
				reads := 0
				for _, l := range plan {
					if !strings.HasPrefix(l, "SEARCH o ") && !strings.HasPrefix(l, "SCAN o") {
						continue
					}
					reads++
					if !strings.HasPrefix(l, "SEARCH o USING INDEX "+tc.index+" (") {
						t.Fatalf("objects not read through %s:\n%s", tc.index, joined)
					}
					if tc.index != "objects_id" && !strings.Contains(l, "date_added>?") {
						t.Fatalf("objects not read from the cursor on:\n%s", joined)
					}
				}
				if reads == 0 || strings.Contains(joined, "SCAN o") {
					t.Fatalf("the page query scans objects:\n%s", joined)
				}
				for _, l := range plan {
					if strings.Contains(l, " o2 ") && !strings.HasPrefix(l, "SEARCH o2 USING INDEX objects_id (coll=? AND id=?)") {
						t.Fatalf("the visibility subquery does not read one id's versions through objects_id:\n%s", joined)
					}
				}
				if tc.hidden != 0 && !strings.Contains(joined, "SEARCH o2 ") && tc.f.Versions == nil {
					t.Fatalf("no visibility subquery:\n%s", joined)
				}
				if strings.Contains(joined, "TEMP B-TREE") != tc.sorted && !tc.sorted {
					t.Fatalf("the page query sorts:\n%s", joined)
				}
			})
		}
	}
	t.Run("Fresh", check)
	// The plan must not change for the worse once the planner has
	// statistics.
	if err := db.Exec(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	t.Run("Analyzed", check)
}

// TestExplainSearch checks that the search walks the full-text index in
// descending rowid order, without sorting the matches.
func TestExplainSearch(t *testing.T) {
	db := openTemp(t)
	// With a TLP rule in one collection, as a member reads (RED hidden).
	hidden := map[string]isachub.TLPSet{"a": isachub.TLPSet(0).With(stix.TLPRed)}
	plan, err := db.ExplainSearch(t.Context(), []string{"a", "b"}, "malicious 198.51.0.1", hidden)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(plan, "\n")
	if !strings.Contains(joined, "SCAN objects_fts VIRTUAL TABLE") || strings.Contains(joined, "SCAN o ") ||
		strings.Contains(joined, "SCAN o\n") || strings.Contains(joined, "objects_added") {
		t.Fatalf("the search does not start from the full-text index:\n%s", joined)
	}
	if n := strings.Count(joined, "TEMP B-TREE"); n > 0 {
		t.Fatalf("the search sorts %d times:\n%s", n, joined)
	}
}
