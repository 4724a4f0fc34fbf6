package warninglist

import (
	"net/netip"
	"slices"
)

// The value kinds Match understands: the observable kinds of the hub's
// exports. KindIPv4, KindIPv6 and KindCIDR all take an address or a CIDR
// range of either family (a STIX ipv4-addr value may be a CIDR range).
const (
	KindIPv4   = "ipv4"
	KindIPv6   = "ipv6"
	KindCIDR   = "cidr"
	KindDomain = "domain"
	KindURL    = "url"
	KindEmail  = "email"
	KindMD5    = "md5"
	KindSHA1   = "sha1"
	KindSHA256 = "sha256"
)

// A List is one named warninglist: values that are known not to be
// malicious, or are meaningless as indicators, with where they come from.
// A List is immutable once built by Load or shipped by Builtin; its
// exported fields are descriptive and may be edited before the list is
// given to NewSet, never after.
type List struct {
	// Name identifies the list in a Set and in every Hit, e.g.
	// "rfc1918-private".
	Name string
	// Description says what the list holds and why a hit is a false
	// positive.
	Description string
	// Source is the reference the entries were written from: an RFC, the
	// operator's documentation, or the file an operator loaded.
	Source string

	entries []Entry
}

// An Entry is one value of a List, written in the file format of Load.
type Entry struct {
	// Value is the entry as written: an address ("8.8.8.8"), a range
	// ("10.0.0.0/8"), a domain name ("example.com"), a domain name and
	// everything under it (".example.com"), a URL, an email address or a
	// hash, in canonical form (lower case; ranges masked).
	Value string
	// Kind is KindIPv4 or KindIPv6 for an address or range, KindDomain
	// for a name, or KindURL, KindEmail, KindMD5, KindSHA1, KindSHA256.
	Kind string
	// Note is the entry's own comment: the section of the RFC or the page
	// of the operator's documentation that defines it.
	Note string

	prefix netip.Prefix // for KindIPv4 and KindIPv6
	tree   bool         // a ".name" entry: the name and every name under it
}

// Entries returns a copy of the list's entries in the order written.
func (l *List) Entries() []Entry { return slices.Clone(l.entries) }

// Len returns the number of entries.
func (l *List) Len() int { return len(l.entries) }

// Kinds returns the distinct kinds of the list's entries (see Entry.Kind),
// in the order of the Kind constants.
func (l *List) Kinds() []string {
	order := []string{KindIPv4, KindIPv6, KindDomain, KindURL, KindEmail, KindMD5, KindSHA1, KindSHA256}
	var seen [8]bool
	for _, e := range l.entries {
		seen[slices.Index(order, e.Kind)] = true
	}
	var kinds []string
	for i, k := range order {
		if seen[i] {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// A Hit says that a value is on a list, and why: the entry that matched
// and that entry's note.
type Hit struct {
	List  string // the List's Name
	Entry string // the matching Entry's Value
	Note  string // the matching Entry's Note
}
