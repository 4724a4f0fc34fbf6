package stix1

import (
	"strings"

	"github.com/isachub/isachub/convert"
)

// topIndicator converts an Indicator of stix:Indicators.
func (c *conv) topIndicator(parent *cctx, n *node) { c.indicator(parent, n) }

// indicator converts an Indicator (STIX 1.2 indicator:IndicatorType) to
// a STIX 2.1 indicator (section 4.7) whose pattern (pattern_type stix) is
// made of its Observable or Composite_Indicator_Expression, with its
// sightings and relationships.
func (c *conv) indicator(parent *cctx, n *node) ([]string, bool) {
	ids, _, known := c.indicatorExpr(parent, n)
	return ids, known
}

// indicatorExpr is indicator that also returns the pattern expression, for
// a composite indicator that holds this one.
func (c *conv) indicatorExpr(parent *cctx, n *node) ([]string, *pexpr, bool) {
	if isRef(n) {
		idref := n.attr("idref")
		ids, known := c.target(idref, kIndicator, n.path())
		return ids, &pexpr{ref: idref, path: n.path()}, known
	}
	key := c.sourceKey(n, parent.pkg)
	id := convert.ID("stix1", "indicator", key)
	ctx := c.begin(parent, n, key, "indicator", "Producer")
	if v := n.attr("negate"); v == "true" || v == "1" {
		n.useAll()
		c.skip(n.path(), "indicator", "a negated indicator (the absence of its pattern) has no STIX 2.1 equivalent; not converted")
		return nil, nil, true
	}
	var e *pexpr
	switch obs, comp := n.kid("Observable"), n.kid("Composite_Indicator_Expression"); {
	case obs != nil:
		e = c.obsExpr(ctx, obs)
	case comp != nil:
		e = c.compositeIndicator(ctx, comp)
	}
	if e == nil {
		n.useAll()
		c.skip(n.path(), "indicator", "the indicator has no observable that converts to a STIX pattern (pattern is required in STIX 2.1); not converted")
		return nil, nil, true
	}
	d := newDraft("indicator", id, n.path(), "indicator", ctx.pkg)
	c.common(d, ctx)
	d.str("name", n.kidStr("Title"))
	d.str("description", c.describe(n, "indicator"))
	d.strs("indicator_types", c.vocabs(n.all("Type"), indicatorTypes, "indicator", "indicator_types"))
	var used []*cached
	var text string
	var compound bool
	d.late("pattern", true, func(final bool) ([]byte, bool) {
		st := &renderState{}
		t, comp, ok, wait := c.render(e, final, st)
		if wait {
			return nil, false
		}
		if !ok {
			return nil, true
		}
		used, text, compound = st.used, t, comp
		return jstr(t), true
	})
	d.str("pattern_type", "stix")
	d.str("pattern_version", "2.1")
	from, until := c.validTime(n, ctx)
	d.str("valid_from", from)
	d.str("valid_until", until)
	c.killChainPhases(d, n.kid("Kill_Chain_Phases"), "indicator")
	if conf, ok := c.confidence(n.kid("Confidence"), "indicator"); ok {
		d.set("confidence", jint(int64(conf)))
	}
	c.finish(d, ctx)
	idAttr := strings.TrimSpace(n.attr("id"))
	d.onEmit = append(d.onEmit, func() {
		for _, ce := range used {
			c.consume(ce)
		}
		if idAttr != "" {
			c.store(idAttr, paren(text, compound))
		}
	})
	d.countAs = "indicator"
	c.submit(d)

	srcs := []string{id}
	for _, t := range n.all("Indicated_TTP") {
		c.relatedOne(ctx, srcs, t, relation{kind: kTTP, inner: "TTP", relType: "indicates"})
	}
	c.related(ctx, srcs, n.kid("Related_Indicators"), "Related_Indicator", relation{kind: kIndicator, inner: "Indicator", relType: "related-to"})
	c.related(ctx, srcs, n.kid("Suggested_COAs"), "Suggested_COA", relation{kind: kCOA, inner: "Course_Of_Action", relType: "mitigates", reverse: true})
	c.related(ctx, srcs, n.kid("Related_Campaigns"), "Related_Campaign", relation{kind: kCampaign, inner: "Campaign", relType: "indicates"})
	c.sightings(ctx, n.kid("Sightings"), id, key)
	c.rest(n, "indicator")
	return srcs, e, true
}

