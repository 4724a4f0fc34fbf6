package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
	"sync"
)

// Group commit. Every write of the store is one transaction on the single
// writer connection, and with synchronous=FULL each commit waits for the
// disk (an fsync of the WAL): with several clients posting at once, that
// wait, not the CPU, bounded ingest (issue 13 item 6). Writes that queue up
// while one is running are therefore run together, each in its own
// SAVEPOINT of one transaction, and committed with one fsync. Each keeps
// its own outcome: a write that fails is rolled back to its savepoint
// without touching the others, and none is acknowledged before the commit
// that makes it durable.

// maxGroup bounds the writes committed together, so that one commit stays
// short for the readers of the WAL and for the first writer's latency.
const maxGroup = 16

// writeReq is one write waiting for the writer.
type writeReq struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	done chan error
}

// writeQueue holds the writes waiting; the first writer to find no leader
// becomes it and runs the queue until it is empty.
type writeQueue struct {
	mu      sync.Mutex
	pending []*writeReq
	leading bool
}

// write runs fn in an IMMEDIATE transaction on the writer connection and
// returns once that transaction is committed (fn returned nil) or fn's
// changes are rolled back (it returned an error).
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	q := &db.wq
	q.mu.Lock()
	q.pending = append(q.pending, req)
	if q.leading {
		q.mu.Unlock()
		return <-req.done
	}
	q.leading = true
	for len(q.pending) > 0 {
		n := min(len(q.pending), maxGroup)
		group := q.pending[:n:n]
		q.pending = q.pending[n:]
		q.mu.Unlock()
		db.runGroup(group)
		q.mu.Lock()
	}
	q.pending = nil
	q.leading = false
	q.mu.Unlock()
	return <-req.done
}

// runGroup runs the writes in one transaction and answers each.
func (db *DB) runGroup(group []*writeReq) {
	if len(group) == 1 {
		req := group[0]
		req.done <- db.writeOne(req.ctx, req.fn)
		return
	}
	tx, err := db.wr.BeginTx(context.Background(), nil)
	if err != nil {
		for _, req := range group {
			req.done <- internal("begin write transaction", err)
		}
		return
	}
	errs := make([]error, len(group))
	for i, req := range group {
		if errs[i] = req.ctx.Err(); errs[i] != nil {
			continue
		}
		if _, err := tx.Exec(`SAVEPOINT w`); err != nil {
			db.abortGroup(tx, group, errs, internal("savepoint", err))
			return
		}
		if errs[i] = runFn(req.fn, tx); errs[i] != nil {
			if _, err := tx.Exec(`ROLLBACK TO w`); err != nil {
				db.abortGroup(tx, group, errs, internal("rollback to savepoint", err))
				return
			}
		}
		if _, err := tx.Exec(`RELEASE w`); err != nil {
			db.abortGroup(tx, group, errs, internal("release savepoint", err))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		db.abortGroup(nil, group, errs, internal("commit", err))
		return
	}
	for i, req := range group {
		req.done <- errs[i]
	}
}

// abortGroup rolls back a group's transaction (when tx is not nil) and
// answers every write that had not already failed with err: nothing of
// the group was committed.
func (db *DB) abortGroup(tx *sql.Tx, group []*writeReq, errs []error, err error) {
	if tx != nil {
		tx.Rollback()
	}
	for i, req := range group {
		if errs[i] == nil {
			errs[i] = err
		}
		req.done <- errs[i]
	}
}

// writeOne runs fn alone in one transaction and commits it when fn
// returns nil.
func (db *DB) writeOne(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin write transaction", err)
	}
	if err := runFn(fn, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// runFn runs fn, turning a panic into an internal error: the leader runs
// other callers' writes, and a panic must neither reach them nor leave the
// queue without a leader.
func runFn(fn func(tx *sql.Tx) error, tx *sql.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("sqlite: panic in a write transaction: %v\n%s", v, debug.Stack())
		}
	}()
	return fn(tx)
}
