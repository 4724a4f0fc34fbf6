package stix1

import (
	"crypto/sha1"
	"encoding/binary"
	"strings"
	"time"
)

// cctx is what a construct passes to the objects made from it and from
// the constructs inside it: its package, times, source and markings.
type cctx struct {
	pkg       *pkgCtx
	created   string // created of the objects: the first version's time
	modified  string // modified: this version's timestamp
	createdBy string // identity of the Information_Source, or ""
	marks     marks
}

// begin starts a construct: its timestamp (STIX 1.x versions a construct
// by timestamp, STIX 2.1 by modified, with created kept from the first
// version), its Handling and its Information_Source (sourceElem, which the
// Indicator calls Producer).
func (c *conv) begin(parent *cctx, n *node, key, construct, sourceElem string) *cctx {
	ctx := *parent
	if ts := c.timeAttr(n, "timestamp", construct); ts != "" {
		ctx.created, ctx.modified = ts, ts
	}
	k := hashKey(key)
	created := msOf(ctx.created)
	switch first, ok := c.seen[k]; {
	case !ok:
		c.seen[k] = created
	case first < created:
		ctx.created = stamp(time.UnixMilli(first))
	case first > created:
		c.approx(n.path(), construct, "an earlier version of "+quoteText(key)+" was read with a later timestamp; this version's created is its own timestamp, not the first version's")
	}
	c.handling(n.kid("Handling"), &ctx, false)
	if sourceElem != "" {
		if is := n.kid(sourceElem); is != nil {
			if id := c.source(is, &ctx); id != "" || c.opts.Anonymous {
				ctx.createdBy = id
			}
		}
	}
	return &ctx
}

// msOf reads a timestamp this package wrote as Unix milliseconds.
func msOf(ts string) int64 {
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return 0
	}
	return t.UnixMilli()
}

// sourceKey returns the 1.x id of a construct, or for one without an id a
// key made of its package, its path and a digest of its content, so that
// the same input gives the same identifiers.
func (c *conv) sourceKey(n *node, p *pkgCtx) string {
	if id := strings.TrimSpace(n.attr("id")); id != "" {
		return id
	}
	return p.key + "#" + n.path() + "#" + n.digest()
}

// isRef reports whether n only refers to a construct defined elsewhere.
func isRef(n *node) bool {
	return n.attr("idref") != "" && n.attr("id") == "" && len(n.kids) == 0
}

// common writes the properties every SDO and SRO starts with.
func (c *conv) common(d *draft, ctx *cctx) {
	d.str("type", d.typ)
	d.str("spec_version", "2.1")
	d.str("id", d.id)
	d.str("created_by_ref", ctx.createdBy)
	d.str("created", ctx.created)
	d.str("modified", ctx.modified)
}

// finish writes the markings, last.
func (c *conv) finish(d *draft, ctx *cctx) {
	d.strs("object_marking_refs", ctx.marks.refs())
}

// hashKey is the short key of a string in the maps that grow with the
// input: 64 bits of its SHA-1, which collide with negligible probability
// for the millions of ids a package may hold.
func hashKey(s string) uint64 {
	sum := sha1.Sum([]byte(s))
	return binary.LittleEndian.Uint64(sum[:8])
}

// texts joins the texts of every child local (Description may repeat in
// STIX 1.2) with blank lines.
func texts(n *node, local string) string {
	return strings.Join(n.strs(local), "\n\n")
}

// describe returns the Description of n, or its Short_Description when it
// has none; a Short_Description beside a Description is reported.
func (c *conv) describe(n *node, construct string) string {
	d := texts(n, "Description")
	short := n.all("Short_Description")
	if d == "" {
		return texts(n, "Short_Description")
	}
	for _, s := range short {
		c.approx(s.path(), construct, "STIX 2.1 has one description; the Description is kept and the Short_Description dropped")
	}
	return d
}
