package postgres_test

import (
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/storetest"
)

// TestSearchIndexConcurrent searches one collection from two stores (two
// replicas) at once right after an ingest: every search indexes what is
// left first, the indexers take turns, each version is indexed once, and
// every search sees every object.
func TestSearchIndexConcurrent(t *testing.T) {
	dsn := freshSchema(t)
	a, b := openDSN(t, dsn), openDSN(t, dsn)
	ctx := t.Context()
	org, coll := setup(t, a)
	const n = 12000 // more than one indexing chunk
	ingest(t, a, coll.ID, org.ID, 0, n, 1000)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	found := make([]int, 4)
	for i := range errs {
		db := a
		if i%2 == 1 {
			db = b
		}
		wg.Go(func() {
			// Object 11999 is an indicator of the last batch.
			vs, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll.ID), isachub.SearchQuery{Text: "server number 11999", Limit: 10}))
			errs[i], found[i] = err, len(vs)
		})
	}
	wg.Wait()
	for i := range errs {
		if errs[i] != nil || found[i] != 1 {
			t.Errorf("search %d: %d results, error %v; want 1 result", i, found[i], errs[i])
		}
	}
	indexed, err := a.QueryInt64(ctx, `SELECT count(*) FROM object_search`)
	mustOK(t, err)
	distinct, err := a.QueryInt64(ctx, `SELECT count(DISTINCT (collection_id, date_added)) FROM object_search`)
	mustOK(t, err)
	if indexed != n || distinct != n {
		t.Errorf("object_search has %d rows, %d distinct versions; want %d", indexed, distinct, n)
	}
}

// TestSearchIndexBackground checks that the store indexes new versions by
// itself once writes pause, without a search asking for it.
func TestSearchIndexBackground(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	org, coll := setup(t, db)
	ingest(t, db, coll.ID, org.ID, 0, 300, 100)
	// A generous deadline: the indexer waits for a quiet second, and the
	// machine may be busy. This checks that indexing happens, not how fast.
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := db.QueryInt64(ctx, `SELECT count(*) FROM object_search`)
		mustOK(t, err)
		if n == 300 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the background indexer indexed %d of 300 versions in 30 s", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	until, err := db.QueryInt64(ctx, `SELECT indexed_until FROM search_progress WHERE collection_id = $1`, coll.ID)
	mustOK(t, err)
	last, err := db.QueryInt64(ctx, `SELECT max(date_added) FROM object_versions`)
	mustOK(t, err)
	if until != last {
		t.Errorf("indexed_until = %d, want the last date_added %d", until, last)
	}
}

// TestSearchIndexDelete checks that deleted versions leave the search index:
// DeleteObject, and DeleteCollection by cascade.
func TestSearchIndexDelete(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	org, coll := setup(t, db)
	ingest(t, db, coll.ID, org.ID, 0, 30, 30)
	vs, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll.ID), isachub.SearchQuery{Text: "malicious", Limit: 100}))
	mustOK(t, err)
	if len(vs) != 20 { // indicators are the objects not divisible by 3
		t.Fatalf("search found %d indicators, want 20", len(vs))
	}
	mustOK(t, db.DeleteObject(ctx, coll.ID, vs[0].ID, org.ID, isachub.ObjectFilter{}))
	count := func() int64 {
		t.Helper()
		n, err := db.QueryInt64(ctx, `SELECT count(*) FROM object_search`)
		mustOK(t, err)
		return n
	}
	if n := count(); n != 29 {
		t.Errorf("after DeleteObject object_search has %d rows, want 29", n)
	}
	mustOK(t, db.DeleteCollection(ctx, coll.CommunityID, coll.ID))
	if n := count(); n != 0 {
		t.Errorf("after DeleteCollection object_search has %d rows, want 0", n)
	}
}

// TestSearchIndexDeletedTail deletes the newest version of a collection
// before it is indexed: indexing must still reach the collection's last
// date_added, so that the collection is not left lagging forever.
func TestSearchIndexDeletedTail(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	org, coll := setup(t, db)
	ingest(t, db, coll.ID, org.ID, 0, 10, 10)
	page, err := db.Objects(ctx, coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{})
	mustOK(t, err)
	newest := page.Objects[len(page.Objects)-1]
	mustOK(t, db.DeleteObject(ctx, coll.ID, newest.ID, org.ID, isachub.ObjectFilter{}))
	vs, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll.ID), isachub.SearchQuery{Text: "malicious", Limit: 100}))
	mustOK(t, err)
	if len(vs) != 6 { // indicators 1, 2, 4, 5, 7, 8; 9 was a malware, deleted
		t.Errorf("search found %d indicators, want 6", len(vs))
	}
	until, err := db.QueryInt64(ctx, `SELECT indexed_until FROM search_progress WHERE collection_id = $1`, coll.ID)
	mustOK(t, err)
	last, err := db.QueryInt64(ctx, `SELECT last_date_added FROM collections WHERE id = $1`, coll.ID)
	mustOK(t, err)
	if until != last {
		t.Errorf("indexed_until = %d, want last_date_added %d", until, last)
	}
}

// TestDeleteCascade checks that deleting a collection, or the community
// that holds it, deletes its versions and their search index, although
// object_versions has no foreign key (migration 0004).
func TestDeleteCascade(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	org, coll := setup(t, db)
	other := newCollection(t, db)
	ingest(t, db, coll.ID, org.ID, 0, 20, 20)
	ingest(t, db, other, org.ID, 0, 10, 10)
	_, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll.ID, other), isachub.SearchQuery{Text: "malicious", Limit: 10}))
	mustOK(t, err)
	count := func(table string) int64 {
		t.Helper()
		n, err := db.QueryInt64(ctx, `SELECT count(*) FROM `+table)
		mustOK(t, err)
		return n
	}
	mustOK(t, db.DeleteCollection(ctx, coll.CommunityID, coll.ID))
	if v, s := count("object_versions"), count("object_search"); v != 10 || s != 10 {
		t.Fatalf("after DeleteCollection: %d versions, %d indexed; want the other collection's 10 and 10", v, s)
	}
	comms, err := db.Communities(ctx)
	mustOK(t, err)
	mustOK(t, db.DeleteCommunity(ctx, comms[0].Slug))
	if v, s := count("object_versions"), count("object_search"); v != 0 || s != 0 {
		t.Fatalf("after DeleteCommunity: %d versions, %d indexed; want 0", v, s)
	}
}

// TestSearchIndexUnparsable stores a version whose bytes no longer parse
// (as if a later, stricter parser refused them): indexing goes on past it,
// and search finds the other objects.
func TestSearchIndexUnparsable(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	org, coll := setup(t, db)
	ingest(t, db, coll.ID, org.ID, 0, 9, 9)
	// The background indexer waits for a quiet second: this runs first.
	mustOK(t, db.Exec(ctx, `UPDATE object_versions SET raw = '{"type":' WHERE date_added = (SELECT min(date_added) FROM object_versions)`))
	vs, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll.ID), isachub.SearchQuery{Text: "malicious", Limit: 100}))
	mustOK(t, err)
	if len(vs) != 6 { // indicators 1, 2, 4, 5, 7, 8; the broken one, 0, was a malware
		t.Errorf("search found %d indicators, want 6", len(vs))
	}
	indexed, err := db.QueryInt64(ctx, `SELECT count(*) FROM object_search`)
	mustOK(t, err)
	if indexed != 9 {
		t.Errorf("object_search has %d rows, want 9", indexed)
	}
}
