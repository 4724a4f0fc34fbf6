package sqlite_test

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/storetest"
)

// TestTwoHandlesOneFile writes to one database file through two DB handles
// at once, as the server and an "isachub" command would from two
// processes, while a reader pages with added_after: the write lock
// serialises the two writers, so date_added stays unique and every object
// is seen exactly once, in order.
func TestTwoHandlesOneFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "shared.db")
	a, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	org, coll := benchTenant(t, ctx, a)
	b, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	const perWriter, batch = 1500, 25
	var wg sync.WaitGroup
	for w, db := range []*sqlite.DB{a, b} {
		wg.Go(func() {
			base := w * perWriter
			for i := base; i < base+perWriter; i += batch {
				if _, err := db.AddObjects(ctx, coll, org, storetest.Indicators(i, i+batch)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	seen := map[string]bool{}
	var after, last time.Time
	finished := false
	for {
		select {
		case <-done:
			finished = true
		default:
		}
		page, err := b.Objects(ctx, coll, isachub.Unrestricted(), isachub.ObjectFilter{AddedAfter: after, Limit: 37})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Objects {
			if seen[v.ID] {
				t.Fatalf("%s seen twice", v.ID)
			}
			if !v.DateAdded.After(last) {
				t.Fatalf("date_added %v not after %v", v.DateAdded, last)
			}
			seen[v.ID], last = true, v.DateAdded
		}
		if len(page.Objects) > 0 {
			after = page.Objects[len(page.Objects)-1].DateAdded
		}
		if finished && !page.More && len(page.Objects) == 0 {
			break
		}
	}
	if len(seen) != 2*perWriter {
		t.Fatalf("saw %d objects, want %d", len(seen), 2*perWriter)
	}
}
