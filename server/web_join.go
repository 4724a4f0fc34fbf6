package server

import (
	"crypto/sha256"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/isachub/isachub"
)

// Joining: a public page lists the hub's communities, each with a
// membership request form; the ISAC's staff (isachub.MayAdminister)
// approve or decline requests with a reason; approval creates the
// organisation and a one-time, expiring invitation link for its first
// admin, shown to the staff to pass on (no email server is assumed); a
// member organisation's admins invite their colleagues the same way. The
// invited person chooses their own username and password.
//
// Nothing here reveals membership: a request gets the same answer whether
// or not the organisation is already a member, or asked before. Requests
// are rate-limited per address and across the hub.

// The bounds on membership requests: per address 5, then one every 12
// minutes; across the hub 50, then one a minute.
var (
	joinAddrRule = bucketRule{burst: 5, refill: 12 * time.Minute}
	joinHubRule  = bucketRule{burst: 50, refill: time.Minute}
)

// requestLimiter bounds the rate of membership requests.
type requestLimiter struct {
	mu   sync.Mutex
	now  func() time.Time
	addr buckets
	hub  buckets
}

func newRequestLimiter(now func() time.Time) *requestLimiter {
	if now == nil {
		now = time.Now
	}
	return &requestLimiter{now: now, addr: buckets{}, hub: buckets{}}
}

// spend takes one request from addr's and the hub's budgets, or reports
// how long to wait when either is empty (and takes nothing).
func (l *requestLimiter) spend(addr string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	a, h := l.addr.level(addr, joinAddrRule, now), l.hub.level("", joinHubRule, now)
	if a < 1 || h < 1 {
		return false, max(wait(a, 1, joinAddrRule), wait(h, 1, joinHubRule))
	}
	l.addr.take(addr, joinAddrRule, now)
	l.hub.take("", joinHubRule, now)
	return true, 0
}

// invitePath is where an invitation link points; the secret follows.
const invitePath = "/ui/invite/"

// handleJoinList is the public list of the hub's communities.
func (s *Server) handleJoinList(w http.ResponseWriter, r *http.Request, v *viewer) error {
	comms, err := s.store.Communities(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, v, "join", page{Title: "Join a community", Data: map[string]any{"Communities": comms}})
	return nil
}

// joinCommunity returns the community of the path, a missing one as a
// page that does not exist.
func (s *Server) joinCommunity(r *http.Request) (*isachub.Community, error) {
	c, err := s.store.Community(r.Context(), r.PathValue("community"))
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return nil, isachub.Errorf(isachub.ENOTFOUND, "There is no community %q on this hub.", clip(r.PathValue("community")))
	}
	return c, err
}

func (s *Server) handleJoinForm(w http.ResponseWriter, r *http.Request, v *viewer) error {
	c, err := s.joinCommunity(r)
	if err != nil {
		return err
	}
	s.render(w, r, v, "join", page{Title: "Ask to join " + c.Title, Data: map[string]any{
		"Community": c, "Form": &isachub.MembershipRequest{Sector: c.Sector}}})
	return nil
}

// handleJoinRequest stores a membership request and thanks the requester,
// whoever they are: the answer is the same for a member, a repeated
// request and a new one.
func (s *Server) handleJoinRequest(w http.ResponseWriter, r *http.Request, v *viewer) error {
	c, err := s.joinCommunity(r)
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	req := &isachub.MembershipRequest{CommunityID: c.ID, OrgName: f("organisation"), Contact: f("contact"),
		Email: f("email"), Sector: f("sector"), Reason: f("reason")}
	if err := req.Validate(); err != nil {
		s.renderStatus(w, r, v, http.StatusBadRequest, "join", page{Title: "Ask to join " + c.Title, Data: map[string]any{
			"Community": c, "Form": req, "Error": isachub.ErrorMessage(err)}})
		return nil
	}
	if ok, retry := s.requests.spend(clientAddr(r.RemoteAddr)); !ok {
		return &throttledError{err: isachub.Errorf(eTooManyRequests,
			"Many requests to join came from here or to this hub lately. Try again in %d minutes.", int(retry.Minutes())+1), retry: retry}
	}
	if err := s.store.CreateMembershipRequest(r.Context(), req); err != nil {
		return err
	}
	if err := s.store.AppendAudit(r.Context(), &isachub.AuditEntry{CommunityID: c.ID, Action: "request.create",
		Target: strconv.FormatInt(req.ID, 10), Detail: req.OrgName}); err != nil {
		return err
	}
	s.render(w, r, v, "join", page{Title: "Request sent", Data: map[string]any{"Community": c, "Sent": req}})
	return nil
}

