package main

import (
	"strings"
	"testing"
)

// collectionRow returns the listing line of the collection with the alias,
// split into its columns (ID ALIAS TITLE READERS WRITERS GROUP TLP ANON MOD;
// titles here are one word, and an empty GROUP column leaves no field).
func collectionRow(t *testing.T, db, alias string) []string {
	t.Helper()
	for _, l := range strings.Split(mustAdmin(t, db, "admin", "collection", "list", "--community", "aviation-isac"), "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[1] == alias {
			return f
		}
	}
	t.Fatalf("no collection %q in the listing", alias)
	return nil
}

func TestAdminCollectionSet(t *testing.T) {
	db := migratedDB(t)
	mustAdmin(t, db, "admin", "community", "add", "--community", "aviation-isac", "--title", "Aviation ISAC")
	for _, org := range []string{"skyways", "northfield"} {
		mustAdmin(t, db, "admin", "org", "add", "--community", "aviation-isac", "--org", org, "--name", strings.ToUpper(org))
	}
	mustAdmin(t, db, "admin", "group", "add", "--community", "aviation-isac", "--group", "ops", "--name", "Ops", "--members", "skyways")
	id := mustAdmin(t, db, "admin", "collection", "add", "--community", "aviation-isac", "--title", "Tips", "--alias", "tips", "--readers", "all", "--writers", "skyways")
	mustAdmin(t, db, "admin", "collection", "add", "--community", "aviation-isac", "--title", "Opsonly", "--alias", "ops-only", "--group", "ops")

	t.Run("OKOnlyWhatIsGiven", func(t *testing.T) {
		mustAdmin(t, db, "admin", "collection", "set", "--community", "aviation-isac", "--id", "tips", "--moderated", "--default-tlp", "green")
		// No group: the GROUP column is empty, so the fields close up.
		want := []string{id, "tips", "Tips", "all", "skyways", "green", "no", "yes"}
		if got := collectionRow(t, db, "tips"); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("after set: %q, want %q", got, want)
		}
	})
	t.Run("OKListsAndFlagsOff", func(t *testing.T) {
		mustAdmin(t, db, "admin", "collection", "set", "--community", "aviation-isac", "--id", id,
			"--readers", "skyways,northfield", "--writers", "northfield", "--moderated=false", "--title", "Renamed")
		got := collectionRow(t, db, "tips")
		if got[2] != "Renamed" || (got[3] != "skyways,northfield" && got[3] != "northfield,skyways") || got[4] != "northfield" || got[len(got)-1] != "no" {
			t.Errorf("after set: %q", got)
		}
	})
	t.Run("OKGroupCollectionTitle", func(t *testing.T) {
		mustAdmin(t, db, "admin", "collection", "set", "--community", "aviation-isac", "--id", "ops-only", "--title", "Opsrenamed", "--anonymous")
		if got := collectionRow(t, db, "ops-only"); got[2] != "Opsrenamed" || got[5] != "ops" || got[len(got)-2] != "yes" {
			t.Errorf("after set: %q", got)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		msg  string
		code int // the exit code expected
	}{
		{"ErrNothing", []string{"--id", "tips"}, "nothing to change", exitUsage},
		{"ErrNoID", []string{"--title", "X"}, "--id is required", exitUsage},
		{"ErrUnknown", []string{"--id", "ghost", "--title", "X"}, "ghost", exitFailure},
		{"ErrUnknownReader", []string{"--id", "tips", "--readers", "ghost"}, "--readers", exitFailure},
		{"ErrGroupReaders", []string{"--id", "ops-only", "--readers", "all"}, "sharing group", exitUsage},
		{"ErrBadTLP", []string{"--id", "tips", "--default-tlp", "purple"}, "purple", exitUsage},
		{"ErrAliasTaken", []string{"--id", "tips", "--alias", "ops-only"}, "already exists", exitFailure},
		{"ErrEmptyTitle", []string{"--id", "tips", "--title", ""}, "needs a title", exitUsage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"admin", "collection", "set", "--community", "aviation-isac"}, tt.args...)
			code, _, errOut := runAdminCLI(t, db, args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.code, tt.msg)
			}
		})
	}
}
