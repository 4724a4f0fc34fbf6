package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver "pgx", to read the pulled rows

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/stix"
)

// crashObjects is how many distinct objects the remote hub of
// TestPeerPullKilled holds; every tenth has a second version and every
// fiftieth a third, added later, so that the set pulled is one of ids and
// versions.
const crashObjects = 100_000

// crashKills is how many kills in the middle of the pull TestPeerPullKilled
// aims at (it tries at most twice as many).
const crashKills = 4

// TestPeerPullKilled holds a pull to issue 14's crash safety: "isachub
// admin peer sync" of a 100,000-object collection, killed with SIGKILL at
// random moments and started again, ends with exactly the remote set of
// versions, each once, every one with its origin, and a further sync moves
// nothing. The pulling hub runs on SQLite and on PostgreSQL. Skipped under
// -short (it builds the binary).
func TestPeerPullKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; runs in the full pass")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	remote := startCrashRemote(t, crashObjects)
	want, _ := crashVersions(t, testDB{dsn: "sqlite:" + remote.path}, remote.coll)
	if total := crashObjects + crashObjects/10 + crashObjects/50; len(want) != total {
		t.Fatalf("the remote holds %d versions, not %d", len(want), total)
	}
	forBackends(t, func(t *testing.T, db testDB) { testPeerPullKilled(t, bin, remote, want, db) })
}

func testPeerPullKilled(t *testing.T, bin string, remote *crashRemote, want map[string]int, db testDB) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	env := map[string]string{federation.KeyEnv: key}
	run := adminOn(t, db.dsn, env)
	admin := func(args ...string) string { t.Helper(); return run("", args...) }
	admin("admin", "community", "add", "--community", "aviation-isac", "--title", "Aviation ISAC", "--sector", "aviation")
	local := admin("admin", "collection", "add", "--community", "aviation-isac", "--title", "From defence", "--alias", "defence", "--readers", "all", "--writers", "all")
	peer := admin("admin", "peer", "add", "--community", "aviation-isac", "--name", "Defence ISAC", "--url", remote.root, "--token", remote.token)
	admin("admin", "peer", "subscribe", "--peer", peer, "--pull", remote.coll, "--into", "defence")

	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	syncArgs := []string{"admin", "peer", "sync", "--peer", peer, "--db", db.dsn}
	childEnv := append(os.Environ(), federation.KeyEnv+"="+key)

	// Each kill comes at a random moment after lo, the shortest delay
	// not known to fall before the pull's start (opening the database,
	// reading the subscription): a kill that finds nothing stored pushes
	// lo past it. Once a run has stored something, the window of the
	// next kill is its share of what remains at the rate measured (at
	// most 2.5 s), so that the kills spread over the pull and none
	// outlives it.
	held, midPull, kills := 0, 0, 0
	lo, window := 100*time.Millisecond, time.Second
	for attempt := 1; midPull < crashKills && attempt <= 2*crashKills; attempt++ {
		delay := lo + time.Duration(rng.Int64N(int64(window)))
		exited, out, err := runKilled(bin, syncArgs, childEnv, delay)
		if exited {
			if err != nil {
				t.Fatalf("run %d ended before its kill: %v\n%s", attempt, err, out)
			}
			t.Logf("run %d ended by itself before its kill at %v", attempt, delay.Round(time.Millisecond))
			break
		}
		kills++
		got, origins := crashVersions(t, db, local)
		checkCrashSubset(t, got, origins, want)
		n := len(got)
		t.Logf("kill %d at %v: %d of %d versions held", kills, delay.Round(time.Millisecond), n, len(want))
		switch {
		case n < held:
			t.Fatalf("after kill %d the hub holds %d versions, fewer than the %d before", kills, n, held)
		case n == held:
			lo = delay + 50*time.Millisecond
		case n < len(want):
			midPull++
			rate := float64(n-held) / max(delay-lo, 100*time.Millisecond).Seconds()
			share := float64(len(want)-n) / rate / float64(crashKills-midPull+1)
			window = min(2500*time.Millisecond, max(200*time.Millisecond, time.Duration(share*float64(time.Second))))
		}
		held = n
	}
	if midPull == 0 {
		t.Fatal("no kill landed in the middle of the pull: the test proves nothing")
	}

	started := time.Now()
	code, out := runSync(t, bin, syncArgs, childEnv)
	if code != 0 {
		t.Fatalf("the last sync: exit %d\n%s", code, out)
	}
	t.Logf("%d kills, %d of them mid-pull; the last run took %v: %s", kills, midPull, time.Since(started).Round(time.Millisecond), strings.TrimSpace(out))
	checkCrashSet(t, db, local, want)

	code, out = runSync(t, bin, syncArgs, childEnv)
	if code != 0 || !strings.Contains(out, "\t0 moved, 0 refused") {
		t.Errorf("a further sync: exit %d\n%s", code, out)
	}
	checkCrashSet(t, db, local, want)
}

