package isachub

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Joining a community: an organisation that is not yet a member asks to
// join (a MembershipRequest, sent from a public page), the ISAC's staff
// approve or decline it with a reason, and approval creates the
// organisation and a one-time, expiring Invitation by which its first
// admin chooses their username and password. A member organisation's
// admins invite their own colleagues the same way.

// The states of a membership request.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestDeclined = "declined"
)

// InvitationTTL is how long an invitation link may be used.
const InvitationTTL = 7 * 24 * time.Hour

// The bounds of a membership request's fields, in characters.
const (
	maxRequestField  = 200
	maxRequestReason = 4000
)

// MembershipRequest is an organisation's request to join a community.
type MembershipRequest struct {
	ID          int64
	CommunityID int64
	OrgName     string // the organisation, as the requester wrote it
	Contact     string // who asks: a person's name
	Email       string // where the staff answer
	Sector      string
	Reason      string // why they want to join
	Status      string // RequestPending, RequestApproved or RequestDeclined
	// Decision is the staff's reason for approving or declining.
	Decision  string
	DecidedBy int64 // the user who decided; 0 while pending
	// OrgID is the organisation the approval created (0 otherwise, and
	// when that organisation was removed since).
	OrgID     int64
	CreatedAt time.Time
	DecidedAt time.Time
}

// Validate checks the fields a requester fills in, naming the first
// that is wrong.
func (r *MembershipRequest) Validate() error {
	for _, f := range []struct{ name, value string }{
		{"organisation", r.OrgName}, {"contact", r.Contact}, {"email", r.Email},
	} {
		if strings.TrimSpace(f.value) == "" {
			return Errorf(EINVALID, "The %s is required.", f.name)
		}
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{
		{"organisation", r.OrgName, maxRequestField}, {"contact", r.Contact, maxRequestField},
		{"email", r.Email, maxRequestField}, {"sector", r.Sector, maxRequestField}, {"reason", r.Reason, maxRequestReason},
	} {
		if !utf8.ValidString(f.value) {
			return Errorf(EINVALID, "The %s is not valid UTF-8 text.", f.name)
		}
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return Errorf(EINVALID, "The %s has %d characters; at most %d are kept.", f.name, n, f.max)
		}
		if strings.ContainsFunc(f.value, func(c rune) bool { return c < ' ' && c != '\n' && c != '\r' && c != '\t' }) {
			return Errorf(EINVALID, "The %s contains control characters.", f.name)
		}
	}
	if a, err := mail.ParseAddress(r.Email); err != nil || a.Address != strings.TrimSpace(r.Email) {
		return Errorf(EINVALID, "The email %q is not an address such as name@example.org.", r.Email)
	}
	return nil
}

// Invitation is a one-time link by which a person joins an organisation
// as a user with Role, choosing their own username and password. The link
// carries a random secret; the store keeps only its SHA-256 hash.
type Invitation struct {
	ID        int64
	OrgID     int64
	Role      Role
	Hash      []byte
	CreatedBy int64 // the user who invited; 0 for the command line
	// Note is who the invitation is for, as the inviter wrote it.
	Note      string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until used
	UserID    int64     // the user it created, once used
}

// Usable reports whether the invitation may still be used at now.
func (i *Invitation) Usable(now time.Time) bool {
	return i.UsedAt.IsZero() && now.Before(i.ExpiresAt)
}

// Validate checks an invitation before it is stored.
func (i *Invitation) Validate() error {
	switch {
	case len(i.Hash) == 0 || i.ExpiresAt.IsZero():
		return Errorf(EINVALID, "An invitation needs a hash and an expiry.")
	case !i.Role.Valid():
		return Errorf(EINVALID, "Choose the role of the invited person: reader, analyst or admin.")
	case utf8.RuneCountInString(i.Note) > maxRequestField:
		return Errorf(EINVALID, "The note has more than %d characters.", maxRequestField)
	}
	return nil
}

// JoinStore keeps membership requests and invitations.
type JoinStore interface {
	// CreateMembershipRequest stores r as pending, setting r.ID, r.Status
	// and r.CreatedAt; an unknown community is ENOTFOUND.
	CreateMembershipRequest(ctx context.Context, r *MembershipRequest) error
	// MembershipRequest returns the request with the id in the community,
	// or ENOTFOUND.
	MembershipRequest(ctx context.Context, communityID, id int64) (*MembershipRequest, error)
	// MembershipRequests returns the community's requests in the status
	// ("" for every status), the oldest first, at most limit of them.
	MembershipRequests(ctx context.Context, communityID int64, status string, limit int) ([]*MembershipRequest, error)
	// CountMembershipRequests returns how many of the community's
	// requests are in the status.
	CountMembershipRequests(ctx context.Context, communityID int64, status string) (int, error)
	// ApproveMembershipRequest, in one transaction, creates the
	// organisation o in the request's community (setting o.ID), creates
	// the invitation inv to it (setting inv.OrgID, inv.ID), and marks the
	// request approved by decidedBy with the reason. A request that is not
	// pending is ECONFLICT, as is a slug already used; on any error
	// nothing is written.
	ApproveMembershipRequest(ctx context.Context, communityID, id, decidedBy int64, reason string, o *Org, inv *Invitation) error
	// DeclineMembershipRequest marks the pending request declined by
	// decidedBy with the reason; a request that is not pending is
	// ECONFLICT.
	DeclineMembershipRequest(ctx context.Context, communityID, id, decidedBy int64, reason string) error
	// CreateInvitation stores inv, setting inv.ID and inv.CreatedAt; an
	// unknown organisation is ENOTFOUND.
	CreateInvitation(ctx context.Context, inv *Invitation) error
	// InvitationByHash returns the invitation whose hash is hash, or
	// ENOTFOUND.
	InvitationByHash(ctx context.Context, hash []byte) (*Invitation, error)
	// Invitations returns the organisation's invitations, newest first.
	Invitations(ctx context.Context, orgID int64) ([]*Invitation, error)
	// AcceptInvitation, in one transaction, uses the invitation whose hash
	// is hash: when it is unused and expires after now, it creates u in
	// the invitation's organisation with its role (setting u.ID, u.OrgID,
	// u.Role) and marks the invitation used by u. An unknown, used or
	// expired invitation is ENOTFOUND, a username already taken ECONFLICT;
	// on any error nothing is written.
	AcceptInvitation(ctx context.Context, hash []byte, now time.Time, u *User) (*Invitation, error)
}
