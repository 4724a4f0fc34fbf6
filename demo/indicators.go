package demo

import (
	"fmt"
	"strings"
)

// indicatorCount is how many indicators the demo publishes; every tenth gets
// a second version.
const indicatorCount = 160

type indicator struct {
	id, org, coll string
	h             int
}

// indicators adds indicators with STIX patterns (STIX 2.1 section 9) over IP
// addresses, domain names, URLs and file hashes, each with an "indicates"
// relationship to a malware family or campaign.
func (g *gen) indicators(malware, campaigns []string) []indicator {
	var out []indicator
	writers := []string{"skyways", "northfield-airport"} // the circle's writers
	for i := 0; i < indicatorCount; i++ {
		org, coll := Orgs()[i%3].Slug, Shared
		if i%5 == 4 {
			org, coll = writers[i%2], Circle
		}
		name, pattern, desc := indicatorPattern(i)
		h := 100 + i*3
		marking := tlpGreen
		if coll == Circle {
			marking = tlpAmber
		}
		p := sdo("indicator", fmt.Sprint(i), org, h, marking)
		p["name"] = name
		p["description"] = desc
		p["indicator_types"] = []string{"malicious-activity"}
		p["pattern"] = pattern
		p["pattern_type"] = "stix"
		p["pattern_version"] = "2.1"
		p["valid_from"] = ts(h)
		p["confidence"] = 60 + i%30
		id := g.add(org, coll, p)
		out = append(out, indicator{id: id, org: org, coll: coll, h: h})
		if i%10 == 0 {
			// A second version: the publisher raised its confidence.
			p["modified"] = ts(h + 72)
			p["confidence"] = 95
			p["description"] = desc + " Confirmed by a second member's incident response."
			g.add(org, coll, p)
		}
		target := malware[i%len(malware)]
		if i%7 == 3 {
			target = campaigns[i%len(campaigns)]
		}
		g.relate(org, coll, "indicates", id, target, h)
	}
	return out
}

// indicatorPattern returns the name, pattern and description of the i-th
// indicator, cycling through the kinds of observable.
func indicatorPattern(i int) (name, pattern, desc string) {
	switch i % 6 {
	case 0, 1:
		ip := fmt.Sprintf("%s.%d", testNets[i%len(testNets)], 10+i%240)
		return "C2 server " + ip,
			fmt.Sprintf("[ipv4-addr:value = '%s']", ip),
			"Command-and-control address contacted by implants on crew-scheduling hosts."
	case 2:
		d := domain(i)
		return "Phishing domain " + d,
			fmt.Sprintf("[domain-name:value = '%s']", d),
			"Look-alike domain used in credential phishing against flight-operations staff."
	case 3:
		u := fmt.Sprintf("https://%s/%s/%s.php", domain(i+1), urlPaths[i%len(urlPaths)], hexOf(fmt.Sprint("url", i), 8))
		return "Malicious URL on " + domain(i+1),
			fmt.Sprintf("[url:value = '%s']", u),
			"Landing page delivering a loader disguised as a maintenance bulletin."
	case 4:
		h := hexOf(fmt.Sprint("sha256", i), 64)
		return "Loader sample " + h[:12],
			fmt.Sprintf("[file:hashes.'SHA-256' = '%s']", h),
			"Malicious attachment observed in email to an airline's engineering department."
	}
	ip := fmt.Sprintf("%s.%d", testNets[(i+1)%len(testNets)], 10+(i*7)%240)
	md5 := hexOf(fmt.Sprint("md5", i), 32)
	return "Dropper " + md5[:8] + " and its beacon",
		fmt.Sprintf("[file:hashes.MD5 = '%s'] OR [network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '%s']", md5, ip),
		"Dropper and the address it beacons to, seen together in one intrusion."
}

func domain(i int) string {
	w := domainWords[i%len(domainWords)]
	s := domainSuffixes[(i/len(domainWords))%len(domainSuffixes)]
	return strings.ToLower(w + s + "." + domainTLDs[i%len(domainTLDs)])
}

