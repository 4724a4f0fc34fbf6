//go:build linux

package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/isachub/isachub/internal/pgtest"
)

// webhookKillLease is the claim lease the served hub of TestWebhookKilled
// runs with (serve --webhook-lease): how long a killed process's claim on
// the webhook outlives it, which each restart waits out.
const webhookKillLease = "3s"

// TestWebhookKilled holds webhooks to issue 10's "nothing lost when the
// hub is killed with SIGKILL between commit and delivery and restarted",
// with the real binary: "isachub serve" delivers a feed to a receiver on
// 127.0.0.1 and is killed three times, each time started again on the same
// database:
//
//  1. while the receiver stalls a delivery (the request is in flight) and
//     objects committed since wait behind it;
//  2. right after the receiver answered 200, before the hub can record
//     the delivery;
//  3. while the receiver answers 500 (the webhook in its backoff) and a
//     POST of objects is in flight (at a random moment: its objects may be
//     committed without an acknowledgement, or not at all).
//
// Then it is stopped cleanly (SIGTERM) while a delivery stalls: that stop
// ends the claim, so the hub started again delivers at once rather than
// after the lease. After each kill the restarted hub takes the webhook
// over once the dead process's claim lapses (serve --webhook-lease 3s
// here; 2 minutes by default) and delivers again within 30 s.
//
// In the end every object the hub acknowledged (id and modified) reached
// the receiver in a delivery it answered 2xx; the first receipt of each
// object follows the order of commit, so nothing skipped or reordered;
// an object comes again only in the first delivery after a restart or in
// the retry after a failure; every signature verifies with the secret that
// "admin webhook add" printed (checked here as docs/FEEDS.md tells a
// receiver to, not with push.Sign); and "admin webhook deliveries" logs
// every attempt the hub lived to record, and no other. It runs on a SQLite
// file and, with ISACHUB_TEST_POSTGRES, on PostgreSQL. Skipped under
// -short (it builds the binary).
func TestWebhookKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; runs in the full pass")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("sqlite", func(t *testing.T) { testWebhookKilled(t, bin, "sqlite:"+migratedDB(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.Schema(t, "./cmd/isachub/", "isachub_webhook_kill_")
		if code, _, errOut := runCLI(t, "", nil, "migrate", "--db", dsn); code != exitOK {
			t.Fatalf("isachub migrate: exit %d: %s", code, errOut)
		}
		testWebhookKilled(t, bin, dsn)
	})
}

