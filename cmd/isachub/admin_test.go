package main

import (
	"strings"
	"testing"
)

// runAdminCLI runs the command line against the SQLite database at db and
// returns the exit code, stdout and stderr.
func runAdminCLI(tb testing.TB, db string, args ...string) (int, string, string) {
	tb.Helper()
	return runCLI(tb, "", nil, append(args, "--db", "sqlite:"+db)...)
}

// mustAdmin runs a command that must succeed and returns its trimmed stdout.
func mustAdmin(tb testing.TB, db string, args ...string) string {
	tb.Helper()
	code, out, errOut := runAdminCLI(tb, db, args...)
	if code != exitOK {
		tb.Fatalf("isachub %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return strings.TrimSpace(out)
}

func TestAdmin(t *testing.T) {
	db := migratedDB(t)
	if id := mustAdmin(t, db, "admin", "community", "add", "--community", "aviation-isac", "--title", "Aviation ISAC", "--sector", "aviation"); id == "" {
		t.Fatal("community add printed no id")
	}
	mustAdmin(t, db, "admin", "community", "add", "--community", "rail-isac", "--title", "Rail ISAC")
	for _, org := range []string{"skyways", "northfield"} {
		mustAdmin(t, db, "admin", "org", "add", "--community", "aviation-isac", "--org", org, "--name", strings.ToUpper(org))
	}
	mustAdmin(t, db, "admin", "org", "add", "--community", "rail-isac", "--org", "skyways", "--name", "Skyways Rail")
	mustAdmin(t, db, "admin", "org", "add", "--community", "rail-isac", "--org", "trainco", "--name", "TrainCo")

	t.Run("OKUser", func(t *testing.T) {
		mustAdmin(t, db, "admin", "user", "add", "--org", "aviation-isac/skyways", "--username", "bob", "--role", "analyst", "--password", "s3cret-passphrase")
		mustAdmin(t, db, "admin", "user", "add", "--org", "trainco", "--username", "tina", "--role", "reader", "--password", "s3cret-passphrase")
		mustAdmin(t, db, "admin", "user", "add", "--org", "northfield", "--username", "op", "--role", "admin", "--password", "s3cret-passphrase", "--hub-admin")
		out := mustAdmin(t, db, "admin", "user", "list", "--org", "aviation-isac/skyways")
		if !strings.Contains(out, "bob") || !strings.Contains(out, "analyst") {
			t.Errorf("user list: %s", out)
		}
		if out := mustAdmin(t, db, "admin", "user", "list", "--org", "northfield"); !strings.Contains(out, "true") {
			t.Errorf("hub admin not listed as such: %s", out)
		}
	})
	t.Run("OKToken", func(t *testing.T) {
		tok := mustAdmin(t, db, "admin", "token", "add", "--username", "bob", "--name", "SIEM")
		if !strings.HasPrefix(tok, "isachub_") || len(tok) != len("isachub_")+43 {
			t.Fatalf("token %q", tok)
		}
		out := mustAdmin(t, db, "admin", "token", "list", "--username", "bob")
		if !strings.Contains(out, "SIEM") || strings.Contains(out, tok) {
			t.Errorf("token list: %s", out)
		}
		id := strings.Fields(strings.Split(out, "\n")[1])[0]
		mustAdmin(t, db, "admin", "token", "remove", "--id", id)
		if out := mustAdmin(t, db, "admin", "token", "list", "--username", "bob"); strings.Contains(out, "SIEM") {
			t.Errorf("token not removed: %s", out)
		}
	})
	t.Run("OKCollection", func(t *testing.T) {
		id := mustAdmin(t, db, "admin", "collection", "add", "--community", "aviation-isac", "--title", "Circle", "--alias", "circle", "--readers", "skyways,northfield", "--writers", "skyways")
		if len(id) != 36 {
			t.Fatalf("collection id %q", id)
		}
		given := "0c3e2a4b-5d6f-4a1b-8c9d-0e1f2a3b4c5d"
		if got := mustAdmin(t, db, "admin", "collection", "add", "--community", "aviation-isac", "--title", "All", "--id", given, "--readers", "all", "--writers", "all"); got != given {
			t.Errorf("collection add --id printed %q", got)
		}
		out := mustAdmin(t, db, "admin", "collection", "list", "--community", "aviation-isac")
		if !strings.Contains(out, "skyways,northfield") && !strings.Contains(out, "northfield,skyways") {
			t.Errorf("collection list: %s", out)
		}
		mustAdmin(t, db, "admin", "collection", "remove", "--community", "aviation-isac", "--id", "circle")
		if out := mustAdmin(t, db, "admin", "collection", "list", "--community", "aviation-isac"); strings.Contains(out, "circle") {
			t.Errorf("collection not removed: %s", out)
		}
	})
	t.Run("OKListAndRemove", func(t *testing.T) {
		if out := mustAdmin(t, db, "admin", "community", "list"); !strings.Contains(out, "aviation-isac") || !strings.Contains(out, "rail-isac") {
			t.Errorf("community list: %s", out)
		}
		if out := mustAdmin(t, db, "admin", "org", "list", "--community", "rail-isac"); !strings.Contains(out, "trainco") {
			t.Errorf("org list: %s", out)
		}
		mustAdmin(t, db, "admin", "user", "remove", "--username", "tina")
		mustAdmin(t, db, "admin", "org", "remove", "--community", "rail-isac", "--org", "trainco")
		mustAdmin(t, db, "admin", "community", "remove", "--community", "rail-isac")
		if out := mustAdmin(t, db, "admin", "community", "list"); strings.Contains(out, "rail-isac") {
			t.Errorf("community not removed: %s", out)
		}
	})
	errs := []struct {
		name string
		args []string
		msg  string
		code int // the exit code expected
	}{
		{"ErrMissingFlag", []string{"admin", "org", "add", "--community", "aviation-isac", "--org", "x"}, "--name is required", exitUsage},
		{"ErrBadRole", []string{"admin", "user", "add", "--org", "aviation-isac/skyways", "--username", "z", "--role", "boss", "--password", "p"}, "boss", exitUsage},
		{"ErrUnknownCommunity", []string{"admin", "org", "add", "--community", "nope", "--org", "x", "--name", "X"}, "", exitFailure},
		{"ErrDuplicateSlug", []string{"admin", "community", "add", "--community", "aviation-isac", "--title", "Again"}, "", exitFailure},
		{"ErrDuplicateUser", []string{"admin", "user", "add", "--org", "aviation-isac/skyways", "--username", "bob", "--role", "reader", "--password", "p"}, "", exitUsage},
		{"ErrUnknownReader", []string{"admin", "collection", "add", "--community", "aviation-isac", "--title", "T", "--readers", "ghost", "--writers", "all"}, "--readers", exitFailure},
		{"ErrBadTokenID", []string{"admin", "token", "remove", "--id", "x"}, "not a token id", exitUsage},
		{"ErrExtraArgument", []string{"admin", "community", "list", "extra"}, "unexpected argument", exitUsage},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runAdminCLI(t, db, tt.args...)
			if code != tt.code || errOut == "" || !strings.Contains(errOut, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.code, tt.msg)
			}
		})
	}
	t.Run("ErrAmbiguousOrg", func(t *testing.T) {
		mustAdmin(t, db, "admin", "community", "add", "--community", "sea-isac", "--title", "Sea ISAC")
		mustAdmin(t, db, "admin", "org", "add", "--community", "sea-isac", "--org", "skyways", "--name", "Skyways Ferries")
		code, _, errOut := runAdminCLI(t, db, "admin", "user", "add", "--org", "skyways", "--username", "amb", "--role", "reader", "--password", "long-enough-pw")
		if code != exitUsage || !strings.Contains(errOut, "aviation-isac/skyways") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}
