package server_test

import (
	"fmt"
	"net/http"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/isachub/isachub/server"
)

// TestSoak drives a hub for a few seconds with publishers and pollers and
// checks that nothing accumulates over its second half: goroutines and
// open file descriptors return to their count after the first half, and
// the live heap does not grow with the number of requests. A 10-minute soak is the nightly kind that CI
// cannot afford; this is its short form. Skipped under -short.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak runs in the full pass only")
	}
	h := newHub(t, server.Config{})
	h.srv.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 8
	settle := func() (goroutines, fds int, heap uint64) {
		h.srv.Client().CloseIdleConnections()
		h.srv.CloseClientConnections()
		time.Sleep(200 * time.Millisecond)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		entries, _ := os.ReadDir("/proc/self/fd")
		return runtime.NumGoroutine(), len(entries), ms.HeapAlloc
	}
	round := func(d time.Duration, from int) int {
		n := 0
		done := time.Now().Add(d)
		for time.Now().Before(done) {
			errs := make(chan error, 8)
			for w := range 8 {
				go func() {
					var err error
					if w < 2 {
						resp := h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: "a-analyst", body: indicators(from+n*100+w*10, 10)})
						if resp.status != http.StatusAccepted {
							err = fmt.Errorf("POST = %d", resp.status)
						}
					} else if resp := h.do(t, req{path: h.objectsURL("open") + "?limit=100", user: "b-analyst"}); resp.status != http.StatusOK {
						err = fmt.Errorf("GET = %d", resp.status)
					}
					errs <- err
				}()
			}
			for range 8 {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			n++
		}
		return n
	}
	// The first half warms up what is made once: the reader pool's
	// connections (a file descriptor each), caches, the IOC index.
	n1 := round(3*time.Second, 0)
	g0, fd0, heap1 := settle()
	n2 := round(3*time.Second, 1_000_000)
	g2, fd2, heap2 := settle()
	t.Logf("%d and %d rounds of 8 requests; goroutines %d -> %d, fds %d -> %d, heap %d -> %d KiB",
		n1, n2, g0, g2, fd0, fd2, heap1>>10, heap2>>10)
	if g2 > g0+2 {
		t.Errorf("goroutines grew from %d to %d", g0, g2)
	}
	if fd2 > fd0+2 {
		t.Errorf("open file descriptors grew from %d to %d", fd0, fd2)
	}
	// The hub holds more objects after the second half, and the IOC index
	// and caches grow with them; what must not grow is anything per request.
	if heap2 > heap1*3/2+8<<20 {
		t.Errorf("the live heap grew from %d to %d KiB over the second half", heap1>>10, heap2>>10)
	}
}
