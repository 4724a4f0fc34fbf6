package stix1

import (
	"github.com/isachub/isachub/convert"
)

// topThreatActor converts a Threat_Actor of stix:Threat_Actors.
func (c *conv) topThreatActor(parent *cctx, n *node) { c.threatActor(parent, n) }

// threatActor converts a ThreatActor (ta:ThreatActorType) to a
// threat-actor (STIX 2.1 section 4.17): its name from the Identity (else
// the Title), types, motivations and sophistication where the
// vocabularies map (section 10), and its relationships: Observed_TTPs
// (uses), Associated_Campaigns (the campaign is attributed-to it),
// Associated_Actors (related-to).
func (c *conv) threatActor(parent *cctx, n *node) ([]string, bool) {
	if isRef(n) {
		return c.target(n.attr("idref"), kActor, n.path())
	}
	key := c.sourceKey(n, parent.pkg)
	ctx := c.begin(parent, n, key, "threat-actor", "Information_Source")
	id := convert.ID("stix1", "threat-actor", key)
	d := newDraft("threat-actor", id, n.path(), "threat-actor", ctx.pkg)
	c.common(d, ctx)
	title := n.kid("Title")
	name := ""
	if idn := n.kid("Identity"); idn != nil {
		name, _ = identityName(idn)
		idn.useAll()
	}
	switch {
	case name == "":
		name = title.str()
	case title != nil && title.str() != name:
		c.approx(title.path(), "threat-actor", "the threat actor is named by its Identity; the Title is not kept")
	}
	if name == "" {
		name = localID(key)
		c.approx(n.path(), "threat-actor", "the threat actor has neither Identity name nor Title: it is named by its id")
	}
	d.str("name", name)
	d.str("description", c.describe(n, "threat-actor"))
	d.strs("threat_actor_types", c.vocabs(n.all("Type"), actorTypes, "threat-actor", "threat_actor_types"))
	if soph := c.vocabs(n.all("Sophistication"), sophistications, "threat-actor", "sophistication"); len(soph) > 0 {
		d.str("sophistication", soph[0])
		if len(soph) > 1 {
			c.approx(n.path(), "threat-actor", "STIX 2.1 has one sophistication: "+soph[0]+" is kept")
		}
	}
	if mot := c.vocabs(n.all("Motivation"), motivations, "threat-actor", "motivation"); len(mot) > 0 {
		d.str("primary_motivation", mot[0])
		d.strs("secondary_motivations", mot[1:])
	}
	if conf, ok := c.confidence(n.kid("Confidence"), "threat-actor"); ok {
		d.set("confidence", jint(int64(conf)))
	}
	c.finish(d, ctx)
	c.submit(d)
	c.count("threat-actor")
	srcs := []string{id}
	c.related(ctx, srcs, n.kid("Observed_TTPs"), "Observed_TTP", relation{kind: kTTP, inner: "TTP", relType: "uses"})
	c.related(ctx, srcs, n.kid("Associated_Campaigns"), "Associated_Campaign", relation{kind: kCampaign, inner: "Campaign", relType: "attributed-to", reverse: true})
	c.related(ctx, srcs, n.kid("Associated_Actors"), "Associated_Actor", relation{kind: kActor, inner: "Threat_Actor", relType: "related-to"})
	c.rest(n, "threat-actor")
	return srcs, true
}

// topCampaign converts a Campaign of stix:Campaigns.
func (c *conv) topCampaign(parent *cctx, n *node) { c.campaign(parent, n) }

// campaign converts a Campaign (campaign:CampaignType) to a campaign
// (STIX 2.1 section 4.2): name from the Title or the first of Names, the
// other names as aliases, and its relationships: Related_TTPs (uses),
// Attribution (attributed-to), Related_Indicators (the indicator
// indicates it), Related_Incidents and Associated_Campaigns (related-to).
func (c *conv) campaign(parent *cctx, n *node) ([]string, bool) {
	if isRef(n) {
		return c.target(n.attr("idref"), kCampaign, n.path())
	}
	key := c.sourceKey(n, parent.pkg)
	ctx := c.begin(parent, n, key, "campaign", "Information_Source")
	id := convert.ID("stix1", "campaign", key)
	d := newDraft("campaign", id, n.path(), "campaign", ctx.pkg)
	c.common(d, ctx)
	names := n.kid("Names").strs("Name")
	name := n.kidStr("Title")
	if name == "" && len(names) > 0 {
		name, names = names[0], names[1:]
	}
	if name == "" {
		name = localID(key)
		c.approx(n.path(), "campaign", "the campaign has neither Title nor Names: it is named by its id")
	}
	d.str("name", name)
	d.str("description", c.describe(n, "campaign"))
	d.strs("aliases", names)
	if ie := n.all("Intended_Effect"); len(ie) > 0 {
		var effects []string
		for _, e := range ie {
			if s := vocabText(e); s != "" {
				effects = append(effects, s)
			}
		}
		if len(effects) > 0 {
			d.str("objective", joinTexts(effects))
			c.approx(ie[0].path(), "campaign", "the Intended_Effect is kept as the objective, in words")
		}
	}
	if conf, ok := c.confidence(n.kid("Confidence"), "campaign"); ok {
		d.set("confidence", jint(int64(conf)))
	}
	c.finish(d, ctx)
	c.submit(d)
	c.count("campaign")
	srcs := []string{id}
	c.related(ctx, srcs, n.kid("Related_TTPs"), "Related_TTP", relation{kind: kTTP, inner: "TTP", relType: "uses"})
	c.related(ctx, srcs, n.kid("Related_Incidents"), "Related_Incident", relation{kind: kIncident, inner: "Incident", relType: "related-to"})
	c.related(ctx, srcs, n.kid("Related_Indicators"), "Related_Indicator", relation{kind: kIndicator, inner: "Indicator", relType: "indicates", reverse: true})
	for _, a := range n.all("Attribution") {
		c.related(ctx, srcs, a, "Attributed_Threat_Actor", relation{kind: kActor, inner: "Threat_Actor", relType: "attributed-to"})
	}
	c.related(ctx, srcs, n.kid("Associated_Campaigns"), "Associated_Campaign", relation{kind: kCampaign, inner: "Campaign", relType: "related-to"})
	c.rest(n, "campaign")
	return srcs, true
}

func joinTexts(s []string) string {
	out := ""
	for i, t := range s {
		if i > 0 {
			out += "; "
		}
		out += t
	}
	return out
}
