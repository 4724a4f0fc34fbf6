package anon

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// identityNamespace is the UUIDv5 namespace of the identities that the hub
// derives from a community's slug.
var identityNamespace = uuid.MustParse("6f1c3f0e-8a5d-4c1b-9f2e-3d7a5b9c0e14")

// CommunityIdentity returns the STIX 2.1 identity object (section 4.5) that
// the community publishes under, and that anonymous submissions get as
// created_by_ref (section 3.2): id c.IdentityID, or when that is empty or
// not an identity id, one derived from the slug; name = Title (the slug when
// the title is empty), description, identity_class "organization", sectors
// [Sector] when set, created = modified = c.CreatedAt in UTC to the
// millisecond, marked TLP:CLEAR (TLP 2.0, section 7.2). It validates with
// no errors and is byte-identical on every call.
func CommunityIdentity(c *isachub.Community) *stix.Object {
	id := c.IdentityID
	if !isIdentityID(id) {
		id = derivedIdentity(c.Slug, "community")
	}
	name := c.Title
	if strings.TrimSpace(name) == "" {
		name = c.Slug
	}
	m := identity(c, id, name, "organization")
	if c.Description != "" {
		m["description"] = c.Description
	}
	return mustObject(m)
}

// SectorIdentity returns the generic identity "a member of <Title>" that
// replaces the submitter in where_sighted_refs (section 5.2) and every other
// reference to it but created_by_ref: identity_class "class", sectors when
// set, created_by_ref the community identity, TLP:CLEAR, the same
// timestamps as CommunityIdentity and an id derived from the slug. It
// validates with no errors and is byte-identical on every call.
func SectorIdentity(c *isachub.Community) *stix.Object {
	title := c.Title
	if strings.TrimSpace(title) == "" {
		title = c.Slug
	}
	m := identity(c, derivedIdentity(c.Slug, "sector"), "a member of "+title, "class")
	m["description"] = "An organisation of " + title + " that shared this anonymously."
	m["created_by_ref"] = CommunityIdentity(c).ID()
	return mustObject(m)
}

// identity returns the properties the two identities share.
func identity(c *isachub.Community, id, name, class string) map[string]any {
	ts := c.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
	m := map[string]any{
		"type":                "identity",
		"spec_version":        "2.1",
		"id":                  id,
		"created":             ts,
		"modified":            ts,
		"name":                name,
		"identity_class":      class,
		"object_marking_refs": []any{stix.TLP2Clear},
	}
	if c.Sector != "" {
		m["sectors"] = []any{c.Sector}
	}
	return m
}

// derivedIdentity returns an identity id that depends only on the slug and
// the role ("community" or "sector").
func derivedIdentity(slug, role string) string {
	return "identity--" + uuid.NewSHA1(identityNamespace, []byte(role+":"+slug)).String()
}

// isIdentityID reports whether s is identity--<UUID> with the RFC 4122
// variant.
func isIdentityID(s string) bool {
	typ, u, ok := stix.SplitID(s)
	if !ok || typ != "identity" || len(u) != 36 {
		return false
	}
	parsed, err := uuid.Parse(u)
	return err == nil && parsed.Variant() == uuid.RFC4122
}

// mustObject encodes a map this package built and parses it back. It
// cannot fail: the map holds only strings and lists of strings.
func mustObject(m map[string]any) *stix.Object {
	data, err := encode(m)
	if err == nil {
		var o *stix.Object
		if o, err = stix.ParseObject(data); err == nil {
			return o
		}
	}
	panic("anon: cannot encode an identity object: " + err.Error())
}

// encode writes v as compact JSON with object keys sorted (encoding/json
// sorts map keys) and without HTML escaping.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
