package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub/postgres"
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
	org, coll := setup(t, old)
	for i, name := range []string{"Zeppelin ransomware", "Trojan family"} {
		err := old.Exec(ctx, `INSERT INTO object_versions (collection_id, date_added, id, type, spec_version, created, modified,
				version_ts, vkey, revoked, created_by_ref, markings, submitter_org_id, is_first, is_latest, spec_latest, raw, search)
			VALUES ($1, $2, $3, 'malware', '2.1', '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05.000Z',
				'2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000000Z', false, '', '{}', $4, true, true, true, $5,
				to_tsvector('simple', $6))`,
			coll.ID, int64(1000+i), malware(t, i).ID(), org.ID, malware(t, i).Raw(), name)
		mustOK(t, err)
	}
	mustOK(t, old.Exec(ctx, `UPDATE collections SET last_date_added = 1001 WHERE id = $1`, coll.ID))
	old.Close()

	db := openDSN(t, dsn)
	indexed, err := db.QueryInt64(ctx, `SELECT count(*) FROM object_search`)
	mustOK(t, err)
	until, err := db.QueryInt64(ctx, `SELECT indexed_until FROM search_progress WHERE collection_id = $1`, coll.ID)
	mustOK(t, err)
	if indexed != 2 || until != 1001 {
		t.Fatalf("after migration 0003: %d rows in object_search, indexed_until %d; want 2 and 1001", indexed, until)
	}
	vs, err := db.SearchObjects(ctx, []string{coll.ID}, "zeppelin", 10, nil)
	mustOK(t, err)
	if len(vs) != 1 || vs[0].ID != malware(t, 0).ID() {
		t.Fatalf("search for zeppelin after migration = %+v, want %s", vs, malware(t, 0).ID())
	}
}
