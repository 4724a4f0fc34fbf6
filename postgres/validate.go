package postgres

import (
	"regexp"

	"github.com/isachub/isachub"
)

// The checks below are the same rules the sqlite backend applies, so that
// both reject the same input (the storetest suite holds them to it).

// slugRE is the shape of community and organisation slugs: one URL path
// segment (TAXII 2.1 section 4.2: the API root's name).
var slugRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// uuidRE is the canonical text form of a UUID, the shape of TAXII
// collection ids (TAXII 2.1 section 5.2) and status ids.
var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func checkSlug(what, slug string) error {
	if !slugRE.MatchString(slug) {
		return isachub.Errorf(isachub.EINVALID, "The %s slug %q is invalid: use 1 to 63 lower-case letters, digits and inner hyphens.", what, slug)
	}
	return nil
}

func checkCommunity(c *isachub.Community) error {
	if err := checkSlug("community", c.Slug); err != nil {
		return err
	}
	if c.Title == "" {
		return isachub.Errorf(isachub.EINVALID, "The community %q needs a title.", c.Slug)
	}
	return nil
}

func checkOrg(o *isachub.Org) error {
	if err := checkSlug("organisation", o.Slug); err != nil {
		return err
	}
	if o.Name == "" {
		return isachub.Errorf(isachub.EINVALID, "The organisation %q needs a name.", o.Slug)
	}
	return nil
}

func checkUser(u *isachub.User) error {
	if u.Username == "" {
		return isachub.Errorf(isachub.EINVALID, "The username is empty.")
	}
	if !u.Role.Valid() {
		return isachub.Errorf(isachub.EINVALID, "The role %q of user %q is not one of admin, analyst, reader.", u.Role, u.Username)
	}
	return nil
}

func checkCollection(c *isachub.Collection) error {
	if c.ID != "" && !uuidRE.MatchString(c.ID) {
		return isachub.Errorf(isachub.EINVALID, "The collection id %q is not a UUID.", c.ID)
	}
	if c.Title == "" {
		return isachub.Errorf(isachub.EINVALID, "The collection needs a title.")
	}
	switch c.DefaultTLP {
	case "", "clear", "green", "amber", "amber+strict", "red":
	default:
		return isachub.Errorf(isachub.EINVALID, "The default TLP %q is not one of clear, green, amber, amber+strict, red.", c.DefaultTLP)
	}
	return nil
}

func checkStatus(s *isachub.Status) error {
	if s.Status != isachub.StatusComplete && s.Status != isachub.StatusPending {
		return isachub.Errorf(isachub.EINVALID, "The status %q is not complete or pending.", s.Status)
	}
	return nil
}
