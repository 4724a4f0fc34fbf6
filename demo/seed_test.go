package demo_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/demo"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/stix"
)

func plain(pw string) (string, error) { return "hash:" + pw, nil }

// TestSeedHistory: on SQLite the demo's objects arrive spread over the
// last 90 days, date_added never going back in a collection, the last
// before now; seeding again adds nothing; a multi-organisation sighting
// and the discussion are there.
func TestSeedHistory(t *testing.T) {
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := demo.Seed(ctx, db, plain)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	types := map[string]int{}
	page, err := db.Objects(ctx, res.Collections[demo.Shared].ID, isachub.Unrestricted(),
		isachub.ObjectFilter{Versions: []string{"all"}, Limit: isachub.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	var first, last time.Time
	for i, v := range page.Objects {
		if i > 0 && !v.DateAdded.After(last) {
			t.Fatalf("date_added goes back at %s: %s after %s", v.ID, v.DateAdded, last)
		}
		if i == 0 {
			first = v.DateAdded
		}
		last = v.DateAdded
		types[v.Type]++
	}
	if span := last.Sub(first); span < 80*24*time.Hour || !last.Before(now) {
		t.Fatalf("the demo's history spans %s, ending %s (now %s)", span, last, now)
	}
	for _, typ := range []string{"note", "opinion", "sighting", "report"} {
		if types[typ] == 0 {
			t.Errorf("the demo has no %s", typ)
		}
	}
	again, err := demo.Seed(ctx, db, plain)
	if err != nil || again.Created != 0 {
		t.Fatalf("seeding again: %+v, %v", again, err)
	}
	// The clock is the real one again.
	obj, err := stix.ParseObject([]byte(`{"type":"malware","spec_version":"2.1","id":"malware--00000000-0000-4000-8000-0000000000aa","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"After the demo","is_family":true}`))
	if err != nil {
		t.Fatal(err)
	}
	orgs, err := db.Orgs(ctx, res.Community.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddObjects(ctx, res.Collections[demo.Shared].ID, orgs[0].ID, []*stix.Object{obj}); err != nil {
		t.Fatal(err)
	}
	page, err = db.Objects(ctx, res.Collections[demo.Shared].ID, isachub.Unrestricted(), isachub.ObjectFilter{IDs: []string{obj.ID()}})
	if err != nil || len(page.Objects) != 1 {
		t.Fatalf("the new object: %v", err)
	}
	if d := page.Objects[0].DateAdded; d.Before(now.Add(-time.Minute)) {
		t.Fatalf("an object added after the demo has date_added %s, before now", d)
	}
}
