package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// The ISAC staff's pages: the moderation queue of the collections a
// viewer may moderate (isachub.MayModerate), and the administration of a
// community (isachub.MayAdminister): its organisations, users,
// collections and audit log. Every change is the store's, validated as
// the command line's `isachub admin` is, and recorded in the audit log.

// pendingView is a submission in the moderation queue as the page shows
// it: its objects as they would be published (an anonymous submission's
// already anonymised, and without its organisation).
type pendingView struct {
	ID, Submitted, Organisation string
	Anonymous                   bool
	Collection                  *isachub.Collection
	Objects                     []pendingObject
}

type pendingObject struct {
	ID, Type, Name, JSON string
	TLP                  stix.TLP
}

// moderated returns the collections of the viewer's scope that they may
// moderate.
func moderated(v *viewer, sc *scope) []*isachub.Collection {
	var out []*isachub.Collection
	for _, c := range sc.colls {
		if c.Moderated && isachub.MayModerate(v.user, v.org, c) {
			out = append(out, c)
		}
	}
	return out
}

// handleModerationPage lists the submissions waiting in the collections
// the viewer may moderate, oldest first.
func (s *Server) handleModerationPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	sc, err := s.viewerScope(ctx, v)
	if err != nil {
		return err
	}
	colls := moderated(v, sc)
	if len(colls) == 0 {
		return isachub.Errorf(isachub.EFORBIDDEN, "Only the ISAC's analysts moderate, and only collections that are moderated.")
	}
	var queue []pendingView
	for _, c := range colls {
		ps, err := s.store.PendingSubmissions(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, p := range ps {
			pv, err := s.pendingView(ctx, p, c)
			if err != nil {
				return err
			}
			queue = append(queue, pv)
		}
	}
	s.render(w, r, v, "moderation", page{Title: "Moderation", Nav: "moderation", Data: map[string]any{
		"Queue": queue, "Collections": colls, "Done": r.URL.Query().Get("done"),
	}})
	return nil
}

func (s *Server) pendingView(ctx context.Context, p *isachub.Pending, c *isachub.Collection) (pendingView, error) {
	pv := pendingView{ID: p.ID, Submitted: taxii.FormatTimestamp(p.CreatedAt), Anonymous: p.Anonymous != nil, Collection: c}
	if p.Anonymous == nil {
		switch org, err := s.store.OrgByID(ctx, p.SubmitterOrgID); {
		case err == nil:
			pv.Organisation = org.Name
		case isachub.ErrorCode(err) == isachub.ENOTFOUND:
			pv.Organisation = "(a removed organisation)"
		default:
			return pv, err
		}
	}
	for _, raw := range p.Objects {
		po := pendingObject{JSON: indentJSON(raw)}
		if o, err := stix.ParseObject(raw); err == nil {
			po.ID, po.Type, po.Name = o.ID(), o.Type(), displayName(o)
			po.TLP = isachub.CollectionTLP(c, stix.EffectiveTLP(o))
		}
		pv.Objects = append(pv.Objects, po)
	}
	return pv, nil
}

// handleModerate approves or rejects (with a reason the submitter reads in
// its status) one pending submission, and records it in the audit log as
// the API's moderation does.
func (s *Server) handleModerate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	action := r.PathValue("action")
	if action != "approve" && action != "reject" {
		return isachub.Errorf(isachub.ENOTFOUND, "There is no page at %s.", clip(r.URL.Path))
	}
	sc, err := s.viewerScope(ctx, v)
	if err != nil {
		return err
	}
	id := r.PathValue("pending")
	p, err := s.store.Pending(ctx, v.comm.ID, id)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return isachub.Errorf(isachub.ENOTFOUND, "There is no submission %q waiting for you.", clip(id))
	} else if err != nil {
		return err
	}
	var coll *isachub.Collection
	for _, c := range moderated(v, sc) {
		if c.ID == p.CollectionID {
			coll = c
		}
	}
	if coll == nil {
		return isachub.Errorf(isachub.ENOTFOUND, "There is no submission %q waiting for you.", clip(id))
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if len(reason) > 2000 {
		return isachub.Errorf(isachub.EINVALID, "The reason is longer than 2000 characters.")
	}
	if action == "approve" {
		_, err = isachub.Approve(ctx, s.store, p)
	} else {
		_, err = isachub.Reject(ctx, s.store, p, reason)
	}
	if err != nil {
		return err
	}
	if err := s.audit(ctx, coll.CommunityID, v, "pending."+action, p.ID, reason); err != nil {
		return err
	}
	done := map[string]string{"approve": "approved", "reject": "rejected"}[action]
	http.Redirect(w, r, "/ui/moderation?done="+done, http.StatusSeeOther)
	return nil
}

