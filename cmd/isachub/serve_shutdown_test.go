package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestServeSIGTERM: serve, sent SIGTERM while envelopes are still being
// uploaded, finishes those requests (each answered 202 with its status
// resource, every object stored), takes no new connection, and exits 0;
// restarted on the same database, it serves every acknowledged status,
// complete, and every object. Skipped under -short (it builds the
// binary).
func TestServeSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; runs in the full pass")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "hub.db")
	admin := adminOn(t, db, nil)
	admin("", "migrate")
	admin("", "admin", "community", "add", "--community", "term-isac", "--title", "Term ISAC")
	admin("", "admin", "org", "add", "--community", "term-isac", "--org", "member", "--name", "Member")
	admin("a-long-enough-password\n", "admin", "user", "add", "--org", "term-isac/member", "--username", "loader", "--role", "analyst")
	token := admin("", "admin", "token", "add", "--username", "loader")
	coll := admin("", "admin", "collection", "add", "--community", "term-isac", "--title", "Feed", "--alias", "feed", "--readers", "all", "--writers", "all")
	objects := "/term-isac/collections/" + coll + "/objects/"

	cmd, base, _ := startChild(t, bin, db)
	// Each upload sends its first half, then waits for the signal to have
	// been sent before it sends the rest: the request is in flight, its
	// body half read, when serve is told to stop.
	const uploads = 4
	bodies := benchEnvelopes(0, uploads*benchPer)
	signalled := make(chan struct{})
	type answer struct {
		code   int
		status string
		err    error
	}
	answers := make(chan answer, uploads)
	started := make(chan struct{}, uploads)
	for _, body := range bodies {
		go func() {
			pr, pw := io.Pipe()
			go func() {
				pw.Write(body[:len(body)/2])
				started <- struct{}{}
				<-signalled
				time.Sleep(300 * time.Millisecond) // serve is shutting down by now
				pw.Write(body[len(body)/2:])
				pw.Close()
			}()
			r, _ := http.NewRequest(http.MethodPost, base+objects, pr)
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Content-Type", "application/taxii+json;version=2.1")
			r.Header.Set("Accept", "application/taxii+json;version=2.1")
			resp, err := (&http.Client{Transport: &http.Transport{}}).Do(r)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			defer resp.Body.Close()
			var st struct {
				ID string `json:"id"`
			}
			err = json.NewDecoder(resp.Body).Decode(&st)
			answers <- answer{code: resp.StatusCode, status: st.ID, err: err}
		}()
	}
	for range uploads {
		<-started
	}
	time.Sleep(200 * time.Millisecond) // the first halves are on the wire
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	close(signalled)
	// A new connection is refused once the listener is closed.
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("serve still takes new connections 5 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var statuses []string
	for range uploads {
		a := <-answers
		if a.err != nil || a.code != http.StatusAccepted || a.status == "" {
			t.Fatalf("an upload in flight at SIGTERM: %d %q %v", a.code, a.status, a.err)
		}
		statuses = append(statuses, a.status)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not exit within 40 s of SIGTERM")
	}

	// Restarted on the same database: every acknowledged status and
	// object is there.
	_, base, _ = startChild(t, bin, db)
	for _, id := range statuses {
		var st struct {
			Status       string `json:"status"`
			TotalCount   int    `json:"total_count"`
			SuccessCount int    `json:"success_count"`
		}
		getJSONToken(t, base+"/term-isac/status/"+id+"/", token, &st)
		if st.Status != "complete" || st.SuccessCount != benchPer || st.TotalCount != benchPer {
			t.Fatalf("status %s after the restart: %+v", id, st)
		}
	}
	n, next := 0, ""
	for {
		var page struct {
			More    bool   `json:"more"`
			Next    string `json:"next"`
			Objects []struct {
				ID string `json:"id"`
			} `json:"objects"`
		}
		getJSONToken(t, base+"/term-isac/collections/"+coll+"/manifest/?limit=1000&next="+url.QueryEscape(next), token, &page)
		n += len(page.Objects)
		if !page.More {
			break
		}
		next = page.Next
	}
	if n != uploads*benchPer {
		t.Fatalf("after the restart the collection holds %d objects, want %d", n, uploads*benchPer)
	}
}