func testWebhookKilled(t *testing.T, bin, dsn string) {
	admin := func(stdin string, args ...string) (string, string) {
		t.Helper()
		code, out, errOut := runCLI(t, stdin, nil, append(args, "--db", dsn)...)
		if code != exitOK {
			t.Fatalf("isachub %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return strings.TrimSpace(out), errOut
	}
	admin("", "admin", "community", "add", "--community", "hook-isac", "--title", "Hook ISAC")
	admin("", "admin", "org", "add", "--community", "hook-isac", "--org", "member", "--name", "Member")
	admin("a-long-enough-password\n", "admin", "user", "add", "--org", "hook-isac/member", "--username", "loader", "--role", "analyst")
	token, _ := admin("", "admin", "token", "add", "--username", "loader")
	coll, _ := admin("", "admin", "collection", "add", "--community", "hook-isac", "--title", "Feed", "--alias", "feed", "--readers", "all", "--writers", "all")
	feed, _ := admin("", "admin", "feed", "add", "--community", "hook-isac", "--org", "member", "--title", "SOC", "--collections", coll)

	rcv := newHookReceiver(t)
	hook, said := admin("", "admin", "webhook", "add", "--community", "hook-isac", "--org", "member", "--feed", feed, "--url", rcv.srv.URL+"/hook")
	_, secret, ok := strings.Cut(said, "X-Isachub-Signature key): ")
	if !ok {
		t.Fatalf("admin webhook add printed no secret: %q", said)
	}
	rcv.setup(hook, strings.TrimSpace(secret))

	objects := "/hook-isac/collections/" + coll + "/objects/"
	var posted []string // every object POSTed, in the order of the POSTs
	acked := map[string]bool{}
	post := func(base string, from, to int) error {
		keys := make([]string, 0, to-from)
		for i := from; i < to; i++ {
			keys = append(keys, benchKey(i))
		}
		posted = append(posted, keys...)
		r, _ := http.NewRequest(http.MethodPost, base+objects, bytes.NewReader(benchEnvelopes(from, to)[0]))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "application/taxii+json;version=2.1")
		r.Header.Set("Accept", "application/taxii+json;version=2.1")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var st struct {
			Status       string `json:"status"`
			SuccessCount int    `json:"success_count"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&st); err != nil || resp.StatusCode != http.StatusAccepted || st.SuccessCount != to-from {
			return fmt.Errorf("POST objects %d to %d = %d %+v (%v)", from, to-1, resp.StatusCode, st, err)
		}
		for _, k := range keys {
			acked[k] = true
		}
		return nil
	}
	mustPost := func(base string, from, to int) {
		t.Helper()
		if err := post(base, from, to); err != nil {
			t.Fatal(err)
		}
	}
	// delivered waits until every object acknowledged so far reached the
	// receiver in a delivery it answered 2xx.
	delivered := func(what string) {
		t.Helper()
		rcv.waitFor(t, what, 30*time.Second, func() bool {
			ok := rcv.okKeys()
			for k := range acked {
				if !ok[k] {
					return false
				}
			}
			return true
		})
	}
	serve := func() (*exec.Cmd, string) {
		t.Helper()
		cmd, base, _ := startChild(t, bin, dsn, "--rate-per-caller", "0", "--webhook-lease", webhookKillLease)
		return cmd, base
	}
	kill := func(cmd *exec.Cmd) {
		t.Helper()
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() {
			t.Fatalf("serve did not die of the SIGKILL: %v", err)
		}
	}
	restart := func() (*exec.Cmd, string) {
		t.Helper()
		rcv.restarted()
		return serve()
	}

	cmd, base := serve()
	mustPost(base, 0, 120)
	delivered("the first objects")

	// Kill 1: a delivery stalled at the receiver, and objects committed
	// behind it.
	rcv.setMode(modeStall)
	mustPost(base, 120, 270)
	rcv.waitFor(t, "a stalled delivery", 10*time.Second, func() bool { return rcv.count(modeStall) > 0 })
	mustPost(base, 270, 370)
	kill(cmd)
	rcv.setMode(modeOK)
	cmd, base = restart()
	delivered("what was committed before kill 1")
	t.Logf("kill 1 (a delivery stalled): all delivered %v after the restart", rcv.sinceRestart().Round(time.Millisecond))

	// Kill 2: right after the receiver answered 200, before the hub
	// records the delivery.
	victim := cmd
	rcv.killAfterOK(func() { victim.Process.Signal(syscall.SIGKILL) })
	// The delivery of these very objects may go out, be answered and kill
	// the hub before the hub has answered the POST: then the POST fails,
	// its objects committed but not acknowledged (delivered all the same,
	// and not foreign, but not required).
	if err := post(base, 370, 520); err != nil {
		t.Logf("the POST before kill 2 was cut by the kill: %v", err)
	}
	rcv.waitFor(t, "the kill after a 200", 10*time.Second, func() bool { return rcv.count(modeKillAfterOK) > 0 })
	kill(cmd)
	cmd, base = restart()
	delivered("what was committed before kill 2")
	t.Logf("kill 2 (after a 200): all delivered %v after the restart", rcv.sinceRestart().Round(time.Millisecond))

	// Kill 3: the receiver failing (the webhook in its backoff) and a
	// POST of objects in flight: they may or may not be committed.
	rcv.setMode(modeFail)
	mustPost(base, 520, 670)
	rcv.waitFor(t, "a failed delivery", 10*time.Second, func() bool { return rcv.count(modeFail) > 0 })
	inFlight := make(chan error, 1)
	go func() { inFlight <- post(base, 670, 820) }()
	delay := time.Duration(rand.IntN(40)) * time.Millisecond // before, during or after the commit
	time.Sleep(delay)
	kill(cmd)
	t.Logf("kill 3 (in backoff), %v into a POST: %v", delay, <-inFlight)
	rcv.setMode(modeOK)
	cmd, base = restart()
	mustPost(base, 820, 870)
	delivered("what was committed before kill 3, and after")
	t.Logf("kill 3 (in backoff): all delivered %v after the restart", rcv.sinceRestart().Round(time.Millisecond))

	// A clean stop (SIGTERM) while a delivery stalls gives the webhook
	// back: the hub started again delivers at once, not after the lease.
	rcv.setMode(modeStall)
	mustPost(base, 870, 970)
	rcv.waitFor(t, "a stalled delivery", 10*time.Second, func() bool { return rcv.count(modeStall) > 1 })
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve stopped by SIGTERM: %v", err)
	}
	if owner := webhookClaimOwner(t, dsn, hook); owner != "" {
		t.Errorf("serve stopped cleanly in the middle of a delivery but its claim on the webhook holds (%q): a restart waits for the lease", owner)
	}
	rcv.setMode(modeOK)
	cmd, base = restart()
	mustPost(base, 970, 1020)
	delivered("what was committed before the clean stop, and after")
	t.Logf("clean stop: all delivered %v after the restart", rcv.sinceRestart().Round(time.Millisecond))

	rcv.check(t, posted, acked)

	// The delivery log holds every attempt the hub lived to record: all
	// the 2xx but perhaps the one of kill 2, all the 500s but perhaps one
	// cut by kill 3, and nothing else (the stalled one died with kill 1).
	out, _ := admin("", "admin", "webhook", "deliveries", "--community", "hook-isac", "--id", hook, "--limit", "1000")
	logged := map[int]int{}
	lines := strings.Split(out, "\n")
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) < 4 {
			t.Fatalf("a delivery log line %q", line)
		}
		n, _ := strconv.Atoi(f[2])
		status, _ := strconv.Atoi(f[3])
		if n < 1 || n > 100 {
			t.Errorf("a delivery of %d objects: %q", n, line)
		}
		logged[status]++
	}
	answered := rcv.answered()
	if logged[200] < answered[200]-1 || logged[200] > answered[200] {
		t.Errorf("the log holds %d deliveries answered 200; the receiver answered %d:\n%s", logged[200], answered[200], out)
	}
	if logged[500] < 1 || logged[500] < answered[500]-1 || logged[500] > answered[500] {
		t.Errorf("the log holds %d deliveries answered 500; the receiver answered %d:\n%s", logged[500], answered[500], out)
	}
	if len(lines)-1 != logged[200]+logged[500] {
		t.Errorf("the log holds attempts with other outcomes:\n%s", out)
	}
	t.Logf("%d objects acknowledged, %d requests received (%v answered), %d logged (%v)", len(acked), len(rcv.reqs), answered, len(lines)-1, logged)
}

// webhookClaimOwner reads who holds a claim on the webhook straight from
// the database ("" for nobody).
func webhookClaimOwner(t *testing.T, dsn, hook string) string {
	t.Helper()
	driver, source, query := "pgx", dsn, `SELECT claim_owner FROM webhooks WHERE id = $1`
	if !isPostgresDSN(dsn) {
		path, err := sqlitePath(dsn)
		if err != nil {
			t.Fatal(err)
		}
		driver, source, query = "sqlite", path, `SELECT claim_owner FROM webhooks WHERE id = ?1`
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var owner string
	if err := db.QueryRow(query, hook).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	return owner
}

// benchKey is "id modified" of benchIndicator(n).
func benchKey(n int) string {
	id := benchIndicator(n)[len(`{"type":"indicator","spec_version":"2.1","id":"`):]
	return id[:strings.IndexByte(id, '"')] + " 2026-01-01T00:00:00.000Z"
}

// The answers of a hookReceiver.
const (
	modeOK          = "ok"    // 200
	modeStall       = "stall" // no answer until the hub hangs up
	modeFail        = "fail"  // 500
	modeKillAfterOK = "kill"  // 200, then the kill given, once
)

// hookRequest is one request a hookReceiver received.
type hookRequest struct {
	epoch   int      // the hub's run: 0, then one more per restart
	mode    string   // how it was answered
	status  int      // the status answered; 0 for none
	objects []string // "id modified" of each object, in order
}

// hookReceiver is a webhook receiver that verifies signatures as
// docs/FEEDS.md tells, records every request and answers as its mode says.
type hookReceiver struct {
	srv *httptest.Server

	mu           sync.Mutex
	hook, secret string
	mode         string
	afterOK      func()
	epoch        int
	reqs         []hookRequest
	okAt         time.Time // when a 2xx was last answered
	restartedAt  time.Time // when the hub was last started again
}

func newHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{mode: modeOK}
	quit := make(chan struct{})
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return // the hub died mid-request
		}
		r.mu.Lock()
		hook, secret := r.hook, r.secret
		r.mu.Unlock()
		if err := verifyHookSignature(secret, req.Header.Get("X-Isachub-Signature"), body, time.Now()); err != nil {
			t.Errorf("a delivery's signature: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var d struct {
			Webhook json.Number `json:"webhook"`
			Feed    string      `json:"feed"`
			Cursor  string      `json:"cursor"`
			Objects []struct {
				ID       string `json:"id"`
				Modified string `json:"modified"`
			} `json:"objects"`
		}
		if err := json.Unmarshal(body, &d); err != nil || d.Webhook.String() != hook || req.Header.Get("X-Isachub-Webhook") != hook || d.Cursor == "" {
			t.Errorf("a delivery for webhook %q (header %q), cursor %q: %v", d.Webhook, req.Header.Get("X-Isachub-Webhook"), d.Cursor, err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		rec := hookRequest{}
		for _, o := range d.Objects {
			rec.objects = append(rec.objects, o.ID+" "+o.Modified)
		}
		r.mu.Lock()
		rec.epoch, rec.mode = r.epoch, r.mode
		i := len(r.reqs)
		r.reqs = append(r.reqs, rec)
		afterOK := r.afterOK
		if rec.mode == modeKillAfterOK {
			r.mode, r.afterOK = modeOK, nil
		}
		r.mu.Unlock()
		status := http.StatusOK
		switch rec.mode {
		case modeStall:
			select {
			case <-req.Context().Done(): // the hub hung up, or died
			case <-quit:
			}
			return
		case modeFail:
			status = http.StatusInternalServerError
		}
		r.mu.Lock()
		r.reqs[i].status = status
		if status == http.StatusOK {
			r.okAt = time.Now()
		}
		r.mu.Unlock()
		w.WriteHeader(status)
		if rec.mode == modeKillAfterOK {
			w.(http.Flusher).Flush()
			afterOK()
		}
	}))
	t.Cleanup(func() { close(quit); r.srv.Close() })
	return r
}

// setup gives the receiver the webhook's id and secret.
func (r *hookReceiver) setup(hook, secret string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hook, r.secret = hook, secret
}

func (r *hookReceiver) setMode(mode string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mode = mode
}

// killAfterOK answers the next request 200 and then calls kill.
func (r *hookReceiver) killAfterOK(kill func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mode, r.afterOK = modeKillAfterOK, kill
}

// restarted starts the next epoch: the requests after come from the hub
// started again.
func (r *hookReceiver) restarted() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.epoch++
	r.restartedAt = time.Now()
}

// count returns how many requests were answered in the mode.
func (r *hookReceiver) count(mode string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, q := range r.reqs {
		if q.mode == mode {
			n++
		}
	}
	return n
}

// answered counts the requests by the status answered.
func (r *hookReceiver) answered() map[int]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := map[int]int{}
	for _, q := range r.reqs {
		n[q.status]++
	}
	return n
}

