package server_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

// smallDisk mounts a tmpfs of the size ("4m") in a temporary directory and
// returns it, unmounted at the end of the test: a real file system that
// fills up. It needs the right to mount (root, or CAP_SYS_ADMIN): without
// it the test is skipped, or failed when CI is set.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		msg := "cannot mount a small tmpfs to fill (needs root or CAP_SYS_ADMIN): " + strings.TrimSpace(string(out))
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// TestDiskFull fills the file system under a SQLite hub (issue 12): the
// POST that does not fit fails with a clear error, nothing of it is
// stored, every object acknowledged before stays readable, and once space
// is freed the hub takes writes again without a restart.
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: mounts a file system; runs in the full pass")
	}
	dir := smallDisk(t, "6m")
	h := newHubAt(t, server.Config{}, filepath.Join(dir, "hub.db"))
	// a filler that leaves little room, and can be removed to free it
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, make([]byte, 3<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	acked := 0
	var failed *response
	for i := 0; i < 1000 && failed == nil; i++ {
		res := h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: "a-analyst", body: indicators(acked, 100)})
		if res.status != http.StatusAccepted {
			failed = res
			break
		}
		var st taxii.Status
		res.want(t, http.StatusAccepted, &st)
		if st.FailureCount != 0 || st.PendingCount != 0 {
			t.Fatalf("envelope %d: %+v", i, st)
		}
		acked += 100
	}
	if failed == nil {
		t.Fatal("the disk never filled")
	}
	t.Logf("%d objects acknowledged, then %d: %s", acked, failed.status, failed.body)
	if failed.status != http.StatusInsufficientStorage || !strings.Contains(string(failed.body), "no space left") {
		t.Errorf("a full disk answers %d %s", failed.status, failed.body)
	}
	count := func() int {
		t.Helper()
		n := 0
		next := ""
		for {
			var page taxii.Envelope
			path := h.objectsURL("open") + "?limit=1000"
			if next != "" {
				path += "&next=" + next
			}
			h.do(t, req{path: path, user: "a-analyst"}).want(t, http.StatusOK, &page)
			n += len(page.Objects)
			if !page.More {
				return n
			}
			next = page.Next
		}
	}
	if got := count(); got != acked {
		t.Errorf("the full hub serves %d objects, %d were acknowledged", got, acked)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	var st taxii.Status
	h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: "a-analyst", body: indicators(acked, 100)}).want(t, http.StatusAccepted, &st)
	if got := count(); got != acked+100 {
		t.Errorf("after freeing space the hub serves %d objects, want %d", got, acked+100)
	}
}
