package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// testConcurrentPaging proves that no page is ever skipped (issue 4, TAXII
// 2.1 section 3.4): several writers add objects to one collection in many
// small concurrent transactions while two readers page through it, one
// with next (falling back to added_after when a page has no next), one with
// added_after = the last date_added it saw. Once the writers are done and a
// reader's final page is empty, each reader must have seen every
// acknowledged object exactly once, in increasing date_added order.
//
// On PostgreSQL this is the case where transaction A takes date_added t1,
// B takes t2 > t1 and commits first: a reader that then pages from t2 must
// still see A's object, so the store must not let t1 commit after t2.
func testConcurrentPaging(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	const (
		writers   = 4
		batches   = 50
		perBatch  = 5
		pageLimit = 7
		deadline  = 2 * time.Minute // a bound, not a performance check
	)
	acked := make([][]string, writers)
	werrs := make([]error, writers)
	var active atomic.Int32
	active.Store(writers)
	var wg sync.WaitGroup
	for w := range writers {
		org := f.orgA.ID
		if w%2 == 1 {
			org = f.orgB.ID
		}
		wg.Go(func() {
			defer active.Add(-1)
			for b := range batches {
				objs := make([]*stix.Object, perBatch)
				for i := range objs {
					objs[i] = Indicator((w*batches+b)*perBatch + i)
				}
				res, err := s.AddObjects(ctx, f.coll.ID, org, objs)
				if err != nil {
					werrs[w] = err
					return
				}
				for _, r := range res {
					if r.Err != nil {
						werrs[w] = fmt.Errorf("%s: %w", r.ID, r.Err)
						return
					}
					acked[w] = append(acked[w], r.ID)
				}
			}
		})
	}

	type reader struct {
		name     string
		useNext  bool
		seen     []*isachub.ObjectVersion
		err      error
		requests int
	}
	readers := []*reader{{name: "next", useNext: true}, {name: "added_after"}}
	stop := time.Now().Add(deadline)
	var rg sync.WaitGroup
	for _, r := range readers {
		rg.Go(func() {
			filter := isachub.ObjectFilter{Limit: pageLimit}
			for {
				if time.Now().After(stop) {
					r.err = fmt.Errorf("still paging after %v (%d requests)", deadline, r.requests)
					return
				}
				// Read whether the writers were done before the request,
				// so that an empty page really is the final one.
				finished := active.Load() == 0
				page, err := s.Objects(ctx, f.coll.ID, isachub.Unrestricted(), filter)
				r.requests++
				if err != nil {
					r.err = err
					return
				}
				r.seen = append(r.seen, page.Objects...)
				if r.useNext && page.More {
					filter.Next = page.Next
					continue
				}
				if len(page.Objects) == 0 && !page.More {
					if finished {
						return
					}
					time.Sleep(time.Millisecond)
				}
				if n := len(r.seen); n > 0 {
					filter = isachub.ObjectFilter{Limit: pageLimit, AddedAfter: r.seen[n-1].DateAdded}
				}
			}
		})
	}
	wg.Wait()
	rg.Wait()

	want := map[string]bool{}
	for w := range writers {
		if werrs[w] != nil {
			t.Fatalf("writer %d: %v", w, werrs[w])
		}
		for _, id := range acked[w] {
			want[id] = true
		}
	}
	if len(want) != writers*batches*perBatch {
		t.Fatalf("writers acknowledged %d distinct objects, want %d", len(want), writers*batches*perBatch)
	}
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			if r.err != nil {
				t.Fatal(r.err)
			}
			got := map[string]bool{}
			for i, v := range r.seen {
				if got[v.ID] {
					t.Fatalf("%s seen twice (at %d)", v.ID, i)
				}
				got[v.ID] = true
				if !want[v.ID] {
					t.Fatalf("%s seen but never acknowledged", v.ID)
				}
				if i > 0 && !v.DateAdded.After(r.seen[i-1].DateAdded) {
					t.Fatalf("date_added out of order at %d: %v after %v", i, v.DateAdded, r.seen[i-1].DateAdded)
				}
			}
			if len(got) != len(want) {
				t.Fatalf("saw %d of %d acknowledged objects in %d requests: a page was skipped", len(got), len(want), r.requests)
			}
		})
	}
}
