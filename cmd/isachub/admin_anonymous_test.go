package main

import (
	"strings"
	"testing"
)

// line returns the line of out that contains s, or "".
func line(out, s string) string {
	for l := range strings.Lines(out) {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestAdminAnonymousSettings(t *testing.T) {
	db := migratedDB(t)
	mustAdmin(t, db, "admin", "community", "add", "--community", "aviation-isac", "--title", "Aviation ISAC", "--sector", "aviation")
	mustAdmin(t, db, "admin", "community", "add", "--community", "quiet-isac", "--title", "Quiet ISAC", "--submitter-record", "none")
	mustAdmin(t, db, "admin", "org", "add", "--community", "aviation-isac", "--org", "skyways", "--name", "Skyways Airlines")
	mustAdmin(t, db, "admin", "org", "add", "--community", "aviation-isac", "--org", "isac-staff", "--name", "ISAC staff", "--staff")
	mustAdmin(t, db, "admin", "user", "add", "--org", "aviation-isac/skyways", "--username", "bob", "--role", "analyst", "--password", "long-enough-pw")

	t.Run("OKCommunity", func(t *testing.T) {
		out := mustAdmin(t, db, "admin", "community", "list")
		if l := line(out, "quiet-isac"); !strings.Contains(l, "none") {
			t.Errorf("quiet-isac: %q", l)
		}
		if l := line(out, "aviation-isac"); !strings.Contains(l, "sealed") {
			t.Errorf("aviation-isac: %q", l)
		}
		mustAdmin(t, db, "admin", "community", "set", "--community", "aviation-isac", "--title", "Aviation ISAC Europe")
		l := line(mustAdmin(t, db, "admin", "community", "list"), "aviation-isac")
		if !strings.Contains(l, "Aviation ISAC Europe") || !strings.Contains(l, "aviation") || !strings.Contains(l, "sealed") {
			t.Errorf("after set --title: %q", l)
		}
		mustAdmin(t, db, "admin", "community", "set", "--community", "aviation-isac", "--submitter-record", "none", "--sector", "")
		l = line(mustAdmin(t, db, "admin", "community", "list"), "aviation-isac")
		if !strings.Contains(l, "Aviation ISAC Europe") || strings.Contains(l, "aviation ") || !strings.Contains(l, "none") {
			t.Errorf("after set --submitter-record none --sector '': %q", l)
		}
		mustAdmin(t, db, "admin", "community", "set", "--community", "aviation-isac", "--submitter-record", "sealed", "--sector", "aviation")
		if l := line(mustAdmin(t, db, "admin", "community", "list"), "quiet-isac"); !strings.HasSuffix(strings.TrimSpace(l), " 3") {
			t.Errorf("the default sighting k: %q", l)
		}
		mustAdmin(t, db, "admin", "community", "set", "--community", "aviation-isac", "--sighting-k", "5")
		if l := line(mustAdmin(t, db, "admin", "community", "list"), "aviation-isac"); !strings.HasSuffix(strings.TrimSpace(l), " 5") {
			t.Errorf("after set --sighting-k 5: %q", l)
		}
		if code, _, errOut := runAdminCLI(t, db, "admin", "community", "set", "--community", "aviation-isac", "--sighting-k", "1"); code == exitOK || !strings.Contains(errOut, "picked out") {
			t.Errorf("--sighting-k 1: exit %d: %s", code, errOut)
		}
	})
	t.Run("OKOrg", func(t *testing.T) {
		out := mustAdmin(t, db, "admin", "org", "list", "--community", "aviation-isac")
		if l := line(out, "isac-staff"); !strings.Contains(l, "yes") {
			t.Errorf("staff org: %q", l)
		}
		if l := line(out, "skyways"); !strings.Contains(l, "no") {
			t.Errorf("member org: %q", l)
		}
		mustAdmin(t, db, "admin", "org", "set", "--community", "aviation-isac", "--org", "isac-staff", "--staff=false")
		mustAdmin(t, db, "admin", "org", "set", "--community", "aviation-isac", "--org", "skyways", "--staff", "--name", "Skyways")
		out = mustAdmin(t, db, "admin", "org", "list", "--community", "aviation-isac")
		if l := line(out, "isac-staff"); !strings.Contains(l, "no") || !strings.Contains(l, "ISAC staff") {
			t.Errorf("after --staff=false: %q", l)
		}
		if l := line(out, "skyways"); !strings.Contains(l, "yes") || !strings.Contains(l, "Skyways ") {
			t.Errorf("after --staff --name: %q", l)
		}
		mustAdmin(t, db, "admin", "org", "set", "--community", "aviation-isac", "--org", "skyways", "--identity-id", "identity--2a6c1e0f-8d3b-4f5a-9e7c-6b4d2f1a0c9e")
		if l := line(mustAdmin(t, db, "admin", "org", "list", "--community", "aviation-isac"), "skyways"); !strings.Contains(l, "identity--2a6c1e0f-8d3b-4f5a-9e7c-6b4d2f1a0c9e") || !strings.Contains(l, "yes") {
			t.Errorf("after --identity-id: %q", l)
		}
		mustAdmin(t, db, "admin", "org", "set", "--community", "aviation-isac", "--org", "skyways", "--staff=false", "--name", "Skyways Airlines", "--identity-id", "")
		mustAdmin(t, db, "admin", "org", "set", "--community", "aviation-isac", "--org", "isac-staff", "--staff=true")
	})
	t.Run("OKRedaction", func(t *testing.T) {
		red := func(args ...string) (int, string, string) {
			return runAdminCLI(t, db, append([]string{"admin", "org", "redaction", "--community", "aviation-isac", "--org", "skyways"}, args...)...)
		}
		if code, out, errOut := red(); code != exitOK || out != "" || !strings.Contains(errOut, "declares no redaction rules") {
			t.Fatalf("no rules yet: exit %d, %q, %q", code, out, errOut)
		}
		if code, _, errOut := red("--domain", "skyways.example", "--domain", "skyways-cargo.example", "--email", "soc@skyways.example"); code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if code, _, errOut := red("--ip-range", "192.0.2.0/26", "--pattern", `SKY-INC-[0-9]+`, "--domain", "skyways.example"); code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		_, out, _ := red()
		for _, want := range []string{"domain    skyways.example", "domain    skyways-cargo.example", "email     soc@skyways.example", "ip-range  192.0.2.0/26", "pattern   SKY-INC-[0-9]+"} {
			if !strings.Contains(out, want) {
				t.Errorf("rules lack %q:\n%s", want, out)
			}
		}
		if n := strings.Count(out, " skyways.example\n"); n != 1 {
			t.Errorf("skyways.example listed %d times:\n%s", n, out)
		}
		if l := line(mustAdmin(t, db, "admin", "org", "list", "--community", "aviation-isac"), "skyways"); !strings.HasSuffix(strings.TrimSpace(l), "5") {
			t.Errorf("org list does not count 5 rules: %q", l)
		}
		for _, bad := range []struct{ flag, value, msg string }{
			{"--domain", "not a domain", `"not a domain" is not a domain name`},
			{"--email", "nobody", `"nobody" is not an email address`},
			{"--ip-range", "192.0.2.0/99", "neither an IP address nor a CIDR range"},
			{"--pattern", "(", "does not compile"},
			{"--pattern", "x*", "matches the empty string"},
		} {
			code, _, errOut := red(bad.flag, bad.value)
			if code != exitUsage || !strings.Contains(errOut, bad.msg) || !strings.Contains(errOut, "skyways") {
				t.Errorf("%s %q: exit %d, stderr %q; want exit 2 mentioning %q", bad.flag, bad.value, code, errOut, bad.msg)
			}
		}
		if _, after, _ := red(); after != out {
			t.Errorf("refused rules changed the declared ones:\n%s\nwas\n%s", after, out)
		}
		if code, out, _ := red("--clear", "--email", "cert@skyways.example"); code != exitOK || strings.Contains(out, "domain") || !strings.Contains(out, "cert@skyways.example") {
			t.Errorf("--clear --email: exit %d:\n%s", code, out)
		}
		if code, out, errOut := red("--clear"); code != exitOK || out != "" || !strings.Contains(errOut, "declares no redaction rules") {
			t.Errorf("--clear: exit %d, %q, %q", code, out, errOut)
		}
	})
	t.Run("OKCollectionAndToken", func(t *testing.T) {
		mustAdmin(t, db, "admin", "collection", "add", "--community", "aviation-isac", "--title", "Tips", "--alias", "tips", "--readers", "all", "--writers", "all", "--anonymous", "--moderated")
		mustAdmin(t, db, "admin", "collection", "add", "--community", "aviation-isac", "--title", "Moderated only", "--alias", "mod", "--readers", "all", "--writers", "all", "--moderated")
		mustAdmin(t, db, "admin", "collection", "add", "--community", "aviation-isac", "--title", "Plain", "--alias", "plain", "--readers", "all", "--writers", "all")
		out := mustAdmin(t, db, "admin", "collection", "list", "--community", "aviation-isac")
		if !strings.Contains(line(out, "ID"), "ANONYMOUS") || !strings.Contains(line(out, "ID"), "MODERATED") {
			t.Errorf("no columns:\n%s", out)
		}
		for alias, want := range map[string]string{"tips": "yes  yes", "mod": "no  yes", "plain": "no  no"} {
			// ANONYMOUS and MODERATED are the last two columns.
			f := strings.Fields(line(out, alias))
			if got := strings.Join(f[len(f)-2:], "  "); got != want {
				t.Errorf("%s: anonymous, moderated = %q, want %q", alias, got, want)
			}
		}
		code, _, errOut := runAdminCLI(t, db, "admin", "token", "add", "--username", "bob", "--name", "anon feed", "--anonymous")
		if code != exitOK || !strings.Contains(errOut, "Anonymous token") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		mustAdmin(t, db, "admin", "token", "add", "--username", "bob", "--name", "named-feed")
		out = mustAdmin(t, db, "admin", "token", "list", "--username", "bob")
		if !strings.Contains(line(out, "anon feed"), "yes") || !strings.Contains(line(out, "named-feed"), "no") {
			t.Errorf("token list:\n%s", out)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		msg  string
		code int // the exit code expected
	}{
		{"ErrSubmitterRecord", []string{"admin", "community", "add", "--community", "x-isac", "--title", "X", "--submitter-record", "maybe"}, "not one of sealed, none", exitUsage},
		{"ErrSetSubmitterRecord", []string{"admin", "community", "set", "--community", "aviation-isac", "--submitter-record", "maybe"}, "not one of sealed, none", exitUsage},
		{"ErrSetUnknownCommunity", []string{"admin", "community", "set", "--community", "ghost", "--title", "G"}, "ghost", exitFailure},
		{"ErrSetEmptyTitle", []string{"admin", "community", "set", "--community", "aviation-isac", "--title", ""}, "needs a title", exitUsage},
		{"ErrOrgSetUnknown", []string{"admin", "org", "set", "--community", "aviation-isac", "--org", "ghost", "--staff"}, "ghost", exitFailure},
		{"ErrOrgSetNoOrg", []string{"admin", "org", "set", "--community", "aviation-isac", "--staff"}, "--org is required", exitUsage},
		{"ErrRedactionUnknownOrg", []string{"admin", "org", "redaction", "--community", "aviation-isac", "--org", "ghost"}, "ghost", exitFailure},
		{"ErrIdentityID", []string{"admin", "org", "set", "--community", "aviation-isac", "--org", "skyways", "--identity-id", "indicator--2a6c1e0f-8d3b-4f5a-9e7c-6b4d2f1a0c9e"}, "not the id of a STIX identity", exitUsage},
		{"ErrAddIdentityID", []string{"admin", "org", "add", "--community", "aviation-isac", "--org", "x", "--name", "X", "--identity-id", "identity--nope"}, "not the id of a STIX identity", exitUsage},
		{"ErrStaffValue", []string{"admin", "org", "set", "--community", "aviation-isac", "--org", "skyways", "--staff=maybe"}, "invalid boolean", exitUsage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runAdminCLI(t, db, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.code, tt.msg)
			}
		})
	}
}

func TestAdminReveal(t *testing.T) { forBackends(t, testAdminReveal) }

func testAdminReveal(t *testing.T, db testDB) {
	h := startHub(t, db)
	code, out, errOut := h.client(t, "bob", submission(t), nil, "publish", "--json", "--url", h.root("aviation-isac"), "--collection", "shared", "--anonymous")
	if code != exitOK {
		t.Fatalf("publish: exit %d: %s", code, errOut)
	}
	handle := withdrawalHandle(t, errOut)
	published := parseStatus(t, out).Successes[0].ID

	t.Run("ErrNoReason", func(t *testing.T) {
		for _, reason := range [][]string{nil, {"--reason", " "}} {
			code, out, errOut := h.reveal(t, append([]string{"--community", "aviation-isac", "--object", published}, reason...)...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, "--reason") {
				t.Errorf("exit %d, out %q, stderr %q", code, out, errOut)
			}
		}
		if audit := h.admin(t, "admin", "audit", "list", "--community", "aviation-isac"); strings.Contains(audit, "anonymous.reveal") {
			t.Errorf("a refused reveal is in the audit log:\n%s", audit)
		}
	})
	t.Run("ErrAuditFirst", func(t *testing.T) {
		// With the audit log gone, nothing is revealed.
		if err := h.exec(`ALTER TABLE audit_log RENAME TO audit_log_away`); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := h.reveal(t, "--community", "aviation-isac", "--object", published, "--reason", "court order 7")
		if err := h.exec(`ALTER TABLE audit_log_away RENAME TO audit_log`); err != nil {
			t.Fatal(err)
		}
		if code != exitFailure || out != "" || strings.Contains(errOut, "skyways") || !strings.Contains(errOut, "audit log") {
			t.Errorf("exit %d, out %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("OKSealed", func(t *testing.T) {
		code, out, errOut := h.reveal(t, "--community", "aviation-isac", "--object", published, "--reason", "court order 7")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		l := line(out, "skyways")
		if l == "" || strings.Count(out, "\n") != 2 || !strings.HasSuffix(strings.TrimSpace(l), "-") {
			t.Errorf("reveal:\n%s", out)
		}
		audit := h.admin(t, "admin", "audit", "list", "--community", "aviation-isac")
		l = line(audit, "anonymous.reveal")
		for _, want := range []string{published, "reason: court order 7", "OS user: alice", "command line", "aviation-isac"} {
			if !strings.Contains(l, want) {
				t.Errorf("audit entry lacks %q: %q", want, l)
			}
		}
		if strings.Contains(audit, "skyways") {
			t.Errorf("the audit log names the submitter:\n%s", audit)
		}
	})
	t.Run("OKWithdrawn", func(t *testing.T) {
		if code, _, errOut := h.client(t, "bob", "", nil, "withdraw", "--url", h.root("aviation-isac"), "--handle", handle); code != exitOK {
			t.Fatalf("withdraw: exit %d: %s", code, errOut)
		}
		_, out, _ := h.reveal(t, "--community", "aviation-isac", "--object", published, "--reason", "follow-up")
		if l := line(out, "skyways"); strings.HasSuffix(strings.TrimSpace(l), "-") || !strings.Contains(l, "Z  ") {
			t.Errorf("no withdrawal time:\n%s", out)
		}
	})
	t.Run("OKUnknownObject", func(t *testing.T) {
		code, out, _ := h.reveal(t, "--community", "aviation-isac", "--object", "indicator--0b9e2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b", "--reason", "curious")
		if code != exitOK || !strings.Contains(out, "No anonymous submission") {
			t.Errorf("exit %d: %s", code, out)
		}
	})
	t.Run("OKPolicyNone", func(t *testing.T) {
		code, out, errOut := h.client(t, "quinn", submission(t), nil, "publish", "--json", "--url", h.root("quiet-isac"), "--collection", "shared", "--anonymous")
		if code != exitOK {
			t.Fatalf("publish: exit %d: %s", code, errOut)
		}
		id := parseStatus(t, out).Successes[0].ID
		code, out, errOut = h.reveal(t, "--community", "quiet-isac", "--object", id, "--reason", "court order 8")
		if code != exitOK || !strings.Contains(out, "not recorded (policy none)") || strings.Contains(out, "trainco") {
			t.Errorf("exit %d, out %q, stderr %q", code, out, errOut)
		}
		code, out, _ = h.reveal(t, "--community", "quiet-isac", "--object", "indicator--0b9e2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b", "--reason", "court order 9")
		if code != exitOK || !strings.Contains(out, "keeps no submitter record") {
			t.Errorf("exit %d, out %q", code, out)
		}
		if audit := h.admin(t, "admin", "audit", "list", "--community", "quiet-isac"); strings.Count(audit, "anonymous.reveal") != 2 {
			t.Errorf("audit log of quiet-isac:\n%s", audit)
		}
	})
	t.Run("ErrBadObject", func(t *testing.T) {
		code, _, errOut := h.reveal(t, "--community", "aviation-isac", "--object", "skyways", "--reason", "x")
		if code != exitUsage || !strings.Contains(errOut, "not a STIX id") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}
