package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFeedCommands makes feeds and a feed token on the command line and
// downloads the exports with isachub export from a served hub.
func TestFeedCommands(t *testing.T) { forBackends(t, testFeedCommands) }

func testFeedCommands(t *testing.T, db testDB) {
	h := startHub(t, db)
	code, _, errOut := h.client(t, "bob", `{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000001","objects":[`+
		`{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-0000000000a1","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Runway C2","pattern":"[ipv4-addr:value = '203.0.113.9']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","object_marking_refs":["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]},`+
		`{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-0000000000a2","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Amber C2","pattern":"[ipv4-addr:value = '203.0.113.10']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]}`,
		nil, "publish", "--url", h.root("aviation-isac"), "--collection", "shared", "-")
	if code != exitOK {
		t.Fatalf("publish: %s", errOut)
	}
	soc := h.admin(t, "admin", "feed", "add", "--community", "aviation-isac", "--org", "skyways", "--title", "Skyways SOC", "--preset", "soc", "--collections", "shared")
	all := h.admin(t, "admin", "feed", "add", "--community", "aviation-isac", "--org", "isac-staff", "--title", "Everyone")
	if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(soc) {
		t.Fatalf("feed add printed %q, not an id", soc)
	}
	list := h.admin(t, "admin", "feed", "list", "--community", "aviation-isac")
	if !strings.Contains(list, soc) || !strings.Contains(list, "soc") || !strings.Contains(list, all) {
		t.Errorf("feed list:\n%s", list)
	}
	t.Run("OKExportToFile", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "ips.txt")
		code, _, errOut := h.client(t, "bob", "", nil, "export", "--url", h.root("aviation-isac"), "--feed", soc, "--format", "txt", "--kind", "ipv4", "-o", out)
		data, _ := os.ReadFile(out)
		if code != exitOK || string(data) != "203.0.113.9\n203.0.113.10\n" {
			t.Fatalf("exit %d %q: %s", code, data, errOut)
		}
		etag := regexp.MustCompile(`ETag (".*")`).FindStringSubmatch(errOut)
		if etag == nil {
			t.Fatalf("no ETag in %q", errOut)
		}
		os.WriteFile(out, []byte("kept\n"), 0o600)
		code, _, errOut = h.client(t, "bob", "", nil, "export", "--url", h.root("aviation-isac"), "--feed", soc, "--format", "txt", "--kind", "ipv4", "--if-none-match", etag[1], "-o", out)
		if data, _ := os.ReadFile(out); code != exitOK || string(data) != "kept\n" || !strings.Contains(errOut, "not modified") {
			t.Errorf("not modified: exit %d, file %q, %s", code, data, errOut)
		}
	})
	t.Run("OKFeedTokenReadsClearOnly", func(t *testing.T) {
		tok := h.admin(t, "admin", "feed", "token", "--community", "aviation-isac", "--id", all, "--username", "sam", "--name", "partner")
		code, out, errOut := runCLI(t, "", map[string]string{"ISACHUB_TOKEN": tok}, "export", "--url", h.root("aviation-isac"), "--feed", all, "--format", "csv")
		if code != exitOK || !strings.Contains(out, "203.0.113.9,") || strings.Contains(out, "203.0.113.10") {
			t.Errorf("exit %d: %s %s", code, out, errOut)
		}
		code, _, errOut = runCLI(t, "", map[string]string{"ISACHUB_TOKEN": tok}, "export", "--url", h.root("aviation-isac"), "--feed", soc, "--format", "csv")
		if code == exitOK || !strings.Contains(errOut, "403") {
			t.Errorf("the feed token reads another feed: exit %d %s", code, errOut)
		}
	})
	t.Run("ErrOtherOrg", func(t *testing.T) {
		code, _, errOut := h.client(t, "sam", "", nil, "export", "--url", h.root("aviation-isac"), "--feed", soc, "--format", "csv")
		if code == exitOK || !strings.Contains(errOut, "404") {
			t.Errorf("sam reads skyways' feed: exit %d %s", code, errOut)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		if code, _, _ := h.adminCLI(t, "admin", "feed", "add", "--community", "aviation-isac", "--org", "skyways", "--title", "X", "--preset", "nope"); code == exitOK {
			t.Error("an unknown preset is taken")
		}
		if code, _, _ := h.client(t, "bob", "", nil, "export", "--url", h.root("aviation-isac"), "--feed", soc); code != exitUsage {
			t.Errorf("export without --format: exit %d", code)
		}
	})
	t.Run("OKRemove", func(t *testing.T) {
		h.admin(t, "admin", "feed", "remove", "--community", "aviation-isac", "--id", all)
		if list := h.admin(t, "admin", "feed", "list", "--community", "aviation-isac"); strings.Contains(list, all) {
			t.Errorf("removed feed still listed:\n%s", list)
		}
	})
}
