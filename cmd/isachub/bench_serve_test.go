//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/isachub/isachub/taxii"
)

// The benchmarks here measure ingest through the real binary (issue 13
// item 6): "go build" of this command, "isachub serve" as a child process
// on 127.0.0.1 over a SQLite file, and 4 clients POSTing envelopes of
// 1,000 indicators with a bearer token, as a member's tools would. With
// ISACHUB_BENCH_PROFILE=FILE the server's CPU profile of the first
// measured load is written to FILE, and the allocations until its end to
// FILE.allocs (through serve --pprof-listen).

const (
	benchPer     = 1000 // objects per envelope
	benchClients = 4
)

// servedHub is an "isachub serve" child process with one collection that
// a bearer token may write.
type servedHub struct {
	objectsURL string
	pprofURL   string
	token      string
	client     *http.Client
	pid        int
}

// buildBinary builds this command once per benchmark run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "isachub-bench-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "isachub")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// startServedHub sets up a database with the command line (in this
// process), starts the built binary's serve on it and waits until it
// listens.
func startServedHub(b *testing.B) *servedHub {
	b.Helper()
	bin, err := buildBinary()
	if err != nil {
		b.Fatal(err)
	}
	db := "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
	admin := func(args ...string) string {
		code, out, errOut := runCLI(b, "", nil, append(args, "--db", db)...)
		if code != exitOK {
			b.Fatalf("isachub %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return strings.TrimSpace(out)
	}
	admin("migrate")
	admin("admin", "community", "add", "--community", "bench-isac", "--title", "Bench ISAC")
	admin("admin", "org", "add", "--community", "bench-isac", "--org", "member", "--name", "Member")
	code, _, errOut := runCLI(b, "a-long-enough-password\n", nil, "admin", "user", "add", "--db", db,
		"--org", "bench-isac/member", "--username", "loader", "--role", "analyst")
	if code != exitOK {
		b.Fatalf("user add: %s", errOut)
	}
	token := admin("admin", "token", "add", "--username", "loader")
	coll := admin("admin", "collection", "add", "--community", "bench-isac", "--title", "Feed", "--alias", "feed", "--readers", "all", "--writers", "all")

	// The load is one credential's: no per-caller limit.
	cmd, base, pprofURL := startChild(b, bin, db, "--pprof-listen", "127.0.0.1:0", "--rate-per-caller", "0")
	return &servedHub{token: token, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}}, pid: cmd.Process.Pid,
		objectsURL: base + "/bench-isac/collections/" + coll + "/objects/", pprofURL: pprofURL}
}

// startChild starts the built binary's serve over db with the extra
// arguments, as a child process that the test's end interrupts, and waits
// until it listens; it returns its base URL and, with --pprof-listen, the
// profiler's.
func startChild(tb testing.TB, bin, db string, extra ...string) (cmd *exec.Cmd, base, pprofURL string) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd = exec.CommandContext(ctx, bin, append([]string{"serve", "--db", db, "--listen", "127.0.0.1:0"}, extra...)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cancel(); cmd.Wait() })
	addr := regexp.MustCompile(`addr=(http://127\.0\.0\.1:\d+)/taxii2/`)
	pprof := regexp.MustCompile(`pprof=(http://127\.0\.0\.1:\d+)/`)
	lines := bufio.NewScanner(stderr)
	for base == "" && lines.Scan() {
		if m := pprof.FindStringSubmatch(lines.Text()); m != nil {
			pprofURL = m[1]
		}
		if m := addr.FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		tb.Fatalf("serve did not start: %v", lines.Err())
	}
	go io.Copy(io.Discard, stderr) // the request log, if any
	return cmd, base, pprofURL
}