// compositeIndicator reads a Composite_Indicator_Expression: the patterns
// of its indicators joined by its operator. Inline indicators are
// converted as indicators of their own too.
func (c *conv) compositeIndicator(ctx *cctx, comp *node) *pexpr {
	op := strings.ToUpper(strings.TrimSpace(comp.attr("operator")))
	if op != "AND" && op != "OR" {
		comp.useAll()
		c.skip(comp.path(), "indicator", "the composite operator "+quoteText(comp.attr("operator"))+" is not AND or OR; not converted")
		return nil
	}
	e := &pexpr{op: op, path: comp.path()}
	for _, k := range comp.all("Indicator") {
		if _, sub, _ := c.indicatorExpr(ctx, k); sub != nil {
			e.kids = append(e.kids, sub)
		} else {
			c.dropped(e, k.path())
		}
	}
	c.rest(comp, "indicator")
	switch len(e.kids) {
	case 0:
		return nil
	case 1:
		return e.kids[0]
	}
	return e
}

// validTime reads Valid_Time_Position: valid_from its Start_Time, else the
// indicator's time; valid_until its End_Time when later.
func (c *conv) validTime(n *node, ctx *cctx) (from, until string) {
	from = ctx.created
	vtps := n.all("Valid_Time_Position")
	if len(vtps) == 0 {
		return from, ""
	}
	for _, extra := range vtps[1:] {
		extra.useAll()
		c.approx(extra.path(), "indicator", "STIX 2.1 has one validity window: only the first Valid_Time_Position is kept")
	}
	v := vtps[0]
	if s := c.timeText(v.kid("Start_Time"), "indicator"); s != "" {
		from = s
	}
	if e := c.timeText(v.kid("End_Time"), "indicator"); e != "" {
		if e > from {
			until = e
		} else {
			c.skip(v.path(), "indicator", "the End_Time is not after valid_from; valid_until is left out")
		}
	}
	c.rest(v, "indicator")
	return from, until
}

// sightings reads an indicator's Sightings: one sighting (STIX 2.1 section
// 5.2) per Sighting, or one with the sightings_count alone.
func (c *conv) sightings(ctx *cctx, s *node, indID, key string) {
	if s == nil {
		return
	}
	list := s.all("Sighting")
	total := strings.TrimSpace(s.attr("sightings_count"))
	n, err := 0, error(nil)
	if total != "" {
		var lit string
		lit, err = literal(kInt, total)
		if err == nil {
			n = atoi(lit)
		}
		if err != nil || n < 0 || n > 999999999 {
			c.skip(s.path()+"/@sightings_count", "sighting", quoteText(total)+" is not a count; not converted")
			total = ""
		}
	}
	make1 := func(sg *node, i int) {
		d := newDraft("sighting", convert.ID("stix1", "sighting", key+"#sighting-"+itoa(i)), s.path(), "sighting", ctx.pkg)
		c.common(d, ctx)
		if sg != nil {
			d.path = sg.path()
			if ts := c.timeAttr(sg, "timestamp", "sighting"); ts != "" {
				d.str("first_seen", ts)
				d.str("last_seen", ts)
			}
			d.str("description", texts(sg, "Description"))
		}
		if total != "" && len(list) <= 1 {
			d.set("count", jint(int64(n)))
		}
		d.str("sighting_of_ref", indID)
		if sg != nil {
			if src := sg.kid("Source"); src != nil {
				if where := c.source(src, ctx); where != "" {
					d.strs("where_sighted_refs", []string{where})
				}
			}
			if conf, ok := c.confidence(sg.kid("Confidence"), "sighting"); ok {
				d.set("confidence", jint(int64(conf)))
			}
			c.rest(sg, "sighting")
		}
		c.finish(d, ctx)
		c.submit(d)
		c.count("sighting")
	}
	if len(list) == 0 {
		if total != "" {
			make1(nil, 1)
		}
	}
	for i, sg := range list {
		make1(sg, i+1)
	}
	c.rest(s, "sighting")
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
		if n > 1<<40 {
			return -1
		}
	}
	return n
}