// checkCrashSet fails the test unless the collection holds exactly the
// versions of want, each once and with its origin.
func checkCrashSet(t *testing.T, db testDB, coll string, want map[string]int) {
	t.Helper()
	got, origins := crashVersions(t, db, coll)
	missing, extra, twice := 0, 0, 0
	var example string
	for v := range want {
		if got[v] == 0 {
			missing++
			example = "missing " + v
		}
	}
	for v, n := range got {
		switch {
		case want[v] == 0:
			extra++
			example = "extra " + v
		case n > 1:
			twice++
			example = fmt.Sprintf("%s %d times", v, n)
		}
	}
	if missing+extra+twice > 0 {
		t.Fatalf("the pulled collection differs from the remote: %d missing, %d not on the remote, %d stored more than once (%s)", missing, extra, twice, example)
	}
	if origins != len(want) {
		t.Errorf("%d origins recorded for %d versions", origins, len(want))
	}
}

// checkCrashSubset fails the test unless what a killed pull left is part
// of want, each version once and with its origin: the versions, their
// origins and the checkpoint are stored in one transaction.
func checkCrashSubset(t *testing.T, got map[string]int, origins int, want map[string]int) {
	t.Helper()
	for v, n := range got {
		if want[v] == 0 || n > 1 {
			t.Fatalf("after a kill the hub holds %s %d times; the remote holds it %d times", v, n, want[v])
		}
	}
	if origins != len(got) {
		t.Fatalf("after a kill the hub holds %d versions but %d origins", len(got), origins)
	}
}

// runKilled runs the command and kills it with SIGKILL after delay;
// exited says whether it ended by itself first, with err its outcome.
func runKilled(bin string, args, env []string, delay time.Duration) (exited bool, out string, err error) {
	var buf strings.Builder
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &buf, &buf
	if err := cmd.Start(); err != nil {
		return true, "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return true, buf.String(), err
	case <-time.After(delay):
		cmd.Process.Signal(syscall.SIGKILL)
		err := <-done
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() {
			return false, buf.String(), nil
		}
		return true, buf.String(), err // it ended just before the kill
	}
}

