package isachub

import (
	"github.com/isachub/isachub/stix"
)

// The confidentiality rules of the hub: which object versions a reader may
// see, which may leave the community and which may be counted in
// community-wide statistics. Every path that shows, exports or counts object
// content asks this file (the TAXII server through server/access.go), so
// that the rules live in one place. See the package documentation for the
// table.

// Reader is who asks to see object content: a user's organisation, the
// community it belongs to, and whether the user is the hub operator.
type Reader struct {
	OrgID       int64
	CommunityID int64
	// HubOperator marks the hub operator, who administers every community
	// and sees every collection's metadata; object content follows the
	// rights of the operator's own organisation.
	HubOperator bool
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
	return r.CommunityID == c.CommunityID && c.CanRead(r.OrgID)
}

// MayOpen reports whether the reader may open the collection at all (list
// and read its objects, subject to MaySee): one of its reader
// organisations, or the hub operator.
func (r Reader) MayOpen(c *Collection) bool { return r.HubOperator || r.isReaderOrg(c) }

// MaySee reports whether the reader may see a version of the collection
// whose effective TLP (CollectionTLP) is level. It is false whenever the
// reader may not open the collection.
func (r Reader) MaySee(c *Collection, level stix.TLP) bool {
	if !r.MayOpen(c) {
		return false
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
// the reader may not see: what ObjectFilter.Hidden must be set to for the
// reader. It is every level when the reader may not open c.
func (r Reader) Hidden(c *Collection) TLPSet {
	var hidden TLPSet
	for l := stix.TLPNone; l <= stix.TLPRed; l++ {
		if !r.MaySee(c, CollectionTLP(c, l)) {
			hidden = hidden.With(l)
		}
	}
	return hidden
}

// MayLeaveCommunity reports whether a version of c whose effective TLP is
// level may be exported, fed or federated outside the community: only
// TLP:CLEAR may.
func MayLeaveCommunity(level stix.TLP) bool { return level == stix.TLPClear }

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
// reads filter in the store (ObjectFilter.Hidden, SearchObjects' hidden).
func (r Reader) Visible(colls map[string]*Collection, vs []*ObjectVersion) []*ObjectVersion {
	out := vs[:0:0]
	for _, v := range vs {
		if c := colls[v.CollectionID]; c != nil && r.MaySee(c, CollectionTLP(c, v.TLP)) {
			out = append(out, v)
		}
	}
	return out
}
