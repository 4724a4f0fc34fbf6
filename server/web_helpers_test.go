package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
)

// browser is a web UI client with its own cookies, as a person's browser
// would be: it follows no redirect by itself, so that tests see them.
type browser struct {
	t    testing.TB
	h    *hub
	c    *http.Client
	csrf string // the session's CSRF token, read from the last page
}

// page is one response of the UI.
type page struct {
	status   int
	header   http.Header
	body     string
	location string
}

func (h *hub) browser(tb testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: tb, h: h, c: c}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// do sends a request from the hub's own pages (Sec-Fetch-Site:
// same-origin, as a browser says for a form on the hub).
func (b *browser) do(method, path, contentType string, body io.Reader, header http.Header) *page {
	b.t.Helper()
	r, err := http.NewRequest(method, b.h.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if method == http.MethodPost {
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for k, v := range header {
		r.Header[k] = v
	}
	resp, err := b.c.Do(r)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := &page{status: resp.StatusCode, header: resp.Header, body: string(raw), location: resp.Header.Get("Location")}
	if m := csrfRE.FindStringSubmatch(p.body); m != nil {
		b.csrf = m[1]
	}
	return p
}

func (b *browser) get(path string) *page {
	b.t.Helper()
	return b.do(http.MethodGet, path, "", nil, nil)
}

// post sends a form, with the session's CSRF token unless the form has
// its own "csrf".
func (b *browser) post(path string, form url.Values) *page {
	b.t.Helper()
	if _, ok := form["csrf"]; !ok && b.csrf != "" {
		form.Set("csrf", b.csrf)
	}
	return b.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), nil)
}

// upload sends a multipart form with one file.
func (b *browser) upload(path string, fields url.Values, name string, content []byte) *page {
	b.t.Helper()
	return b.multipart(path, fields, func(w *multipart.Writer) {
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(content)
	})
}

// postMultipart sends a multipart form without a file.
func (b *browser) postMultipart(path string, fields url.Values) *page {
	b.t.Helper()
	return b.multipart(path, fields, func(*multipart.Writer) {})
}

// multipart sends the fields, and what parts adds, as a multipart form.
func (b *browser) multipart(path string, fields url.Values, parts func(*multipart.Writer)) *page {
	b.t.Helper()
	var buf strings.Builder
	w := multipart.NewWriter(&buf)
	fields.Set("csrf", b.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	parts(w)
	w.Close()
	return b.do(http.MethodPost, path, w.FormDataContentType(), strings.NewReader(buf.String()), nil)
}

// signIn signs in through the login form and checks that it lands on the
// dashboard.
func (b *browser) signIn(username, password string) {
	b.t.Helper()
	p := b.post("/ui/login", url.Values{"username": {username}, "password": {password}})
	if p.status != http.StatusSeeOther || p.location != "/ui/" {
		b.t.Fatalf("sign in as %s: %d to %q: %.300s", username, p.status, p.location, p.body)
	}
	b.get("/ui/") // reads the CSRF token
}

// signInAs gives the browser a session of the user made in the store, for
// the users the suites make without a password (sign-in itself is tested
// through the form).
func (b *browser) signInAs(username string) {
	b.t.Helper()
	ctx := context.Background()
	u, err := b.h.store.User(ctx, username)
	if err != nil {
		b.t.Fatal(err)
	}
	secret := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%032d", u.ID)))
	hash := sha256.Sum256([]byte(secret))
	s := &isachub.Session{UserID: u.ID, Hash: hash[:], CSRFToken: "csrf-" + username, ExpiresAt: time.Now().Add(time.Hour)}
	if err := b.h.store.CreateSession(ctx, s); err != nil {
		b.t.Fatal(err)
	}
	base, _ := url.Parse(b.h.srv.URL + "/ui/")
	b.c.Jar.SetCookies(base, []*http.Cookie{{Name: "isachub_session", Value: secret, Path: "/ui/"}})
	b.csrf = s.CSRFToken
}

// want fails unless the page has the status.
func (p *page) want(tb testing.TB, status int) *page {
	tb.Helper()
	if p.status != status {
		tb.Fatalf("status %d, want %d: %.600s", p.status, status, p.body[max(0, strings.Index(p.body, "<main")):])
	}
	return p
}

// contains fails unless the page's body has every string.
func (p *page) contains(tb testing.TB, ss ...string) *page {
	tb.Helper()
	for _, s := range ss {
		if !strings.Contains(p.body, s) {
			tb.Fatalf("page lacks %q: %.1500s", s, p.body)
		}
	}
	return p
}

// lacks fails if the page's body has any of the strings.
func (p *page) lacks(tb testing.TB, ss ...string) *page {
	tb.Helper()
	for _, s := range ss {
		if strings.Contains(p.body, s) {
			tb.Fatalf("page has %q: %.1500s", s, p.body)
		}
	}
	return p
}
