package misp_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

// TestConvertEvent converts the event of testdata/event.json, which holds
// one of every kind of construct, and checks the objects and the report.
func TestConvertEvent(t *testing.T) {
	r := MustConvert(t, "event.json", convert.Options{})
	if r.rep.Format != "misp" || r.rep.Input != "test.json" {
		t.Errorf("report format %q input %q", r.rep.Format, r.rep.Input)
	}

	org := r.named(t, "identity", "CIRCL")
	if org.ID() != convert.ID("misp", "identity", "55f6ea5e-2c60-40e5-964f-47a8950d210f") || org.String("identity_class") != "organization" {
		t.Errorf("creator identity: %s", org.Raw())
	}
	for _, o := range r.objs {
		if stix.TypeClass(o.Type()) != stix.ClassSCO && o.ID() != org.ID() && !strings.HasPrefix(o.String("name"), "Member") && o.CreatedByRef() != org.ID() {
			t.Errorf("%s has created_by_ref %q, want the creator", o.ID(), o.CreatedByRef())
		}
	}

	t.Run("Report", func(t *testing.T) {
		rep := r.madeFrom(t, "report", "5e6f7a8b-1c2d-4e3f-8a9b-0c1d2e3f4a5b")
		if rep != r.objs[len(r.objs)-1] {
			t.Error("the report is not the last object")
		}
		if rep.String("name") != "Phishing campaign against the energy sector" ||
			rep.String("published") != "2024-01-02T04:04:05.000Z" ||
			rep.Created() != "2024-01-02T00:00:00.000Z" || rep.Modified() != "2024-01-02T03:04:05.000Z" {
			t.Errorf("report: %s", rep.Raw())
		}
		if got := prop[[]string](t, rep, "labels"); strings.Join(got, ",") != "type:OSINT" {
			t.Errorf("labels %q: the TLP and galaxy tags are no labels", got)
		}
		if marking(rep) != stix.TLPAmber {
			t.Errorf("report marking %v, want amber", marking(rep))
		}
		refs := prop[[]string](t, rep, "object_refs")
		for _, o := range r.objs {
			if o != rep && !hasRef(refs, o.ID()) {
				t.Errorf("object_refs lacks %s", o.ID())
			}
		}
	})

	t.Run("Indicator", func(t *testing.T) {
		ind := r.madeFrom(t, "indicator", "91ae0a21-c7ae-4c7f-b84b-b84a7ce53d1f")
		for k, want := range map[string]string{
			"name": "ip-dst: 203.0.113.7", "description": "C2 server", "pattern_type": "stix",
			"pattern":    "[network-traffic:dst_ref.value = '203.0.113.7']",
			"valid_from": "2024-01-01T10:00:00.123456Z",
		} {
			if got := ind.String(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		if got := prop[[]string](t, ind, "indicator_types"); len(got) != 1 || got[0] != "malicious-activity" {
			t.Errorf("indicator_types %q", got)
		}
		if marking(ind) != stix.TLPRed {
			t.Errorf("the attribute's tlp:red must override the event's amber, got %v", marking(ind))
		}
		labels := prop[[]string](t, ind, "labels")
		if !hasRef(labels, "kill-chain:Command and Control") || !hasRef(labels, `misp:category="Network activity"`) {
			t.Errorf("labels %q", labels)
		}
	})

	t.Run("Galaxies", func(t *testing.T) {
		ta := r.madeFrom(t, "threat-actor", "7cdff317-a673-4474-84ec-4f1754947823")
		if ta.String("name") != "Sofacy" || !hasRef(prop[[]string](t, ta, "aliases"), "APT28") {
			t.Errorf("threat actor: %s", ta.Raw())
		}
		if len(r.ofType("threat-actor")) != 1 {
			t.Error("the threat-actor tag and its Galaxy cluster must make one object")
		}
		ap := r.madeFrom(t, "attack-pattern", "2e34237d-8574-43f6-aace-ae2915de8597")
		refs := prop[[]map[string]string](t, ap, "external_references")
		if ap.String("name") != "Spearphishing Attachment" || refs[0]["source_name"] != "mitre-attack" || refs[0]["external_id"] != "T1566.001" {
			t.Errorf("attack pattern: %s", ap.Raw())
		}
		loc := r.named(t, "location", "luxembourg")
		if loc.String("country") != "LU" {
			t.Errorf("location from the tag alone: %s", loc.Raw())
		}
		sector := r.named(t, "identity", "Energy")
		if sector.String("identity_class") != "class" || prop[[]string](t, sector, "sectors")[0] != "energy" {
			t.Errorf("sector: %s", sector.Raw())
		}
		ind := convert.ID("misp", "indicator", "91ae0a21-c7ae-4c7f-b84b-b84a7ce53d1f")
		want := map[string]bool{ap.ID(): false, convert.ID("misp", "malware", "d9c2b3c0-3c1e-4c9f-9a8d-1f2e3d4c5b6a"): false}
		for _, rel := range r.ofType("relationship") {
			if rel.String("source_ref") == ind {
				if _, ok := want[rel.String("target_ref")]; ok && rel.String("relationship_type") == "indicates" {
					want[rel.String("target_ref")] = true
				}
			}
		}
		for id, found := range want {
			if !found {
				t.Errorf("no relationship %s indicates %s", ind, id)
			}
		}
	})

	t.Run("Observables", func(t *testing.T) {
		od := r.madeFrom(t, "observed-data", "a1000000-0000-4000-8000-000000000003")
		refs := prop[[]string](t, od, "object_refs")
		if len(refs) != 2 || !strings.HasPrefix(refs[0], "domain-name--") || !strings.HasPrefix(refs[1], "ipv4-addr--") {
			t.Errorf("domain|ip observed-data refs %q", refs)
		}
		if len(r.ofType("domain-name")) != 1 {
			t.Error("the domain of two attributes must be one SCO")
		}
		dn := r.ofType("domain-name")[0]
		if id, ok, _ := stix.DeterministicID(dn); !ok || id != dn.ID() {
			t.Errorf("domain-name id %s is not the deterministic %s", dn.ID(), id)
		}
		if got := prop[[]string](t, dn, "resolves_to_refs"); len(got) != 1 || got[0] != refs[1] {
			t.Errorf("the shared domain-name must keep the resolution of domain|ip: %s", dn.Raw())
		}
		note := r.madeFrom(t, "note", "a1000000-0000-4000-8000-000000000002\x00comment")
		if note.String("content") != "resolver logs" {
			t.Errorf("comment of an observed-data: %s", note.Raw())
		}
		url := r.madeFrom(t, "indicator", "a1000000-0000-4000-8000-000000000004")
		if got, want := url.String("pattern"), `[url:value = 'http://evil.example.com/it\'s\\here']`; got != want {
			t.Errorf("url pattern %s, want %s", got, want)
		}
		md5 := r.madeFrom(t, "indicator", "a1000000-0000-4000-8000-000000000005")
		if md5.String("pattern") != "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']" {
			t.Errorf("md5 pattern %s", md5.String("pattern"))
		}
		reg := r.madeFrom(t, "indicator", "a1000000-0000-4000-8000-000000000007")
		if got, want := reg.String("pattern"), `[windows-registry-key:key = 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' AND windows-registry-key:values[*].data = 'C:\\evil.exe']`; got != want {
			t.Errorf("regkey|value pattern\n%s\nwant\n%s", got, want)
		}
		vuln := r.madeFrom(t, "vulnerability", "a1000000-0000-4000-8000-000000000008")
		if refs := prop[[]map[string]string](t, vuln, "external_references"); refs[0]["source_name"] != "cve" || refs[0]["external_id"] != "CVE-2021-44228" {
			t.Errorf("vulnerability: %s", vuln.Raw())
		}
		as := r.madeFrom(t, "indicator", "a1000000-0000-4000-8000-00000000000c")
		if as.String("pattern") != "[autonomous-system:number = 64500]" {
			t.Errorf("AS pattern %s", as.String("pattern"))
		}
		file := r.madeFrom(t, "indicator", "b1000000-0000-4000-8000-000000000001")
		if got, want := file.String("pattern"), "[file:name = 'dropper.exe' AND file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709' AND file:size = 4096]"; got != want {
			t.Errorf("file object pattern\n%s\nwant\n%s", got, want)
		}
	})

	t.Run("Sightings", func(t *testing.T) {
		s := r.ofType("sighting")
		if len(s) != 1 {
			t.Fatalf("%d sightings, want one for the two of Member A with source SIEM", len(s))
		}
		if prop[int](t, s[0], "count") != 2 || s[0].String("first_seen") != "2024-01-02T12:53:20.000Z" || s[0].String("last_seen") != "2024-01-03T16:40:00.000Z" ||
			s[0].String("sighting_of_ref") != convert.ID("misp", "indicator", "91ae0a21-c7ae-4c7f-b84b-b84a7ce53d1f") {
			t.Errorf("sighting: %s", s[0].Raw())
		}
		md5 := r.madeFrom(t, "indicator", "a1000000-0000-4000-8000-000000000005")
		if md5.String("valid_until") != "2024-01-23T08:53:20.000Z" || md5.Modified() != "2024-01-23T08:53:20.000Z" {
			t.Errorf("an expiration sighting must set valid_until (and modified): %s", md5.Raw())
		}
	})

	t.Run("Report entries", func(t *testing.T) {
		r.wantEntry(t, "$.Event.Attribute[8]", convert.Approximate, "kept as a note on the report")
		r.wantEntry(t, "$.Event.Attribute[9]", convert.Approximate, "no valid STIX 2.1 observable")
		r.wantEntry(t, "$.Event.Attribute[10]", convert.NotConverted, `"btc" is not converted`)
		r.wantEntry(t, "$.Event.Object[0].Attribute[3]", convert.Approximate, `"entropy"`)
		r.wantEntry(t, "$.Event.Sighting[0]", convert.Approximate, "false-positive")
		r.wantEntry(t, "$.Event.Sighting[1]", convert.Approximate, "valid_until")
		if n := r.rep.Total(convert.NotConverted); n != 1 {
			t.Errorf("%d constructs not converted, want 1:\n%s", n, r.entries())
		}
		if r.rep.Counts["attribute:ip-dst"][convert.Converted] != 1 || r.rep.Counts["event"][convert.Converted] != 1 {
			t.Errorf("counts: %v", r.rep.Counts)
		}
	})
}