// benchIndicator is indicator number n, the same shape as the in-process
// server benchmark's (server/bench_test.go), so that the two figures
// compare: about 330 bytes, a name and an IPv4 equality pattern.
func benchIndicator(n int) string {
	return fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-0000-4000-8000-%012x","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Bad address %d","indicator_types":["malicious-activity"],"pattern":"[ipv4-addr:value = '198.51.%d.%d']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`,
		n, n, n, (n/256)%256, n%256)
}

// benchEnvelopes returns the TAXII envelopes holding indicators from to
// to-1, benchPer in each.
func benchEnvelopes(from, to int) [][]byte {
	var bodies [][]byte
	for i := from; i < to; i += benchPer {
		var buf bytes.Buffer
		buf.WriteString(`{"objects":[`)
		for j := i; j < min(i+benchPer, to); j++ {
			if j > i {
				buf.WriteByte(',')
			}
			buf.WriteString(benchIndicator(j))
		}
		buf.WriteString("]}")
		bodies = append(bodies, buf.Bytes())
	}
	return bodies
}

// cpu returns the CPU time (user and system) the server process has used,
// from /proc (in clock ticks of 10 ms: enough over a load of seconds), and
// that of this process, the clients.
func (h *servedHub) cpu(b *testing.B) (server, clients time.Duration) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", h.pid))
	if err != nil {
		return 0, cpuTime(b)
	}
	// The fields after the command name, which is in parentheses.
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	var utime, stime int64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	return time.Duration(utime+stime) * 10 * time.Millisecond, cpuTime(b)
}

// load POSTs the envelopes from benchClients clients and returns the
// objects/s and the POST latencies.
func (h *servedHub) load(b *testing.B, bodies [][]byte) (rate float64, latencies []time.Duration) {
	queue := make(chan []byte, len(bodies))
	for _, body := range bodies {
		queue <- body
	}
	close(queue)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range benchClients {
		wg.Go(func() {
			for body := range queue {
				t0 := time.Now()
				h.post(b, body)
				d := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	objects := 0
	for _, body := range bodies {
		objects += bytes.Count(body, []byte(`"type":"indicator"`))
	}
	slices.Sort(latencies)
	return float64(objects) / time.Since(start).Seconds(), latencies
}

// post sends one envelope and fails unless every object was stored.
func (h *servedHub) post(b *testing.B, body []byte) {
	r, err := http.NewRequest(http.MethodPost, h.objectsURL, bytes.NewReader(body))
	if err != nil {
		b.Error(err)
		return
	}
	r.Header.Set("Authorization", "Bearer "+h.token)
	r.Header.Set("Content-Type", taxii.MediaTypeTAXII21)
	r.Header.Set("Accept", taxii.MediaTypeTAXII21)
	resp, err := h.client.Do(r)
	if err != nil {
		b.Error(err)
		return
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || !bytes.Contains(data, []byte(`"failure_count":0,`)) {
		b.Errorf("POST: %d %.300s", resp.StatusCode, data)
	}
}

// profile starts a CPU profile of the server for the given time when
// ISACHUB_BENCH_PROFILE names a file, and returns a function that waits
// for it and writes it.
func (h *servedHub) profile(b *testing.B, seconds int) (wait func()) {
	file := os.Getenv("ISACHUB_BENCH_PROFILE")
	if file == "" || h.pprofURL == "" {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", h.pprofURL, seconds))
		if err != nil {
			b.Error(err)
			return
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if err := os.WriteFile(file, data, 0o600); err != nil {
			b.Error(err)
		}
	}()
	return func() {
		<-done
		// And what the load allocated, for go tool pprof -sample_index=alloc_space.
		resp, err := http.Get(h.pprofURL + "/debug/pprof/allocs")
		if err != nil {
			b.Error(err)
			return
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if err := os.WriteFile(file+".allocs", data, 0o600); err != nil {
			b.Error(err)
		}
	}
}

// BenchmarkServeIngest POSTs 100,000 new indicators per iteration in
// envelopes of 1,000 from 4 clients to the real binary's serve over
// SQLite, and reports objects/s (issue 13 target: at least 40,000) and the
// POST latency's median and p99.
func BenchmarkServeIngest(b *testing.B) {
	const total = 100000
	h := startServedHub(b)
	// A warm-up envelope: the first request opens connections and fills caches.
	h.post(b, benchEnvelopes(10_000_000, 10_000_000+benchPer)[0])
	for n := 0; b.Loop(); n++ {
		b.StopTimer()
		bodies := benchEnvelopes(n*total, (n+1)*total)
		b.StartTimer()
		wait := func() {}
		if n == 0 {
			wait = h.profile(b, 2)
		}
		srv0, cli0 := h.cpu(b)
		rate, lat := h.load(b, bodies)
		srv1, cli1 := h.cpu(b)
		wait()
		b.ReportMetric(rate, "objects/s")
		b.ReportMetric(float64((srv1-srv0).Microseconds())/total, "server-cpu-µs/object")
		b.ReportMetric(float64((cli1-cli0).Microseconds())/total, "client-cpu-µs/object")
		b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
	}
}

// BenchmarkServeIngestCurve fills one collection to 1,000,000 indicators
// through the real binary, 100,000 at a time, and reports the rate of
// each step: the target is that the step from 900,000 to
// 1,000,000 runs at no less than 80% of the first (last/first ≥ 0.8).
// Run it with -benchtime 1x.
func BenchmarkServeIngestCurve(b *testing.B) {
	const step, steps = 100000, 10
	for range b.N { // not b.Loop: the timer stops between the steps
		b.StopTimer()
		h := startServedHub(b)
		h.post(b, benchEnvelopes(10_000_000, 10_000_000+benchPer)[0])
		var rates []float64
		for s := range steps {
			bodies := benchEnvelopes(s*step, (s+1)*step)
			b.StartTimer()
			rate, lat := h.load(b, bodies)
			b.StopTimer()
			rates = append(rates, rate)
			b.Logf("%7d to %7d: %6.0f objects/s, POST p50 %v p99 %v", s*step, (s+1)*step, rate,
				lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)*99/100].Round(time.Millisecond))
		}
		b.ReportMetric(rates[0], "first-objects/s")
		b.ReportMetric(rates[steps-1], "last-objects/s")
		b.ReportMetric(rates[steps-1]/rates[0], "last/first")
	}
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
