package postgres_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// TestMigrateTLP checks the statement of migration 0002 that computes the
// stored TLP of versions ingested before it: it must agree with
// stix.EffectiveTLP, which ingest stores, on every kind of marking.
func TestMigrateTLP(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	org, coll := setup(t, db)
	samples := storetest.TLPSamples()
	res, err := db.AddObjects(ctx, coll.ID, org.ID, samples)
	mustOK(t, err)
	for _, r := range res {
		mustOK(t, r.Err)
	}
	sql, err := os.ReadFile(filepath.Join("migrations", "0002_tlp_groups.sql"))
	mustOK(t, err)
	start := strings.Index(string(sql), "UPDATE object_versions v SET tlp")
	end := strings.Index(string(sql)[start:], ";\n")
	if start < 0 || end < 0 {
		t.Fatal("no UPDATE of object_versions.tlp in migration 0002")
	}
	mustOK(t, db.Exec(ctx, `UPDATE object_versions SET tlp = 0`))
	mustOK(t, db.Exec(ctx, string(sql)[start:start+end]))
	p, err := db.Objects(ctx, coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Limit: 100})
	mustOK(t, err)
	if len(p.Objects) != len(samples) {
		t.Fatalf("%d versions, want %d", len(p.Objects), len(samples))
	}
	want := map[string]stix.TLP{}
	for _, o := range samples {
		want[o.ID()] = stix.EffectiveTLP(o)
	}
	for _, v := range p.Objects {
		if v.TLP != want[v.ID] {
			t.Errorf("%s (%s): migrated TLP %v, want %v", v.ID, v.Raw, v.TLP, want[v.ID])
		}
	}
}
