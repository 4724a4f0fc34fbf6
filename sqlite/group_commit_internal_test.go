package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestGroupCommit: writes that queue behind a running one are committed
// together, yet each keeps its own outcome: the one that fails leaves
// nothing behind, the others are all there, a cancelled one never runs,
// and a panic in one becomes its error without stopping the queue.
func TestGroupCommit(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.wr.Exec(`CREATE TABLE scratch (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	insert := func(x int) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO scratch (x) VALUES (?)`, x)
			return err
		}
	}
	errRefused := errors.New("refused")
	release := make(chan struct{})
	started := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]error, 6)
	// The first write holds the writer until the others are queued.
	wg.Go(func() {
		results[0] = db.write(t.Context(), func(tx *sql.Tx) error {
			close(started)
			<-release
			return insert(1)(tx)
		})
	})
	<-started
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	queued := []struct {
		ctx context.Context
		fn  func(tx *sql.Tx) error
	}{
		{t.Context(), insert(2)},
		{t.Context(), func(tx *sql.Tx) error { insert(3)(tx); return errRefused }},
		{cancelled, insert(4)},
		{t.Context(), func(tx *sql.Tx) error { insert(5)(tx); panic("boom") }},
		{t.Context(), insert(6)},
	}
	for i, q := range queued {
		wg.Go(func() { results[i+1] = db.write(q.ctx, q.fn) })
	}
	for {
		db.wq.mu.Lock()
		n := len(db.wq.pending)
		db.wq.mu.Unlock()
		if n == len(queued) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for i, want := range []error{nil, nil, errRefused, context.Canceled, nil, nil} {
		if i == 4 {
			if results[i] == nil {
				t.Errorf("write 5 panicked and reported no error")
			}
			continue
		}
		if !errors.Is(results[i], want) {
			t.Errorf("write %d: %v, want %v", i+1, results[i], want)
		}
	}
	rows, err := db.wr.Query(`SELECT x FROM scratch ORDER BY x`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []int
	for rows.Next() {
		var x int
		rows.Scan(&x)
		got = append(got, x)
	}
	if want := []int{1, 2, 6}; !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v: a failed write left rows, or a good one lost its", got, want)
	}
}
