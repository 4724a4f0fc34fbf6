package isachub

import (
	"context"
	"slices"

	"github.com/isachub/isachub/stix"
)

// The confidentiality rules of the hub: which object versions a reader may
// see, which may leave the community and which may be counted in
// community-wide statistics. Every path that shows, exports or counts object
// content asks this file (the TAXII server through server/access.go), so
// that the rules live in one place. See the package documentation for the
// table.

// Reader is who asks to see or do something: a user's organisation, the
// community it belongs to, the user's role in it, and whether the user is
// the hub operator. Every rule of who may see what and who may do what is a
// method of Reader, in this file.
type Reader struct {
	OrgID       int64
	CommunityID int64
	// Role is the user's role in its organisation: it decides whether the
	// user may publish (Role.CanPublish). The zero value may only read.
	Role Role
	// HubOperator marks the hub operator, who administers every community
	// and sees every collection's metadata; object content follows the
	// rights of the operator's own organisation.
	HubOperator bool
	// FeedToken is the id of the feed the reader's token is bound to (a
	// feed token, Token.FeedID): such a reader reads that feed and nothing
	// else, and of it only what may leave the community (TLP:CLEAR).
	FeedToken string
	// Peer is set when the reader's organisation is a peer's (Peer.OrgID):
	// another hub or TAXII server reading with the account the ISAC gave
	// it. It reads as a push sends (MayCross): the border is the reader,
	// whichever side starts the exchange.
	Peer *Peer
}

// TLPSet is a set of TLP levels, stix.TLPNone (an unmarked version)
// included. The zero value is the empty set.
type TLPSet uint8

// Has reports whether the level is in s.
func (s TLPSet) Has(level stix.TLP) bool {
	return level >= 0 && level <= stix.TLPRed && s&(1<<uint(level)) != 0
}

// With returns s with the level added.
func (s TLPSet) With(level stix.TLP) TLPSet { return s | 1<<uint(level) }

// Levels returns the levels in s, in order of restriction.
func (s TLPSet) Levels() []stix.TLP {
	var out []stix.TLP
	for l := stix.TLPNone; l <= stix.TLPRed; l++ {
		if s.Has(l) {
			out = append(out, l)
		}
	}
	return out
}

// CollectionTLP returns the effective TLP of a version of the collection
// whose own markings give level (stix.EffectiveTLP): the level itself, or
// the collection's DefaultTLP for an unmarked version ("" meaning AMBER).
func CollectionTLP(c *Collection, level stix.TLP) stix.TLP {
	if level != stix.TLPNone {
		return level
	}
	if c.DefaultTLP == "" {
		return stix.TLPAmber
	}
	l, err := stix.ParseTLP(c.DefaultTLP)
	if err != nil { // Validate keeps this from being stored
		return stix.TLPRed
	}
	return l
}

// Named reports whether c is restricted to named organisations: a sharing
// group's collection, or one with an explicit reader list. Only such a
// collection may hold TLP:RED.
func (c *Collection) Named() bool { return c.GroupID != 0 || !c.ReadAll }

// isReaderOrg reports whether the reader's organisation is one of the
// collection's reader organisations (a member of its community on its
// reader list, or any member when it is open to all).
func (r Reader) isReaderOrg(c *Collection) bool {
	return r.FeedToken == "" && r.CommunityID == c.CommunityID && c.CanRead(r.OrgID)
}

// MayOpen reports whether the reader may open the collection at all (list
// and read its objects, subject to MaySee): one of its reader
// organisations, or the hub operator.
func (r Reader) MayOpen(c *Collection) bool {
	return r.FeedToken == "" && (r.HubOperator || r.isReaderOrg(c))
}

// MaySee reports whether the reader may see a version of the collection
// whose effective TLP (CollectionTLP) is level. It is false whenever the
// reader may not open the collection.
func (r Reader) MaySee(c *Collection, level stix.TLP) bool {
	if !r.MayOpen(c) {
		return false
	}
	if r.Peer != nil {
		return MayCross(r.Peer, c, level)
	}
	switch level {
	case stix.TLPClear:
		return true
	case stix.TLPGreen:
		return r.CommunityID == c.CommunityID
	case stix.TLPAmber, stix.TLPAmberStrict:
		return r.isReaderOrg(c)
	case stix.TLPRed:
		return c.Named() && r.isReaderOrg(c)
	}
	return false
}

