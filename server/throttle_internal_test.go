package server

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/sqlite"
)

// clock is a fake time for the throttle: tests move it, never sleep.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func fail(th *loginThrottle, user, addr string, n int) {
	for range n {
		th.failed(user, addr)
	}
}

// TestThrottleOutsiderCannotLockOut holds issue 13 item 3: failures for
// bob from other addresses never refuse bob at his own address.
func TestThrottleOutsiderCannotLockOut(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	th := newLoginThrottle(c.now)
	// An attacker with many addresses keeps guessing bob's password.
	for i := range 500 {
		addr := "203.0.113." + string(rune('0'+i%10)) + "/" + string(rune('a'+i/10%26))
		fail(th, "bob", addr, 10)
		c.advance(100 * time.Millisecond)
	}
	if ok, retry := th.allow("bob", "198.51.100.7"); !ok {
		t.Fatalf("bob is refused at his own address (wait %v) because of failures elsewhere", retry)
	}
	// The attacker's addresses are slowed.
	if ok, _ := th.allow("bob", "203.0.113.1/a"); ok {
		t.Fatal("an address that failed 10 times for bob may try again at once")
	}
}

// TestThrottleSpraying: one address trying many usernames is slowed after
// 30 failures, whatever the usernames.
func TestThrottleSpraying(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	th := newLoginThrottle(c.now)
	for i := range 30 {
		user := "user" + string(rune('A'+i))
		if ok, _ := th.allow(user, "192.0.2.9"); !ok {
			t.Fatalf("attempt %d refused, want 30 allowed", i)
		}
		th.failed(user, "192.0.2.9")
	}
	ok, retry := th.allow("someone-new", "192.0.2.9")
	if ok || retry <= 0 || retry > 2*time.Second {
		t.Fatalf("the 31st spraying attempt: allowed %v, wait %v; want refused for up to 2 s", ok, retry)
	}
	if ok, _ := th.allow("someone-new", "192.0.2.10"); !ok {
		t.Fatal("another address is refused because one sprayed")
	}
	c.advance(2 * time.Second)
	if ok, _ := th.allow("someone-new", "192.0.2.9"); !ok {
		t.Fatal("spraying is blocked, not slowed: no attempt after the refill")
	}
}

// TestThrottlePairAndSuccess: a member who mistypes 10 times waits 6 s for
// the next try; a correct password clears the address's failures.
func TestThrottlePairAndSuccess(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	th := newLoginThrottle(c.now)
	fail(th, "carol", "198.51.100.1", 10)
	ok, retry := th.allow("carol", "198.51.100.1")
	if ok || retry != 6*time.Second {
		t.Fatalf("after 10 failures: allowed %v, wait %v; want a 6 s wait", ok, retry)
	}
	c.advance(6 * time.Second)
	if ok, _ := th.allow("carol", "198.51.100.1"); !ok {
		t.Fatal("no attempt after 6 s")
	}
	th.succeeded("carol", "198.51.100.1")
	for i := range 10 {
		if ok, _ := th.allow("carol", "198.51.100.1"); !ok {
			t.Fatalf("after a success, attempt %d refused", i)
		}
		th.failed("carol", "198.51.100.1")
	}
}

// TestThrottleUserCeilingSlows: under a distributed attack on one
// username, an address that failed waits for its bucket to refill, and a
// fresh address gets a try: slowed, never blocked.
func TestThrottleUserCeilingSlows(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	th := newLoginThrottle(c.now)
	for i := range 100 {
		th.failed("dave", "10.0.0."+string(rune('0'+i%10))+string(rune('a'+i/10)))
	}
	th.failed("dave", "10.9.9.9")
	if ok, retry := th.allow("dave", "10.9.9.9"); ok || retry != 6*time.Second {
		t.Fatalf("one failure under attack: allowed %v, wait %v; want the 6 s for a full bucket", ok, retry)
	}
	if ok, _ := th.allow("dave", "10.8.8.8"); !ok {
		t.Fatal("a fresh address is blocked under the per-username ceiling")
	}
}

func TestClientAddr(t *testing.T) {
	for in, want := range map[string]string{
		"198.51.100.7:5123":          "198.51.100.7",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]:443": "2001:db8:1:2::/64",
		"[::ffff:198.51.100.7]:80":   "198.51.100.7",
		"not an address":             "not an address",
	} {
		if got := clientAddr(in); got != want {
			t.Errorf("clientAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestThrottleBounded: a flood of names and addresses keeps the tables
// bounded.
func TestThrottleBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a table of loginMaxTracked entries")
	}
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	th := newLoginThrottle(c.now)
	for i := range loginMaxTracked + 10 {
		th.failed(string(rune(i)), "192.0.2.1")
	}
	if len(th.user) > loginMaxTracked || len(th.pair) > loginMaxTracked {
		t.Fatalf("tables grew to %d users and %d pairs", len(th.user), len(th.pair))
	}
}

// TestThrottleLog: a throttled login is logged with the username and the
// address, never the password.
func TestThrottleLog(t *testing.T) {
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bytes.Buffer
	c := &clock{t: time.Unix(1_800_000_000, 0)} // argon2id is slow under -race: no refill meanwhile
	s := New(Config{Now: c.now}, db, slog.New(slog.NewTextHandler(&logs, nil)))
	const guess = "hunter2-secret-guess"
	for range 10 {
		if _, err := s.authPassword(ctx, "erin", guess, "192.0.2.44"); isachub.ErrorCode(err) != isachub.EUNAUTHORIZED {
			t.Fatalf("a wrong password: %v", err)
		}
	}
	_, err = s.authPassword(ctx, "erin", guess, "192.0.2.44")
	if isachub.ErrorCode(err) != eTooManyRequests || retryAfterSeconds(err) != 6 {
		t.Fatalf("the 11th attempt: %v (Retry-After %d), want 429 with 6 s", err, retryAfterSeconds(err))
	}
	if !strings.Contains(logs.String(), "password login throttled") || !strings.Contains(logs.String(), "192.0.2.44") {
		t.Fatalf("no throttling event logged:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), guess) {
		t.Fatalf("the log holds the password:\n%s", logs.String())
	}
}
