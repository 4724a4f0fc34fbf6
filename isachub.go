// Package isachub holds the domain of the isachub threat-intelligence sharing
// hub: communities (each one a TAXII 2.1 API root), member organisations,
// users, tokens, collections and object versions, the service interfaces that
// the storage backends implement, and the error type every layer shares.
//
// Storage lives in the sqlite and postgres packages, HTTP in server, STIX in
// stix and patterning in pattern; cmd/isachub wires them together.
package isachub
