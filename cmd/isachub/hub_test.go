package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub/server"
)

// testHub is a hub served in-process on 127.0.0.1 over a temporary SQLite
// database, which the admin commands open beside the server.
type testHub struct {
	db  string // the SQLite file
	url string // the server's base URL
	// tokens are API tokens by name: "bob" (skyways), "bob-anon" (an
	// anonymous token of bob), "sam" (the staff analyst), "quinn" (of the
	// community that keeps no submitter record).
	tokens map[string]string
}

// root returns the API root URL of the community.
func (h *testHub) root(comm string) string { return h.url + "/" + comm + "/" }

// startHub creates, through the command line, the community aviation-isac
// (sealed submitter record) with the organisations skyways (with
// redaction rules), northfield and isac-staff (staff), its collections
// shared (open), tips (moderated) and anon (anonymous), and the community
// quiet-isac that keeps no submitter record; then it serves them.
func startHub(t *testing.T) *testHub {
	t.Helper()
	h := &testHub{db: filepath.Join(t.TempDir(), "hub.db"), tokens: map[string]string{}}
	admin := func(args ...string) string { t.Helper(); return mustAdmin(t, h.db, args...) }
	admin("admin", "community", "add", "--slug", "aviation-isac", "--title", "Aviation ISAC", "--sector", "aviation")
	admin("admin", "community", "add", "--slug", "quiet-isac", "--title", "Quiet ISAC", "--sector", "rail", "--submitter-record", "none")
	admin("admin", "org", "add", "--community", "aviation-isac", "--slug", "skyways", "--name", "Skyways Airlines")
	admin("admin", "org", "add", "--community", "aviation-isac", "--slug", "northfield", "--name", "Northfield Airport")
	admin("admin", "org", "add", "--community", "aviation-isac", "--slug", "isac-staff", "--name", "Aviation ISAC staff", "--staff")
	admin("admin", "org", "add", "--community", "quiet-isac", "--slug", "trainco", "--name", "TrainCo Rail")
	admin("admin", "org", "redaction", "--community", "aviation-isac", "--org", "skyways", "--domain", "skyways.example", "--email", "soc@skyways.example")
	for _, u := range [][]string{{"aviation-isac/skyways", "bob", "analyst"}, {"aviation-isac/isac-staff", "sam", "analyst"}, {"quiet-isac/trainco", "quinn", "analyst"}} {
		admin("admin", "user", "add", "--org", u[0], "--username", u[1], "--role", u[2], "--password", u[1]+"-test-password")
		h.tokens[u[1]] = admin("admin", "token", "add", "--username", u[1])
	}
	h.tokens["bob-anon"] = admin("admin", "token", "add", "--username", "bob", "--name", "anonymous feed", "--anonymous")
	admin("admin", "collection", "add", "--community", "aviation-isac", "--title", "Shared", "--alias", "shared", "--readers", "all", "--writers", "all")
	admin("admin", "collection", "add", "--community", "aviation-isac", "--title", "Tips", "--alias", "tips", "--readers", "all", "--writers", "all", "--moderated")
	admin("admin", "collection", "add", "--community", "aviation-isac", "--title", "Anonymous", "--alias", "anon", "--readers", "all", "--writers", "all", "--anonymous")
	admin("admin", "collection", "add", "--community", "quiet-isac", "--title", "Shared", "--alias", "shared", "--readers", "all", "--writers", "all")

	store, err := openStore(t.Context(), "sqlite:"+h.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv := httptest.NewServer(server.New(server.Config{}, store, nil).Handler())
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

// client runs a member-side command with the token of the name in the
// environment and returns its exit code, stdout and stderr.
func (h *testHub) client(t *testing.T, token, stdin string, extraEnv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	environ := map[string]string{"ISACHUB_TOKEN": h.tokens[token]}
	for k, v := range extraEnv {
		environ[k] = v
	}
	return runCLI(t, stdin, environ, args...)
}

// withdrawalHandle returns the handle that publish printed to stderr.
func withdrawalHandle(t *testing.T, stderr string) string {
	t.Helper()
	for line := range strings.Lines(stderr) {
		if h, ok := strings.CutPrefix(strings.TrimSpace(line), "Withdrawal handle: "); ok {
			return h
		}
	}
	t.Fatalf("no withdrawal handle in %q", stderr)
	return ""
}
