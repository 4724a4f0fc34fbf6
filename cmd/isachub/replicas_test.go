package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/isachub/isachub/internal/pgtest"
	"github.com/isachub/isachub/taxii"
)

// TestReplicas runs three serve processes' worth of hub (each its own
// pool, HTTP server and webhook sender) on one PostgreSQL database: an
// object posted on one is readable on the others at once, its status too,
// paging with next started on one continues on the others, and a UI
// session made on one is good on the others.
func TestReplicas(t *testing.T) {
	dsn := pgtest.Schema(t, "./cmd/isachub/", "isachub_replicas_test_")
	// The first seeds the demo; the others find it there.
	var bases []string
	for i := range 3 {
		base, stop := startServeDSN(t, dsn)
		defer func() {
			if code, _ := stop(); code != exitOK {
				t.Errorf("replica %d exited with %d", i, code)
			}
		}()
		bases = append(bases, base)
	}
	const user, pass = "bob", "bob-demo-password"
	objects := "/demo-isac/collections/shared/objects/"

	var objs []string
	for i := range 5 {
		objs = append(objs, fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-1111-4111-8111-111111111111",`+
			`"created":"2026-12-01T00:00:00.000Z","modified":"2026-12-01T00:00:00.000Z","name":"replica %d",`+
			`"pattern":"[ipv4-addr:value = '198.51.100.%d']","pattern_type":"stix","valid_from":"2026-12-01T00:00:00Z"}`, i+1, i, i+1))
	}
	status, body := call(t, http.MethodPost, bases[0]+objects, user, pass, []byte(`{"objects":[`+strings.Join(objs, ",")+`]}`))
	if status != http.StatusAccepted {
		t.Fatalf("POST on replica 0 = %d %s", status, body)
	}
	var st taxii.Status
	if err := json.Unmarshal(body, &st); err != nil || st.SuccessCount != 5 {
		t.Fatalf("status %s (%v)", body, err)
	}
	for i, base := range bases[1:] {
		status, body := call(t, http.MethodGet, base+objects+"indicator--00000003-1111-4111-8111-111111111111/", user, pass, nil)
		if status != http.StatusOK || !strings.Contains(string(body), "replica 2") {
			t.Errorf("replica %d reads the object posted on replica 0: %d %s", i+1, status, body)
		}
		var got taxii.Status
		getJSON(t, base+"/demo-isac/status/"+st.ID+"/", user, pass, &got)
		if got.ID != st.ID || got.SuccessCount != 5 {
			t.Errorf("replica %d has status %+v", i+1, got)
		}
	}

	// Page through the five by two, each page from the next replica.
	seen := map[string]bool{}
	next := ""
	for page := 0; ; page++ {
		u := bases[page%3] + objects + "?limit=2&match[type]=indicator&match[id]=" + strings.Join(ids(5), ",")
		if next != "" {
			u += "&next=" + url.QueryEscape(next)
		}
		var env taxii.Envelope
		getJSON(t, u, user, pass, &env)
		for _, raw := range env.Objects {
			var o struct{ ID string }
			json.Unmarshal(raw, &o)
			if seen[o.ID] {
				t.Errorf("page %d repeats %s", page, o.ID)
			}
			seen[o.ID] = true
		}
		if !env.More {
			break
		}
		next = env.Next
		if page > 5 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != 5 {
		t.Errorf("paging across the replicas gave %d of the 5 objects", len(seen))
	}

	// A session made on one replica works on the others.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.PostForm(bases[0]+"/ui/login", url.Values{"username": {user}, "password": {pass}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in on replica 0 = %d", resp.StatusCode)
	}
	for i, base := range bases[1:] {
		u, _ := url.Parse(base)
		u0, _ := url.Parse(bases[0])
		jar.SetCookies(u, jar.Cookies(u0))
		resp, err := browser.Get(base + "/ui/")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), user) {
			t.Errorf("replica %d with replica 0's session = %d", i+1, resp.StatusCode)
		}
	}
}

func ids(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("indicator--%08x-1111-4111-8111-111111111111", i+1))
	}
	return out
}

// call makes one TAXII request with HTTP Basic and returns the status and
// body.
func call(t *testing.T, method, u, user, pass string, body []byte) (int, []byte) {
	t.Helper()
	r, _ := http.NewRequest(method, u, bytes.NewReader(body))
	r.SetBasicAuth(user, pass)
	r.Header.Set("Accept", taxii.MediaTypeTAXII21)
	if body != nil {
		r.Header.Set("Content-Type", taxii.MediaTypeTAXII21)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}
