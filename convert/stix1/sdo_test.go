package stix1_test

import (
	"slices"
	"testing"

	"github.com/isachub/isachub/convert"
)

func TestTTPs(t *testing.T) {
	r := mustConvert(t, "ttps.xml", opts())
	ap := r.get(t, id("attack-pattern", "example:ttp-spear"))
	mw := r.get(t, id("malware", "example:ttp-spear"))
	tool := r.get(t, id("tool", "example:ttp-spear"))
	if ap["name"] != "Spear Phishing" || ap["description"] != "Targeted e-mail with a malicious attachment." {
		t.Errorf("attack-pattern %v", ap)
	}
	refs, _ := ap["external_references"].([]any)
	if len(refs) != 1 || refs[0].(map[string]any)["source_name"] != "capec" || refs[0].(map[string]any)["external_id"] != "CAPEC-163" {
		t.Errorf("external_references %v", refs)
	}
	if mw["name"] != "PoisonIvy" || mw["is_family"] != false || !slices.Equal(strs(mw["malware_types"]), []string{"remote-access-trojan"}) {
		t.Errorf("malware %v", mw)
	}
	if tool["name"] != "nmap" || tool["tool_version"] != "7.0" || !slices.Equal(strs(tool["tool_types"]), []string{"information-gathering"}) {
		t.Errorf("tool %v", tool)
	}
	// Kill chain phases by phase_id resolve from the Kill_Chains after them.
	for _, o := range []map[string]any{ap, mw, tool, r.get(t, id("indicator", "example:indicator-phish"))} {
		kcp, _ := o["kill_chain_phases"].([]any)
		if len(kcp) == 0 || kcp[0].(map[string]any)["kill_chain_name"] != "example-kill-chain" || kcp[0].(map[string]any)["phase_name"] != "initial-delivery" {
			t.Errorf("%s kill_chain_phases %v", o["id"], kcp)
		}
	}
	if kcp := ap["kill_chain_phases"].([]any); len(kcp) != 2 || kcp[1].(map[string]any)["phase_name"] != "lateral-movement" || kcp[1].(map[string]any)["kill_chain_name"] != "custom-chain" {
		t.Errorf("named phase %v", kcp)
	}
	vuln := r.get(t, id("vulnerability", "example:et-heartbleed"))
	vrefs, _ := vuln["external_references"].([]any)
	if len(vrefs) != 1 || vrefs[0].(map[string]any)["source_name"] != "cve" || vrefs[0].(map[string]any)["external_id"] != "CVE-2014-0160" {
		t.Errorf("vulnerability %v", vuln)
	}
	ind := id("indicator", "example:indicator-phish")
	inline := id("attack-pattern", "example:ttp-inline")
	for _, rel := range []struct{ src, typ, dst string }{
		{ind, "indicates", ap["id"].(string)},
		{ind, "indicates", mw["id"].(string)},
		{ind, "indicates", tool["id"].(string)},
		{ap["id"].(string), "targets", vuln["id"].(string)},
		{mw["id"].(string), "targets", vuln["id"].(string)},
		{ap["id"].(string), "related-to", inline},
	} {
		if r.rel(rel.src, rel.typ, rel.dst) == nil {
			t.Errorf("no %s %s %s", rel.src, rel.typ, rel.dst)
		}
	}
	if got := r.rel(ap["id"].(string), "related-to", inline)["description"]; got != "Variant Of" {
		t.Errorf("relationship description %v", got)
	}
	r.mustEntry(t, ind1+"[1]/indicator:Indicated_TTP[2]/stixCommon:TTP", convert.NotConverted, "cannot be known")
	r.mustEntry(t, "/stix:STIX_Package/stix:TTPs/stix:TTP[1]/ttp:Victim_Targeting", convert.NotConverted, "Victim_Targeting")
	r.mustEntry(t, "/stix:STIX_Package/stix:Exploit_Targets/stixCommon:Exploit_Target[1]/et:Weakness", convert.NotConverted, "weakness")
}

