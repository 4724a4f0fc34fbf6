package misp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

// objUUID is the uuid of MISP object n of testdata/objects.json, attrUUID2
// of its attribute n.
func objUUID(n int) string   { return fmt.Sprintf("b3000000-0000-4000-8000-%012x", n) }
func attrUUID2(n int) string { return fmt.Sprintf("b2000000-0000-4000-8000-%012x", n) }

// TestObjects checks the MISP object templates of testdata/objects.json:
// one indicator per object with to_ids, its attributes joined by AND in one
// observation expression, or one observed-data without.
func TestObjects(t *testing.T) {
	r := MustConvert(t, "objects.json", convert.Options{})
	indicators := []struct {
		name string
		obj  int
		want string
	}{
		{"file", 1, `[file:name = 'report.doc' AND file:hashes.MD5 = '9e107d9d372bb6826bd81d3542a419d6' AND file:hashes.'SHA-256' = 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592' AND file:size = 1024 AND file:parent_directory_ref.path = 'C:\\Temp' AND file:mime_type = 'application/msword']`},
		{"domain-ip", 3, "[(domain-name:value = 'c2.example.com' OR domain-name:value = 'c2-backup.example.com') AND domain-name:resolves_to_refs[*].value = '192.0.2.50']"},
		{"ip-port", 4, "[network-traffic:dst_ref.value = '192.0.2.51' AND network-traffic:dst_port = 8443]"},
		{"url", 5, "[url:value = 'http://phish.example.com:8080/login.php']"},
		{"email", 6, "[email-message:from_ref.value = 'ceo@example.com' AND email-message:from_ref.display_name = 'The CEO' AND " +
			"email-message:to_refs[*].value = 'a@example.org' AND email-message:to_refs[*].value = 'b@example.org' AND " +
			"email-message:subject = 'Urgent wire' AND email-message:body_multipart[*].body_raw_ref.name = 'wire.pdf.exe' AND " +
			"email-message:body_multipart[*].body = 'Please pay.' AND email-message:additional_header_fields.'Reply-To' = 'attacker@example.net' AND " +
			"email-message:additional_header_fields.'X-Mailer' = 'EvilMailer 1.0' AND email-message:date = t'2024-01-01T07:00:00.000Z']"},
		{"registry-key", 8, `[windows-registry-key:key = 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' AND windows-registry-key:values[*].name = 'Updater' AND windows-registry-key:values[*].data = 'C:\\Users\\Public\\up.exe' AND windows-registry-key:values[*].data_type = 'REG_SZ' AND windows-registry-key:modified_time = t'2024-01-01T00:00:00.000Z']`},
	}
	for _, tt := range indicators {
		t.Run(tt.name, func(t *testing.T) {
			ind := r.madeFrom(t, "indicator", objUUID(tt.obj))
			if got := ind.String("pattern"); got != tt.want {
				t.Errorf("pattern\n got %s\nwant %s", got, tt.want)
			}
			if marking(ind) != stix.TLPGreen {
				t.Errorf("marking %v, want the event's green", marking(ind))
			}
		})
	}
	t.Run("Times and text", func(t *testing.T) {
		di := r.madeFrom(t, "indicator", objUUID(3))
		if di.String("valid_from") != "2023-12-01T00:00:00.000Z" || di.String("valid_until") != "2023-12-31T00:00:00.000Z" {
			t.Errorf("first-seen and last-seen: %s", di.Raw())
		}
		if got := r.madeFrom(t, "indicator", objUUID(1)).String("description"); got != "The first stage.\n\nDropped by the macro." {
			t.Errorf("description %q: the object's comment and its text", got)
		}
	})
	t.Run("Observed", func(t *testing.T) {
		tests := []struct {
			obj  int
			scos string
			prop func(r result) (string, string)
		}{
			{2, "file", nil},
			{7, "network-traffic ipv4-addr ipv4-addr", nil},
			{9, "x509-certificate", nil},
		}
		for _, tt := range tests {
			od := r.madeFrom(t, "observed-data", objUUID(tt.obj))
			var types []string
			for _, id := range prop[[]string](t, od, "object_refs") {
				types = append(types, stix.IDType(id))
			}
			if strings.Join(types, " ") != tt.scos {
				t.Errorf("object %d: observed %q, want %q", tt.obj, types, tt.scos)
			}
		}
		nt := r.ofType("network-traffic")
		var conn *stix.Object
		for _, o := range nt {
			if o.Has("src_port") {
				conn = o
			}
		}
		if conn == nil || strings.Join(prop[[]string](t, conn, "protocols"), ",") != "tcp,http" || prop[int](t, conn, "dst_port") != 80 ||
			conn.String("start") != "2024-01-01T12:00:00.000Z" {
			t.Errorf("network-connection: %v", conn)
		}
		x := r.ofType("x509-certificate")[0]
		if x.String("issuer") != "CN=Evil CA" || prop[int](t, x, "subject_public_key_exponent") != 65537 || x.String("validity_not_after") != "2025-01-01T00:00:00.000Z" {
			t.Errorf("x509: %s", x.Raw())
		}
	})
	t.Run("Vulnerability", func(t *testing.T) {
		v := r.madeFrom(t, "vulnerability", objUUID(10))
		refs := prop[[]map[string]string](t, v, "external_references")
		if v.String("name") != "CVE-2023-4966" || !strings.Contains(v.String("description"), "Citrix Bleed.") || len(refs) != 2 ||
			refs[0]["external_id"] != "CVE-2023-4966" || refs[1]["url"] != "https://nvd.nist.gov/vuln/detail/CVE-2023-4966" {
			t.Errorf("vulnerability: %s", v.Raw())
		}
	})
	t.Run("One by one", func(t *testing.T) {
		r.wantEntry(t, "$.Event.Object[10]", convert.Approximate, `template "geolocation" has no STIX 2.1 mapping`)
		r.madeFrom(t, "indicator", attrUUID2(63))
		r.wantEntry(t, "$.Event.Object[11]", convert.Approximate, "lacks the attributes its template needs")
		r.madeFrom(t, "observed-data", attrUUID2(64))
		r.wantEntry(t, "$.Event.Object[12]", convert.Approximate, "network-traffic needs an address")
	})
	t.Run("References", func(t *testing.T) {
		src := convert.ID("misp", "indicator", objUUID(15))
		found := map[string]string{}
		for _, rel := range r.ofType("relationship") {
			if rel.String("source_ref") == src {
				found[rel.String("relationship_type")] = rel.String("target_ref")
			}
		}
		if found["drops"] != convert.ID("misp", "indicator", objUUID(3)) {
			t.Errorf("drops: %v", found)
		}
		if found["connected-to"] != convert.ID("misp", "observed-data", objUUID(2)) {
			t.Errorf("a relationship_type is made a STIX one, and an attribute of an object stands for the object: %v", found)
		}
		r.wantEntry(t, "$.Event.Object[14].ObjectReference[1]", convert.NotConverted, "not converted in this event")
	})
	t.Run("Entries", func(t *testing.T) {
		r.wantEntry(t, "$.Event.Object[0].Attribute[6]", convert.Approximate, `"entropy" has no place`)
		r.wantEntry(t, "$.Event.Object[2].Attribute[3]", convert.Approximate, `"port" has no place`)
		r.wantEntry(t, "$.Event.Object[3].Attribute[2].value", convert.Approximate, "left out")
		r.wantEntry(t, "$.Event.Object[4].Attribute[3]", convert.Approximate, `"credential"`)
		r.wantEntry(t, "$.Event.Object[7].Attribute[4]", convert.Approximate, `"hive"`)
		r.wantEntry(t, "$.Event.Object[13]", convert.NotConverted, "deleted in MISP")
		if _, ok := r.entry("$.Event.Object[4].Attribute[1]"); ok {
			t.Error("a url's domain is part of its url: no entry")
		}
	})
}

