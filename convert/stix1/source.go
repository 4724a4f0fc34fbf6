package stix1

import (
	"strings"

	"github.com/isachub/isachub/convert"
)

// source reads an Information_Source (or an Indicator's Producer): its
// Identity becomes an identity (STIX 2.1 section 4.5, identity_class
// organization, or individual for a CIQ person) whose id is returned for
// created_by_ref. With opts.Anonymous nothing is made and "" is returned.
func (c *conv) source(is *node, ctx *cctx) string {
	if c.opts.Anonymous {
		is.useAll()
		c.skip(is.path(), "information-source", "dropped: the import is anonymous, so nothing names the source")
		return ""
	}
	idn := is.kid("Identity")
	c.rest(is, "information-source")
	if idn == nil {
		return ""
	}
	if idn.attr("idref") != "" && len(idn.kids) == 0 {
		return convert.ID("stix1", "identity", idn.attr("idref"))
	}
	name, class := identityName(idn)
	if name == "" {
		idn.useAll()
		c.skip(idn.path(), "information-source", "the identity has no name; no identity is made")
		return ""
	}
	key := strings.TrimSpace(idn.attr("id"))
	if key == "" {
		key = "name\x00" + name
	}
	id := convert.ID("stix1", "identity", key)
	// An identity is dated by its package, not by each construct that
	// names it, so that one package makes one version of it.
	pctx := *ctx.pkg.ctx
	pctx.createdBy = ""
	pctx.marks = ctx.pkg.ctx.marks
	d := newDraft("identity", id, idn.path(), "information-source", ctx.pkg)
	c.common(d, &pctx)
	d.str("name", name)
	d.str("identity_class", class)
	c.finish(d, &pctx)
	c.submit(d)
	c.rest(idn, "information-source")
	c.count("information-source")
	return id
}

// identityName reads the name of a STIX Identity: Name, or the party name
// of a CIQ identity (stix-ciqidentity:Specification/xpil:PartyName).
func identityName(idn *node) (name, class string) {
	if n := idn.kidStr("Name"); n != "" {
		return n, "organization"
	}
	spec := idn.kid("Specification")
	party := spec.kid("PartyName")
	if party == nil {
		return "", ""
	}
	spec.useAll()
	if n := party.kidStr("NameLine"); n != "" {
		return n, "organization"
	}
	for _, which := range []struct{ elem, class string }{{"OrganisationName", "organization"}, {"PersonName", "individual"}} {
		for _, on := range party.all(which.elem) {
			var parts []string
			for _, ne := range on.all("NameElement") {
				if s := ne.str(); s != "" {
					parts = append(parts, s)
				}
			}
			if len(parts) > 0 {
				return strings.Join(parts, " "), which.class
			}
		}
	}
	return "", ""
}