// runSync runs the command to its end and returns its exit code and
// output.
func runSync(t *testing.T, bin string, args, env []string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

// crashVersions reads the collection's versions straight from the
// database, as "id modified" with how many rows hold each (so that a
// duplicate shows), and counts the origins recorded in it, in one
// statement: one snapshot, even while the server of PostgreSQL still
// commits what a killed pull had sent it.
func crashVersions(t *testing.T, db testDB, coll string) (map[string]int, int) {
	t.Helper()
	driver, dsn, query := "pgx", db.dsn, `SELECT id, modified FROM object_versions WHERE collection_id = $1
		UNION ALL SELECT '', count(*)::text FROM object_origins WHERE collection_id = $1`
	if !isPostgresDSN(db.dsn) {
		path, err := sqlitePath(db.dsn)
		if err != nil {
			t.Fatal(err)
		}
		driver, dsn, query = "sqlite", path, `SELECT o.id, o.modified FROM objects o JOIN collections c ON c.pk = o.coll WHERE c.id = ?1
		UNION ALL SELECT '', CAST(count(*) AS TEXT) FROM object_origins WHERE collection_id = ?1`
	}
	sdb, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	rows, err := sdb.QueryContext(context.Background(), query, coll)
	if err != nil {
		t.Fatal(err)
	}
	out, origins := map[string]int{}, 0
	for rows.Next() {
		var id, modified string
		if err := rows.Scan(&id, &modified); err != nil {
			t.Fatal(err)
		}
		if id == "" {
			origins, _ = strconv.Atoi(modified)
		} else {
			out[id+" "+modified]++
		}
	}
	if rows.Close(); rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	return out, origins
}

// crashRemote is the hub that TestPeerPullKilled pulls from, served in
// this process over a SQLite file.
type crashRemote struct {
	path  string // the SQLite file
	root  string // the API root URL
	token string // a token of an analyst who reads the collection
	coll  string // the collection's id
}

// startCrashRemote makes a hub whose collection holds n objects, some
// with several versions, stored through the store in large batches, and
// serves it.
func startCrashRemote(t *testing.T, n int) *crashRemote {
	t.Helper()
	ctx := context.Background()
	r := &crashRemote{path: filepath.Join(t.TempDir(), "remote.db")}
	db, err := sqlite.Open(ctx, r.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	comm := &isachub.Community{Slug: "defence-isac", Title: "Defence ISAC", Sector: "defence"}
	org := &isachub.Org{Slug: "member", Name: "Member"}
	user := &isachub.User{Username: "federation", Role: isachub.RoleAnalyst}
	coll := &isachub.Collection{Alias: "shared", Title: "Shared", ReadAll: true, WriteAll: true}
	secret, hash, err := server.NewToken()
	if err == nil {
		err = db.CreateCommunity(ctx, comm)
	}
	if err == nil {
		org.CommunityID = comm.ID
		err = db.CreateOrg(ctx, org)
	}
	if err == nil {
		user.OrgID = org.ID
		err = db.CreateUser(ctx, user)
	}
	if err == nil {
		err = db.CreateToken(ctx, &isachub.Token{UserID: user.ID, Name: "federation", Hash: hash})
	}
	if err == nil {
		coll.CommunityID = comm.ID
		err = db.CreateCollection(ctx, coll)
	}
	if err != nil {
		t.Fatal(err)
	}
	// Batches of first versions, each followed by the later versions of
	// objects of the batch before: new versions interleave with the rest.
	const batch = 5000
	seeding := time.Now()
	add := func(objs []string) {
		parsed := make([]*stix.Object, len(objs))
		for i, raw := range objs {
			if parsed[i], err = stix.ParseObject([]byte(raw)); err != nil {
				t.Fatal(err)
			}
		}
		results, err := db.AddObjects(ctx, coll.ID, org.ID, parsed)
		if err != nil {
			t.Fatal(err)
		}
		for _, res := range results {
			if res.Err != nil {
				t.Fatalf("seeding %s: %v", res.ID, res.Err)
			}
		}
	}
	later := func(from, to int) []string {
		var objs []string
		for i := from; i < to; i++ {
			if i%10 == 0 {
				objs = append(objs, crashIndicator(i, 2))
			}
			if i%50 == 0 {
				objs = append(objs, crashIndicator(i, 3))
			}
		}
		return objs
	}
	for from := 0; from < n; from += batch {
		objs := make([]string, 0, batch+batch/8)
		for i := from; i < min(from+batch, n); i++ {
			objs = append(objs, crashIndicator(i, 1))
		}
		add(append(objs, later(max(0, from-batch), from)...))
	}
	add(later(max(0, n-batch), n))
	t.Logf("the remote holds %d objects, seeded in %v", n, time.Since(seeding).Round(time.Millisecond))
	srv := httptest.NewServer(server.New(server.Config{}, db, nil).Handler())
	t.Cleanup(srv.Close)
	r.root, r.token, r.coll = srv.URL+"/"+comm.Slug+"/", secret, coll.ID
	return r
}

// crashIndicator returns version v (1, 2, 3) of the TLP:CLEAR indicator n.
func crashIndicator(n, v int) string {
	return `{"type":"indicator","spec_version":"2.1","id":"indicator--` + fmt.Sprintf("%08x", n) + `-2222-4000-8000-000000000000",` +
		`"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-0` + strconv.Itoa(v) + `T00:00:00.000Z",` +
		`"name":"Crash test address ` + strconv.Itoa(n) + `","indicator_types":["malicious-activity"],` +
		`"pattern":"[ipv4-addr:value = '10.` + fmt.Sprintf("%d.%d.%d", n>>16&255, n>>8&255, n&255) + `']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",` +
		`"object_marking_refs":["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]}`
}