// TestGalaxies checks galaxy clusters from Galaxy lists and from tags.
func TestGalaxies(t *testing.T) {
	r := MustConvert(t, "galaxies.json", convert.Options{})
	fr := r.madeFrom(t, "location", "c2000000-0000-4000-8000-000000000101")
	if fr.String("country") != "FR" {
		t.Errorf("country from meta ISO: %s", fr.Raw())
	}
	if r.named(t, "location", "germany").String("country") != "DE" {
		t.Error("a country tag converts by its name")
	}
	is := r.madeFrom(t, "intrusion-set", "c2000000-0000-4000-8000-000000000102")
	refs := prop[[]map[string]string](t, is, "external_references")
	if is.String("name") != "APT29" || strings.Join(prop[[]string](t, is, "aliases"), ",") != "Cozy Bear" ||
		refs[0]["external_id"] != "G0016" || refs[0]["url"] != "https://attack.mitre.org/groups/G0016/" || refs[1]["description"] != "not a url" {
		t.Errorf("intrusion set: %s", is.Raw())
	}
	coa := r.madeFrom(t, "course-of-action", "c2000000-0000-4000-8000-000000000103")
	if coa.String("name") != "User Training" || coa.String("description") != "Train users." {
		t.Errorf("course of action: %s", coa.Raw())
	}
	ap := r.named(t, "attack-pattern", "Phishing")
	if prop[[]map[string]string](t, ap, "external_references")[0]["external_id"] != "T1566" {
		t.Errorf("attack pattern from a tag: %s", ap.Raw())
	}
	capec := r.madeFrom(t, "attack-pattern", "c2000000-0000-4000-8000-000000000104")
	if refs := prop[[]map[string]string](t, capec, "external_references"); refs[0]["source_name"] != "capec" {
		t.Errorf("capec: %s", capec.Raw())
	}
	r.wantEntry(t, "$.Event.Galaxy[3].GalaxyCluster[0]", convert.Approximate, "no MITRE ATT&CK id")
	wc := r.madeFrom(t, "malware", "c2000000-0000-4000-8000-000000000301")
	if !prop[bool](t, wc, "is_family") || prop[[]string](t, wc, "malware_types")[0] != "ransomware" {
		t.Errorf("malware: %s", wc.Raw())
	}
	if len(r.ofType("malware")) != 1 {
		t.Errorf("WannaCry from the event tag, the attribute's Galaxy and the second attribute's tag must be one object, got %d", len(r.ofType("malware")))
	}
	if r.named(t, "tool", "Mimikatz") == nil {
		t.Error("no tool")
	}
	ind := convert.ID("misp", "indicator", "c2000000-0000-4000-8000-000000000201")
	od := convert.ID("misp", "observed-data", "c2000000-0000-4000-8000-000000000202")
	health := r.named(t, "identity", "Healthcare")
	want := map[string]string{ind + " " + wc.ID(): "indicates", od + " " + wc.ID(): "related-to", ind + " " + health.ID(): "related-to"}
	for _, rel := range r.ofType("relationship") {
		k := rel.String("source_ref") + " " + rel.String("target_ref")
		if want[k] == rel.String("relationship_type") {
			delete(want, k)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing relationships: %v", want)
	}
	rep := r.ofType("report")[0]
	labels := prop[[]string](t, rep, "labels")
	for _, l := range []string{`misp-galaxy:country="atlantis"`, `misp-galaxy:cert-eu-govsector="EU-Centric"`} {
		if !hasRef(labels, l) {
			t.Errorf("report labels %q lack %s", labels, l)
		}
	}
	r.wantEntry(t, "$.Event.Tag[1]", convert.Approximate, "no ISO 3166 code")
	r.wantEntry(t, "$.Event.Tag[3]", convert.Approximate, "not in the STIX industry-sector vocabulary")
	r.wantEntry(t, "$.Event.Tag[6]", convert.Approximate, "no STIX 2.1 counterpart")
	r.wantEntry(t, "$.Event.Tag[7]", convert.NotConverted, "no value")
	r.wantEntry(t, "$.Event.Galaxy[4]", convert.NotConverted, "not an object")
	r.wantEntry(t, "$.Event.Galaxy[5].GalaxyCluster", convert.NotConverted, "not a list")
}

// TestTLP checks TLP tags: the TLP 2.0 marking of every spelling, the
// attribute's tag overriding the event's, and an SCO shared by two
// attributes carrying the stricter marking.
func TestTLP(t *testing.T) {
	r := MustConvert(t, "tlp.json", convert.Options{})
	u := func(n int) string { return fmt.Sprintf("d2000000-0000-4000-8000-%012x", n) }
	tests := []struct {
		attr int
		want stix.TLP
	}{{1, stix.TLPAmberStrict}, {2, stix.TLPClear}, {3, stix.TLPClear}, {4, stix.TLPGreen}, {5, stix.TLPAmber}, {6, stix.TLPRed}}
	for _, tt := range tests {
		od := r.madeFrom(t, "observed-data", u(tt.attr))
		if got := od.ObjectMarkingRefs(); len(got) != 1 || got[0] != stix.TLPMarkingID(tt.want) {
			t.Errorf("attribute %d: markings %q, want %s", tt.attr, got, stix.TLPMarkingID(tt.want))
		}
		for _, id := range prop[[]string](t, od, "object_refs") {
			if ip := r.byID(t, id); ip.String("value") != "192.0.2.7" && marking(ip) != tt.want {
				t.Errorf("attribute %d: SCO %s marked %v, want %v", tt.attr, id, marking(ip), tt.want)
			}
		}
	}
	for _, ip := range r.ofType("ipv4-addr") {
		if ip.String("value") == "192.0.2.7" && marking(ip) != stix.TLPRed {
			t.Errorf("the address of a green and a red attribute must be red: %s", ip.Raw())
		}
	}
	rep := r.ofType("report")[0]
	if marking(rep) != stix.TLPAmberStrict || !hasRef(prop[[]string](t, rep, "labels"), "tlp:ex:chr") {
		t.Errorf("report: %s", rep.Raw())
	}
	for _, o := range r.objs {
		if o.Type() == "marking-definition" {
			t.Errorf("the TLP marking definitions are the hub's: %s", o.ID())
		}
	}
}

// TestSightings checks MISP sightings of every type, at event and
// attribute level.
func TestSightings(t *testing.T) {
	r := MustConvert(t, "sightings.json", convert.Options{})
	u := func(n int) string { return fmt.Sprintf("e2000000-0000-4000-8000-%012x", n) }
	ind1 := convert.ID("misp", "indicator", u(1))
	var a, honeypot *stix.Object
	for _, s := range r.ofType("sighting") {
		switch {
		case s.String("sighting_of_ref") == ind1 && s.Has("where_sighted_refs"):
			a = s
		case s.String("sighting_of_ref") == ind1:
			honeypot = s
		}
	}
	if a == nil || prop[int](t, a, "count") != 2 || a.String("first_seen") != "2024-01-01T09:06:40.000Z" || a.String("last_seen") != "2024-01-02T12:53:20.000Z" ||
		!strings.Contains(a.String("description"), "1 of the sightings confirmed") {
		t.Errorf("Member A's sightings (types 0 and 3, one also listed at event level): %v", a)
	} else if org := r.byID(t, prop[[]string](t, a, "where_sighted_refs")[0]); org.String("name") != "Member A" {
		t.Errorf("where sighted: %s", org.Raw())
	}
	if honeypot == nil || prop[int](t, honeypot, "count") != 1 || honeypot.String("description") != "MISP sighting source: honeypot" {
		t.Errorf("the honeypot sighting: %v", honeypot)
	}
	var od *stix.Object
	for _, s := range r.ofType("sighting") {
		if s.String("sighting_of_ref") == convert.ID("misp", "observed-data", u(2)) {
			od = s
		}
	}
	if od == nil || prop[int](t, od, "count") != 2 {
		t.Errorf("sighting of an observed-data (one by attribute, one by the event's uuid): %v", od)
	}
	fp := r.madeFrom(t, "note", "sighting\x00"+u(3)+"/false-positive")
	if !strings.HasPrefix(fp.String("content"), "Reported as a false positive 1 time(s)") || prop[[]string](t, fp, "object_refs")[0] != convert.ID("misp", "indicator", u(3)) {
		t.Errorf("false positive: %s", fp.Raw())
	}
	if got := r.madeFrom(t, "indicator", u(4)).String("valid_until"); got != "2024-01-23T08:53:20.000Z" {
		t.Errorf("expiration by attribute_id: valid_until %q", got)
	}
	exp := r.madeFrom(t, "note", "sighting\x00"+u(5)+"/expiration")
	if !strings.HasPrefix(exp.String("content"), "Marked as expired") {
		t.Errorf("expiration of an observed-data: %s", exp.Raw())
	}
	r.wantEntry(t, "$.Event.Attribute[5].Sighting[0]", convert.NotConverted, "not converted in this event")
	r.wantEntry(t, "$.Event.Sighting[3]", convert.NotConverted, "none of MISP's 0 to 3")
	r.wantEntry(t, "$.Event.Sighting[4]", convert.Approximate, "no date_sighting")
	r.wantEntry(t, "$.Event.Sighting[5]", convert.NotConverted, "not converted in this event")
	r.wantEntry(t, "$.Event.Attribute[2].Sighting[0]", convert.Approximate, "false-positive")
}