// Hidden returns the stored TLP levels (stix.TLPNone for unmarked
// versions, which take the collection's default) of the versions of c that
// the reader may not see. It is every level when the reader may not open c.
// A read passes the policy's answer as a Visibility (Reader.Visibility).
func (r Reader) Hidden(c *Collection) TLPSet {
	var hidden TLPSet
	for l := stix.TLPNone; l <= stix.TLPRed; l++ {
		if !r.MaySee(c, CollectionTLP(c, l)) {
			hidden = hidden.With(l)
		}
	}
	return hidden
}

// allLevels is every stored TLP level, stix.TLPNone included.
const allLevels = TLPSet(1<<(uint(stix.TLPRed)+1) - 1)

// Visibility is the policy's answer to "which versions of this collection
// may this read return", as the stores take it: every read of object
// content (Store.Objects, Store.SearchObjects) requires one, so that no
// read can forget the rule. It can only be made by Reader.Visibility, or by
// Unrestricted for the few internal callers that truly need everything, so
// that grep finds each of them. The zero value hides every version.
type Visibility struct {
	hidden  TLPSet
	granted bool
}

// Visibility returns what the reader may see of c's versions: the levels of
// Reader.Hidden left out. It hides everything when the reader may not open
// c.
func (r Reader) Visibility(c *Collection) Visibility {
	return Visibility{hidden: r.Hidden(c), granted: true}
}

// StatisticsVisibility is what of c's versions the reader may count in a
// chart or a total: what it may see (Visibility), and never TLP:RED
// (CountsInStatistics), so that no figure hints at a RED object.
func (r Reader) StatisticsVisibility(c *Collection) Visibility {
	hidden := r.Hidden(c)
	for l := stix.TLPNone; l <= stix.TLPRed; l++ {
		if !CountsInStatistics(CollectionTLP(c, l)) {
			hidden = hidden.With(l)
		}
	}
	return Visibility{hidden: hidden, granted: true}
}

// Unrestricted returns the Visibility that hides nothing. It is for
// internal callers that act for the hub itself, never on behalf of a
// reader: say why at each call.
func Unrestricted() Visibility { return Visibility{granted: true} }

// Hidden returns the stored TLP levels (stix.TLPNone: unmarked) that a read
// with v must leave out, in its query and before paging. The zero
// Visibility hides every level.
func (v Visibility) Hidden() TLPSet {
	if !v.granted {
		return allLevels
	}
	return v.hidden
}

// Only narrows v to the levels of keep: what v hides stays hidden, and
// every level not in keep is hidden too. It never shows more than v, so a
// filter of the UI's search built with it cannot widen what a reader sees.
func (v Visibility) Only(keep TLPSet) Visibility {
	return Visibility{hidden: v.Hidden() | (allLevels &^ keep), granted: v.granted}
}

// Nothing reports whether v hides every level, so that a read can answer
// an empty result without asking the database.
func (v Visibility) Nothing() bool { return v.Hidden() == allLevels }

// InCommunity reports whether the reader's organisation is a member of the
// community.
func (r Reader) InCommunity(communityID int64) bool { return r.CommunityID == communityID }

// MaySeeCommunity reports whether the reader may see an API root: the hub
// operator sees all, a member the one community its organisation is in.
func (r Reader) MaySeeCommunity(comm *Community) bool {
	return r.HubOperator || r.InCommunity(comm.ID)
}

// MayWrite reports whether the reader may add objects to a collection: the
// hub operator, or a member whose organisation may write it and whose role
// may publish.
func (r Reader) MayWrite(c *Collection) bool {
	if r.FeedToken != "" {
		return false
	}
	if r.HubOperator {
		return true
	}
	return r.InCommunity(c.CommunityID) && c.CanWrite(r.OrgID) && r.Role.CanPublish()
}

// MaySeeCollection reports whether a collection appears to the reader at
// all: one it may open or write. Any other is answered exactly like one
// that does not exist, so that a sharing group's collections reveal
// nothing to outsiders.
func (r Reader) MaySeeCollection(c *Collection) bool { return r.MayOpen(c) || r.MayWrite(c) }

// MaySeeStatus reports whether the reader may read a status resource: only
// the submitting organisation. Not the hub operator of another
// organisation: a status lists the ids of what was submitted, which is
// object content (TLP applies), not administrative metadata.
//
// The status of an anonymous submission names no organisation (OrgID 0): a
// member of the community who holds its id, which only the submitter
// received, may read it.
func (r Reader) MaySeeStatus(st *Status) bool {
	if r.FeedToken != "" {
		return false
	}
	if st.OrgID == 0 {
		return r.InCommunity(st.CommunityID)
	}
	return st.OrgID == r.OrgID
}

