package stix1

import (
	"strconv"
	"strings"

	"github.com/isachub/isachub/convert"
)

// relation is one kind of STIX 1.x Related_* structure and the STIX 2.1
// relationship (section 5.1) it becomes.
type relation struct {
	kind    string // the 1.x kind of construct it points at
	inner   string // the element that holds or references it (TTP, Indicator ...)
	relType string
	reverse bool // the relationship goes from the target to this construct
}

// related reads a container of related constructs (Related_TTPs with its
// Related_TTP elements): each becomes a relationship from srcs.
func (c *conv) related(ctx *cctx, srcs []string, container *node, item string, r relation) {
	if container == nil {
		return
	}
	for _, it := range container.all(item) {
		c.relatedOne(ctx, srcs, it, r)
	}
	c.rest(container, "relationship")
}

// relatedOne reads one related construct (a GenericRelationshipType: the
// construct, inline or by idref, with Relationship and Confidence). The
// Relationship term becomes the relationship's description.
func (c *conv) relatedOne(ctx *cctx, srcs []string, it *node, r relation) {
	inner := it.kid(r.inner)
	if inner == nil {
		it.useAll()
		c.skip(it.path(), "relationship", "it holds no "+r.inner+"; not converted")
		return
	}
	desc := ""
	if rel := it.kid("Relationship"); rel != nil {
		desc = vocabText(rel)
	}
	conf, hasConf := c.confidence(it.kid("Confidence"), "relationship")
	if is := it.kid("Information_Source"); is != nil {
		is.useAll()
		c.skip(is.path(), "relationship", "the source of a relationship is not kept in STIX 2.1; not converted")
	}
	c.rest(it, "relationship")
	rel := relInfo{relType: r.relType, reverse: r.reverse, desc: desc, conf: conf, hasConf: hasConf}
	if isRef(inner) {
		idref := inner.attr("idref")
		path := inner.path()
		if ids, known := c.target(idref, r.kind, path); known {
			rel.path = path
			c.relate(ctx, srcs, ids, rel)
			return
		}
		c.later(ctx, srcs, idref, r.kind, path, rel)
		return
	}
	rel.path = inner.path()
	ids, _ := c.construct(ctx, inner, r.kind)
	c.relate(ctx, srcs, ids, rel)
}

// pendingRel is a relationship whose target is a TTP or exploit target
// not read yet. Many wait at once in a large package (STIX 1.x puts the
// TTPs after the indicators), so each is kept small: the construct's
// context is shared, and the path is kept once per idref.
type pendingRel struct {
	ctx *cctx
	src string
	rel *relInfo
}

// pendingTarget is the relationships waiting for one idref.
type pendingTarget struct {
	kind, path string
	rels       []pendingRel
}

// later keeps a relationship until the input says what idref names.
func (c *conv) later(ctx *cctx, srcs []string, idref, kind, path string, rel relInfo) {
	pt := c.pendingRels[idref]
	if pt == nil {
		pt = &pendingTarget{kind: kind, path: path}
		c.pendingRels[idref] = pt
		c.pendingOrder = append(c.pendingOrder, idref)
	}
	shared := c.shareCtx(ctx)
	key := rel.relType + "\x00" + rel.desc + "\x00" + strconv.Itoa(rel.conf) + "\x00" + strconv.FormatBool(rel.hasConf) + strconv.FormatBool(rel.reverse)
	ri := c.rels[key]
	if ri == nil {
		ri = &rel
		if len(c.rels) < 4096 {
			c.rels[key] = ri
		}
	}
	for _, s := range srcs {
		pt.rels = append(pt.rels, pendingRel{ctx: shared, src: s, rel: ri})
	}
}

// shareCtx returns a context equal to ctx that other waiting
// relationships may share.
func (c *conv) shareCtx(ctx *cctx) *cctx {
	key := ctx.created + "|" + ctx.modified + "|" + ctx.createdBy + "|" + strings.Join(ctx.marks.refs(), ",")
	if s, ok := c.ctxs[key]; ok && s.pkg == ctx.pkg {
		return s
	}
	if len(c.ctxs) > 4096 {
		clear(c.ctxs)
	}
	c.ctxs[key] = ctx
	return ctx
}

// retryRels makes the waiting relationships whose targets are now known;
// final reports the rest.
func (c *conv) retryRels(final bool) {
	keep := c.pendingOrder[:0]
	for _, idref := range c.pendingOrder {
		pt := c.pendingRels[idref]
		ids, known := c.lookup(idref, pt.kind)
		switch {
		case known:
			for _, p := range pt.rels {
				rel := *p.rel
				rel.path = pt.path
				c.relate(p.ctx, []string{p.src}, ids, rel)
			}
		case final:
			c.skip(pt.path, "relationship", "the STIX 2.1 type of "+quoteText(idref)+" cannot be known: the "+pt.kind+" it names is not in the input; no relationship to it is made ("+itoa(len(pt.rels))+" wanted)")
		default:
			keep = append(keep, idref)
			continue
		}
		delete(c.pendingRels, idref)
	}
	c.pendingOrder = keep
}

// relInfo is what a relationship carries besides its ends.
type relInfo struct {
	relType, desc, path string
	conf                int
	hasConf             bool
	reverse             bool
}

// relate makes a relationship from each of srcs to each of tgts (or back
// when reverse), with deterministic ids from source, type and target.
func (c *conv) relate(ctx *cctx, srcs, tgts []string, r relInfo) {
	if len(tgts) == 0 {
		c.skip(r.path, "relationship", "what it points at became no STIX 2.1 object; no relationship is made")
		return
	}
	for _, s := range srcs {
		for _, t := range tgts {
			from, to := s, t
			if r.reverse {
				from, to = t, s
			}
			id := convert.ID("stix1", "relationship", from+"\x00"+r.relType+"\x00"+to)
			d := newDraft("relationship", id, r.path, "relationship", ctx.pkg)
			c.common(d, ctx)
			d.str("relationship_type", r.relType)
			d.str("description", r.desc)
			d.str("source_ref", from)
			d.str("target_ref", to)
			if r.hasConf {
				d.set("confidence", jint(int64(r.conf)))
			}
			c.finish(d, ctx)
			c.submit(d)
		}
	}
	c.count("relationship")
}

// construct converts an inline construct of a kind and returns what it
// became.
func (c *conv) construct(ctx *cctx, n *node, kind string) ([]string, bool) {
	switch kind {
	case kIndicator:
		return c.indicator(ctx, n)
	case kTTP:
		return c.ttp(ctx, n)
	case kActor:
		return c.threatActor(ctx, n)
	case kCampaign:
		return c.campaign(ctx, n)
	case kIncident:
		return c.incident(ctx, n)
	case kCOA:
		return c.coa(ctx, n)
	case kET:
		return c.exploitTarget(ctx, n)
	case kReport:
		return c.report(ctx, n)
	case kObservable:
		return c.inlineObservable(ctx, n)
	}
	n.useAll()
	return nil, true
}
