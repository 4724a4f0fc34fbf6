package isachub

import (
	"context"
	"strings"
	"time"

	"github.com/isachub/isachub/stix"
)

// Peer is another TAXII 2.1 server that a community federates with
// (issue 14): another isachub hub, another ISAC's, a national CERT's or a
// member's own platform, at the URL of one of its API roots. What the
// community pulls from it is stored as published by the peer's own local
// organisation (OrgID, made with the peer), so the version-ownership
// rule keeps a peer's objects its own. What may be pushed to it is
// decided by the policy with the border as the reader (BorderVisibility).
type Peer struct {
	ID          string // a UUID
	CommunityID int64
	Name        string // unique in the community
	URL         string // the peer's API root URL
	// OrgID is the local organisation the peer's objects are published
	// under.
	OrgID int64
	// User is the HTTP Basic user name; "" when Credential is a bearer
	// token.
	User string
	// Credential is the password or token, sealed with the hub's
	// federation key (package federation): never stored or printed in
	// clear.
	Credential []byte
	// Trusted declares the peer part of the same trusted community: TLP:
	// GREEN may go to it.
	Trusted   bool
	CreatedAt time.Time
}

// Validate returns EINVALID when the peer cannot be stored.
func (p *Peer) Validate() error {
	switch {
	case strings.TrimSpace(p.Name) == "":
		return Errorf(EINVALID, "The peer has no name.")
	case len(p.Name) > 100:
		return Errorf(EINVALID, "The peer's name is longer than 100 bytes.")
	case !strings.HasPrefix(p.URL, "https://") && !strings.HasPrefix(p.URL, "http://"):
		return Errorf(EINVALID, "The peer's URL %q is not an http:// or https:// URL of an API root.", clipText(p.URL))
	case p.OrgID == 0:
		return Errorf(EINVALID, "The peer has no local organisation.")
	}
	return nil
}

// Direction is which way a subscription moves objects.
type Direction string

// The directions of a subscription.
const (
	Pull Direction = "pull" // from the peer's collection into a local one
	Push Direction = "push" // from a local collection to the peer's
)

// DefaultSyncInterval is how often serve runs a subscription when it was
// given no interval.
const DefaultSyncInterval = 5 * time.Minute

// Subscription moves the objects of one collection to another across the
// border, on a schedule: a pull reads the peer's collection Remote into
// the local collection Local; a push sends Local to the peer's Remote.
type Subscription struct {
	ID          string // a UUID
	PeerID      string
	CommunityID int64
	Direction   Direction
	Remote      string // the peer's collection id
	Local       string // the local collection id
	Interval    time.Duration
	// Checkpoint is where the next run starts. For a pull, the peer's
	// date_added (a TAXII timestamp) of the last object stored; for a
	// push, the local date_added of the last object sent. "" at first.
	Checkpoint string
	// NextRun is when serve runs it next; zero: at once.
	NextRun time.Time
	// The outcome of the runs: the last success, the last error ("" after
	// a success), and the objects moved and refused in total.
	LastRun     time.Time
	LastSuccess time.Time
	LastError   string
	Moved       int64
	Refused     int64
	CreatedAt   time.Time
}

// CountPulled adds to s.Moved and s.Refused what the results of a pulled
// page say (a version stored is moved, one refused is refused, one stored
// already is neither) and returns how many were stored: what AddPulled
// stores with the checkpoint, and what its caller counts once it returns.
func (s *Subscription) CountPulled(results []AddResult) (stored int) {
	for _, r := range results {
		switch {
		case r.Err != nil:
			s.Refused++
		case !r.Existed:
			stored++
		}
	}
	s.Moved += int64(stored)
	return stored
}

// Validate returns EINVALID when the subscription cannot be stored.
func (s *Subscription) Validate() error {
	switch {
	case s.Direction != Pull && s.Direction != Push:
		return Errorf(EINVALID, "A subscription is a pull or a push, not %q.", clipText(string(s.Direction)))
	case strings.TrimSpace(s.Remote) == "" || len(s.Remote) > 200:
		return Errorf(EINVALID, "The subscription needs the peer's collection id (at most 200 bytes).")
	case s.Local == "":
		return Errorf(EINVALID, "The subscription needs a local collection.")
	case s.Interval < 0:
		return Errorf(EINVALID, "The subscription's interval must not be negative.")
	}
	return nil
}

// Origin is where a pulled object version came from: the peer, and when.
// It is what keeps an object from going back to the peer it came from.
type Origin struct {
	PeerID     string
	ReceivedAt time.Time
}

// PeerStore keeps peers, their subscriptions and the origins of what was
// pulled.
type PeerStore interface {
	// CreatePeer stores p, setting p.ID (when empty) and p.CreatedAt. A
	// name used in the community already is ECONFLICT; an organisation not
	// of p's community is ENOTFOUND.
	CreatePeer(ctx context.Context, p *Peer) error
	// Peer returns the peer with the id, or ENOTFOUND.
	Peer(ctx context.Context, id string) (*Peer, error)
	// Peers returns the community's peers, by name.
	Peers(ctx context.Context, communityID int64) ([]*Peer, error)
	// DeletePeer removes the peer and its subscriptions, or returns
	// ENOTFOUND. The origins of what it sent stay, and so do the objects.
	DeletePeer(ctx context.Context, id string) error
	// CreateSubscription stores s, setting s.ID (when empty), its
	// community (the peer's) and s.CreatedAt. A peer or a local collection
	// not of one community is ENOTFOUND.
	CreateSubscription(ctx context.Context, s *Subscription) error
	// Subscriptions returns the peer's subscriptions, oldest first.
	Subscriptions(ctx context.Context, peerID string) ([]*Subscription, error)
	// DueSubscriptions returns the subscriptions of every community whose
	// NextRun is at or before now, soonest first, at most limit.
	DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]*Subscription, error)
	// ClaimSubscription moves s's NextRun to until if it is still the
	// NextRun s holds, so that of several replicas that found it due one
	// runs it; ECONFLICT when another replica claimed it first. On
	// success s.NextRun is until.
	ClaimSubscription(ctx context.Context, s *Subscription, until time.Time) error
	// RecordSync stores the outcome of a run of s: its Checkpoint,
	// NextRun, LastRun, LastSuccess, LastError, Moved and Refused as s
	// gives them; ENOTFOUND when it is gone.
	RecordSync(ctx context.Context, s *Subscription) error
	// AddPulled adds objs to the pull's local collection as AddObjects
	// does, on behalf of orgID (the peer's organisation), records the
	// origin of each version stored (the peer, at receivedAt) and stores
	// s as RecordSync does, with its Moved and Refused counting these
	// results too (CountPulled; s itself is left as given), all in one
	// transaction: a crash leaves either
	// all of it or none, so a pull resumes from its checkpoint without
	// losing or duplicating an object. (A subscription removed meanwhile
	// records nothing; the objects are stored all the same.)
	AddPulled(ctx context.Context, s *Subscription, orgID int64, objs []*stix.Object, receivedAt time.Time) ([]AddResult, error)
	// Origins returns the origins recorded for the ids in the collection,
	// by id (any version); an id without one is absent.
	Origins(ctx context.Context, collectionID string, ids []string) (map[string][]Origin, error)
	// ObjectOrigins returns the origins recorded for each version of the
	// object in the collection, by version (its modified, else its
	// created, as AddResult.Version gives it), each version's oldest
	// first; a version without one is absent.
	ObjectOrigins(ctx context.Context, collectionID, id string) (map[string][]Origin, error)
}