// adminForm is one of the administration page's forms, as sent.
type adminForm struct {
	Slug, Name, Staff                       string
	Org, Username, Role, Password           string
	Title, Alias, Description, TLP          string
	ReadAll, WriteAll, Moderated, Anonymous bool
}

func readAdminForm(r *http.Request) adminForm {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	on := func(k string) bool { return r.PostFormValue(k) == "on" }
	return adminForm{Slug: f("slug"), Name: f("name"), Staff: r.PostFormValue("staff"), Org: f("org"),
		Username: f("username"), Role: r.PostFormValue("role"), Password: r.PostFormValue("password"),
		Title: f("title"), Alias: f("alias"), Description: f("description"), TLP: r.PostFormValue("default_tlp"),
		ReadAll: on("read_all"), WriteAll: on("write_all"), Moderated: on("moderated"), Anonymous: on("anonymous")}
}

// adminCommunity returns the community the request administers: the
// viewer's own, or for the hub operator any by ?community= (or the form's
// "community"); EFORBIDDEN when the viewer may not administer it.
func (s *Server) adminCommunity(r *http.Request, v *viewer) (*isachub.Community, error) {
	return s.staffCommunity(r, v, isachub.MayAdminister, "Only the ISAC's administrators and the hub operator administer the community.")
}

// staffCommunity returns the community a staff page shows: the viewer's,
// or for the hub operator the one ?community= names; EFORBIDDEN with
// refusal unless may (a rule of the policy) lets the viewer see it.
func (s *Server) staffCommunity(r *http.Request, v *viewer, may func(*isachub.User, *isachub.Org, int64) bool, refusal string) (*isachub.Community, error) {
	comm := v.comm
	if slug := r.FormValue("community"); slug != "" && slug != comm.Slug && v.user.HubAdmin {
		c, err := s.store.Community(r.Context(), slug)
		if err != nil {
			return nil, err
		}
		comm = c
	}
	if !may(v.user, v.org, comm.ID) {
		return nil, isachub.Errorf(isachub.EFORBIDDEN, "%s", refusal)
	}
	return comm, nil
}

// orgUsers is an organisation with its users, for the page.
type orgUsers struct {
	*isachub.Org
	Users []*isachub.User
}

// auditView is an audit entry with the name of who acted.
type auditView struct {
	*isachub.AuditEntry
	Who string
}

// auditShown is how many entries the page shows; auditRead how many of
// the newest it filters.
const auditShown, auditRead = 100, 2000

func (s *Server) handleAdminPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return s.renderAdmin(w, r, v, http.StatusOK, adminForm{ReadAll: true}, "", nil)
}