// MayLeaveCommunity reports whether a version of c whose effective TLP is
// level may be exported, fed or federated outside the community: only
// TLP:CLEAR may.
func MayLeaveCommunity(level stix.TLP) bool { return level == stix.TLPClear }

// MayCross reports whether a version of c whose own markings give level
// may cross the border to the peer (a push, issue 14): TLP:CLEAR to any
// peer, TLP:GREEN only to a peer declared part of the same trusted
// community, nothing else (AMBER, AMBER+STRICT and RED never leave, and
// an unmarked version takes the collection's default, AMBER unless set),
// and nothing at all of a collection restricted to named organisations
// (a sharing group's is for its members only).
func MayCross(p *Peer, c *Collection, level stix.TLP) bool {
	if c.Named() || p.CommunityID != c.CommunityID {
		return false
	}
	switch CollectionTLP(c, level) {
	case stix.TLPClear:
		return true
	case stix.TLPGreen:
		return p.Trusted
	}
	return false
}

// PeerOf returns the peer whose organisation org is (Peer.OrgID), nil when
// it is a member's: every Reader of that organisation is made with it as
// Reader.Peer, so that the peer's own account reads only what may cross the
// border.
func PeerOf(ctx context.Context, s PeerStore, org *Org) (*Peer, error) {
	peers, err := s.Peers(ctx, org.CommunityID)
	if err != nil {
		return nil, err
	}
	for _, p := range peers {
		if p.OrgID == org.ID {
			return p, nil
		}
	}
	return nil, nil
}

// CheckPushable returns the EINVALID error of a push of c to a peer when
// nothing in it may ever cross the border (MayCross): it is restricted to
// named organisations. The command that makes a push and the push itself
// ask it.
func CheckPushable(c *Collection) error {
	if c.Named() {
		return Errorf(EINVALID, "Collection %q is restricted to named organisations (a sharing group's, or one with a reader list): nothing in it may leave the community.", c.ID)
	}
	return nil
}

// BorderVisibility is what of c's versions may be pushed to the peer: the
// read of a push takes it as any read takes a reader's Visibility.
func BorderVisibility(p *Peer, c *Collection) Visibility {
	var hidden TLPSet
	for l := stix.TLPNone; l <= stix.TLPRed; l++ {
		if !MayCross(p, c, l) {
			hidden = hidden.With(l)
		}
	}
	return Visibility{hidden: hidden, granted: true}
}

// CountsInStatistics reports whether a version whose effective TLP is level
// may be counted in community-wide statistics: never TLP:RED.
func CountsInStatistics(level stix.TLP) bool { return level != stix.TLPRed && level != stix.TLPNone }

// AcceptTLP returns the EINVALID error for a version of effective TLP level
// that the collection may not hold: TLP:RED in a collection open to every
// member. It returns nil otherwise.
func AcceptTLP(c *Collection, level stix.TLP) error {
	if level == stix.TLPRed && !c.Named() {
		return Errorf(EINVALID, "TLP:RED objects may only be shared in a collection restricted to named organisations (a sharing group); this collection is open to every member.")
	}
	return nil
}

// Visible returns the versions of vs that the reader may see, in order;
// colls maps collection ids to their collections, and a version of a
// collection not in colls is dropped. It is for versions already in hand:
// reads filter in the store (the Visibility of Store.Objects and
// Store.SearchObjects).
func (r Reader) Visible(colls map[string]*Collection, vs []*ObjectVersion) []*ObjectVersion {
	out := vs[:0:0]
	for _, v := range vs {
		if c := colls[v.CollectionID]; c != nil && r.MaySee(c, CollectionTLP(c, v.TLP)) {
			out = append(out, v)
		}
	}
	return out
}

// SearchScope splits a search's scope for a store's query: the ids of the
// collections to search, sorted, and the levels hidden in each that hides
// any. A collection whose Visibility hides everything is not searched.
func SearchScope(scope map[string]Visibility) (collectionIDs []string, hidden map[string]TLPSet) {
	hidden = make(map[string]TLPSet)
	for id, see := range scope {
		if see.Nothing() {
			continue
		}
		collectionIDs = append(collectionIDs, id)
		if h := see.Hidden(); h != 0 {
			hidden[id] = h
		}
	}
	slices.Sort(collectionIDs)
	return collectionIDs, hidden
}