// requestView is a membership request with the name of who decided it.
type requestView struct {
	*isachub.MembershipRequest
	DecidedByName string
	Slug          string // the slug proposed for the new organisation
}

// requestsShown bounds each list of the review page.
const requestsShown = 200

func (s *Server) handleRequestsPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return s.renderRequests(w, r, v, http.StatusOK, 0, "")
}

// renderRequests renders the review page of the request's community, with
// problem shown on the request failed.
func (s *Server) renderRequests(w http.ResponseWriter, r *http.Request, v *viewer, status int, failed int64, problem string) error {
	ctx := r.Context()
	comm, err := s.adminCommunity(r, v)
	if err != nil {
		return err
	}
	all, err := s.store.MembershipRequests(ctx, comm.ID, "", 100000)
	if err != nil {
		return err
	}
	var pending, decided []requestView
	names := map[int64]string{}
	for _, q := range all {
		rv := requestView{MembershipRequest: q, Slug: slugFrom(q.OrgName)}
		if q.DecidedBy != 0 {
			rv.DecidedByName = s.usernameOf(ctx, names, q.DecidedBy)
		}
		if q.Status == isachub.RequestPending {
			pending = append(pending, rv)
		} else {
			decided = append(decided, rv)
		}
	}
	// The newest decisions first, and only so many.
	slices.Reverse(decided)
	decided = decided[:min(len(decided), requestsShown)]
	topError := problem // shown above all when its request no longer waits
	for _, p := range pending {
		if p.ID == failed {
			topError = ""
		}
	}
	pending = pending[:min(len(pending), requestsShown)]
	s.renderStatus(w, r, v, status, "requests", page{Title: "Membership requests", Nav: "admin", Data: map[string]any{
		"Community": comm, "Pending": pending, "Decided": decided, "Failed": failed, "Error": problem, "TopError": topError,
		"Done": r.URL.Query().Get("done"), "Other": comm.ID != v.comm.ID,
	}})
	return nil
}