func TestActorsCampaignsIncidents(t *testing.T) {
	r := mustConvert(t, "actors.xml", opts())
	ta := r.get(t, id("threat-actor", "example:threatactor-1"))
	want := map[string]any{"name": "Example Panda", "sophistication": "expert", "primary_motivation": "ideology"}
	for k, v := range want {
		if ta[k] != v {
			t.Errorf("threat-actor %s = %v, want %v", k, ta[k], v)
		}
	}
	if !slices.Equal(strs(ta["threat_actor_types"]), []string{"nation-state"}) || !slices.Equal(strs(ta["secondary_motivations"]), []string{"personal-gain"}) {
		t.Errorf("threat-actor %v", ta)
	}
	camp := r.get(t, id("campaign", "example:campaign-1"))
	if camp["name"] != "Operation Example" || !slices.Equal(strs(camp["aliases"]), []string{"Op Example"}) {
		t.Errorf("campaign %v", camp)
	}
	inc := r.get(t, id("incident", "example:incident-1"))
	if inc["name"] != "Breach at a member" || inc["description"] != "Credentials stolen." || inc["confidence"] != 50.0 {
		t.Errorf("incident %v", inc)
	}
	coa := r.get(t, id("course-of-action", "example:coa-block"))
	if coa["name"] != "Block the address" {
		t.Errorf("course-of-action %v", coa)
	}
	ind := id("indicator", "example:indicator-ta")
	ttp := id("attack-pattern", "example:ttp-1")
	taID, campID, incID := ta["id"].(string), camp["id"].(string), inc["id"].(string)
	odID := id("observed-data", "example:Observable-incident")
	for _, rel := range []struct{ src, typ, dst string }{
		{coa["id"].(string), "mitigates", ind},
		{ind, "indicates", campID},
		{ind, "related-to", id("indicator", "example:indicator-elsewhere")},
		{incID, "uses", ttp},
		{incID, "attributed-to", taID},
		{incID, "related-to", odID},
		{campID, "uses", ttp},
		{campID, "attributed-to", taID},
		{taID, "uses", ttp},
	} {
		if r.rel(rel.src, rel.typ, rel.dst) == nil {
			t.Errorf("no %s %s %s", rel.src, rel.typ, rel.dst)
		}
	}
	sightings := r.ofType("sighting")
	if len(sightings) != 1 {
		t.Fatalf("%d sightings", len(sightings))
	}
	s := sightings[0]
	where := strs(s["where_sighted_refs"])
	if s["sighting_of_ref"] != ind || s["count"] != 2.0 || s["first_seen"] != "2016-06-01T12:00:00.000Z" || len(where) != 1 || r.get(t, where[0])["name"] != "Member Bank" {
		t.Errorf("sighting %v", s)
	}
	r.mustEntry(t, "/stix:STIX_Package/stix:Incidents/stix:Incident[1]/incident:Categories", convert.Approximate, "stub")
	r.mustEntry(t, ind1+"[1]/indicator:Related_Indicators/indicator:Related_Indicator/stixCommon:Indicator", convert.Approximate, "names nothing")
	r.mustEntry(t, "/stix:STIX_Package/stix:Courses_Of_Action/stix:Course_Of_Action[1]/coa:Stage", convert.NotConverted, "coa:Stage")
}

func TestReport(t *testing.T) {
	r := mustConvert(t, "report.xml", opts())
	reps := r.ofType("report")
	if len(reps) != 1 {
		t.Fatalf("%d reports; a package with a Report gets no report of its own", len(reps))
	}
	rep := reps[0]
	if rep["id"] != id("report", "example:report-r1") || rep["name"] != "Monthly summary" || rep["published"] != "2019-09-10T00:00:00.000Z" {
		t.Errorf("report %v", rep)
	}
	if !slices.Equal(strs(rep["report_types"]), []string{"threat-report"}) {
		t.Errorf("report_types %v", rep["report_types"])
	}
	want := []string{id("indicator", "example:indicator-r1"), id("malware", "example:ttp-r1"), id("campaign", "example:campaign-r1")}
	if got := strs(rep["object_refs"]); !slices.Equal(got, want) {
		t.Errorf("object_refs %v, want %v", got, want)
	}
	r.mustEntry(t, "/stix:STIX_Package/stix:Reports/stix:Report[1]/report:TTPs/stix:TTP[2]", convert.NotConverted, "cannot be known")
}
