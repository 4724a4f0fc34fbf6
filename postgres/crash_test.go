package postgres_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// crashEnv tells a re-executed test binary to be the writer that
// TestCrashIngest kills; it holds the DSN of the schema to write to.
const crashEnv = "ISACHUB_TEST_POSTGRES_CRASH_DSN"

// TestCrashIngest kills (SIGKILL) a process in the middle of a bulk ingest:
// every batch it acknowledged must be stored, the batch it was writing must
// be rolled back entirely, and the collection lock it held must be released,
// so that other writers carry on.
func TestCrashIngest(t *testing.T) {
	if dsn := os.Getenv(crashEnv); dsn != "" {
		crashWriter(t, dsn)
		return
	}
	dsn := freshSchema(t)
	db := openDSN(t, dsn)
	ctx := t.Context()
	org, coll := setup(t, db)

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashIngest$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+dsn,
		fmt.Sprintf("ISACHUB_CRASH_ORG=%d", org.ID), "ISACHUB_CRASH_COLL="+coll.ID)
	out, err := cmd.StdoutPipe()
	mustOK(t, err)
	cmd.Stderr = os.Stderr
	mustOK(t, cmd.Start())
	defer cmd.Process.Kill()
	var acked []string
	lines := bufio.NewScanner(out)
	lines.Buffer(nil, 1<<20)
	for batches := 0; batches < 5 && lines.Scan(); {
		if ids := ackedIDs(lines.Text()); ids != nil {
			acked = append(acked, ids...)
			batches++
		}
	}
	// Kill it mid-ingest: it is writing the next batch by now.
	mustOK(t, cmd.Process.Signal(syscall.SIGKILL))
	cmd.Wait()
	for lines.Scan() { // acknowledgements printed before the kill landed
		acked = append(acked, ackedIDs(lines.Text())...)
	}
	if len(acked) == 0 {
		t.Fatal("the writer acknowledged nothing before it was killed")
	}

	// The server notices the dead connection and releases its lock; a new
	// writer must get through well within this bound.
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	res, err := db.AddObjects(wctx, coll.ID, org.ID, []*stix.Object{malware(t, 1)})
	mustOK(t, err)
	mustOK(t, res[0].Err)

	stored := map[string]bool{}
	f := isachub.ObjectFilter{Limit: isachub.MaxPageSize}
	for {
		page, err := db.Objects(ctx, coll.ID, isachub.Unrestricted(), f)
		mustOK(t, err)
		for _, v := range page.Objects {
			stored[v.ID] = true
		}
		if !page.More {
			break
		}
		f.Next = page.Next
	}
	for _, id := range acked {
		if !stored[id] {
			t.Fatalf("acknowledged object %s is missing after the crash", id)
		}
	}
	// Whole batches only: every stored indicator is in a complete batch.
	if n := len(stored) - 1; n%crashBatch != 0 {
		t.Fatalf("%d indicators stored: a batch was half written", n)
	}
	t.Logf("%d objects acknowledged, %d stored", len(acked), len(stored)-1)
}

// ackedIDs returns the ids of one complete acknowledgement line, and nil
// for anything else: the kill can cut the last line short, and a cut line
// must not count (its final id would be a fragment).
func ackedIDs(line string) []string {
	body, ok := strings.CutPrefix(line, "ACK ")
	if !ok {
		return nil
	}
	body, ok = strings.CutSuffix(body, " END")
	if !ok {
		return nil
	}
	return strings.Fields(body)
}

// crashBatch is the batch size of crashWriter.
const crashBatch = 500

// crashWriter ingests batches until it is killed, printing the ids of each
// batch once AddObjects has returned (the acknowledgement).
func crashWriter(t *testing.T, dsn string) {
	db := openDSN(t, dsn)
	var org int64
	fmt.Sscan(os.Getenv("ISACHUB_CRASH_ORG"), &org)
	coll := os.Getenv("ISACHUB_CRASH_COLL")
	for b := 0; ; b++ {
		objs := make([]*stix.Object, crashBatch)
		ids := make([]string, crashBatch)
		for i := range objs {
			objs[i] = indicator(t, b*crashBatch+i)
			ids[i] = objs[i].ID()
		}
		if _, err := db.AddObjects(context.Background(), coll, org, objs); err != nil {
			t.Fatal(err)
		}
		fmt.Println("ACK " + strings.Join(ids, " ") + " END")
	}
}
