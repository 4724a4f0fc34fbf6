package sqlite_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

func TestMigrate(t *testing.T) {
	want := make([]int, sqlite.SchemaVersion())
	for i := range want {
		want[i] = i + 1
	}
	if len(want) == 0 {
		t.Fatal("no embedded migrations")
	}
	t.Run("OK", func(t *testing.T) {
		db := openTemp(t)
		got, err := db.AppliedMigrations(t.Context())
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("AppliedMigrations = %v, %v; want %v", got, err, want)
		}
		// Idempotent.
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		got, _ = db.AppliedMigrations(t.Context())
		if !slices.Equal(got, want) {
			t.Fatalf("after a second Migrate: %v", got)
		}
	})
	t.Run("ConcurrentOpen", func(t *testing.T) {
		// Several processes (here: handles) starting at once on a new file
		// apply each migration exactly once.
		path := filepath.Join(t.TempDir(), "race.db")
		var wg sync.WaitGroup
		errs := make([]error, 4)
		dbs := make([]*sqlite.DB, 4)
		for i := range dbs {
			wg.Go(func() { dbs[i], errs[i] = sqlite.Open(t.Context(), path) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("handle %d: %v", i, err)
			}
			defer dbs[i].Close()
		}
		got, err := dbs[0].AppliedMigrations(t.Context())
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("AppliedMigrations = %v, %v; want %v", got, err, want)
		}
	})
	t.Run("ErrNotADatabase", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.txt")
		if err := os.WriteFile(path, []byte("this is not an SQLite database, just some text that is long enough to have a header\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if db, err := sqlite.Open(t.Context(), path); err == nil {
			db.Close()
			t.Fatal("Open accepted a text file")
		}
	})
	t.Run("ErrNoDirectory", func(t *testing.T) {
		if db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "missing", "dir", "x.db")); err == nil {
			db.Close()
			t.Fatal("Open created a database in a missing directory")
		}
	})
	t.Run("ErrEmptyPath", func(t *testing.T) {
		if _, err := sqlite.Open(t.Context(), ""); err == nil {
			t.Fatal("Open accepted an empty path")
		}
	})
}

// TestMigrateAnonymous upgrades a database with communities, an
// organisation and a collection from migration 0002 to 0003: each
// community gets its own random 32-byte secret, and the new columns take
// their defaults (sealed record, not staff, nothing to redact, neither
// anonymous nor moderated).
// TestReady: a migrated database is ready; one that a newer binary
// migrated further is not (CheckSchema's other cases are the root
// package's tests).
func TestReady(t *testing.T) {
	ctx := t.Context()
	db := openTemp(t)
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("Ready after Open = %v", err)
	}
	if err := db.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 1)`); err != nil {
		t.Fatal(err)
	}
	if err := db.Ready(ctx); err == nil || !strings.Contains(isachub.ErrorMessage(err), "newer isachub") {
		t.Fatalf("Ready with a migration from a newer binary = %v", err)
	}
}

func TestMigrateAnonymous(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sqlite.OpenAt(ctx, path, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO communities (id, slug, title, created_at) VALUES (1, 'aviation', 'Aviation ISAC', 1), (2, 'energy', 'Energy ISAC', 1)`,
		`INSERT INTO orgs (id, community_id, slug, name, created_at) VALUES (1, 1, 'acme', 'Acme Air', 1)`,
		`INSERT INTO collections (pk, id, community_id, title, read_all, created_at)
			VALUES (1, '91a7b528-80eb-42ed-a74d-c6fbd5a26116', 1, 'Shared', 1, 1)`,
	} {
		if err := old.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs, err := db.Communities(ctx)
	if err != nil || len(cs) != 2 {
		t.Fatalf("Communities = %v, %v", cs, err)
	}
	for _, c := range cs {
		if len(c.AnonSecret) != 32 || c.SubmitterRecord != "" || c.Record() != "sealed" {
			t.Fatalf("after migration 0003 community %s has secret %x, policy %q", c.Slug, c.AnonSecret, c.SubmitterRecord)
		}
	}
	if string(cs[0].AnonSecret) == string(cs[1].AnonSecret) {
		t.Fatal("migration 0003 gave two communities the same secret")
	}
	o, err := db.OrgByID(ctx, 1)
	if err != nil || o.Staff || !o.Redaction.Empty() {
		t.Fatalf("after migration 0003: organisation %+v, %v", o, err)
	}
	c, err := db.Collection(ctx, 1, "91a7b528-80eb-42ed-a74d-c6fbd5a26116")
	if err != nil || c.Anonymous || c.Moderated || !c.ReadAll {
		t.Fatalf("after migration 0003: collection %+v, %v", c, err)
	}
}

// TestMigrateRefCounts upgrades a database with relationships from
// migration 0008 to 0009: the ranking counts what was stored before, as
// it will count what arrives (one count per latest version, not per
// property, none for a version a newer one replaced).
func TestMigrateRefCounts(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sqlite.OpenAt(ctx, path, 8)
	if err != nil {
		t.Fatal(err)
	}
	comm := &isachub.Community{Slug: "aviation", Title: "Aviation ISAC"}
	if err := old.CreateCommunity(ctx, comm); err != nil {
		t.Fatal(err)
	}
	org := &isachub.Org{CommunityID: comm.ID, Slug: "acme", Name: "Acme Air"}
	if err := old.CreateOrg(ctx, org); err != nil {
		t.Fatal(err)
	}
	coll := &isachub.Collection{CommunityID: comm.ID, Title: "Shared", ReadAll: true, WriteAll: true}
	// Today's CreateCollection checks that no feed (migration 10) has the
	// id: a stand-in table, gone before the migrations run on.
	if err := old.Exec(ctx, `CREATE TABLE feeds (id TEXT)`); err != nil {
		t.Fatal(err)
	}
	if err := old.CreateCollection(ctx, coll); err != nil {
		t.Fatal(err)
	}
	if err := old.Exec(ctx, `DROP TABLE feeds`); err != nil {
		t.Fatal(err)
	}
	mal1, mal2 := storetest.MalwareID(1), storetest.MalwareID(2)
	rel := func(i int, modified, source, target string) *stix.Object {
		o, err := stix.ParseObject(fmt.Appendf(nil, `{"type":"relationship","spec_version":"2.1","id":"relationship--%s",
			"created":"2026-01-01T00:00:00Z","modified":%q,"relationship_type":"uses","source_ref":%q,"target_ref":%q}`,
			storetest.UUID(7, i), modified, source, target))
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	if _, err := old.AddObjects(ctx, coll.ID, org.ID, []*stix.Object{
		rel(1, "2026-01-01T00:00:00Z", storetest.IndicatorID(1), mal1),
		rel(2, "2026-01-01T00:00:00Z", mal1, mal1),
		rel(3, "2026-01-01T00:00:00Z", storetest.IndicatorID(1), mal2),
		rel(3, "2026-01-02T00:00:00Z", storetest.IndicatorID(1), mal1),
	}); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rank, err := db.MostReferenced(ctx, map[string]isachub.Visibility{coll.ID: isachub.Unrestricted()},
		[]string{"malware"}, time.Now().AddDate(0, 0, -2), 10)
	if err != nil || !slices.Equal(rank, []isachub.ReferenceCount{{ID: mal1, Count: 3}}) {
		t.Fatalf("after migration 0009, most referenced = %v, %v; want %s 3 times", rank, err, mal1)
	}
}
