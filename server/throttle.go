package server

import (
	"sync"
	"time"
)

// loginThrottle limits password guessing: each username has a bucket of
// loginBurst failed attempts that refills at one per loginRefill. While the
// bucket is empty, password logins for the username are refused without
// checking the password (API tokens, being random 256-bit secrets, are not
// throttled).
type loginThrottle struct {
	mu      sync.Mutex
	buckets map[string]*loginBucket
}

type loginBucket struct {
	tokens float64
	at     time.Time
}

const (
	loginBurst      = 10
	loginRefill     = 6 * time.Second // 10 failures a minute, sustained
	loginMaxTracked = 100000
)

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{buckets: make(map[string]*loginBucket)}
}

// refill brings a bucket up to date; the caller holds mu.
func (t *loginThrottle) refill(b *loginBucket) {
	now := time.Now()
	b.tokens = min(loginBurst, b.tokens+float64(now.Sub(b.at))/float64(loginRefill))
	b.at = now
}

// allowed reports whether a password login for username may be tried now.
func (t *loginThrottle) allowed(username string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[username]
	if !ok {
		return true
	}
	t.refill(b)
	return b.tokens >= 1
}

// failed records a failed password login for username.
func (t *loginThrottle) failed(username string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[username]
	if !ok {
		if len(t.buckets) >= loginMaxTracked {
			clear(t.buckets)
		}
		b = &loginBucket{tokens: loginBurst, at: time.Now()}
		t.buckets[username] = b
	}
	t.refill(b)
	b.tokens = max(0, b.tokens-1)
}
