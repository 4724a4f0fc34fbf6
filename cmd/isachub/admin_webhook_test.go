package main

import (
	"strings"
	"testing"
)

func TestAdminWebhook(t *testing.T) { forBackends(t, testAdminWebhook) }

func testAdminWebhook(t *testing.T, db testDB) {
	h := startHub(t, db)
	feed := h.admin(t, "admin", "feed", "add", "--community", "aviation-isac", "--org", "skyways", "--title", "SOC", "--preset", "soc")
	code, out, errOut := h.adminCLI(t, "admin", "webhook", "add", "--community", "aviation-isac", "--org", "skyways", "--feed", feed, "--url", "https://soar.skyways.example/hook")
	if code != exitOK || strings.TrimSpace(out) == "" || !strings.Contains(errOut, "Secret (shown only this once") {
		t.Fatalf("add: exit %d, %q, %q", code, out, errOut)
	}
	id := strings.TrimSpace(out)
	list := h.admin(t, "admin", "webhook", "list", "--community", "aviation-isac")
	if !strings.Contains(list, "https://soar.skyways.example/hook") || !strings.Contains(list, "active") {
		t.Errorf("list:\n%s", list)
	}
	if log := h.admin(t, "admin", "webhook", "deliveries", "--community", "aviation-isac", "--id", id); !strings.HasPrefix(log, "AT") {
		t.Errorf("deliveries:\n%s", log)
	}
	// Dead after its failures (as the sender leaves it), then revived: live
	// again, its failures and error cleared.
	if err := h.exec(`UPDATE webhooks SET dead = (1 = 1), failures = 10, last_error = 'HTTP 500' WHERE id = ` + id); err != nil {
		t.Fatal(err)
	}
	if list := h.admin(t, "admin", "webhook", "list", "--community", "aviation-isac"); !strings.Contains(list, "dead") {
		t.Errorf("list of a dead webhook:\n%s", list)
	}
	if code, _, errOut := h.adminCLI(t, "admin", "webhook", "revive", "--community", "aviation-isac", "--id", id); code != exitOK || !strings.Contains(errOut, "revived") {
		t.Errorf("revive: exit %d, %q", code, errOut)
	}
	if list := h.admin(t, "admin", "webhook", "list", "--community", "aviation-isac"); !strings.Contains(list, "active") || strings.Contains(list, "HTTP 500") {
		t.Errorf("list after revive:\n%s", list)
	}
	if code, _, _ := h.adminCLI(t, "admin", "webhook", "revive", "--community", "quiet-isac", "--id", id); code == exitOK {
		t.Error("revived another community's webhook")
	}
	for _, args := range [][]string{
		{"--org", "northfield", "--feed", feed, "--url", "https://x.example/"}, // northfield may not read skyways' feed
		{"--org", "skyways", "--feed", feed, "--url", "ftp://x.example/"},
		{"--org", "skyways", "--feed", "00000000-0000-4000-8000-000000000000", "--url", "https://x.example/"},
	} {
		if code, _, _ := h.adminCLI(t, append([]string{"admin", "webhook", "add", "--community", "aviation-isac"}, args...)...); code == exitOK {
			t.Errorf("add %v succeeded", args)
		}
	}
	h.admin(t, "admin", "webhook", "remove", "--community", "aviation-isac", "--id", id)
	if list := h.admin(t, "admin", "webhook", "list", "--community", "aviation-isac"); strings.Contains(list, "soar.skyways") {
		t.Errorf("removed webhook still listed:\n%s", list)
	}
}
