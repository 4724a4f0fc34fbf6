package main

import (
	"database/sql"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub/internal/pgtest"
	"github.com/isachub/isachub/server"
)

// testHub is a hub served in-process on 127.0.0.1 over a temporary
// database, which the admin commands open beside the server.
type testHub struct {
	dsn string // the database, as --db takes it
	// exec runs one SQL statement on the database, beside the store.
	exec func(stmt string) error
	url  string // the server's base URL
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
func startHub(t *testing.T, db testDB) *testHub {
	t.Helper()
	h := &testHub{dsn: db.dsn, exec: db.exec, tokens: map[string]string{}}
	admin := func(args ...string) string { t.Helper(); return h.admin(t, args...) }
	admin("admin", "community", "add", "--community", "aviation-isac", "--title", "Aviation ISAC", "--sector", "aviation")
	admin("admin", "community", "add", "--community", "quiet-isac", "--title", "Quiet ISAC", "--sector", "rail", "--submitter-record", "none")
	admin("admin", "org", "add", "--community", "aviation-isac", "--org", "skyways", "--name", "Skyways Airlines")
	admin("admin", "org", "add", "--community", "aviation-isac", "--org", "northfield", "--name", "Northfield Airport")
	admin("admin", "org", "add", "--community", "aviation-isac", "--org", "isac-staff", "--name", "Aviation ISAC staff", "--staff")
	admin("admin", "org", "add", "--community", "quiet-isac", "--org", "trainco", "--name", "TrainCo Rail")
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

	store, err := openStore(t.Context(), h.dsn, true)
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

// adminCLI runs an admin command on the hub's database.
func (h *testHub) adminCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCLI(t, "", nil, append(args, "--db", h.dsn)...)
}

// admin runs an admin command that must succeed and returns its trimmed
// stdout.
func (h *testHub) admin(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := h.adminCLI(t, args...)
	if code != exitOK {
		t.Fatalf("isachub %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return strings.TrimSpace(out)
}

// reveal runs "admin anonymous reveal" as the OS user alice.
func (h *testHub) reveal(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCLI(t, "", map[string]string{"USER": "alice"}, append(append([]string{"admin", "anonymous", "reveal"}, args...), "--db", h.dsn)...)
}

// testDB is an empty database for one test.
type testDB struct {
	dsn  string
	exec func(stmt string) error
}

// forBackends runs test once on a fresh SQLite file and once on a fresh
// PostgreSQL schema, as subtests named after the backend. The PostgreSQL
// run needs ISACHUB_TEST_POSTGRES and is skipped without it (failed when
// CI is set).
func forBackends(t *testing.T, test func(t *testing.T, db testDB)) {
	t.Run("sqlite", func(t *testing.T) { test(t, sqliteDB(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, freshSchema(t)) })
}

// migratedDB returns the path of a new SQLite database made with
// "isachub migrate", as an operator makes one: the other commands never
// create a database by themselves.
func migratedDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hub.db")
	if code, _, errOut := runCLI(t, "", nil, "migrate", "--db", path); code != exitOK {
		t.Fatalf("isachub migrate: exit %d: %s", code, errOut)
	}
	return path
}

// sqliteDB returns a fresh SQLite database file, migrated.
func sqliteDB(t *testing.T) testDB {
	path := migratedDB(t)
	return testDB{dsn: "sqlite:" + path, exec: func(stmt string) error {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec(stmt)
		return err
	}}
}

// freshSchema returns a new schema in the database that
// ISACHUB_TEST_POSTGRES names, dropped when the test ends. Without the
// variable the test is skipped (failed when CI is set).
func freshSchema(t *testing.T) testDB {
	t.Helper()
	dsn := pgtest.Schema(t, "./cmd/isachub/", "isachub_cli_test_")
	return testDB{dsn: dsn, exec: func(stmt string) error { return pgtest.Exec(dsn, stmt) }}
}

// adminOn returns a runner of isachub commands on the database dsn, with
// env and stdin, that fails the test unless the command exits 0 and
// returns its standard output, trimmed.
func adminOn(t *testing.T, dsn string, env map[string]string) func(stdin string, args ...string) string {
	return func(stdin string, args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, stdin, env, append(args, "--db", dsn)...)
		if code != exitOK {
			t.Fatalf("isachub %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return strings.TrimSpace(out)
	}
}
