package server

import (
	"errors"
	"math"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/isachub/isachub"
)

// loginThrottle slows password guessing without letting an outsider lock a
// member out. Failed password logins are counted in three token buckets:
//
//   - per (username, address): 10 failures, then one every 6 s;
//     this is what a member who mistypes meets;
//   - per address: 30 failures, then one every 2 s, across every username,
//     so that password spraying from one address is slowed;
//   - per username: 100 failures from anywhere. This ceiling slows rather
//     than blocks: while it is reached, an address that has failed for the
//     username must wait until its own bucket is full again, and any other
//     address gets one try. Failures from other addresses therefore never
//     stop a member signing in from an address that has not failed.
//
// A success clears its (username, address) bucket. Addresses are the
// connection's peer, IPv6 grouped by /64 (one host holds many). API tokens
// (256-bit random secrets) are not throttled. The web UI's login form uses
// the same throttle. Memory is bounded: each table keeps at most
// loginMaxTracked entries, dropping full (idle) buckets first.
type loginThrottle struct {
	mu   sync.Mutex
	now  func() time.Time
	pair buckets
	addr buckets
	user buckets
}

// buckets is a table of token buckets by key, all under one rule.
type buckets map[string]*loginBucket

// loginBucket is a token bucket: tokens refill continuously up to burst.
type loginBucket struct {
	tokens float64
	at     time.Time
}

// bucketRule is the size and refill period of one kind of bucket.
type bucketRule struct {
	burst  float64
	refill time.Duration
}

var (
	pairRule = bucketRule{burst: 10, refill: 6 * time.Second}
	addrRule = bucketRule{burst: 30, refill: 2 * time.Second}
	userRule = bucketRule{burst: 100, refill: 6 * time.Second}
)

const loginMaxTracked = 100000

func newLoginThrottle(now func() time.Time) *loginThrottle {
	if now == nil {
		now = time.Now
	}
	return &loginThrottle{now: now, pair: buckets{}, addr: buckets{}, user: buckets{}}
}

// level returns the tokens of the bucket at key after refilling, the full
// burst when there is none.
func (table buckets) level(key string, rule bucketRule, now time.Time) float64 {
	b, ok := table[key]
	if !ok {
		return rule.burst
	}
	b.tokens = min(rule.burst, b.tokens+float64(now.Sub(b.at))/float64(rule.refill))
	b.at = now
	return b.tokens
}

// wait is how long until a bucket at level reaches want tokens.
func wait(level, want float64, rule bucketRule) time.Duration {
	if level >= want {
		return 0
	}
	return time.Duration(math.Ceil((want - level) * float64(rule.refill)))
}

// allow reports whether a password login for username from addr may be
// tried now, and otherwise how long to wait.
func (t *loginThrottle) allow(username, addr string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	pk := username + "\x00" + addr
	pair := t.pair.level(pk, pairRule, now)
	addrLevel := t.addr.level(addr, addrRule, now)
	user := t.user.level(username, userRule, now)
	var retry time.Duration
	retry = max(retry, wait(pair, 1, pairRule), wait(addrLevel, 1, addrRule))
	if user < 1 {
		// The username is under attack from many addresses: an address
		// that has failed for it waits until it has not, for a while.
		retry = max(retry, wait(pair, pairRule.burst, pairRule))
	}
	return retry == 0, retry
}

// failed records a failed password login for username from addr.
func (t *loginThrottle) failed(username, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.pair.take(username+"\x00"+addr, pairRule, now)
	t.addr.take(addr, addrRule, now)
	t.user.take(username, userRule, now)
}

// succeeded clears the (username, address) bucket after a correct password.
func (t *loginThrottle) succeeded(username, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pair, username+"\x00"+addr)
}

// take removes a token from the bucket at key, creating it full first.
func (table buckets) take(key string, rule bucketRule, now time.Time) {
	level := table.level(key, rule, now)
	b, ok := table[key]
	if !ok {
		if len(table) >= loginMaxTracked {
			prune(table, rule, now)
		}
		b = &loginBucket{at: now}
		table[key] = b
	}
	b.tokens = max(0, level-1)
}

// prune drops the buckets that have refilled (they remember nothing), and
// everything when that is not enough, so that a flood of names or
// addresses cannot grow the table without bound.
func prune(table buckets, rule bucketRule, now time.Time) {
	for k, b := range table {
		if b.tokens+float64(now.Sub(b.at))/float64(rule.refill) >= rule.burst {
			delete(table, k)
		}
	}
	if len(table) >= loginMaxTracked {
		clear(table)
	}
}

// clientAddr is the throttle's key for the request's peer: its IP address,
// an IPv6 address as its /64. The connection's peer is used, never a
// header a client can set.
func clientAddr(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// throttledError is the 429 of a throttled login, with how long to wait
// (the Retry-After header).
type throttledError struct {
	err   *isachub.Error
	retry time.Duration
}

func (e *throttledError) Error() string { return e.err.Error() }
func (e *throttledError) Unwrap() error { return e.err }

// retryAfterSeconds is the Retry-After of err: its wait in whole seconds,
// at least 1; 60 for a 429 that says nothing.
func retryAfterSeconds(err error) int {
	var te *throttledError
	if !errors.As(err, &te) {
		return 60
	}
	return max(1, int(math.Ceil(te.retry.Seconds())))
}
