package isachub

import (
	"context"
	"encoding/json"
	"time"

	"github.com/isachub/isachub/stix"
)

// Anonymous publishing: a member's submission re-issued under the
// community's own STIX identity (package anon does the transformation).
// Whether a submission is anonymous is decided here and nowhere else.

// The submitter-record policies of a community (Community.SubmitterRecord):
// who submitted an anonymous object is kept in a sealed record that only
// the hub operator can read, through an audited command, or nowhere.
const (
	RecordSealed = "sealed"
	RecordNone   = "none"
)

// Anonymous reports whether a submission is published anonymously: the
// token it was made with is anonymous, the collection always anonymises, or
// the submitter asked for it with this one submission.
func Anonymous(tok *Token, coll *Collection, requested bool) bool {
	return requested || coll.Anonymous || (tok != nil && tok.Anonymous)
}

// Redaction is what an organisation declares about itself so that it can be
// removed from the free text of its anonymous submissions: every match is
// replaced with "[REDACTED]".
type Redaction struct {
	Domains  []string `json:"domains,omitempty"`   // the domain and its subdomains
	Emails   []string `json:"emails,omitempty"`    // exact addresses, any case
	IPRanges []string `json:"ip_ranges,omitempty"` // CIDR prefixes or single addresses
	Patterns []string `json:"patterns,omitempty"`  // RE2 regular expressions
}

// Empty reports whether r declares nothing.
func (r Redaction) Empty() bool {
	return len(r.Domains)+len(r.Emails)+len(r.IPRanges)+len(r.Patterns) == 0
}

// AnonymousSubmission is the hub's record of one anonymous submission: the
// objects it published, the hash of the withdrawal handle that only the
// submitter received, and, when the community keeps a sealed record, the
// submitting organisation.
type AnonymousSubmission struct {
	ID           string // a UUID
	CommunityID  int64
	CollectionID string
	// HandleHash is the SHA-256 of the withdrawal handle.
	HandleHash []byte
	// OrgID is the sealed record: the submitting organisation when the
	// community's policy is RecordSealed, 0 under RecordNone. The stores
	// enforce the 0: they never store an OrgID in a community whose policy
	// is RecordNone, and they erase the recorded ones when the policy
	// becomes RecordNone (CommunityStore.UpdateCommunity). No read path
	// shows it; only the audited reveal command reads it.
	OrgID int64
	// ObjectIDs are the (re-minted) ids the submission published.
	ObjectIDs   []string
	CreatedAt   time.Time
	WithdrawnAt time.Time // zero until withdrawn
}

// AnonymousStore keeps anonymous objects and their records.
type AnonymousStore interface {
	// AddAnonymous adds objs to the collection as ObjectStore.AddObjects
	// does, on behalf of no organisation (submitter 0: the community), and
	// stores rec in the same transaction, setting rec.ID when empty and
	// rec.CreatedAt. A rec.ID that is already stored is kept as it is (an
	// approval that is retried). When the community's policy, read in that
	// transaction, is RecordNone, the record is stored with OrgID 0
	// whatever rec.OrgID says, and rec.OrgID is set to 0.
	AddAnonymous(ctx context.Context, collectionID string, objs []*stix.Object, rec *AnonymousSubmission) ([]AddResult, error)
	// AnonymousByHandle returns the community's submission whose
	// HandleHash is hash, or ENOTFOUND.
	AnonymousByHandle(ctx context.Context, communityID int64, hash []byte) (*AnonymousSubmission, error)
	// AnonymousSubmissions returns the community's submissions that
	// published the object id, oldest first. Only two callers read their
	// OrgID: the audited reveal command, and a withdrawal by object id,
	// which acts only on the caller's own organisation's submissions and
	// answers anything else as if there were none.
	AnonymousSubmissions(ctx context.Context, communityID int64, objectID string) ([]*AnonymousSubmission, error)
	// MarkWithdrawn sets the submission's WithdrawnAt, or returns
	// ENOTFOUND.
	MarkWithdrawn(ctx context.Context, communityID int64, id string, at time.Time) error
}

// Pending is a submission to a moderated collection that waits for an ISAC
// analyst: readers see nothing of it until it is approved, and its TAXII
// status lists its objects as pending.
type Pending struct {
	ID           string // the id of its status resource
	CommunityID  int64
	CollectionID string
	// SubmitterOrgID is the submitting organisation, 0 when anonymous.
	SubmitterOrgID int64
	// Anonymous is the record to store on approval when the submission is
	// anonymous (Objects are then already anonymised), nil otherwise.
	Anonymous *AnonymousSubmission
	Objects   []json.RawMessage // valid STIX objects, in submission order
	CreatedAt time.Time
}

// PendingStore keeps the moderation queue.
type PendingStore interface {
	// CreatePending stores p, setting p.CreatedAt; p.ID must be set. When
	// p is anonymous and the community's policy, read in the same
	// transaction, is RecordNone, no organisation is stored: p.Anonymous
	// is replaced by a copy with OrgID 0, and p.SubmitterOrgID is set to
	// 0, before they are stored.
	CreatePending(ctx context.Context, p *Pending) error
	// Pending returns the community's pending submission with the id, or
	// ENOTFOUND.
	Pending(ctx context.Context, communityID int64, id string) (*Pending, error)
	// PendingSubmissions returns the collection's pending submissions,
	// oldest first.
	PendingSubmissions(ctx context.Context, collectionID string) ([]*Pending, error)
	// DeletePending removes the pending submission, or returns ENOTFOUND.
	DeletePending(ctx context.Context, communityID int64, id string) error
}

// MayAdminister reports whether a user of the organisation may administer
// the community from the web UI (its organisations, users, collections and
// audit log): the hub operator for every community, and an admin of the
// community's staff organisation (Org.Staff) for theirs. Administering
// gives no right to object content: what they read stays their
// organisation's (Reader).
func MayAdminister(u *User, org *Org, communityID int64) bool {
	return u.HubAdmin || (org.Staff && org.CommunityID == communityID && u.Role == RoleAdmin)
}

// MayModerate reports whether a user of the organisation may approve and
// reject the pending submissions of the collection: an analyst or admin of
// the community's staff organisation (Org.Staff) who may read the
// collection.
func MayModerate(u *User, org *Org, coll *Collection) bool {
	return org.Staff && org.CommunityID == coll.CommunityID && u.Role.CanPublish() && coll.CanRead(org.ID)
}
