package server

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/isachub/isachub"
)

// Limits bound what one client may ask of the hub, so that one member's
// runaway script slows only itself. The zero value of each field is no
// limit; `isachub serve` sets the defaults below.
type Limits struct {
	// PerCaller is the rate of requests one authenticated caller (an API
	// token, or a user signed in with a password or a UI session) may
	// make, per second, in bursts of CallerBurst.
	PerCaller   float64
	CallerBurst int
	// PerAddress is the rate of requests from one address (IPv6 by /64),
	// authenticated or not, per second, in bursts of AddressBurst: the
	// bound for clients that have no credential to be limited by.
	PerAddress   float64
	AddressBurst int
	// MaxConcurrent bounds the requests answered at once, live streams
	// apart; a request beyond it waits up to concurrencyWait for a slot,
	// then answers 503 with Retry-After.
	MaxConcurrent int
}

// The limits `isachub serve` applies unless told otherwise: a community of
// 200 member tools polling every minute makes a few requests a second in
// all, and a publisher sends envelopes of up to 100,000 objects, so these
// stop only runaway clients.
// The bursts are 4 and 2 times the rates.
const (
	DefaultPerCaller     = 50
	DefaultPerAddress    = 200
	DefaultMaxConcurrent = 512
)

// concurrencyWait is how long a request waits for a slot when
// MaxConcurrent requests are being answered.
const concurrencyWait = 2 * time.Second

// maxLimiters bounds each table of rate limiters; when one is full, the
// limiters that are full again (idle clients) are dropped.
const maxLimiters = 10000

// rateTable is one token bucket per key (caller or address).
type rateTable struct {
	mu    sync.Mutex
	limit rate.Limit
	burst int
	m     map[string]*rate.Limiter
}

func newRateTable(perSecond float64, burst int) *rateTable {
	if perSecond <= 0 {
		return nil
	}
	return &rateTable{limit: rate.Limit(perSecond), burst: max(1, burst), m: map[string]*rate.Limiter{}}
}

// allow spends a token of key's bucket, or returns how long until one is
// there. A nil table allows everything.
func (t *rateTable) allow(key string, now time.Time) (bool, time.Duration) {
	if t == nil {
		return true, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.m[key]
	if l == nil {
		if len(t.m) >= maxLimiters {
			for k, old := range t.m {
				if old.TokensAt(now) >= float64(t.burst) {
					delete(t.m, k)
				}
			}
			if len(t.m) >= maxLimiters {
				clear(t.m)
			}
		}
		l = rate.NewLimiter(t.limit, t.burst)
		t.m[key] = l
	}
	if l.AllowN(now, 1) {
		return true, 0
	}
	r := l.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return false, wait
}

// limiter applies Limits.
type limiter struct {
	callers *rateTable
	addrs   *rateTable
	slots   chan struct{} // nil: no bound
	now     func() time.Time
}

func newLimiter(l Limits, now func() time.Time) *limiter {
	lim := &limiter{callers: newRateTable(l.PerCaller, l.CallerBurst), addrs: newRateTable(l.PerAddress, l.AddressBurst), now: now}
	if l.MaxConcurrent > 0 {
		lim.slots = make(chan struct{}, l.MaxConcurrent)
	}
	return lim
}

// errRateLimited is the 429 of a client over its rate.
func errRateLimited(who string, wait time.Duration) error {
	return &throttledError{retry: wait, err: isachub.Errorf(eTooManyRequests,
		"Too many requests from %s: wait %d s (the Retry-After header) and slow down.", who, max(1, int(wait.Round(time.Second)/time.Second)))}
}

// caller spends a token of the caller's bucket: its API token's, or its
// user's when it signed in with a password or a session.
func (l *limiter) caller(c *caller) error {
	if c == nil || l.callers == nil {
		return nil
	}
	key := "user:" + strconv.FormatInt(c.user.ID, 10)
	if c.token != nil {
		key = "token:" + strconv.FormatInt(c.token.ID, 10)
	}
	if ok, wait := l.callers.allow(key, l.now()); !ok {
		return errRateLimited("this credential", wait)
	}
	return nil
}

// wrap applies the per-address rate and the concurrency bound to every
// request that h answers; reject writes the refusal (a TAXII error, or
// a page for the UI).
func (l *limiter) wrap(h http.Handler, reject func(w http.ResponseWriter, r *http.Request, err error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := l.addrs.allow(clientAddr(r.RemoteAddr), l.now()); !ok {
			reject(w, r, errRateLimited("this address", wait))
			return
		}
		if l.slots != nil && !isStream(r) {
			t := time.NewTimer(concurrencyWait)
			select {
			case l.slots <- struct{}{}:
				t.Stop()
				defer func() { <-l.slots }()
			case <-t.C:
				w.Header().Set("Retry-After", "1")
				reject(w, r, isachub.Errorf(eUnavailable, "The hub is answering as many requests as it may at once; try again in a second."))
				return
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// isStream reports whether r asks for a feed's live stream
// (routeFeedStream), which is held open for as long as the client listens
// and so takes no slot.
func isStream(r *http.Request) bool {
	path := strings.TrimSuffix(r.URL.Path, "/")
	return r.Method == http.MethodGet && strings.HasSuffix(path, "/stream") && strings.Contains(path, "/feeds/")
}
