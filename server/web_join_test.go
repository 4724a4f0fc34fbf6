package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
)

var inviteRE = regexp.MustCompile(`http://[^"<\s]+(/ui/invite/[A-Za-z0-9_-]{43})`)

// joinHub is the test hub on a clock the test moves, with organisation a
// as the ISAC's staff and a-admin its administrator.
func joinHub(t *testing.T) (*hub, func(time.Duration)) {
	t.Helper()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	h := newHub(t, server.Config{Now: clock, SessionIdle: 30 * 24 * time.Hour, SessionLifetime: 30 * 24 * time.Hour})
	ctx := context.Background()
	a := h.orgs["a"]
	a.Staff = true
	if err := h.store.UpdateOrg(ctx, a); err != nil {
		t.Fatal(err)
	}
	hash, err := server.HashPassword("pw-a-admin-123")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.CreateUser(ctx, &isachub.User{OrgID: a.ID, Username: "a-admin", Role: isachub.RoleAdmin, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	return h, advance
}

func request(org, email string) url.Values {
	return url.Values{"organisation": {org}, "contact": {"Ada Lovelace"}, "email": {email},
		"sector": {"aviation"}, "reason": {"We run two airports\nand see phishing daily."}}
}

// TestWebJoining walks the joining flow: the public page and its form,
// the staff's review (approve creates the organisation and an invitation,
// decline keeps a reason), the first admin's own password and first
// sign-in, a member admin inviting a colleague, and the refusals: a used
// invitation, an expired one, a non-admin inviting, a cross-site post.
func TestWebJoining(t *testing.T) {
	h, advance := joinHub(t)
	ctx := context.Background()
	public := h.browser(t)

	public.get("/ui/join").want(t, http.StatusOK).contains(t, "ACME ISAC", "Other ISAC", `href="/ui/join/acme-isac"`)
	public.get("/ui/join/acme-isac").want(t, http.StatusOK).contains(t, `name="organisation"`, `name="email"`, `name="reason"`)
	public.get("/ui/join/no-such-isac").want(t, http.StatusNotFound)
	public.get("/ui/login").want(t, http.StatusOK).contains(t, `href="/ui/join"`)

	public.post("/ui/join/acme-isac", request("Initech Air", "not-an-address")).want(t, http.StatusBadRequest).
		contains(t, "is not an address", `value="Initech Air"`)
	public.post("/ui/join/acme-isac", request("", "ada@initech.example")).want(t, http.StatusBadRequest).contains(t, "organisation is required")
	sent := public.post("/ui/join/acme-isac", request("Initech Air", "ada@initech.example")).want(t, http.StatusOK).contains(t, "Request sent")
	// A member organisation asking again gets the very same answer.
	again := public.post("/ui/join/acme-isac", request("Org B", "ada@initech.example")).want(t, http.StatusOK)
	if again.body != sent.body {
		t.Errorf("a request in a member's name is answered differently from a new one")
	}
	public.post("/ui/join/acme-isac", request("Umbrella Airlines", "u@umbrella.example")).want(t, http.StatusOK)
	cross := url.Values(request("Forged Air", "f@forged.example"))
	p := public.do(http.MethodPost, "/ui/join/acme-isac", "application/x-www-form-urlencoded", strings.NewReader(cross.Encode()),
		http.Header{"Sec-Fetch-Site": {"cross-site"}})
	p.want(t, http.StatusForbidden)

	// Members other than the staff's admins see no request.
	member := h.browser(t)
	member.signIn("b-analyst", "pw-b-analyst")
	member.get("/ui/admin/requests").want(t, http.StatusForbidden).lacks(t, "Initech")

	staff := h.browser(t)
	staff.signIn("a-admin", "pw-a-admin-123")
	staff.get("/ui/admin").want(t, http.StatusOK).contains(t, "3 waiting")
	review := staff.get("/ui/admin/requests").want(t, http.StatusOK).
		contains(t, "Initech Air", "Org B", "Umbrella Airlines", "ada@initech.example", "see phishing daily", `value="initech-air"`)
	if strings.Contains(review.body, "Forged Air") {
		t.Fatal("the cross-site request was stored")
	}
	reqs, err := h.store.MembershipRequests(ctx, h.comm.ID, isachub.RequestPending, 10)
	if err != nil || len(reqs) != 3 {
		t.Fatalf("pending requests = %d, %v", len(reqs), err)
	}
	initech, orgB, umbrella := reqs[0], reqs[1], reqs[2]
	wellFormed := func(p *page) {
		t.Helper()
		if _, err := checkHTML(p.body); err != nil {
			t.Errorf("%v\n%.800s", err, p.body)
		}
	}
	wellFormed(review)
	wellFormed(sent)
	wellFormed(public.get("/ui/join"))
	wellFormed(public.get("/ui/join/acme-isac"))
	path := func(r *isachub.MembershipRequest, action string) string {
		return "/ui/admin/requests/" + strconv.FormatInt(r.ID, 10) + "/" + action
	}

	// Approve with a slug already taken: refused, nothing created.
	staff.post(path(orgB, "approve"), url.Values{"name": {"Org B"}, "slug": {"b"}}).want(t, http.StatusBadRequest).contains(t, "already exists")
	staff.post(path(orgB, "decline"), url.Values{}).want(t, http.StatusBadRequest).contains(t, "Say why")
	staff.post(path(orgB, "decline"), url.Values{"reason": {"Already a member."}}).want(t, http.StatusSeeOther)
	staff.post(path(orgB, "approve"), url.Values{"name": {"Org B 2"}, "slug": {"b2"}}).want(t, http.StatusBadRequest).contains(t, "already declined")
	if _, err := h.store.Org(ctx, h.comm.ID, "b2"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
		t.Fatalf("a refused approval created its organisation: %v", err)
	}

	approved := staff.post(path(initech, "approve"), url.Values{"name": {"Initech Air"}, "slug": {"initech"}, "reason": {"Known to the board."}}).
		want(t, http.StatusOK).contains(t, "Initech Air is a member", "ada@initech.example", "works once")
	link := inviteRE.FindStringSubmatch(approved.body)
	if link == nil {
		t.Fatalf("no invitation link on the approval page: %.1500s", approved.body)
	}
	first := link[1]
	wellFormed(approved)
	staff.get("/ui/admin/requests").contains(t, "Known to the board.", "Already a member.")
	staff.get("/ui/admin?action=request.").contains(t, "request.approve", "request.decline", "request.create")

	// The first admin opens the link, chooses a password and signs in.
	ada := h.browser(t)
	wellFormed(ada.get(first).want(t, http.StatusOK).contains(t, "Join Initech Air", "admin", `name="password2"`))
	ada.post(first, url.Values{"username": {"ada"}, "password": {"a long passphrase"}, "password2": {"another one entirely"}}).
		want(t, http.StatusBadRequest).contains(t, "differ")
	ada.post(first, url.Values{"username": {"ada"}, "password": {"short"}, "password2": {"short"}}).want(t, http.StatusBadRequest).contains(t, "at least 12")
	ada.post(first, url.Values{"username": {"Ada Lovelace!"}, "password": {"a long passphrase"}, "password2": {"a long passphrase"}}).
		want(t, http.StatusBadRequest).contains(t, "lower-case")
	ada.post(first, url.Values{"username": {"b-analyst"}, "password": {"a long passphrase"}, "password2": {"a long passphrase"}}).
		want(t, http.StatusBadRequest).contains(t, "is taken")
	done := ada.post(first, url.Values{"username": {"ada"}, "password": {"a long passphrase"}, "password2": {"a long passphrase"}})
	if done.status != http.StatusSeeOther || done.location != "/ui/login?joined=ada" {
		t.Fatalf("accepting the invitation: %d to %q: %.500s", done.status, done.location, done.body)
	}
	ada.get(done.location).want(t, http.StatusOK).contains(t, "Your account <strong>ada</strong> is ready", `value="ada"`)
	ada.signIn("ada", "a long passphrase")
	u, err := h.store.User(ctx, "ada")
	if err != nil || u.Role != isachub.RoleAdmin || u.HubAdmin {
		t.Fatalf("the invited user = %+v, %v", u, err)
	}
	if org, err := h.store.OrgByID(ctx, u.OrgID); err != nil || org.Slug != "initech" || org.CommunityID != h.comm.ID {
		t.Fatalf("the invited user's organisation = %+v, %v", org, err)
	}
	// Used once: the link is gone for everyone.
	again2 := h.browser(t)
	again2.get(first).want(t, http.StatusNotFound).contains(t, "already used")
	again2.post(first, url.Values{"username": {"mallory"}, "password": {"a long passphrase"}, "password2": {"a long passphrase"}}).
		want(t, http.StatusNotFound)
	if _, err := h.store.User(ctx, "mallory"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
		t.Fatalf("a reused invitation created a user: %v", err)
	}

	// The member admin invites a colleague; an analyst may not.
	ada.get("/ui/members").want(t, http.StatusOK).contains(t, "Invite a colleague", "ada")
	inv := ada.post("/ui/members/invite", url.Values{"role": {"analyst"}, "note": {"Grace, SOC"}}).
		want(t, http.StatusOK).contains(t, "Invitation to Initech Air", "Grace, SOC", "analyst")
	grace := inviteRE.FindStringSubmatch(inv.body)[1]
	wellFormed(ada.get("/ui/members").contains(t, "Grace, SOC", "open until"))
	wellFormed(inv)
	member.get("/ui/members").want(t, http.StatusOK).lacks(t, "Invite a colleague", "a-analyst")
	member.post("/ui/members/invite", url.Values{"role": {"admin"}}).want(t, http.StatusForbidden)
	member.post("/ui/members/invite", url.Values{"role": {"admin"}, "org": {"initech"}}).want(t, http.StatusForbidden)
	// The staff invite into any organisation of the community.
	staffInv := staff.post("/ui/members/invite", url.Values{"role": {"reader"}, "org": {"c"}, "community": {"acme-isac"}, "note": {"C's auditor"}}).
		want(t, http.StatusOK).contains(t, "Invitation to Org C")
	if inviteRE.FindStringSubmatch(staffInv.body) == nil {
		t.Fatal("no link on the staff's invitation page")
	}

	// Eight days on, the colleague's invitation has expired.
	advance(8 * 24 * time.Hour)
	late := h.browser(t)
	late.get(grace).want(t, http.StatusNotFound).contains(t, "expired")
	late.post(grace, url.Values{"username": {"grace"}, "password": {"a long passphrase"}, "password2": {"a long passphrase"}}).
		want(t, http.StatusNotFound)
	if _, err := h.store.User(ctx, "grace"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
		t.Fatalf("an expired invitation created a user: %v", err)
	}
	ada.get("/ui/members").contains(t, "expired")

	// Umbrella is still pending; declining it leaves nothing waiting.
	staff.post(path(umbrella, "decline"), url.Values{"reason": {"Not in the sector."}}).want(t, http.StatusSeeOther)
	staff.get("/ui/admin/requests").contains(t, "No request waits.")
	h.browser(t).get("/ui/invite/short").want(t, http.StatusNotFound)
}

// TestWebJoinRateLimit: requests from one address are limited (5, then
// one every 12 minutes), with a 429 that says when to come back; a form
// with an error costs nothing.
func TestWebJoinRateLimit(t *testing.T) {
	h, advance := joinHub(t)
	b := h.browser(t)
	for range 3 {
		b.post("/ui/join/acme-isac", request("Bad", "nope")).want(t, http.StatusBadRequest)
	}
	for i := range 5 {
		b.post("/ui/join/acme-isac", request("Org "+strconv.Itoa(i), "x@example.org")).want(t, http.StatusOK)
	}
	p := b.post("/ui/join/acme-isac", request("One too many", "x@example.org")).want(t, http.StatusTooManyRequests).contains(t, "Try again")
	if p.header.Get("Retry-After") == "" {
		t.Error("the 429 has no Retry-After")
	}
	advance(13 * time.Minute)
	b.post("/ui/join/acme-isac", request("Later", "x@example.org")).want(t, http.StatusOK)
	n, err := h.store.CountMembershipRequests(context.Background(), h.comm.ID, isachub.RequestPending)
	if err != nil || n != 6 {
		t.Fatalf("%d requests stored, want 6: %v", n, err)
	}
}
