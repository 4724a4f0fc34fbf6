package main

import (
	"strings"
	"testing"
)

func TestAdminGroup(t *testing.T) {
	db := migratedDB(t)
	mustAdmin(t, db, "admin", "community", "add", "--community", "aviation-isac", "--title", "Aviation ISAC")
	for _, org := range []string{"skyways", "northfield", "glider"} {
		mustAdmin(t, db, "admin", "org", "add", "--community", "aviation-isac", "--org", org, "--name", strings.ToUpper(org))
	}
	if id := mustAdmin(t, db, "admin", "group", "add", "--community", "aviation-isac", "--group", "hub-airports", "--name", "Hub airports", "--members", "skyways,northfield"); id == "" {
		t.Fatal("group add printed no id")
	}
	t.Run("OKList", func(t *testing.T) {
		out := mustAdmin(t, db, "admin", "group", "list", "--community", "aviation-isac")
		if !strings.Contains(out, "hub-airports") || !strings.Contains(out, "Hub airports") || !strings.Contains(out, "northfield,skyways") && !strings.Contains(out, "skyways,northfield") {
			t.Errorf("group list: %s", out)
		}
	})
	t.Run("OKMembers", func(t *testing.T) {
		mustAdmin(t, db, "admin", "group", "member", "add", "--community", "aviation-isac", "--group", "hub-airports", "--org", "glider")
		if out := mustAdmin(t, db, "admin", "group", "list", "--community", "aviation-isac"); !strings.Contains(out, "glider") {
			t.Errorf("member not added: %s", out)
		}
		mustAdmin(t, db, "admin", "group", "member", "remove", "--community", "aviation-isac", "--group", "hub-airports", "--org", "glider")
		if out := mustAdmin(t, db, "admin", "group", "list", "--community", "aviation-isac"); strings.Contains(out, "glider") {
			t.Errorf("member not removed: %s", out)
		}
	})
	t.Run("OKGroupCollection", func(t *testing.T) {
		id := mustAdmin(t, db, "admin", "collection", "add", "--community", "aviation-isac", "--title", "Red intel", "--alias", "red-intel", "--group", "hub-airports", "--default-tlp", "red")
		out := mustAdmin(t, db, "admin", "collection", "list", "--community", "aviation-isac")
		if !strings.Contains(out, id) || !strings.Contains(out, "hub-airports") || !strings.Contains(out, "red") {
			t.Errorf("collection list: %s", out)
		}
		mustAdmin(t, db, "admin", "group", "remove", "--community", "aviation-isac", "--group", "hub-airports")
		if out := mustAdmin(t, db, "admin", "collection", "list", "--community", "aviation-isac"); strings.Contains(out, id) {
			t.Errorf("the group's collection outlived the group: %s", out)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		msg  string
		code int // the exit code expected
	}{
		{"ErrGroupAndReaders", []string{"admin", "collection", "add", "--community", "aviation-isac", "--title", "T", "--group", "x", "--readers", "all"}, "--group takes no --readers", exitUsage},
		{"ErrNoReadersNoGroup", []string{"admin", "collection", "add", "--community", "aviation-isac", "--title", "T"}, "--readers and --writers are required", exitUsage},
		{"ErrUnknownGroup", []string{"admin", "collection", "add", "--community", "aviation-isac", "--title", "T", "--group", "ghost"}, "ghost", exitFailure},
		{"ErrRedOpen", []string{"admin", "collection", "add", "--community", "aviation-isac", "--title", "T", "--readers", "all", "--writers", "all", "--default-tlp", "red"}, "named organisations", exitUsage},
		{"ErrAllMembers", []string{"admin", "group", "add", "--community", "aviation-isac", "--group", "g", "--name", "G", "--members", "all"}, "--members", exitUsage},
		{"ErrUnknownMember", []string{"admin", "group", "add", "--community", "aviation-isac", "--group", "g", "--name", "G", "--members", "ghost"}, "--members", exitFailure},
		{"ErrMissingName", []string{"admin", "group", "add", "--community", "aviation-isac", "--group", "g", "--members", "skyways"}, "--name is required", exitUsage},
		{"ErrRemoveNonMember", []string{"admin", "group", "member", "remove", "--community", "aviation-isac", "--group", "hub-airports", "--org", "glider"}, "", exitFailure},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runAdminCLI(t, db, tt.args...)
			if code != tt.code || errOut == "" || !strings.Contains(errOut, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.code, tt.msg)
			}
		})
	}
}
