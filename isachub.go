// Package isachub holds the domain of the isachub threat-intelligence sharing
// hub: communities (each one a TAXII 2.1 API root), member organisations,
// users, tokens, collections, sharing groups and object versions, the
// service interfaces that the storage backends implement, the error type
// every layer shares, and the confidentiality policy.
//
// Storage lives in the sqlite and postgres packages, HTTP in server, STIX in
// stix and patterning in pattern; cmd/isachub wires them together.
//
// # Confidentiality: TLP 2.0, enforced (policy.go)
//
// The Traffic Light Protocol (FIRST TLP 2.0, August 2022; STIX 2.1 section
// 7.2.1.4 for the TLP 1.0 marking definitions, and the OASIS TLP 2.0
// marking definitions) is an access rule, not a label. The effective TLP of
// an object version is the most restrictive TLP marking among its
// object_marking_refs and granular markings (STIX 2.1 section 7.2.3;
// stix.EffectiveTLP); an unmarked version takes its collection's DefaultTLP,
// AMBER unless set (CollectionTLP). The rules, in Reader.MaySee,
// MayLeaveCommunity, CountsInStatistics and AcceptTLP, are exactly:
//
//	TLP            who may see it                                   leaves the community   community statistics
//	CLEAR          any reader of the collection (the hub operator   yes (export, feeds,   counted
//	               included)                                        federation)
//	GREEN          readers of the collection who are members of     no                     counted
//	               its community
//	AMBER,         the collection's reader organisations only       no                     counted
//	AMBER+STRICT   (the hub operator's organisation only if it is
//	               one of them)
//	RED            the collection's reader organisations, and only  no                     never
//	               in a collection restricted to named
//	               organisations (a sharing group's, or one with a
//	               reader list): a RED object POSTed to a collection
//	               open to every member fails for that object
//
// "Reader organisations" are every member organisation for a collection
// open to all (ReadAll), the reader list otherwise, and the group's members
// for a sharing group's collection (SharingGroup; the group's membership
// is the reader and writer list, kept in one place).
//
// The hub operator administers: it sees every API root, every collection's
// metadata (titles, sharing groups' names and members through the admin
// commands) and may write everywhere. TLP, however, is about organisations:
// object content follows the rights of the operator's own organisation,
// which sees CLEAR in any collection, GREEN in its own community, and AMBER
// and RED only where it is a reader organisation. Status resources, which
// list the submitted ids, are content: only the submitting organisation
// reads them.
//
// A version with a stricter or looser marking than the previous one is
// allowed; a reader sees the latest (first) version it is entitled to and
// nothing of newer (older) ones. Every read of object content takes the
// policy's answer as a required argument (a Visibility, from
// Reader.Visibility; its zero value hides everything, and the few internal
// callers that need everything say so with Unrestricted), and the store
// applies it in its query, before paging, so that more, next, counts and
// the date_added headers say nothing of hidden versions; full-text search
// takes a Visibility per collection (ObjectStore.SearchObjects), before its
// limit. Reader.Visible filters versions already in hand.
package isachub
