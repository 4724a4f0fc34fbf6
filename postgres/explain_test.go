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
	page, err := db.Objects(ctx, coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Types: []string{"indicator"}, Limit: 1000})
	mustOK(t, err)
	mid := page.Objects[len(page.Objects)-1].DateAdded

	// What the hub operator of another community may not see: every level
	// but CLEAR (isachub.Reader.Hidden).
	var hidden isachub.TLPSet
	for _, l := range []stix.TLP{stix.TLPNone, stix.TLPGreen, stix.TLPAmber, stix.TLPAmberStrict, stix.TLPRed} {
		hidden = hidden.With(l)
	}
	tests := []struct {
		name   string
		f      isachub.ObjectFilter
		hidden isachub.TLPSet // what the read hides (isachub.Hiding)
	}{
		{"All", isachub.ObjectFilter{}, 0},
		{"AddedAfter", isachub.ObjectFilter{AddedAfter: mid}, 0},
		{"Type", isachub.ObjectFilter{Types: []string{"indicator"}}, 0},
		{"TypeAddedAfter", isachub.ObjectFilter{Types: []string{"indicator"}, AddedAfter: mid, Limit: 1000}, 0},
		{"TypeNext", isachub.ObjectFilter{Types: []string{"indicator"}, Limit: 1000, Next: page.Next}, 0},
		{"Types", isachub.ObjectFilter{Types: []string{"indicator", "malware"}}, 0},
		{"VersionAll", isachub.ObjectFilter{Versions: []string{"all"}, Types: []string{"malware"}}, 0},
		{"VersionFirstLast", isachub.ObjectFilter{Versions: []string{"first", "last"}}, 0},
		{"SpecVersion", isachub.ObjectFilter{SpecVersions: []string{"2.1"}, Types: []string{"indicator"}}, 0},
		// TLP: hidden levels are filtered in the same walk; the latest
		// visible version is checked per row on the (collection_id, id,
		// vkey) index.
		{"HiddenLast", isachub.ObjectFilter{}, hidden},
		{"HiddenRed", isachub.ObjectFilter{Types: []string{"indicator"}}, isachub.TLPSet(0).With(stix.TLPRed)},
		{"HiddenNext", isachub.ObjectFilter{Types: []string{"indicator"}, Limit: 1000, Next: page.Next}, hidden},
		{"HiddenFirstLast", isachub.ObjectFilter{Versions: []string{"first", "last"}}, hidden},
		{"HiddenType", isachub.ObjectFilter{Types: []string{"indicator"}, AddedAfter: mid}, hidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := db.ExplainObjects(ctx, coll.ID, isachub.Hiding(tt.hidden), tt.f)
			mustOK(t, err)
			if strings.Contains(plan, "Seq Scan") || strings.Contains(plan, "Sort Key") ||
				!strings.Contains(plan, "Index Scan") && !strings.Contains(plan, "Index Only Scan") {
				t.Fatalf("the page query does not walk an index in order:\n%s", plan)
			}
			if testing.Verbose() && tt.hidden != 0 {
				t.Logf("plan:\n%s", plan)
			}
			if tt.hidden != 0 && !strings.Contains(plan, "SubPlan") {
				t.Fatalf("no per-row visibility check:\n%s", plan)
			}
		})
	}
}
