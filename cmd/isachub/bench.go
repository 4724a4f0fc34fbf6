package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mathrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/isachub/isachub/taxii"
)

// runBench implements "isachub bench": it drives a running hub with
// publishers (TAXII POSTs of envelopes of new indicators) and readers
// (GETs of a full page of the collection, each on its own clock at the
// poll interval, like member tools), for a bounded time, and prints throughput and latency
// percentiles per kind of request. It is the load tool of issue 12: the
// hub's own benchmarks measure it in process, this measures it as members
// see it.
func runBench(ctx context.Context, env *Env, args []string) int {
	c := newClientCmd(env, "bench", "--url API_ROOT --collection ID [--publishers N] [--readers N] [--duration D] [--envelope N] [--poll D] [--page N]")
	coll := c.fs.String("collection", "", "the collection to publish to and read (its id or alias)")
	publishers := c.fs.Int("publishers", 4, "concurrent publishers, each POSTing envelope after envelope")
	readers := c.fs.Int("readers", 20, "concurrent readers, each GETting a page of the collection every --poll, starting at a random point of the interval")
	duration := c.fs.Duration("duration", 30*time.Second, "how long to run")
	envelope := c.fs.Int("envelope", 1000, "indicators per POST")
	poll := c.fs.Duration("poll", time.Second, "each reader's interval between pages (0: as fast as it can)")
	pageSize := c.fs.Int("page", 100, "objects per page a reader asks for")
	h, code := c.parse(args, 0)
	if code >= 0 {
		return code
	}
	if *coll == "" {
		return c.failf("--collection is required")
	}
	if *publishers < 0 || *readers < 0 || *publishers+*readers == 0 || *envelope < 1 || *pageSize < 1 || *duration <= 0 {
		return c.failf("need --publishers or --readers above 0, --envelope and --page of 1 or more, a positive --duration")
	}
	// One probe first, so that a wrong URL, collection or credential is one
	// clear error rather than thousands.
	if _, err := h.Objects(ctx, *coll, taxii.PageQuery{Limit: 1}); err != nil {
		return c.fail(err)
	}
	run := make([]byte, 4)
	rand.Read(run)
	prefix := hex.EncodeToString(run)

	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	var posts, gets benchSeries
	var published atomic.Int64
	var wg sync.WaitGroup
	for p := range *publishers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ctx.Err() == nil; n++ {
				body := benchEnvelope(prefix, p, n, *envelope)
				start := time.Now()
				_, err := h.AddObjects(ctx, *coll, body)
				if ctx.Err() != nil {
					return
				}
				posts.add(time.Since(start), err)
				if err == nil {
					published.Add(int64(*envelope))
				}
			}
		}()
	}
	for range *readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Member tools poll on their own clocks: each reader starts
			// at a random point of the interval, not all at once.
			if *poll > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(mathrand.N(*poll)):
				}
			}
			tick := time.NewTicker(max(*poll, time.Millisecond))
			defer tick.Stop()
			for ctx.Err() == nil {
				start := time.Now()
				_, err := h.Objects(ctx, *coll, taxii.PageQuery{Limit: *pageSize})
				if ctx.Err() != nil {
					return
				}
				gets.add(time.Since(start), err)
				if *poll > 0 {
					select {
					case <-ctx.Done():
					case <-tick.C:
					}
				}
			}
		}()
	}
	began := time.Now()
	progress := time.NewTicker(time.Second)
	defer progress.Stop()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		case <-progress.C:
			fmt.Fprintf(env.Stderr, "\r%4.0fs  %d objects published, %d pages read  ", time.Since(began).Seconds(), published.Load(), gets.count())
		}
	}
	elapsed := time.Since(began)
	fmt.Fprintln(env.Stderr)
	w := env.Stdout
	fmt.Fprintf(w, "%d publishers (envelopes of %d), %d readers (pages of %d every %s), %s\n",
		*publishers, *envelope, *readers, *pageSize, *poll, elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "published: %d objects, %.0f objects/s\n", published.Load(), float64(published.Load())/elapsed.Seconds())
	posts.print(w, "POST", elapsed)
	gets.print(w, "GET", elapsed)
	if posts.failures()+gets.failures() > 0 {
		return exitNegative
	}
	return exitOK
}

// benchEnvelope is an envelope of n new indicators, their ids and values
// unique to the run (prefix), the publisher and the envelope.
func benchEnvelope(prefix string, publisher, envelope, n int) []byte {
	var b strings.Builder
	b.WriteString(`{"objects":[`)
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"indicator","spec_version":"2.1","id":"indicator--%s-%04x-4%03x-8%03x-%012x",`+
			`"created":"%s","modified":"%s","name":"bench %s/%d/%d/%d","pattern_type":"stix",`+
			`"pattern":"[domain-name:value = 'b%s-%d-%d-%d.bench.example']","valid_from":"%s"}`,
			prefix, publisher&0xffff, (envelope>>12)&0xfff, envelope&0xfff, i,
			now, now, prefix, publisher, envelope, i, prefix, publisher, envelope, i, now)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// benchSeries collects the latencies and failures of one kind of request.
type benchSeries struct {
	mu     sync.Mutex
	lat    []time.Duration
	failed int
	first  error
}

func (s *benchSeries) add(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failed++
		if s.first == nil {
			s.first = err
		}
		return
	}
	s.lat = append(s.lat, d)
}

func (s *benchSeries) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lat)
}

func (s *benchSeries) failures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

// print writes the series' rate and its latency at the median, p90, p99
// and the maximum.
func (s *benchSeries) print(w interface{ Write([]byte) (int, error) }, name string, elapsed time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.lat) == 0 && s.failed == 0 {
		return
	}
	lat := slices.Clone(s.lat)
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	fmt.Fprintf(w, "%-4s %7d ok %5d failed %8.1f/s  median %s  p90 %s  p99 %s  max %s\n", name, len(lat), s.failed,
		float64(len(lat))/elapsed.Seconds(), q(.5).Round(time.Microsecond), q(.9).Round(time.Microsecond),
		q(.99).Round(time.Microsecond), q(1).Round(time.Microsecond))
	if s.first != nil {
		fmt.Fprintf(w, "     first failure: %v\n", s.first)
	}
}
