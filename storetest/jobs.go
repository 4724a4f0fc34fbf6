package storetest

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
)

func testJobs(t *testing.T, s isachub.Store) {
	ctx := t.Context()
	now := time.Now()
	j1 := &isachub.Job{Kind: "webhook", Payload: json.RawMessage(`{"url":"https://siem.example/hook"}`), RunAt: now.Add(-time.Minute)}
	j2 := &isachub.Job{Kind: "webhook", Payload: json.RawMessage(`{"n":2}`)}
	future := &isachub.Job{Kind: "webhook", Payload: json.RawMessage(`{"n":3}`), RunAt: now.Add(time.Hour)}
	other := &isachub.Job{Kind: "email", Payload: json.RawMessage(`{}`)}
	for _, j := range []*isachub.Job{j1, j2, future, other} {
		mustOK(t, s.EnqueueJob(ctx, j))
		if j.ID == 0 || j.CreatedAt.IsZero() {
			t.Fatalf("EnqueueJob did not set ID/CreatedAt: %+v", j)
		}
	}
	got, err := s.ClaimJobs(ctx, "webhook", 10, time.Minute)
	mustOK(t, err)
	if len(got) != 2 || got[0].ID != j1.ID || got[1].ID != j2.ID {
		t.Fatalf("ClaimJobs = %+v, want the two due webhooks, oldest first", got)
	}
	if string(got[0].Payload) != `{"url":"https://siem.example/hook"}` || got[0].Kind != "webhook" || got[0].Attempts != 1 ||
		got[0].RunAt.Sub(j1.RunAt).Abs() > time.Microsecond {
		t.Fatalf("claimed job = %+v", got[0])
	}
	t.Run("LeasedNotClaimedAgain", func(t *testing.T) {
		again, err := s.ClaimJobs(ctx, "webhook", 10, time.Minute)
		mustOK(t, err)
		if len(again) != 0 {
			t.Fatalf("leased jobs were claimed again: %+v", again)
		}
	})
	t.Run("FinishOK", func(t *testing.T) {
		mustOK(t, s.FinishJob(ctx, j2.ID, "", time.Time{}))
		wantCode(t, s.FinishJob(ctx, j2.ID, "", time.Time{}), isachub.ENOTFOUND)
	})
	t.Run("FinishFailedRetries", func(t *testing.T) {
		mustOK(t, s.FinishJob(ctx, j1.ID, "HTTP 503 from siem.example", time.Now().Add(-time.Second)))
		again, err := s.ClaimJobs(ctx, "webhook", 10, time.Minute)
		mustOK(t, err)
		if len(again) != 1 || again[0].ID != j1.ID || again[0].LastError != "HTTP 503 from siem.example" || again[0].Attempts != 2 {
			t.Fatalf("retried job = %+v", again)
		}
		mustOK(t, s.FinishJob(ctx, j1.ID, "again", time.Now().Add(time.Hour)))
		none, err := s.ClaimJobs(ctx, "webhook", 10, time.Minute)
		mustOK(t, err)
		if len(none) != 0 {
			t.Fatalf("a job scheduled for later was claimed: %+v", none)
		}
	})
	t.Run("LeaseExpires", func(t *testing.T) {
		got, err := s.ClaimJobs(ctx, "email", 1, 20*time.Millisecond)
		mustOK(t, err)
		if len(got) != 1 {
			t.Fatalf("claimed %d email jobs", len(got))
		}
		time.Sleep(50 * time.Millisecond)
		again, err := s.ClaimJobs(ctx, "email", 1, time.Minute)
		mustOK(t, err)
		if len(again) != 1 || again[0].ID != other.ID || again[0].Attempts != 2 {
			t.Fatalf("an expired lease was not claimable: %+v", again)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		wantCode(t, s.FinishJob(ctx, 987654, "x", time.Now()), isachub.ENOTFOUND)
		wantCode(t, s.EnqueueJob(ctx, &isachub.Job{Payload: json.RawMessage(`{}`)}), isachub.EINVALID)
		none, err := s.ClaimJobs(ctx, "webhook", 0, time.Minute)
		mustOK(t, err)
		if len(none) != 0 {
			t.Fatalf("ClaimJobs(n=0) = %+v", none)
		}
	})
}

// testJobsConcurrentClaims has several workers claim at once: every job is
// claimed exactly once.
func testJobsConcurrentClaims(t *testing.T, s isachub.Store) {
	ctx := t.Context()
	const jobs, workers = 200, 4
	for i := range jobs {
		mustOK(t, s.EnqueueJob(ctx, &isachub.Job{Kind: "fanout", Payload: json.RawMessage(`{"i":` + string(rune('0'+i%10)) + `}`)}))
	}
	var mu sync.Mutex
	claimed := map[int64]int{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for {
				got, err := s.ClaimJobs(ctx, "fanout", 7, time.Hour)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, j := range got {
					claimed[j.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(claimed) != jobs {
		t.Fatalf("%d distinct jobs claimed, want %d", len(claimed), jobs)
	}
	for id, n := range claimed {
		if n != 1 {
			t.Fatalf("job %d claimed %d times", id, n)
		}
	}
}
