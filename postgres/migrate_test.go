package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/postgres"
	"github.com/isachub/isachub/storetest"
)

// TestMigrateConcurrent starts several stores on one fresh schema at once,
// as replicas do: each migration must be applied exactly once, and all of
// them must come up.
func TestMigrateConcurrent(t *testing.T) {
	dsn := freshSchema(t)
	ctx := context.Background()
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			db, err := postgres.Open(ctx, dsn)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			errs[i] = db.Migrate(ctx)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var total, distinct int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&total, &distinct); err != nil {
		t.Fatal(err)
	}
	if total == 0 || total != distinct {
		t.Errorf("schema_migrations has %d rows for %d versions, want each version once", total, distinct)
	}
}

// TestMigrateSearchIndex upgrades a database that has objects from
// migration 0002 (search words in object_versions) to 0003 (object_search
// filled by the indexer): the stored words move, the collection counts as
// indexed, and search finds the objects without indexing them again.
func TestMigrateSearchIndex(t *testing.T) {
	dsn := freshSchema(t)
	ctx := t.Context()
	old, err := postgres.OpenAt(ctx, dsn, 2)
	mustOK(t, err)
	org, coll := setupOld(t, old)
	for i, name := range []string{"Zeppelin ransomware", "Trojan family"} {
		err := old.Exec(ctx, `INSERT INTO object_versions (collection_id, date_added, id, type, spec_version, created, modified,
				version_ts, vkey, revoked, created_by_ref, markings, submitter_org_id, is_first, is_latest, spec_latest, raw, search)
			VALUES ($1, $2, $3, 'malware', '2.1', '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05.000Z',
				'2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000000Z', false, '', '{}', $4, true, true, true, $5,
				to_tsvector('simple', $6))`,
			coll, int64(1000+i), malware(t, i).ID(), org, malware(t, i).Raw(), name)
		mustOK(t, err)
	}
	mustOK(t, old.Exec(ctx, `UPDATE collections SET last_date_added = 1001 WHERE id = $1`, coll))
	old.Close()

	db := openDSN(t, dsn)
	indexed, err := db.QueryInt64(ctx, `SELECT count(*) FROM object_search`)
	mustOK(t, err)
	until, err := db.QueryInt64(ctx, `SELECT indexed_until FROM search_progress WHERE collection_id = $1`, coll)
	mustOK(t, err)
	if indexed != 2 || until != 1001 {
		t.Fatalf("after migration 0003: %d rows in object_search, indexed_until %d; want 2 and 1001", indexed, until)
	}
	vs, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll), isachub.SearchQuery{Text: "zeppelin", Limit: 10}))
	mustOK(t, err)
	if len(vs) != 1 || vs[0].ID != malware(t, 0).ID() {
		t.Fatalf("search for zeppelin after migration = %+v, want %s", vs, malware(t, 0).ID())
	}
}

// TestMigrateAnonymous upgrades a database with communities, an
// organisation and a collection from migration 0004 to 0005: each
// community gets its own random 32-byte secret, and the new columns take
// their defaults (sealed record, not staff, nothing to redact, neither
// anonymous nor moderated).
func TestMigrateAnonymous(t *testing.T) {
	dsn := freshSchema(t)
	ctx := t.Context()
	old, err := postgres.OpenAt(ctx, dsn, 4)
	mustOK(t, err)
	setupOld(t, old)
	old.Close()

	db := openDSN(t, dsn)
	cs, err := db.Communities(ctx)
	if err != nil || len(cs) != 2 {
		t.Fatalf("Communities = %v, %v", cs, err)
	}
	for _, c := range cs {
		if len(c.AnonSecret) != 32 || c.SubmitterRecord != "" || c.Record() != "sealed" {
			t.Fatalf("after migration 0005 community %s has secret %x, policy %q", c.Slug, c.AnonSecret, c.SubmitterRecord)
		}
	}
	if string(cs[0].AnonSecret) == string(cs[1].AnonSecret) {
		t.Fatal("migration 0005 gave two communities the same secret")
	}
	o, err := db.OrgByID(ctx, 1)
	if err != nil || o.Staff || !o.Redaction.Empty() {
		t.Fatalf("after migration 0005: organisation %+v, %v", o, err)
	}
	c, err := db.Collection(ctx, 1, "91a7b528-80eb-42ed-a74d-c6fbd5a26116")
	if err != nil || c.Anonymous || c.Moderated || !c.ReadAll {
		t.Fatalf("after migration 0005: collection %+v, %v", c, err)
	}
}

// setupOld stores two communities (ids 1 and 2), an organisation (id 1) and
// a collection that every member may read and write in the first, in a
// database migrated to an older version than the store's code writes, and
// returns the organisation's and the collection's ids.
func setupOld(tb testing.TB, db *postgres.DB) (int64, string) {
	tb.Helper()
	const coll = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
	for _, q := range []string{
		`INSERT INTO communities (id, slug, title, created_at) VALUES (1, 'aviation', 'Aviation ISAC', now()), (2, 'energy', 'Energy ISAC', now())`,
		`INSERT INTO orgs (id, community_id, slug, name, created_at) VALUES (1, 1, 'acme', 'Acme Air', now())`,
		`INSERT INTO collections (id, community_id, title, read_all, write_all, created_at) VALUES ('` + coll + `', 1, 'Shared', true, true, now())`,
	} {
		if err := db.Exec(tb.Context(), q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
	return 1, coll
}