// Hiding returns the Visibility that hides exactly the given stored
// levels. It is for the stores' conformance tests (storetest), which hold
// the query to every combination; a caller acting for a reader uses
// Reader.Visibility, and one acting for the hub uses Unrestricted.
func Hiding(levels TLPSet) Visibility { return Visibility{hidden: levels & allLevels, granted: true} }

// UnrestrictedScope returns a search scope (Store.SearchObjects) that
// hides nothing in the given collections: Unrestricted for each. Like
// Unrestricted, it is for callers acting for the hub itself.
func UnrestrictedScope(collectionIDs ...string) map[string]Visibility {
	scope := make(map[string]Visibility, len(collectionIDs))
	for _, id := range collectionIDs {
		scope[id] = Unrestricted()
	}
	return scope
}

// MayReadFeed reports whether the reader may read the feed: a member of
// the organisation that owns it, every member of the community when the
// owner is the ISAC's staff organisation (Feed.Everyone), the hub
// operator, and a feed token bound to it. Any other reader is answered
// as if the feed did not exist.
func (r Reader) MayReadFeed(f *Feed) bool {
	if r.FeedToken != "" {
		return r.FeedToken == f.ID && r.InCommunity(f.CommunityID)
	}
	return r.HubOperator || r.InCommunity(f.CommunityID) && (f.Everyone || r.OrgID == f.OrgID)
}

// MayWatchPeers reports whether a user of the organisation may see the
// community's peers, their subscriptions' state and where each pulled
// object came from: the community's staff organisation (Org.Staff), any
// role, and the hub operator. That a peer exists is staff business; the
// objects themselves stay under the reader's policy (Reader), and no one
// sees a peer's credential.
func MayWatchPeers(u *User, org *Org, communityID int64) bool {
	return u.HubAdmin || (org.Staff && org.CommunityID == communityID)
}

// MayReadWebhook reports whether a user of the organisation may see the
// webhook, its state and its delivery log: any member of the
// organisation that receives it (Webhook.OrgID), and the community's
// staff organisation (Org.Staff), which sees every webhook of its
// community. Anyone else, a hub operator of another organisation
// included (who has `isachub admin webhook`), is answered as if the
// webhook did not exist. No one is shown its secret.
func MayReadWebhook(org *Org, w *Webhook) bool {
	return org.CommunityID == w.CommunityID && (org.ID == w.OrgID || org.Staff)
}

// MayReviveWebhook reports whether a user of the organisation with the
// role may take the webhook out of its dead-letter state (ReviveWebhook):
// one who may read it (MayReadWebhook) and may act, not a reader. Reviving
// only makes the hub deliver again to the receiver already set, what its
// organisation may read.
func MayReviveWebhook(org *Org, role Role, w *Webhook) bool {
	return MayReadWebhook(org, w) && role != RoleReader
}

// FeedSource is one collection a feed reads, with what of it the read may
// return.
type FeedSource struct {
	Collection *Collection
	See        Visibility
}

// FeedSources returns what the reader's read of the feed covers: each of
// colls (the feed's community's collections) that the feed reads and that
// the reader's organisation may open, with the reader's Visibility
// narrowed to the feed's TLP ceiling, and for a feed token to what may
// leave the community (MayLeaveCommunity: TLP:CLEAR). A feed never shows
// more than its reader may see elsewhere. ENOTFOUND when the reader may
// not read the feed.
func (r Reader) FeedSources(f *Feed, colls []*Collection) ([]FeedSource, error) {
	if !r.MayReadFeed(f) {
		return nil, Errorf(ENOTFOUND, "There is no feed %q in this community.", clipText(f.ID))
	}
	member := r
	member.FeedToken = ""
	ceiling := f.Filter.Ceiling()
	var out []FeedSource
	for _, c := range colls {
		if c.CommunityID != f.CommunityID || !f.Filter.Reads(c.ID) || !member.MayOpen(c) {
			continue
		}
		var keep TLPSet
		for l := stix.TLPNone; l <= stix.TLPRed; l++ {
			level := CollectionTLP(c, l)
			if level <= ceiling && (r.FeedToken == "" || MayLeaveCommunity(level)) {
				keep = keep.With(l)
			}
		}
		see := member.Visibility(c).Only(keep)
		if !see.Nothing() {
			out = append(out, FeedSource{Collection: c, See: see})
		}
	}
	return out, nil
}