// renderAdmin renders the administration page of the request's
// community, with the form f as sent to the form named in failed and its
// errors.
func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, v *viewer, status int, f adminForm, failed string, errs fieldErrors) error {
	ctx := r.Context()
	comm, err := s.adminCommunity(r, v)
	if err != nil {
		return err
	}
	orgs, err := s.store.Orgs(ctx, comm.ID)
	if err != nil {
		return err
	}
	who := map[int64]string{}
	var members []orgUsers
	for _, o := range orgs {
		us, err := s.store.Users(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, u := range us {
			who[u.ID] = u.Username
		}
		members = append(members, orgUsers{o, us})
	}
	colls, err := s.store.Collections(ctx, comm.ID)
	if err != nil {
		return err
	}
	action, q := r.URL.Query().Get("action"), r.URL.Query().Get("q")
	entries, err := s.store.AuditEntries(ctx, comm.ID, auditRead)
	if err != nil {
		return err
	}
	var audit []auditView
	for _, e := range entries {
		if len(audit) == auditShown {
			break
		}
		name := who[e.UserID]
		switch {
		case name != "":
		case e.Action == "request.create":
			name = "public request form"
		case e.UserID != 0: // someone of another community (the hub operator), or removed
			name = s.usernameOf(ctx, who, e.UserID)
		default:
			name = "command line"
		}
		if action != "" && !strings.HasPrefix(e.Action, action) {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(e.Target+" "+e.Detail+" "+name), strings.ToLower(q)) {
			continue
		}
		audit = append(audit, auditView{e, name})
	}
	waiting, err := s.store.CountMembershipRequests(ctx, comm.ID, isachub.RequestPending)
	if err != nil {
		return err
	}
	var all []*isachub.Community
	if v.user.HubAdmin {
		if all, err = s.store.Communities(ctx); err != nil {
			return err
		}
	}
	s.renderStatus(w, r, v, status, "admin", page{Title: "Administration", Nav: "admin", Data: map[string]any{
		"Community": comm, "Communities": all, "Orgs": members, "Collections": colls, "Audit": audit,
		"Action": action, "Q": q, "Form": f, "Failed": failed, "Errors": errs, "Done": r.URL.Query().Get("done"),
		"PendingRequests": waiting,
		"Roles":           []isachub.Role{isachub.RoleReader, isachub.RoleAnalyst, isachub.RoleAdmin},
		"TLPs":            []string{"clear", "green", "amber", "amber+strict", "red"},
	}})
	return nil
}

// handleAdminCreate creates an organisation, a user or a collection in
// the request's community.
func (s *Server) handleAdminCreate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	comm, err := s.adminCommunity(r, v)
	if err != nil {
		return err
	}
	f := readAdminForm(r)
	what := r.PathValue("what")
	var target, detail string
	switch what {
	case "orgs":
		o := &isachub.Org{CommunityID: comm.ID, Slug: f.Slug, Name: f.Name, Staff: f.Staff == "on"}
		err = s.store.CreateOrg(ctx, o)
		target, detail = o.Slug, o.Name
	case "users":
		var org *isachub.Org
		if org, err = s.store.Org(ctx, comm.ID, f.Org); err == nil {
			err = s.createUser(ctx, org, f)
		}
		target, detail = f.Username, string(f.Role)+" of "+f.Org
	case "collections":
		c := &isachub.Collection{CommunityID: comm.ID, Title: f.Title, Alias: f.Alias, Description: f.Description,
			DefaultTLP: f.TLP, ReadAll: f.ReadAll, WriteAll: f.WriteAll, Moderated: f.Moderated, Anonymous: f.Anonymous}
		err = s.store.CreateCollection(ctx, c)
		target, detail = c.ID, c.Title
	default:
		return isachub.Errorf(isachub.ENOTFOUND, "There is no page at %s.", clip(r.URL.Path))
	}
	if code := isachub.ErrorCode(err); code == isachub.EINVALID || code == isachub.ECONFLICT || code == isachub.ENOTFOUND {
		return s.renderAdmin(w, r, v, http.StatusBadRequest, f, what, fieldErrors{what: isachub.ErrorMessage(err)})
	} else if err != nil {
		return err
	}
	if err := s.audit(ctx, comm.ID, v, strings.TrimSuffix(what, "s")+".create", target, detail); err != nil {
		return err
	}
	q := url.Values{"done": {"Created " + strings.TrimSuffix(what, "s") + " " + target + "."}}
	if comm.ID != v.comm.ID {
		q.Set("community", comm.Slug)
	}
	http.Redirect(w, r, "/ui/admin?"+q.Encode(), http.StatusSeeOther)
	return nil
}

// audit appends an entry of the viewer's action to the community's log.
func (s *Server) audit(ctx context.Context, communityID int64, v *viewer, action, target, detail string) error {
	return s.store.AppendAudit(ctx, &isachub.AuditEntry{CommunityID: communityID, UserID: v.user.ID,
		Action: action, Target: target, Detail: detail})
}

// usernameOf returns the username of the user id, from names or else
// the store (then kept in names), or "a removed user".
func (s *Server) usernameOf(ctx context.Context, names map[int64]string, id int64) string {
	if name, ok := names[id]; ok {
		return name
	}
	name := "a removed user"
	if u, err := s.store.UserByID(ctx, id); err == nil {
		name = u.Username
	}
	names[id] = name
	return name
}

// createUser creates the user of the form in org, with its password
// hashed as the command line hashes it.
func (s *Server) createUser(ctx context.Context, org *isachub.Org, f adminForm) error {
	role := isachub.Role(f.Role)
	if !role.Valid() {
		return isachub.Errorf(isachub.EINVALID, "Choose the role: reader, analyst or admin.")
	}
	if n := len([]rune(f.Password)); n < MinPasswordLength {
		return isachub.Errorf(isachub.EINVALID, "The password has %d characters; it needs at least %d.", n, MinPasswordLength)
	}
	hash, err := HashPassword(f.Password)
	if err != nil {
		return err
	}
	return s.store.CreateUser(ctx, &isachub.User{OrgID: org.ID, Username: f.Username, Role: role, PasswordHash: hash})
}
