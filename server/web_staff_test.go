package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
)

// staffHub is the test hub with organisation a as the ISAC's staff and a
// moderated collection every member writes to and reads.
func staffHub(t *testing.T) (*hub, *isachub.Collection) {
	t.Helper()
	ctx := context.Background()
	h := newHub(t, server.Config{})
	a := h.orgs["a"]
	a.Staff = true
	if err := h.store.UpdateOrg(ctx, a); err != nil {
		t.Fatal(err)
	}
	mod := &isachub.Collection{CommunityID: h.comm.ID, Title: "Reviewed", Alias: "reviewed", ReadAll: true, WriteAll: true, Moderated: true}
	if err := h.store.CreateCollection(ctx, mod); err != nil {
		t.Fatal(err)
	}
	return h, mod
}

// TestWebModeration: a member's submission to a moderated collection waits
// in the staff's queue, shown as it would be published; approving
// publishes it, rejecting tells the submitter why in its TAXII status;
// both are in the audit log; members without the right see no queue.
func TestWebModeration(t *testing.T) {
	h, mod := staffHub(t)
	member, staff := h.browser(t), h.browser(t)
	member.signIn("b-analyst", "pw-b-analyst")
	staff.signIn("a-analyst", "pw-a-analyst")
	publish := func(name, ip string) string {
		t.Helper()
		p := member.post("/ui/publish", url.Values{"collection": {mod.ID}, "name": {name}, "tlp": {"green"},
			"pattern": {"[ipv4-addr:value = '" + ip + "']"}}).want(t, http.StatusOK).contains(t, "Sent for moderation", "1 pending")
		return regexpFind(t, `<code>([0-9a-f-]{36})</code>`, p.body)
	}
	keep, drop := publish("Heron relay", "192.0.2.10"), publish("Egret relay", "192.0.2.11")
	member.get("/ui/moderation").want(t, http.StatusForbidden)
	member.get("/ui/collections/"+mod.ID).lacks(t, "Heron relay")

	q := staff.get("/ui/moderation").want(t, http.StatusOK).contains(t, "Heron relay", "Egret relay", "Org B", "192.0.2.10", "TLP:GREEN")
	if strings.Index(q.body, "Heron relay") > strings.Index(q.body, "Egret relay") {
		t.Errorf("the queue is not oldest first")
	}
	p := staff.post("/ui/moderation/"+keep+"/approve", url.Values{})
	if p.status != http.StatusSeeOther || p.location != "/ui/moderation?done=approved" {
		t.Fatalf("approve: %d to %q", p.status, p.location)
	}
	staff.post("/ui/moderation/"+drop+"/reject", url.Values{"reason": {"Internal test address"}}).want(t, http.StatusSeeOther)
	staff.post("/ui/moderation/"+drop+"/reject", url.Values{}).want(t, http.StatusNotFound)
	staff.get("/ui/moderation").want(t, http.StatusOK).contains(t, "Nothing waits for moderation")
	member.get("/ui/collections/"+mod.ID).contains(t, "Heron relay").lacks(t, "Egret relay")

	var st struct {
		Status   string
		Failures []struct{ Message string }
	}
	h.do(t, req{path: root + "status/" + drop + "/", user: "b-analyst"}).want(t, http.StatusOK, &st)
	if st.Status != "complete" || len(st.Failures) != 1 || !strings.Contains(st.Failures[0].Message, "Reason: Internal test address") {
		t.Fatalf("the rejected submission's status: %+v", st)
	}
	entries, err := h.store.AuditEntries(context.Background(), h.comm.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action+" "+e.Target)
	}
	if got := strings.Join(actions, ";"); !strings.Contains(got, "pending.approve "+keep) || !strings.Contains(got, "pending.reject "+drop) {
		t.Fatalf("audit log: %s", got)
	}
}

// TestWebAdministration: the staff's admin creates an organisation, a
// user who can then sign in, and a collection, each recorded in the
// audit log; refusals say why and keep the form; a member's admin and
// the staff's analysts may not administer.
func TestWebAdministration(t *testing.T) {
	h, _ := staffHub(t)
	ctx := context.Background()
	admin := &isachub.User{OrgID: h.orgs["a"].ID, Username: "a-admin", Role: isachub.RoleAdmin}
	if err := h.store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	b := h.browser(t)
	b.signInAs("a-admin")
	b.get("/ui/admin").want(t, http.StatusOK).contains(t, "Administration of ACME ISAC", "Org B", "b-analyst", "Reviewed")
	b.post("/ui/admin/orgs", url.Values{"name": {"Gull Air"}, "slug": {"Gull Air!"}}).
		want(t, http.StatusBadRequest).contains(t, `value="Gull Air"`, `class="error"`)
	b.post("/ui/admin/orgs", url.Values{"name": {"Gull Air"}, "slug": {"gull-air"}}).want(t, http.StatusSeeOther)
	b.post("/ui/admin/users", url.Values{"org": {"gull-air"}, "username": {"gull-analyst"}, "role": {"analyst"}, "password": {"short"}}).
		want(t, http.StatusBadRequest).contains(t, "The password has 5 characters")
	b.post("/ui/admin/users", url.Values{"org": {"gull-air"}, "username": {"gull-analyst"}, "role": {"analyst"}, "password": {"a long enough first password"}}).
		want(t, http.StatusSeeOther)
	b.post("/ui/admin/collections", url.Values{"title": {"Gull sightings"}, "alias": {"gull"}, "read_all": {"on"}, "write_all": {"on"}}).
		want(t, http.StatusSeeOther)
	b.get("/ui/admin?action=user.").want(t, http.StatusOK).contains(t, "user.create", "gull-analyst").lacks(t, "org.create")
	b.get("/ui/admin?q=gull").contains(t, "org.create", "user.create", "collection.create", "Gull sightings")

	gull := h.browser(t)
	gull.signIn("gull-analyst", "a long enough first password")
	gull.get("/ui/collections").want(t, http.StatusOK).contains(t, "Gull sightings")
	gull.get("/ui/admin").want(t, http.StatusForbidden)
	gull.get("/ui/").lacks(t, `href="/ui/admin"`)

	// An analyst of the staff, and another community, are refused.
	analyst := h.browser(t)
	analyst.signIn("a-analyst", "pw-a-analyst")
	analyst.get("/ui/admin").want(t, http.StatusForbidden)
	analyst.post("/ui/admin/orgs", url.Values{"name": {"Sneaky"}, "slug": {"sneaky"}}).want(t, http.StatusForbidden)
	b.get("/ui/admin?community=other-isac").want(t, http.StatusOK).contains(t, "Administration of ACME ISAC")
	b.post("/ui/admin/orgs", url.Values{"community": {"other-isac"}, "name": {"Elsewhere"}, "slug": {"elsewhere"}}).want(t, http.StatusSeeOther)
	if _, err := h.store.Org(ctx, h.other.ID, "elsewhere"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
		t.Fatalf("a staff admin created an organisation in another community: %v", err)
	}
	// The hub operator administers any community.
	op := h.browser(t)
	op.signIn("operator", "pw-operator")
	op.get("/ui/admin?community=other-isac").want(t, http.StatusOK).contains(t, "Administration of Other ISAC", "Org X")
}
