package sqlite_test

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
	db := openTemp(t)
	ctx := t.Context()
	org, coll := benchTenant(t, ctx, db)
	samples := storetest.TLPSamples()
	ingest(t, ctx, db, coll, org, samples, 100)
	sql, err := os.ReadFile(filepath.Join("migrations", "0002_tlp_groups.sql"))
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(sql), "UPDATE objects SET tlp")
	end := strings.Index(string(sql)[start:], ";\n")
	if start < 0 || end < 0 {
		t.Fatal("no UPDATE of objects.tlp in migration 0002")
	}
	if err := db.Exec(ctx, `UPDATE objects SET tlp = 0`); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, string(sql)[start:start+end]); err != nil {
		t.Fatal(err)
	}
	p, err := db.Objects(ctx, coll, isachub.Unrestricted(), isachub.ObjectFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]stix.TLP{}
	for _, o := range samples {
		want[o.ID()] = stix.EffectiveTLP(o)
	}
	if len(p.Objects) != len(samples) {
		t.Fatalf("%d versions, want %d", len(p.Objects), len(samples))
	}
	for _, v := range p.Objects {
		if v.TLP != want[v.ID] {
			t.Errorf("%s (%s): migrated TLP %v, want %v", v.ID, v.Raw, v.TLP, want[v.ID])
		}
	}
}
