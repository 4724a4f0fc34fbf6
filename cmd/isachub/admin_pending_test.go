package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/isachub/isachub/taxii"
)

// getStatus reads a status resource from the hub as the token's user.
func getStatus(t *testing.T, h *testHub, token, comm, id string) taxii.Status {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, h.root(comm)+"status/"+id+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", taxii.MediaTypeTAXII21)
	req.Header.Set("Authorization", "Bearer "+h.tokens[token])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st taxii.Status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s: HTTP %d, %v", id, resp.StatusCode, err)
	}
	return st
}

func TestAdminPending(t *testing.T) { forBackends(t, testAdminPending) }

func testAdminPending(t *testing.T, db testDB) {
	h := startHub(t, db)
	publish := func(args ...string) taxii.Status {
		t.Helper()
		code, out, errOut := h.client(t, "bob", submission(t), nil, append([]string{"publish", "--json", "--url", h.root("aviation-isac"), "--collection", "tips"}, args...)...)
		if code != exitOK {
			t.Fatalf("publish: exit %d: %s", code, errOut)
		}
		st := parseStatus(t, out)
		if st.Status != taxii.StatusPending {
			t.Fatalf("a submission to a moderated collection is %q", st.Status)
		}
		return st
	}
	named := publish()
	anon := publish("--anonymous")
	pending := func(args ...string) (int, string, string) {
		return h.adminCLI(t, append([]string{"admin", "pending"}, append(args, "--community", "aviation-isac", "--collection", "tips")...)...)
	}

	t.Run("OKList", func(t *testing.T) {
		code, out, errOut := pending("list")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if f := strings.Fields(line(out, named.ID)); len(f) != 5 || f[2] != "no" || f[3] != "skyways" || f[4] != "2" {
			t.Errorf("named submission: %q", f)
		}
		// The anonymous one carries the community and sector identities.
		if f := strings.Fields(line(out, anon.ID)); len(f) != 5 || f[2] != "yes" || f[3] != "-" || f[4] != "3" {
			t.Errorf("anonymous submission: %q", f)
		}
	})
	t.Run("OKShow", func(t *testing.T) {
		code, out, errOut := pending("show", "--id", anon.ID)
		var b bundle
		if err := json.Unmarshal([]byte(out), &b); code != exitOK || err != nil || b.Type != "bundle" || len(b.Objects) != 3 {
			t.Fatalf("exit %d, %v, stderr %q:\n%s", code, err, errOut, out)
		}
		for _, tell := range skywaysTells {
			if strings.Contains(out, tell) {
				t.Errorf("the anonymous submission names %q:\n%s", tell, out)
			}
		}
		if _, out, _ := pending("show", "--id", named.ID); !strings.Contains(out, "Skyways Airlines") {
			t.Errorf("the named submission is not shown as submitted:\n%s", out)
		}
	})
	t.Run("OKApprove", func(t *testing.T) {
		code, out, errOut := pending("approve", "--id", named.ID)
		if code != exitOK || !strings.Contains(out, "complete, 2 successes, 0 failures") {
			t.Fatalf("exit %d, out %q, stderr %q", code, out, errOut)
		}
		if st := getStatus(t, h, "bob", "aviation-isac", named.ID); st.Status != taxii.StatusComplete || st.SuccessCount != 2 {
			t.Errorf("the submitter's status: %+v", st)
		}
		if code, _, errOut := pending("approve", "--id", named.ID); code != exitFailure || !strings.Contains(errOut, "no pending submission") {
			t.Errorf("approved twice: exit %d, %q", code, errOut)
		}
	})
	t.Run("OKReject", func(t *testing.T) {
		code, out, errOut := pending("reject", "--id", anon.ID, "--reason", "duplicate of an earlier tip")
		if code != exitOK || !strings.Contains(out, "complete, 0 successes, 1 failures") || !strings.Contains(out, "duplicate of an earlier tip") {
			t.Fatalf("exit %d, out %q, stderr %q", code, out, errOut)
		}
		st := getStatus(t, h, "bob", "aviation-isac", anon.ID)
		if st.FailureCount != 1 || !strings.Contains(st.Failures[0].Message, "duplicate of an earlier tip") {
			t.Errorf("the submitter's status: %+v", st)
		}
		if code, out, errOut := pending("list"); code != exitOK || out != "" || !strings.Contains(errOut, "No submission waits") {
			t.Errorf("queue not empty: %q %q", out, errOut)
		}
	})
	t.Run("OKAudit", func(t *testing.T) {
		audit := h.admin(t, "admin", "audit", "list", "--community", "aviation-isac")
		if l := line(audit, "pending.approve"); !strings.Contains(l, named.ID) || !strings.Contains(l, "command line") {
			t.Errorf("approve entry %q", l)
		}
		if l := line(audit, "pending.reject"); !strings.Contains(l, anon.ID) || !strings.Contains(l, "duplicate of an earlier tip") {
			t.Errorf("reject entry %q", l)
		}
		if strings.Index(audit, "pending.reject") > strings.Index(audit, "pending.approve") {
			t.Errorf("not newest first:\n%s", audit)
		}
		if all := h.admin(t, "admin", "audit", "list", "--limit", "1"); strings.Count(all, "\n") != 1 || !strings.Contains(all, "pending.reject") {
			t.Errorf("--limit 1:\n%s", all)
		}
	})
	t.Run("OKApproveAnonymous", func(t *testing.T) {
		st := publish("--anonymous")
		code, out, errOut := pending("approve", "--id", st.ID)
		if code != exitOK || !strings.Contains(out, "complete, 1 successes, 0 failures") {
			t.Fatalf("exit %d, out %q, stderr %q", code, out, errOut)
		}
		if strings.Contains(out, "skyways") {
			t.Errorf("approval names the submitter: %s", out)
		}
		// The sealed record was stored on approval.
		code, out, errOut = h.reveal(t, "--community", "aviation-isac", "--object", st.Pendings[0].ID, "--reason", "check the approval")
		if code != exitOK || !strings.Contains(line(out, st.ID), "skyways") {
			t.Errorf("reveal after approval: exit %d, %q, %q", code, out, errOut)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		msg  string
		code int // the exit code expected
	}{
		{"ErrNoID", []string{"admin", "pending", "approve", "--community", "aviation-isac", "--collection", "tips"}, "--id is required", exitUsage},
		{"ErrUnknownID", []string{"admin", "pending", "reject", "--community", "aviation-isac", "--collection", "tips", "--id", "ghost"}, "no pending submission", exitFailure},
		{"ErrUnknownCollection", []string{"admin", "pending", "list", "--community", "aviation-isac", "--collection", "ghost"}, "ghost", exitFailure},
		{"ErrAuditLimit", []string{"admin", "audit", "list", "--limit", "0"}, "--limit", exitUsage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := h.adminCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.code, tt.msg)
			}
		})
	}
}