// okKeys returns the objects received in requests answered 2xx.
func (r *hookReceiver) okKeys() map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	ok := map[string]bool{}
	for _, q := range r.reqs {
		if q.status == http.StatusOK {
			for _, k := range q.objects {
				ok[k] = true
			}
		}
	}
	return ok
}

// sinceRestart returns how long after the last restart the last 2xx was
// answered.
func (r *hookReceiver) sinceRestart() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.okAt.Sub(r.restartedAt)
}

// waitFor polls cond until it holds, failing the test after timeout.
func (r *hookReceiver) waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s; the receiver answered %v", timeout, what, r.answered())
		}
	}
}

// check fails the test unless every acknowledged object was received in a
// request answered 2xx, the first receipts of the objects follow the
// order of posted (leaving out only objects not acknowledged), and an
// object came again only in the first request after a restart or right
// after a request not answered 2xx.
func (r *hookReceiver) check(t *testing.T, posted []string, acked map[string]bool) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	ok := map[string]bool{}
	seen := map[string]bool{}
	var first []string
	dups := 0
	for i, q := range r.reqs {
		again := 0
		for _, k := range q.objects {
			if seen[k] {
				again++
				continue
			}
			seen[k] = true
			first = append(first, k)
		}
		if q.status == http.StatusOK {
			for _, k := range q.objects {
				ok[k] = true
			}
		}
		if again == 0 {
			continue
		}
		dups += again
		afterRestart := i == 0 || r.reqs[i-1].epoch != q.epoch
		afterFailure := i > 0 && r.reqs[i-1].status != http.StatusOK
		if !afterRestart && !afterFailure {
			t.Errorf("request %d (run %d) repeats %d objects already received, neither after a restart nor after a failure", i, q.epoch, again)
		}
	}
	for _, k := range posted {
		if acked[k] && !ok[k] {
			t.Errorf("%s was acknowledged but never delivered", k)
		}
	}
	// first is a subsequence of posted: commit order, nothing foreign.
	j := 0
	for _, k := range first {
		for j < len(posted) && posted[j] != k {
			if acked[posted[j]] {
				t.Fatalf("%s was first received before %s, acknowledged before it", k, posted[j])
			}
			j++
		}
		if j == len(posted) {
			t.Fatalf("%s was received out of the order of commit, or never posted", k)
		}
		j++
	}
	unacked := 0
	for _, k := range first {
		if !acked[k] {
			unacked++
		}
	}
	t.Logf("%d requests, %d objects first received in the order of commit (%d committed but never acknowledged), %d received again", len(r.reqs), len(first), unacked, dups)
}

// verifyHookSignature checks an X-Isachub-Signature header as
// docs/FEEDS.md tells a receiver to: the HMAC-SHA256 with the secret of
// the decimal timestamp t, a dot and the raw body, hex-encoded, equal to
// v1 (compared in constant time), and t within five minutes of now.
func verifyHookSignature(secret, header string, body []byte, now time.Time) error {
	var ts, v1 string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			v1 = v
		}
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("header %q: no timestamp", header)
	}
	if d := now.Sub(time.Unix(t, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("header %q: timestamp %v from now", header, d)
	}
	got, err := hex.DecodeString(v1)
	if err != nil {
		return fmt.Errorf("header %q: v1 is not hex", header)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return fmt.Errorf("header %q does not verify with the secret", header)
	}
	return nil
}
