package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/storetest"
)

// crashEnv names the database a re-executed test binary ingests into.
const crashEnv = "ISACHUB_CRASH_DB"

// crashBatch is the size of the child's AddObjects batches.
const crashBatch = 500

// TestCrashIngest kills (SIGKILL) a process in the middle of a bulk ingest,
// several times, and checks after each kill that every batch the process
// had acknowledged is in the database, that the database passes
// integrity_check, and that it takes new writes.
func TestCrashIngest(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(t, path)
		return
	}
	if testing.Short() {
		t.Skip("the crash test starts child processes; skipped in -short mode")
	}
	// FULL is the default; NORMAL is measured by BenchmarkIngest, and must
	// survive a process crash too.
	for _, mode := range []string{"FULL", "NORMAL"} {
		t.Run("sync="+mode, func(t *testing.T) { crashTest(t, mode) })
	}
}

func crashTest(t *testing.T, mode string) {
	defer sqlite.SetWriterSync(mode)()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	org, coll := benchTenant(t, ctx, db)
	db.Close()

	acked := map[string]bool{}
	next := 0
	for round := range 3 {
		// Kill after a few acknowledged batches, at a different point of the
		// next batch each round.
		killAfter := 2 + round
		delay := time.Duration(round*7) * time.Millisecond
		from, to := crashRound(t, path, mode, next, killAfter, delay)
		for i := from; i < to; i++ {
			acked[storetest.IndicatorID(i)] = true
		}
		if to <= from {
			t.Fatalf("round %d: the child acknowledged nothing", round)
		}
		next = to + crashBatch // the batch in flight may or may not be there

		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatalf("round %d: reopening after the kill: %v", round, err)
		}
		if res, err := db.QueryString(ctx, "PRAGMA integrity_check"); err != nil || res != "ok" {
			t.Fatalf("round %d: integrity_check = %q, %v", round, res, err)
		}
		seen := map[string]bool{}
		f := isachub.ObjectFilter{Limit: 1000}
		for {
			page, err := db.Objects(ctx, coll, isachub.Unrestricted(), f)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range page.Objects {
				seen[v.ID] = true
			}
			if !page.More {
				break
			}
			f.Next = page.Next
		}
		for id := range acked {
			if !seen[id] {
				t.Fatalf("round %d: acknowledged object %s is missing after the kill", round, id)
			}
		}
		// A batch is one transaction: the one in flight at the kill is
		// there whole or not at all (each earlier round added one object).
		if (len(seen)-round)%crashBatch != 0 {
			t.Fatalf("round %d: %d objects (less %d written between rounds) is not whole batches of %d", round, len(seen), round, crashBatch)
		}
		res, err := db.AddObjects(ctx, coll, org, storetest.Indicators(1_000_000+round, 1_000_001+round))
		if err != nil || res[0].Err != nil {
			t.Fatalf("round %d: writing after the kill: %v %v", round, err, res)
		}
		found, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll), isachub.SearchQuery{Text: "Malicious", Limit: 5}))
		if err != nil || len(found) == 0 {
			t.Fatalf("round %d: search after the kill: %v, %d results", round, err, len(found))
		}
		db.Close()
		t.Logf("round %d: %d acknowledged objects all present (database holds %d)", round, len(acked), len(seen))
	}
}

// crashRound runs a child that ingests batches from index from on, waits
// for killAfter acknowledgements, kills it after delay, and returns the
// range of indexes acknowledged.
func crashRound(t *testing.T, path, mode string, from, killAfter int, delay time.Duration) (int, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashIngest$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path, "ISACHUB_CRASH_FROM="+strconv.Itoa(from), "ISACHUB_CRASH_SYNC="+mode)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	to := from
	sc := bufio.NewScanner(out)
	acks := 0
	killed := false
	for sc.Scan() {
		line := sc.Text()
		n, ok := strings.CutPrefix(line, "ACK ")
		if !ok {
			continue
		}
		end, err := strconv.Atoi(n)
		if err != nil {
			t.Fatalf("child said %q", line)
		}
		to = end
		acks++
		if acks == killAfter && !killed {
			time.Sleep(delay)
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("the child ended before it was killed: %v", err)
	}
	return from, to
}

// crashChild is the re-executed test binary: it adds batches of
// indicators until killed, printing "ACK <end>" after each AddObjects
// returns.
func crashChild(t *testing.T, path string) {
	ctx := context.Background()
	from, _ := strconv.Atoi(os.Getenv("ISACHUB_CRASH_FROM"))
	if mode := os.Getenv("ISACHUB_CRASH_SYNC"); mode != "" {
		defer sqlite.SetWriterSync(mode)()
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	colls, err := db.Collections(ctx, 1)
	if err != nil || len(colls) != 1 {
		t.Fatalf("collections: %v", err)
	}
	orgs, err := db.Orgs(ctx, 1)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("orgs: %v", err)
	}
	for i := from; i < from+200*crashBatch; i += crashBatch {
		res, err := db.AddObjects(ctx, colls[0].ID, orgs[0].ID, storetest.Indicators(i, i+crashBatch))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
		}
		fmt.Printf("ACK %d\n", i+crashBatch)
	}
	t.Fatal("the child was not killed")
}