// sightings adds sightings (STIX 2.1 section 5.2) of every fifth indicator,
// reported by a member organisation.
func (g *gen) sightings(inds []indicator) {
	for i, ind := range inds {
		if i%5 != 1 && i%5 != 4 {
			continue
		}
		org := ind.org
		p := sdo("sighting", ind.id, org, ind.h+5, tlpAmber)
		p["sighting_of_ref"] = ind.id
		p["where_sighted_refs"] = []string{OrgIdentityID(org)}
		p["count"] = 1 + i%9
		p["first_seen"] = ts(ind.h + 1)
		p["last_seen"] = ts(ind.h + 4)
		g.add(org, ind.coll, p)
	}
}

// corroborate adds, for every tenth indicator of the shared collection,
// sightings by the two other member organisations, so that its sighting
// count reaches the three organisations the object page asks for before
// it shows one.
func (g *gen) corroborate(inds []indicator) {
	for i, ind := range inds {
		if i%10 != 2 || ind.coll != Shared {
			continue
		}
		for k, o := range Orgs() {
			if o.Slug == ind.org {
				continue
			}
			p := sdo("sighting", ind.id+"/"+o.Slug, o.Slug, ind.h+12+24*k, tlpGreen)
			p["sighting_of_ref"] = ind.id
			p["where_sighted_refs"] = []string{OrgIdentityID(o.Slug)}
			p["count"] = 1 + (i+k)%4
			p["first_seen"] = ts(ind.h + 10 + 24*k)
			p["last_seen"] = ts(ind.h + 11 + 24*k)
			g.add(o.Slug, Shared, p)
		}
	}
}

// discuss adds the members' discussion (STIX 2.1 sections 4.13 and 4.14):
// notes and opinions from the other organisations on some malware and
// indicators.
func (g *gen) discuss(malware []string, inds []indicator) {
	orgs := Orgs()
	for i, m := range malware {
		if i%2 != 0 {
			continue
		}
		org := orgs[(i+2)%len(orgs)].Slug
		p := sdo("note", m+"/"+org, org, 200+i*17, tlpGreen)
		p["abstract"] = notes[i%len(notes)].abstract
		p["content"] = notes[i%len(notes)].content
		p["object_refs"] = []string{m}
		g.add(org, Shared, p)
	}
	for i, ind := range inds {
		if i%6 != 2 || ind.coll != Shared {
			continue
		}
		for k, o := range orgs {
			if o.Slug == ind.org || (i+k)%3 == 0 {
				continue
			}
			p := sdo("opinion", ind.id+"/"+o.Slug, o.Slug, ind.h+30+k, tlpGreen)
			p["opinion"] = []string{"agree", "strongly-agree", "neutral", "agree", "disagree"}[(i+k)%5]
			p["explanation"] = explanations[(i+k)%len(explanations)]
			p["object_refs"] = []string{ind.id}
			g.add(o.Slug, Shared, p)
		}
	}
}

// reports adds threat reports (STIX 2.1 section 4.15) that bundle related
// objects.
func (g *gen) reports(actors, malware, campaigns []string, inds []indicator) {
	for i, c := range campaigns {
		org := Orgs()[i%3].Slug
		refs := []string{c, actors[i%len(actors)], malware[i%len(malware)], malware[(i+3)%len(malware)]}
		for j := i; j < len(inds); j += len(campaigns) * 3 {
			if inds[j].coll == Shared {
				refs = append(refs, inds[j].id)
			}
		}
		p := sdo("report", fmt.Sprint(i), org, 700+i*24, tlpGreen)
		p["name"] = fmt.Sprintf("Weekly aviation threat summary %d: %s", i+1, campaignNames[i])
		p["description"] = "What members saw this week, with the indicators to block."
		p["report_types"] = []string{"threat-report", "campaign"}
		p["published"] = ts(700 + i*24)
		p["object_refs"] = refs
		g.add(org, Shared, p)
	}
}
