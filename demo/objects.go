package demo

import (
	"encoding/json"
	"fmt"

	"github.com/isachub/isachub/stix"
)

// TLP 2.0 marking definitions (OASIS common objects) used by the demo data.
const (
	tlpClear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
	tlpGreen = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
	tlpAmber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
)

// Published is one generated object with the organisation that publishes it
// and the collection (by alias) it goes to.
type Published struct {
	Org        string // organisation slug
	Collection string // collection alias
	Object     *stix.Object
}

type gen struct {
	out []Published
	err error
}

// add marshals props as one STIX object published by org into coll.
func (g *gen) add(org, coll string, props map[string]any) string {
	props["spec_version"] = "2.1"
	data, err := json.Marshal(props)
	if err != nil && g.err == nil {
		g.err = err
	}
	o, err := stix.ParseObject(data)
	if err != nil {
		if g.err == nil {
			g.err = fmt.Errorf("demo object %v: %w", props["id"], err)
		}
		return ""
	}
	g.out = append(g.out, Published{Org: org, Collection: coll, Object: o})
	return o.ID()
}

// sdo starts the common properties of an SDO or SRO (STIX 2.1 section 3.2)
// created h hours after the epoch by the organisation's identity.
func sdo(typ, name, org string, h int, marking string) map[string]any {
	return map[string]any{
		"type":                typ,
		"id":                  stixID(typ, name),
		"created":             ts(h),
		"modified":            ts(h),
		"created_by_ref":      OrgIdentityID(org),
		"object_marking_refs": []string{marking},
	}
}

// OrgIdentityID returns the STIX identity id of a demo organisation.
func OrgIdentityID(org string) string { return stixID("identity", "org/"+org) }

// Objects returns the demo STIX 2.1 objects in publishing order: each
// organisation's identity, then threat actors, malware, attack patterns,
// vulnerabilities, campaigns, indicators with their relationships,
// sightings and reports. The result is the same on every call.
func Objects() ([]Published, error) {
	g := &gen{}
	orgs := Orgs()
	for _, o := range orgs {
		p := sdo("identity", "org/"+o.Slug, o.Slug, 0, tlpClear)
		p["name"] = o.Name
		p["identity_class"] = "organization"
		p["sectors"] = o.Sectors
		p["description"] = o.Description
		g.add(o.Slug, Shared, p)
	}
	author := func(i int) string { return orgs[i%len(orgs)].Slug }

	var actors []string
	for i, a := range threatActors {
		p := sdo("threat-actor", a.name, author(i), 1+i, tlpGreen)
		p["name"] = a.name
		p["description"] = a.description
		p["threat_actor_types"] = a.types
		p["aliases"] = a.aliases
		p["sophistication"] = a.sophistication
		p["resource_level"] = a.resource
		p["primary_motivation"] = a.motivation
		actors = append(actors, g.add(author(i), Shared, p))
	}
	var malware []string
	for i, m := range malwareFamilies {
		p := sdo("malware", m.name, author(i+1), 10+i, tlpGreen)
		p["name"] = m.name
		p["description"] = m.description
		p["is_family"] = true
		p["malware_types"] = m.types
		malware = append(malware, g.add(author(i+1), Shared, p))
	}
	var techniques []string
	for i, a := range attackPatterns {
		p := sdo("attack-pattern", a.id, author(i), 30+i, tlpClear)
		p["name"] = a.name
		p["description"] = a.description
		p["external_references"] = []map[string]string{{
			"source_name": "mitre-attack",
			"external_id": a.id,
			"url":         "https://attack.mitre.org/techniques/" + a.id + "/",
		}}
		techniques = append(techniques, g.add(author(i), Shared, p))
	}
	var vulns []string
	for i, v := range vulnerabilities {
		p := sdo("vulnerability", v.cve, author(i+2), 45+i, tlpClear)
		p["name"] = v.cve
		p["description"] = v.description
		p["external_references"] = []map[string]string{{"source_name": "cve", "external_id": v.cve}}
		vulns = append(vulns, g.add(author(i+2), Shared, p))
	}
	var campaigns []string
	for i, c := range campaignNames {
		org := author(i)
		p := sdo("campaign", c, org, 60+i, tlpGreen)
		p["name"] = c
		p["description"] = fmt.Sprintf("Activity tracked by the ISAC under the name %s, aimed at aviation operators.", c)
		p["first_seen"] = ts(48 + 24*i)
		campaigns = append(campaigns, g.add(org, Shared, p))
		g.relate(org, Shared, "attributed-to", campaigns[i], actors[i%len(actors)], 61+i)
	}
	for i, m := range malware {
		org := author(i + 1)
		g.relate(org, Shared, "uses", actors[i%len(actors)], m, 70+i)
		g.relate(org, Shared, "uses", m, techniques[i%len(techniques)], 70+i)
		if i%3 == 0 {
			g.relate(org, Shared, "exploits", m, vulns[(i/3)%len(vulns)], 70+i)
		}
	}
	indicators := g.indicators(malware, campaigns)
	g.sightings(indicators)
	g.corroborate(indicators)
	g.discuss(malware, indicators)
	g.reports(actors, malware, campaigns, indicators)
	if g.err != nil {
		return nil, g.err
	}
	return g.out, nil
}

// relate adds a relationship (STIX 2.1 section 5.1).
func (g *gen) relate(org, coll, typ, src, dst string, h int) string {
	p := sdo("relationship", typ+"/"+src+"/"+dst, org, h, tlpGreen)
	p["relationship_type"] = typ
	p["source_ref"] = src
	p["target_ref"] = dst
	return g.add(org, coll, p)
}
