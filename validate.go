package isachub

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// The input rules of the domain types. Every Store calls them before
// writing, so that all backends reject the same input with the same
// message (the storetest suite holds them to it).

// slugRE is the shape of community and organisation slugs: one URL path
// segment (TAXII 2.1 section 4.2: the API root's name).
var slugRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func validateSlug(what, slug string) error {
	if !slugRE.MatchString(slug) {
		return Errorf(EINVALID, "The %s slug %q is invalid: use 1 to 63 lower-case letters, digits and inner hyphens.", what, slug)
	}
	return nil
}

// ReservedSlugs are the paths of the hub's own that no community's API
// root may take: the TAXII discovery endpoint, the web UI, and the
// operations endpoints.
var ReservedSlugs = []string{"taxii2", "ui", "healthz", "readyz", "metrics"}

// Validate reports an EINVALID error when c cannot be stored.
func (c *Community) Validate() error {
	if err := validateSlug("community", c.Slug); err != nil {
		return err
	}
	if slices.Contains(ReservedSlugs, c.Slug) {
		return Errorf(EINVALID, "The community slug %q is reserved for the hub's own paths (%s).", c.Slug, strings.Join(ReservedSlugs, ", "))
	}
	if c.Title == "" {
		return Errorf(EINVALID, "The community %q needs a title.", c.Slug)
	}
	if c.SubmitterRecord != "" && c.SubmitterRecord != RecordSealed && c.SubmitterRecord != RecordNone {
		return Errorf(EINVALID, "The submitter record policy %q of community %q is not one of sealed, none.", c.SubmitterRecord, c.Slug)
	}
	if c.SightingK != 0 && (c.SightingK < MinSightingK || c.SightingK > MaxSightingK) {
		return Errorf(EINVALID, "The sighting k %d of community %q is not between %d and %d: with fewer, one member's sightings could be picked out.",
			c.SightingK, c.Slug, MinSightingK, MaxSightingK)
	}
	return nil
}

// Validate reports an EINVALID error when o cannot be stored.
func (o *Org) Validate() error {
	if err := validateSlug("organisation", o.Slug); err != nil {
		return err
	}
	if o.Name == "" {
		return Errorf(EINVALID, "The organisation %q needs a name.", o.Slug)
	}
	if err := o.Redaction.Validate(); err != nil {
		return Errorf(EINVALID, "The redaction rules of organisation %q: %s", o.Slug, ErrorMessage(err))
	}
	return nil
}

// domainRE is the shape of a declared domain name: dot-separated labels of
// letters, digits and inner hyphens, at least two of them.
var domainRE = regexp.MustCompile(`^(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// Validate reports an EINVALID error for a declaration that cannot be
// applied: a malformed domain, address or IP range, or a regular
// expression that does not compile.
func (r Redaction) Validate() error {
	for _, d := range r.Domains {
		if !domainRE.MatchString(d) || len(d) > 253 {
			return Errorf(EINVALID, "%q is not a domain name.", d)
		}
	}
	for _, e := range r.Emails {
		at := strings.LastIndexByte(e, '@')
		if at < 1 || at == len(e)-1 || strings.ContainsAny(e, " \t\r\n") {
			return Errorf(EINVALID, "%q is not an email address.", e)
		}
	}
	for _, ip := range r.IPRanges {
		if _, err := netip.ParsePrefix(ip); err != nil {
			if _, err := netip.ParseAddr(ip); err != nil {
				return Errorf(EINVALID, "%q is neither an IP address nor a CIDR range.", ip)
			}
		}
	}
	for _, p := range r.Patterns {
		if p == "" {
			return Errorf(EINVALID, "A redaction pattern is empty.")
		}
		re, err := regexp.Compile(p)
		if err != nil {
			return Errorf(EINVALID, "The redaction pattern %q does not compile: %v.", p, err)
		}
		if re.MatchString("") {
			return Errorf(EINVALID, "The redaction pattern %q matches the empty string, so it would redact between every two characters.", p)
		}
	}
	return nil
}

// Validate reports an EINVALID error when u cannot be stored.
func (u *User) Validate() error {
	if u.Username == "" {
		return Errorf(EINVALID, "The username is empty.")
	}
	if !u.Role.Valid() {
		return Errorf(EINVALID, "The role %q of user %q is not one of admin, analyst, reader.", u.Role, u.Username)
	}
	return nil
}

// Validate reports an EINVALID error when c cannot be stored. An empty ID
// is valid: the store assigns one.
func (c *Collection) Validate() error {
	if c.ID != "" {
		if _, err := uuid.Parse(c.ID); err != nil || len(c.ID) != 36 {
			return Errorf(EINVALID, "The collection id %q is not a UUID.", c.ID)
		}
	}
	if c.Title == "" {
		return Errorf(EINVALID, "The collection needs a title.")
	}
	switch c.DefaultTLP {
	case "", "clear", "green", "amber", "amber+strict", "red":
	default:
		return Errorf(EINVALID, "The default TLP %q is not one of clear, green, amber, amber+strict, red.", c.DefaultTLP)
	}
	if c.DefaultTLP == "red" && !c.Named() {
		return Errorf(EINVALID, "The default TLP red needs a collection restricted to named organisations (a sharing group or a reader list), not one open to every member.")
	}
	if c.GroupID != 0 && (c.ReadAll || c.WriteAll || len(c.Readers) > 0 || len(c.Writers) > 0) {
		return Errorf(EINVALID, "A sharing group's collection is read and written by the group's members: give no reader or writer list.")
	}
	return nil
}

// Validate reports an EINVALID error when g cannot be stored.
func (g *SharingGroup) Validate() error {
	if err := validateSlug("sharing group", g.Slug); err != nil {
		return err
	}
	if g.Name == "" {
		return Errorf(EINVALID, "The sharing group %q needs a name.", g.Slug)
	}
	return nil
}

// Validate reports an EINVALID error when s cannot be stored.
func (s *Status) Validate() error {
	if s.Status != StatusComplete && s.Status != StatusPending {
		return Errorf(EINVALID, "The status %q is not complete or pending.", s.Status)
	}
	return nil
}
