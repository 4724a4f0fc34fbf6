package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// TestWriterWaitsForCollectionLock shows the mechanism that keeps date_added
// in commit order: while another transaction holds the collection's row
// lock (as a writer does until it commits), AddObjects to that collection
// waits, and the date_added it then assigns is after everything committed
// before. Writers to another collection do not wait.
func TestWriterWaitsForCollectionLock(t *testing.T) {
	dsn := freshSchema(t)
	ctx := t.Context()
	db := openDSN(t, dsn)
	org, coll := setup(t, db)
	other := newCollection(t, db)
	ingest(t, db, coll.ID, org.ID, 0, 10, 10)

	conn, err := pgx.Connect(ctx, dsn)
	mustOK(t, err)
	defer conn.Close(context.Background())
	tx, err := conn.Begin(ctx)
	mustOK(t, err)
	defer tx.Rollback(context.Background())
	var last int64
	mustOK(t, tx.QueryRow(ctx, `SELECT last_date_added FROM collections WHERE id = $1 FOR UPDATE`, coll.ID).Scan(&last))

	// Another collection is not blocked.
	_, err = db.AddObjects(ctx, other, org.ID, []*stix.Object{indicator(t, 100)})
	mustOK(t, err)

	type result struct {
		res []isachub.AddResult
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := db.AddObjects(ctx, coll.ID, org.ID, []*stix.Object{indicator(t, 101)})
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		t.Fatalf("AddObjects finished while another transaction held the collection lock: %+v", r)
	case <-time.After(300 * time.Millisecond):
	}
	// The lock holder commits a larger last_date_added (as a writer that
	// assigned date_added values up to it would); the waiting writer must
	// continue after it.
	mustOK(t, tx.QueryRow(ctx, `UPDATE collections SET last_date_added = last_date_added + 60000000
		WHERE id = $1 RETURNING last_date_added`, coll.ID).Scan(&last))
	mustOK(t, tx.Commit(ctx))
	var r result
	select {
	case r = <-done:
	case <-time.After(time.Minute):
		t.Fatal("AddObjects did not finish after the lock was released")
	}
	mustOK(t, r.err)
	mustOK(t, r.res[0].Err)
	page, err := db.Objects(ctx, coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{IDs: []string{indicator(t, 101).ID()}})
	mustOK(t, err)
	if len(page.Objects) != 1 || page.Objects[0].DateAdded.UnixMicro() <= last {
		t.Fatalf("date_added %v is not after the committed last_date_added %v", page.Objects[0].DateAdded, time.UnixMicro(last).UTC())
	}
}
