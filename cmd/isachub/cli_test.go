package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub/server"
)

// TestCLIHelp holds issue 13 item 4's help rules: every level answers
// -h, --help and help CMD with exit 0; a group alone lists its commands.
func TestCLIHelp(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"admin"}, exitUsage, "admin community add"},
		{[]string{"admin", "-h"}, exitOK, "admin org set"},
		{[]string{"admin", "group", "-h"}, exitOK, "admin group member add"},
		{[]string{"admin", "group", "member", "--help"}, exitOK, "admin group member remove"},
		{[]string{"help", "serve"}, exitOK, "Usage: isachub serve"},
		{[]string{"help", "admin", "user", "add"}, exitOK, "Usage: isachub admin user add"},
		{[]string{"stix", "validate", "-h"}, exitOK, "Usage: isachub stix validate"},
		{[]string{"help"}, exitOK, "version"},
		{[]string{"version"}, exitOK, "isachub "},
		{[]string{"admin", "bogus"}, exitUsage, "unknown command"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, "", nil, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.contains) {
				t.Fatalf("exit %d, want %d; output does not contain %q:\n%s%s", code, tc.code, tc.contains, out, errOut)
			}
		})
	}
}

// TestCLIFlagsAnywhere: flags before the last word of a command's name,
// and after a file argument, are flags.
func TestCLIFlagsAnywhere(t *testing.T) {
	db := migratedDB(t)
	if code, _, errOut := runCLI(t, "", nil, "admin", "--db", db, "community", "add", "--community", "rail-isac", "--title", "Rail ISAC"); code != exitOK {
		t.Fatalf("admin --db X community add: exit %d: %s", code, errOut)
	}
	if code, out, errOut := runCLI(t, "", nil, "admin", "community", "--db="+db, "list"); code != exitOK || !strings.Contains(out, "rail-isac") {
		t.Fatalf("admin community --db=X list: exit %d: %s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, "", nil, "stix", "validate", "../../docs/examples/indicators.json", "--json")
	if code != exitOK || !strings.HasPrefix(out, `{"file":`) {
		t.Fatalf("stix validate FILE --json: exit %d: %s%s", code, out, errOut)
	}
}

// TestCLINoSilentDatabase: a command other than migrate, serve --demo or
// --create never creates a database; it says which file it looked for.
func TestCLINoSilentDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo.db")
	for _, args := range [][]string{
		{"admin", "community", "list", "--db", path},
		{"serve", "--db", path, "--listen", "127.0.0.1:0"},
		{"backup", "--db", path, filepath.Join(t.TempDir(), "copy.db")},
	} {
		code, _, errOut := runCLI(t, "", nil, args...)
		if code == exitOK || !strings.Contains(errOut, path) || args[0] != "backup" && !strings.Contains(errOut, "There is no database") {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatalf("%v created %s", args, path)
		}
	}
	if code, _, errOut := runCLI(t, "", nil, "admin", "community", "list", "--db", path, "--create"); code != exitOK {
		t.Fatalf("--create: exit %d: %s", code, errOut)
	}
}

// TestCLIPassword: admin user add reads the password from standard input
// when --password is absent, refuses a short one, and warns about argv.
func TestCLIPassword(t *testing.T) {
	db := migratedDB(t)
	mustAdmin(t, db, "admin", "community", "add", "--community", "rail-isac", "--title", "Rail ISAC")
	mustAdmin(t, db, "admin", "org", "add", "--community", "rail-isac", "--org", "trainco", "--name", "Trainco")
	add := func(stdin, user string, extra ...string) (int, string) {
		args := append([]string{"admin", "user", "add", "--db", db, "--org", "trainco", "--username", user, "--role", "analyst"}, extra...)
		code, _, errOut := runCLI(t, stdin, nil, args...)
		return code, errOut
	}
	if code, errOut := add("correct horse battery\n", "ann"); code != exitOK || strings.Contains(errOut, "warning") {
		t.Fatalf("password on stdin: exit %d: %s", code, errOut)
	}
	if code, errOut := add("short\n", "ben"); code == exitOK || !strings.Contains(errOut, "at least 12") {
		t.Fatalf("a short password: exit %d: %s", code, errOut)
	}
	if code, errOut := add("", "cid"); code == exitOK || !strings.Contains(errOut, "no password") {
		t.Fatalf("no password: exit %d: %s", code, errOut)
	}
	if code, errOut := add("", "dee", "--password", "a-long-enough-password"); code != exitOK || !strings.Contains(errOut, "shows in ps") {
		t.Fatalf("--password: exit %d: %s", code, errOut)
	}
}

// TestCLIUserSet: admin user set changes a role and resets a password.
func TestCLIUserSet(t *testing.T) {
	db := migratedDB(t)
	mustAdmin(t, db, "admin", "community", "add", "--community", "rail-isac", "--title", "Rail ISAC")
	mustAdmin(t, db, "admin", "org", "add", "--community", "rail-isac", "--org", "trainco", "--name", "Trainco")
	if code, _, errOut := runCLI(t, "first password here\n", nil, "admin", "user", "add", "--db", db, "--org", "trainco", "--username", "ann", "--role", "reader"); code != exitOK {
		t.Fatalf("add: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "second password here\n", nil, "admin", "user", "set", "--db", db, "--username", "ann", "--role", "analyst", "--reset-password"); code != exitOK {
		t.Fatalf("set: %d %s", code, errOut)
	}
	out := mustAdmin(t, db, "admin", "user", "list", "--org", "trainco")
	if !strings.Contains(out, "analyst") {
		t.Fatalf("the role did not change:\n%s", out)
	}
	store, err := openStore(t.Context(), "sqlite:"+db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u, err := store.User(t.Context(), "ann")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := server.VerifyPassword(u.PasswordHash, "second password here"); err != nil || !ok {
		t.Fatalf("the password was not reset: %v %v", ok, err)
	}
	if code, _, errOut := runCLI(t, "", nil, "admin", "user", "set", "--db", db, "--username", "ann"); code == exitOK || !strings.Contains(errOut, "nothing to change") {
		t.Fatalf("set without a change: %d %s", code, errOut)
	}
}

// TestCLIOneNamePerConcept: --community, --org and --group name the same
// thing in every command; the old --slug still works, for one release.
func TestCLIOneNamePerConcept(t *testing.T) {
	db := migratedDB(t)
	mustAdmin(t, db, "admin", "community", "add", "--community", "rail-isac", "--title", "Rail ISAC")
	mustAdmin(t, db, "admin", "community", "add", "--slug", "old-isac", "--title", "Old ISAC") // the alias
	mustAdmin(t, db, "admin", "org", "add", "--community", "rail-isac", "--org", "trainco", "--name", "Trainco")
	mustAdmin(t, db, "admin", "org", "add", "--community", "rail-isac", "--slug", "busco", "--name", "Busco")
	mustAdmin(t, db, "admin", "group", "add", "--community", "rail-isac", "--group", "g1", "--name", "G1", "--members", "trainco,busco")
	mustAdmin(t, db, "admin", "group", "remove", "--community", "rail-isac", "--group", "g1")
	mustAdmin(t, db, "admin", "org", "remove", "--community", "rail-isac", "--org", "busco")
	mustAdmin(t, db, "admin", "community", "remove", "--community", "old-isac")
	out := mustAdmin(t, db, "admin", "community", "list")
	if !strings.Contains(out, "rail-isac") || strings.Contains(out, "old-isac") {
		t.Fatalf("communities:\n%s", out)
	}
	_, _, errOut := runCLI(t, "", nil, "admin", "org", "add", "-h")
	if !strings.Contains(errOut, "deprecated: the same as --org") {
		t.Fatalf("the help does not say --slug is the old name of --org:\n%s", errOut)
	}
}
