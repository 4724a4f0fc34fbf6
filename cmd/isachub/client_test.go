package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/taxii"
)

// submission is the test submission: Skyways' identity and an indicator
// whose description names Skyways, its domain and its address.
func submission(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/anon-submission.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The names, domain and ids by which the test submission could betray
// Skyways.
var skywaysTells = []string{"Skyways Airlines", "skyways.example", "7d3e5b1a-2f4c-4e8a-9b6d-1c2a3b4c5d6e", "0b9e2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b"}

// parseStatus decodes the status resource that publish printed.
func parseStatus(t *testing.T, out string) taxii.Status {
	t.Helper()
	var st taxii.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("publish printed no status resource: %v\n%s", err, out)
	}
	return st
}

func TestPublishAndWithdraw(t *testing.T) { forBackends(t, testPublishAndWithdraw) }

func testPublishAndWithdraw(t *testing.T, db testDB) {
	h := startHub(t, db)
	t.Run("OKAnonymousFlag", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", submission(t), nil, "publish", "--json", "--url", h.root("aviation-isac"), "--collection", "shared", "--anonymous", "-")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		handle := withdrawalHandle(t, errOut)
		if !strings.Contains(errOut, "Keep it secret") || !strings.Contains(errOut, "shown only this once") {
			t.Errorf("no warning to keep the handle: %s", errOut)
		}
		if strings.Contains(out, handle) {
			t.Errorf("the handle is printed to stdout as well: %s", out)
		}
		st := parseStatus(t, out)
		if st.SuccessCount != 1 || st.FailureCount != 0 {
			t.Fatalf("status %+v", st)
		}
		for _, tell := range skywaysTells {
			if strings.Contains(out, tell) {
				t.Errorf("the status names %q: %s", tell, out)
			}
		}
		published := st.Successes[0].ID

		code, out, errOut = h.client(t, "bob", "", map[string]string{"ISACHUB_WITHDRAWAL_HANDLE": handle}, "withdraw", "--url", h.root("aviation-isac"))
		if code != exitOK || !strings.Contains(out, "revoked\t"+published) {
			t.Fatalf("withdraw: exit %d, out %q, stderr %q", code, out, errOut)
		}
		// Withdrawing again changes nothing and says why.
		code, out, _ = h.client(t, "bob", "", nil, "withdraw", "--url", h.root("aviation-isac"), "--handle", handle)
		if code != exitOK || !strings.Contains(out, "unchanged\t"+published) || !strings.Contains(out, "already revoked") {
			t.Errorf("second withdraw: exit %d, %q", code, out)
		}
	})
	t.Run("OKAnonymousToken", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob-anon", submission(t), nil, "publish", "--json", "--url", h.root("aviation-isac"), "--collection", "shared")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		withdrawalHandle(t, errOut)
		if st := parseStatus(t, out); st.SuccessCount != 1 || slices.ContainsFunc(st.Successes, func(d taxii.StatusDetail) bool { return strings.Contains(d.ID, "0b9e2f3a") }) {
			t.Errorf("status %+v", st)
		}
	})
	t.Run("OKAnonymousCollection", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", submission(t), nil, "publish", "--json", "--url", h.root("aviation-isac"), "--collection", "anon")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		withdrawalHandle(t, errOut)
		// Under the sealed record bob's organisation may withdraw
		// without the handle, by naming the object.
		published := parseStatus(t, out).Successes[0].ID
		code, out, errOut = h.client(t, "bob", "", nil, "withdraw", "--url", h.root("aviation-isac"), "--object", published)
		if code != exitOK || !strings.Contains(out, "revoked\t"+published) {
			t.Errorf("withdraw --object: exit %d, out %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("OKNamed", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", submission(t), nil, "publish", "--url", h.root("aviation-isac"), "--collection", "shared")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if strings.Contains(errOut, "Withdrawal handle") {
			t.Errorf("a named submission got a withdrawal handle: %s", errOut)
		}
		// Without --json: a summary, and a line per status resource.
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 || lines[0] != "2 objects in 1 envelope: 2 stored, 0 pending, 0 refused." ||
			!strings.HasPrefix(lines[1], "status\t") || !strings.HasSuffix(lines[1], "\tcomplete\t2 stored, 0 pending, 0 refused") {
			t.Errorf("summary:\n%s", out)
		}
	})
	t.Run("OKBasicAuth", func(t *testing.T) {
		code, out, errOut := runCLI(t, submission(t), map[string]string{"ISACHUB_USER": "bob", "ISACHUB_PASSWORD": "bob-test-password"},
			"publish", "--json", "--url", h.root("aviation-isac"), "--collection", "shared")
		if code != exitOK || parseStatus(t, out).TotalCount != 2 {
			t.Errorf("exit %d: %s %s", code, out, errOut)
		}
	})
	t.Run("ErrUnknownHandle", func(t *testing.T) {
		code, _, errOut := h.client(t, "bob", "", nil, "withdraw", "--url", h.root("aviation-isac"), "--handle", "isachub-withdraw_nothing")
		if code != exitNegative || !strings.Contains(errOut, "No submission of this community has this withdrawal handle") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("ErrRefusedObject", func(t *testing.T) {
		bad := `{"type":"indicator","spec_version":"2.1","id":"indicator--1b9e2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b","created":"2026-11-21T09:30:00.000Z","modified":"2026-11-21T09:30:00.000Z","pattern":"[ipv4-addr:value = '203.0.113.9']","valid_from":"2026-11-21T09:30:00Z"}`
		code, out, errOut := h.client(t, "bob", bad, nil, "publish", "--json", "--url", h.root("aviation-isac"), "--collection", "shared")
		if code != exitNegative || parseStatus(t, out).FailureCount != 1 || !strings.Contains(errOut, "1 of 1 objects were refused") {
			t.Errorf("exit %d, out %q, stderr %q", code, out, errOut)
		}
	})
}

func TestPreview(t *testing.T) { forBackends(t, testPreview) }

func testPreview(t *testing.T, db testDB) {
	h := startHub(t, db)
	code, out, errOut := h.client(t, "bob", submission(t), nil, "preview", "--url", h.root("aviation-isac"), "--collection", "shared")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var b struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("the preview is not JSON: %v\n%s", err, out)
	}
	if b.Type != "bundle" || !taxii.ValidSTIXID(b.ID) || !strings.HasPrefix(b.ID, "bundle--") {
		t.Errorf("not a bundle: type %q, id %q", b.Type, b.ID)
	}
	// The community's identity, the sector identity and the indicator; the
	// submitter's identity is dropped.
	if len(b.Objects) != 3 {
		t.Errorf("%d objects, want 3:\n%s", len(b.Objects), out)
	}
	if !strings.Contains(out, "[REDACTED]") || !strings.Contains(out, "crew-portal-login.example") {
		t.Errorf("the description is not redacted or the pattern is gone:\n%s", out)
	}
	for _, tell := range skywaysTells {
		if strings.Contains(out, tell) {
			t.Errorf("the preview names %q:\n%s", tell, out)
		}
	}
	for _, want := range []string{"indicator--0b9e2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b -> indicator--", "Dropped (not published): identity--7d3e5b1a-2f4c-4e8a-9b6d-1c2a3b4c5d6e", "ids are stable"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// Nothing was stored: the collection is still empty for the next
	// publish, whose ids are the previewed ones (stable under a sealed
	// record).
	code, pub, _ := h.client(t, "bob", submission(t), nil, "publish", "--json", "--url", h.root("aviation-isac"), "--collection", "shared", "--anonymous")
	if st := parseStatus(t, pub); code != exitOK || st.SuccessCount != 1 || !strings.Contains(out, st.Successes[0].ID) {
		t.Errorf("publish after preview: exit %d, %s", code, pub)
	}

	t.Run("OKDeclaredIdentity", func(t *testing.T) {
		// An identity that nothing in the submission names as its author
		// is dropped once the organisation declares it as its own.
		const own = "identity--2a6c1e0f-8d3b-4f5a-9e7c-6b4d2f1a0c9e"
		sub := `[{"type":"identity","spec_version":"2.1","id":"` + own + `","created":"2026-11-20T08:00:00.000Z","modified":"2026-11-20T08:00:00.000Z","name":"Skyways Airlines","identity_class":"organization"},
			{"type":"malware","spec_version":"2.1","id":"malware--3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f","created":"2026-11-21T09:30:00.000Z","modified":"2026-11-21T09:30:00.000Z","name":"RunwayRAT","is_family":true}]`
		h.admin(t, "admin", "org", "set", "--community", "aviation-isac", "--org", "skyways", "--identity-id", own)
		code, out, errOut := h.client(t, "bob", sub, nil, "preview", "--url", h.root("aviation-isac"), "--collection", "shared")
		if code != exitOK || strings.Contains(out, "2a6c1e0f") || strings.Contains(out, "Skyways") || !strings.Contains(errOut, "Dropped (not published): "+own) {
			t.Errorf("exit %d, stderr %q:\n%s", code, errOut, out)
		}
	})
	t.Run("OKRandomIDs", func(t *testing.T) {
		code, _, errOut := h.client(t, "quinn", submission(t), nil, "preview", "--url", h.root("quiet-isac"), "--collection", "shared")
		if code != exitOK || !strings.Contains(errOut, "re-minted at random") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

func TestClientErrors(t *testing.T) {
	h := startHub(t, sqliteDB(t))
	sub := submission(t)
	// A hub whose certificate the system does not trust is not reached.
	untrusted := httptest.NewUnstartedServer(http.NotFoundHandler())
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	untrusted.StartTLS()
	defer untrusted.Close()
	// A hub that redirects is not followed, whatever the scheme.
	redirecting := httptest.NewServer(http.RedirectHandler("http://198.51.100.7/aviation-isac/collections/shared/objects/", http.StatusPermanentRedirect))
	defer redirecting.Close()
	for _, tt := range []struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"ErrNoCredentials", map[string]string{}, sub, []string{"publish", "--url", h.root("aviation-isac"), "--collection", "shared"}, exitUsage, "ISACHUB_TOKEN"},
		{"ErrNoURL", nil, sub, []string{"preview", "--collection", "shared"}, exitUsage, "--url is required"},
		{"ErrBadURL", nil, sub, []string{"preview", "--url", "ftp://hub.example/x/", "--collection", "shared"}, exitUsage, "not an http"},
		{"ErrNoCollection", nil, sub, []string{"publish", "--url", h.root("aviation-isac")}, exitUsage, "--collection is required"},
		{"ErrNotSTIX", nil, "not json", []string{"preview", "--url", h.root("aviation-isac"), "--collection", "shared"}, exitUsage, "standard input"},
		{"ErrEmptyBundle", nil, `{"type":"bundle","id":"bundle--5f0c6a52-1c55-4a8e-9a40-3d1b7f6e2a11","objects":[]}`, []string{"publish", "--url", h.root("aviation-isac"), "--collection", "shared"}, exitUsage, "holds no STIX objects"},
		{"ErrNoFile", nil, "", []string{"publish", "--url", h.root("aviation-isac"), "--collection", "shared", "testdata/none.json"}, exitUsage, "none.json"},
		{"ErrNoHandle", nil, "", []string{"withdraw", "--url", h.root("aviation-isac")}, exitUsage, "ISACHUB_WITHDRAWAL_HANDLE"},
		{"ErrHandleAndObject", nil, "", []string{"withdraw", "--url", h.root("aviation-isac"), "--handle", "isachub-withdraw_x", "--object", "indicator--1b9e2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b"}, exitUsage, "--object ID"},
		{"ErrUnknownCollection", nil, sub, []string{"preview", "--url", h.root("aviation-isac"), "--collection", "ghost"}, exitNegative, "404"},
		{"ErrWrongToken", map[string]string{"ISACHUB_TOKEN": "isachub_wrong"}, sub, []string{"publish", "--url", h.root("aviation-isac"), "--collection", "shared"}, exitNegative, "401"},
		{"ErrUntrustedCertificate", nil, sub, []string{"publish", "--url", untrusted.URL + "/aviation-isac/", "--collection", "shared"}, exitFailure, "certificate"},
		{"ErrRedirect", nil, sub, []string{"publish", "--url", redirecting.URL + "/aviation-isac/", "--collection", "shared"}, exitNegative, "308 Permanent Redirect: redirected to http://198.51.100.7/"},
		{"ErrUnreachable", nil, sub, []string{"publish", "--url", "http://127.0.0.1:1/aviation-isac/", "--collection", "shared"}, exitFailure, "127.0.0.1:1: reading the API root: cannot reach the server"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := tt.env
			if env == nil {
				env = map[string]string{"ISACHUB_TOKEN": h.tokens["bob"]}
			}
			code, out, errOut := runCLI(t, tt.stdin, env, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.code, tt.msg)
			}
			if out != "" {
				t.Errorf("stdout %q", out)
			}
		})
	}
}