// handleDecideRequest approves or declines a pending request. Approval
// creates the organisation and its first admin's invitation, and shows
// the link this once.
func (s *Server) handleDecideRequest(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	comm, err := s.adminCommunity(r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return isachub.Errorf(isachub.ENOTFOUND, "There is no membership request %q.", clip(r.PathValue("id")))
	}
	req, err := s.store.MembershipRequest(ctx, comm.ID, id)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if n := utf8.RuneCountInString(reason); n > 2000 {
		return s.renderRequests(w, r, v, http.StatusBadRequest, id, "The reason has "+strconv.Itoa(n)+" characters; keep it under 2,000.")
	}
	switch r.PathValue("action") {
	case "decline":
		if reason == "" {
			return s.renderRequests(w, r, v, http.StatusBadRequest, id, "Say why the request is declined: the requester is told.")
		}
		err = s.store.DeclineMembershipRequest(ctx, comm.ID, id, v.user.ID, reason)
		if isachub.ErrorCode(err) == isachub.ECONFLICT {
			return s.renderRequests(w, r, v, http.StatusConflict, id, isachub.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		if err := s.audit(ctx, comm.ID, v, "request.decline", strconv.FormatInt(id, 10), req.OrgName+": "+reason); err != nil {
			return err
		}
		q := url.Values{"done": {"Declined the request of " + req.OrgName + "."}}
		if comm.ID != v.comm.ID {
			q.Set("community", comm.Slug)
		}
		http.Redirect(w, r, "/ui/admin/requests?"+q.Encode(), http.StatusSeeOther)
		return nil
	case "approve":
		o := &isachub.Org{Name: strings.TrimSpace(r.PostFormValue("name")), Slug: strings.TrimSpace(r.PostFormValue("slug"))}
		secret, inv, err := s.newInvitation(v, isachub.RoleAdmin, "first admin: "+req.Contact+" <"+req.Email+">")
		if err != nil {
			return err
		}
		err = s.store.ApproveMembershipRequest(ctx, comm.ID, id, v.user.ID, reason, o, inv)
		if code := isachub.ErrorCode(err); code == isachub.EINVALID || code == isachub.ECONFLICT {
			return s.renderRequests(w, r, v, http.StatusBadRequest, id, isachub.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		if err := s.audit(ctx, comm.ID, v, "request.approve", strconv.FormatInt(id, 10), req.OrgName+" as "+o.Slug); err != nil {
			return err
		}
		if err := s.audit(ctx, comm.ID, v, "invitation.create", o.Slug, "admin, for "+req.Contact); err != nil {
			return err
		}
		return s.renderInvited(w, r, v, o, inv, secret, req)
	}
	return isachub.Errorf(isachub.ENOTFOUND, "There is no page at %s.", clip(r.URL.Path))
}

// newInvitation makes an invitation with role and its secret; the store
// keeps its SHA-256 hash.
func (s *Server) newInvitation(v *viewer, role isachub.Role, note string) (string, *isachub.Invitation, error) {
	secret, err := randomSecret()
	if err != nil {
		return "", nil, err
	}
	hash := sha256.Sum256([]byte(secret))
	if utf8.RuneCountInString(note) > 200 {
		note = string([]rune(note)[:199]) + "…"
	}
	return secret, &isachub.Invitation{Role: role, Hash: hash[:], CreatedBy: v.user.ID, Note: note,
		ExpiresAt: s.now().Add(isachub.InvitationTTL)}, nil
}

// inviteLink is the absolute link of an invitation's secret on this hub,
// as the request reached it.
func inviteLink(r *http.Request, secret string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + invitePath + secret
}

// renderInvited shows a new invitation's link, this once.
func (s *Server) renderInvited(w http.ResponseWriter, r *http.Request, v *viewer, o *isachub.Org, inv *isachub.Invitation, secret string, req *isachub.MembershipRequest) error {
	s.render(w, r, v, "invited", page{Title: "Invitation", Nav: "admin", Data: map[string]any{
		"Org": o, "Invitation": inv, "Link": inviteLink(r, secret), "Request": req,
	}})
	return nil
}

// mayInvite reports whether the viewer may invite people into org: an
// admin of the organisation itself, or who administers its community.
func mayInvite(v *viewer, org *isachub.Org) bool {
	return (org.ID == v.org.ID && v.user.Role == isachub.RoleAdmin) || isachub.MayAdminister(v.user, v.org, org.CommunityID)
}

// handleMembersPage is the viewer's organisation: its users, and for its
// admins the invitations and a form to invite a colleague.
func (s *Server) handleMembersPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return s.renderMembers(w, r, v, http.StatusOK, "")
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, v *viewer, status int, problem string) error {
	ctx := r.Context()
	users, err := s.store.Users(ctx, v.org.ID)
	if err != nil {
		return err
	}
	var invs []*isachub.Invitation
	if mayInvite(v, v.org) {
		if invs, err = s.store.Invitations(ctx, v.org.ID); err != nil {
			return err
		}
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Username
	}
	s.renderStatus(w, r, v, status, "members", page{Title: v.org.Name, Nav: "members", Data: map[string]any{
		"Org": v.org, "Users": users, "Invitations": invs, "Names": names, "MayInvite": mayInvite(v, v.org),
		"Now": s.now(), "Error": problem, "Roles": []isachub.Role{isachub.RoleReader, isachub.RoleAnalyst, isachub.RoleAdmin},
	}})
	return nil
}

// handleInvite invites a colleague into an organisation: the viewer's
// own (its admins), or, for the staff, any of the community's by the
// form's "org".
func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	org := v.org
	slug, other := r.PostFormValue("org"), r.PostFormValue("community")
	if slug != "" && (slug != v.org.Slug || other != "" && other != v.comm.Slug) {
		// Another organisation: only who administers its community.
		comm, err := s.adminCommunity(r, v)
		if err != nil {
			return err
		}
		if org, err = s.store.Org(ctx, comm.ID, slug); err != nil {
			return err
		}
	}
	if !mayInvite(v, org) {
		return isachub.Errorf(isachub.EFORBIDDEN, "Only your organisation's admins invite colleagues.")
	}
	role := isachub.Role(r.PostFormValue("role"))
	note := strings.TrimSpace(r.PostFormValue("note"))
	switch {
	case !role.Valid():
		return s.renderMembers(w, r, v, http.StatusBadRequest, "Choose the role of the person you invite: reader, analyst or admin.")
	case utf8.RuneCountInString(note) > 200 || !plausibleName(note) && note != "":
		return s.renderMembers(w, r, v, http.StatusBadRequest, "Say who the invitation is for in one line of at most 200 characters.")
	}
	secret, inv, err := s.newInvitation(v, role, note)
	if err != nil {
		return err
	}
	inv.OrgID = org.ID
	if err := s.store.CreateInvitation(ctx, inv); err != nil {
		return err
	}
	if err := s.audit(ctx, org.CommunityID, v, "invitation.create", org.Slug, string(role)+invitedFor(note)); err != nil {
		return err
	}
	return s.renderInvited(w, r, v, org, inv, secret, nil)
}

func invitedFor(note string) string {
	if note == "" {
		return ""
	}
	return ", for " + note
}

// invitation returns the usable invitation of the path's secret, and its
// organisation and community; anything else is one not-found answer.
func (s *Server) invitation(r *http.Request) ([]byte, *isachub.Invitation, *isachub.Org, *isachub.Community, error) {
	gone := isachub.Errorf(isachub.ENOTFOUND, "This invitation link is not valid: it is unknown, was already used, or has expired. Ask whoever invited you for a new one.")
	secret := r.PathValue("secret")
	if len(secret) != 43 {
		return nil, nil, nil, nil, gone
	}
	ctx := r.Context()
	hash := sha256.Sum256([]byte(secret))
	inv, err := s.store.InvitationByHash(ctx, hash[:])
	if isachub.ErrorCode(err) == isachub.ENOTFOUND || (err == nil && !inv.Usable(s.now())) {
		return nil, nil, nil, nil, gone
	} else if err != nil {
		return nil, nil, nil, nil, err
	}
	org, err := s.store.OrgByID(ctx, inv.OrgID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	comm, err := s.communityByID(ctx, org.CommunityID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return hash[:], inv, org, comm, nil
}

func (s *Server) handleInvitationForm(w http.ResponseWriter, r *http.Request, v *viewer) error {
	_, inv, org, comm, err := s.invitation(r)
	if err != nil {
		return err
	}
	s.render(w, r, v, "invite", page{Title: "Join " + org.Name, Data: map[string]any{
		"Invitation": inv, "Org": org, "Community": comm, "Action": r.URL.Path}})
	return nil
}

// handleAcceptInvitation creates the invited user with the username and
// password they chose, ends any session of this browser, and sends them
// to sign in.
func (s *Server) handleAcceptInvitation(w http.ResponseWriter, r *http.Request, v *viewer) error {
	hash, inv, org, comm, err := s.invitation(r)
	if err != nil {
		return err
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	fail := func(msg string) error {
		s.renderStatus(w, r, v, http.StatusBadRequest, "invite", page{Title: "Join " + org.Name, Data: map[string]any{
			"Invitation": inv, "Org": org, "Community": comm, "Action": r.URL.Path, "Username": username, "Error": msg}})
		return nil
	}
	if !validNewUsername(username) {
		return fail("Choose a username of 2 to 64 characters: lower-case letters, digits, and . _ - @.")
	}
	if n := utf8.RuneCountInString(password); n < MinPasswordLength || len(password) > 1024 {
		return fail("The password needs at least " + strconv.Itoa(MinPasswordLength) + " characters (and at most 1,024 bytes).")
	}
	if password != r.PostFormValue("password2") {
		return fail("The two passwords differ. Type the same one twice.")
	}
	phash, err := HashPassword(password)
	if err != nil {
		return err
	}
	u := &isachub.User{Username: username, PasswordHash: phash}
	if _, err := s.store.AcceptInvitation(r.Context(), hash, s.now(), u); isachub.ErrorCode(err) == isachub.ECONFLICT {
		return fail("The username " + username + " is taken. Choose another.")
	} else if err != nil {
		return err
	}
	if err := s.store.AppendAudit(r.Context(), &isachub.AuditEntry{CommunityID: comm.ID, UserID: u.ID,
		Action: "invitation.accept", Target: username, Detail: string(u.Role) + " of " + org.Slug}); err != nil {
		return err
	}
	if v != nil {
		if err := s.store.DeleteSession(r.Context(), v.session.ID); err != nil && isachub.ErrorCode(err) != isachub.ENOTFOUND {
			return err
		}
		clearSessionCookie(w, r)
	}
	s.log.Info("invitation accepted", "username", username, "org", org.Slug)
	http.Redirect(w, r, "/ui/login?"+url.Values{"joined": {username}}.Encode(), http.StatusSeeOther)
	return nil
}

// validNewUsername reports whether a username chosen through an
// invitation has the hub's plain form.
func validNewUsername(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("._-@", c)) {
			return false
		}
	}
	return true
}

// slugFrom proposes an organisation's slug from its name: lower-case
// letters and digits, runs of anything else one hyphen, at most 63.
func slugFrom(name string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(name) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 63 {
			break
		}
	}
	return strings.TrimSuffix(b.String()[:min(b.Len(), 63)], "-")
}

// loggedPath is a request's path as the log records it: an invitation's
// secret is a credential, and never written to the log.
func loggedPath(p string) string {
	if strings.HasPrefix(p, invitePath) {
		return invitePath + "…"
	}
	return p
}
