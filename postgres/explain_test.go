package postgres_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// TestObjectsPlan checks with EXPLAIN that every main shape of the page
// query walks an index in date_added order from the keyset bound: no
// sequential scan and no sort, so that a page deep in a collection costs
// what the first page costs.
func TestObjectsPlan(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	org, coll := setup(t, db)
	ingest(t, db, coll.ID, org.ID, 0, 30000, 1000)
	mustOK(t, db.Exec(ctx, "ANALYZE"))
	page, err := db.Objects(ctx, coll.ID, isachub.ObjectFilter{Types: []string{"indicator"}, Limit: 1000})
	mustOK(t, err)
	mid := page.Objects[len(page.Objects)-1].DateAdded

	// What the hub operator of another community may not see: every level
	// but CLEAR (isachub.Reader.Hidden).
	var hidden isachub.TLPSet
	for _, l := range []stix.TLP{stix.TLPNone, stix.TLPGreen, stix.TLPAmber, stix.TLPAmberStrict, stix.TLPRed} {
		hidden = hidden.With(l)
	}
	tests := []struct {
		name string
		f    isachub.ObjectFilter
	}{
		{"All", isachub.ObjectFilter{}},
		{"AddedAfter", isachub.ObjectFilter{AddedAfter: mid}},
		{"Type", isachub.ObjectFilter{Types: []string{"indicator"}}},
		{"TypeAddedAfter", isachub.ObjectFilter{Types: []string{"indicator"}, AddedAfter: mid, Limit: 1000}},
		{"TypeNext", isachub.ObjectFilter{Types: []string{"indicator"}, Limit: 1000, Next: page.Next}},
		{"Types", isachub.ObjectFilter{Types: []string{"indicator", "malware"}}},
		{"VersionAll", isachub.ObjectFilter{Versions: []string{"all"}, Types: []string{"malware"}}},
		{"VersionFirstLast", isachub.ObjectFilter{Versions: []string{"first", "last"}}},
		{"SpecVersion", isachub.ObjectFilter{SpecVersions: []string{"2.1"}, Types: []string{"indicator"}}},
		// TLP: hidden levels are filtered in the same walk; the latest
		// visible version is checked per row on the (collection_id, id,
		// vkey) index.
		{"HiddenLast", isachub.ObjectFilter{Hidden: hidden}},
		{"HiddenRed", isachub.ObjectFilter{Hidden: isachub.TLPSet(0).With(stix.TLPRed), Types: []string{"indicator"}}},
		{"HiddenNext", isachub.ObjectFilter{Hidden: hidden, Types: []string{"indicator"}, Limit: 1000, Next: page.Next}},
		{"HiddenFirstLast", isachub.ObjectFilter{Hidden: hidden, Versions: []string{"first", "last"}}},
		{"HiddenType", isachub.ObjectFilter{Hidden: hidden, Types: []string{"indicator"}, AddedAfter: mid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := db.ExplainObjects(ctx, coll.ID, tt.f)
			mustOK(t, err)
			if strings.Contains(plan, "Seq Scan") || strings.Contains(plan, "Sort Key") ||
				!strings.Contains(plan, "Index Scan") && !strings.Contains(plan, "Index Only Scan") {
				t.Fatalf("the page query does not walk an index in order:\n%s", plan)
			}
			if testing.Verbose() && tt.f.Hidden != 0 {
				t.Logf("plan:\n%s", plan)
			}
			if tt.f.Hidden != 0 && !strings.Contains(plan, "SubPlan") {
				t.Fatalf("no per-row visibility check:\n%s", plan)
			}
		})
	}
}
