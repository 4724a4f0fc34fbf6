package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/isachub/isachub/server"
)

// TestWebDiscussion: a note and an opinion by one member appear on the
// object's page for another, and reach members' TAXII clients as STIX
// objects that refer to the object; a refused note says why and keeps
// what was written; the sighting count appears only once three
// organisations have sighted the indicator.
func TestWebDiscussion(t *testing.T) {
	h := newHub(t, server.Config{})
	// Org A publishes under its STIX identity, so its notes are signed.
	orgA := h.orgs["a"]
	orgA.IdentityID = "identity--a0000000-0000-4000-8000-00000000000a"
	if err := h.store.UpdateOrg(context.Background(), orgA); err != nil {
		t.Fatal(err)
	}
	id := indicatorID(4242)
	h.post(t, "a-analyst", "open", envelope(`{"type":"indicator","spec_version":"2.1","id":"`+id+`","created":"2026-05-01T00:00:00.000Z","modified":"2026-05-01T00:00:00.000Z","name":"Tern loader","pattern":"[domain-name:value = 'tern.example']","pattern_type":"stix","valid_from":"2026-05-01T00:00:00Z","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}`))
	a, b, c := h.browser(t), h.browser(t), h.browser(t)
	a.signIn("a-analyst", "pw-a-analyst")
	b.signIn("b-analyst", "pw-b-analyst")
	c.signIn("c-analyst", "pw-c-analyst")
	open := h.colls["open"].ID
	discuss := "/ui/objects/" + id + "/discuss"

	a.get("/ui/objects/"+id).want(t, http.StatusOK).contains(t, "No notes yet", "Add note", "We saw this too")
	a.post(discuss, url.Values{"kind": {"note"}, "collection": {open}, "abstract": {"Seen twice"}}).
		want(t, http.StatusBadRequest).contains(t, "Write the note.", `value="Seen twice"`)
	p := a.post(discuss, url.Values{"kind": {"note"}, "collection": {open}, "content": {"Beacons every 60 s, see https://example.org/tern"}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/ui/objects/"+id+"?posted=note") {
		t.Fatalf("note: %d to %q: %.300s", p.status, p.location, p.body)
	}
	a.post(discuss, url.Values{"kind": {"opinion"}, "collection": {open}, "opinion": {"sideways"}}).
		want(t, http.StatusBadRequest).contains(t, "Choose how far you agree")
	a.post(discuss, url.Values{"kind": {"opinion"}, "collection": {open}, "opinion": {"agree"}, "explanation": {"Matches our logs"}}).
		want(t, http.StatusSeeOther)

	a.get("/ui/objects/"+id).want(t, http.StatusOK).contains(t, "Org A</strong> (your organisation)")
	b.get("/ui/objects/"+id).want(t, http.StatusOK).contains(t,
		"Beacons every 60 s", `href="https://example.org/tern"`, "Matches our logs", "Org A", "TLP:GREEN")
	// The discussion is STIX: a TAXII client of b receives both, marked
	// as the object is, referring to it.
	res := h.do(t, req{path: h.objectsURL("open") + "?match[type]=note,opinion", user: "b-analyst"})
	for _, want := range []string{`"type":"note"`, `"type":"opinion"`, `"object_refs":["` + id + `"]`, `"opinion":"agree"`,
		`"object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]`, `"created_by_ref":"` + orgA.IdentityID + `"`} {
		if !strings.Contains(string(res.body), want) {
			t.Fatalf("TAXII lacks %s: %s", want, res.body)
		}
	}

	// Sightings: no count below k = 3 organisations, however many
	// sightings one organisation reports.
	sight := func() url.Values { return url.Values{"kind": {"sighting"}, "collection": {open}} }
	for range 3 {
		a.post(discuss, sight()).want(t, http.StatusSeeOther)
	}
	b.post(discuss, sight()).want(t, http.StatusSeeOther)
	for _, br := range []*browser{a, b, c} {
		br.get("/ui/objects/"+id).want(t, http.StatusOK).lacks(t, "sightings by").contains(t, "at least 3 organisations")
	}
	a.get("/ui/objects/"+id).contains(t, "Your organisation has reported a sighting")
	c.get("/ui/objects/"+id).lacks(t, "Your organisation has reported a sighting")
	c.post(discuss, sight()).want(t, http.StatusSeeOther)
	a.get("/ui/objects/"+id).want(t, http.StatusOK).contains(t, "Org A</strong> (your organisation)")
	b.get("/ui/objects/"+id).want(t, http.StatusOK).contains(t, "<strong>5</strong> sightings by <strong>3</strong> organisations")

	// k is the community's: at 4, three organisations are not enough.
	comm := *h.comm
	comm.SightingK = 4
	if err := h.store.UpdateCommunity(t.Context(), &comm); err != nil {
		t.Fatal(err)
	}
	b.get("/ui/objects/"+id).want(t, http.StatusOK).lacks(t, "sightings by").contains(t, "at least 4 organisations")
}

// TestWebDashboardRankings: the dashboard ranks malware by the objects
// that refer to it, and lists what the viewer's organisation published
// under its name (not another's).
func TestWebDashboardRankings(t *testing.T) {
	h := newHub(t, server.Config{})
	ts := `"spec_version":"2.1","created":"2026-05-01T00:00:00.000Z","modified":"2026-05-01T00:00:00.000Z"`
	mal := func(n int, name string) string {
		return fmt.Sprintf(`{"type":"malware","id":"malware--%08x-0000-4000-8000-000000000000",%s,"name":%q,"is_family":true}`, n, ts, name)
	}
	rel := func(n, target int) string {
		return fmt.Sprintf(`{"type":"relationship","id":"relationship--%08x-0000-4000-8000-000000000000",%s,"relationship_type":"indicates","source_ref":%q,"target_ref":"malware--%08x-0000-4000-8000-000000000000"}`,
			n, ts, indicatorID(1), target)
	}
	h.post(t, "a-analyst", "open", envelope(mal(1, "Albatross RAT"), mal(2, "Booby stealer"), rel(1, 2), rel(2, 2), rel(3, 1)))
	a, b := h.browser(t), h.browser(t)
	a.signIn("a-analyst", "pw-a-analyst")
	b.signIn("b-analyst", "pw-b-analyst")
	p := b.get("/ui/").want(t, http.StatusOK).contains(t, "Most referenced", "Booby stealer", "Albatross RAT")
	if strings.Index(p.body, "Booby stealer") > strings.Index(p.body, "Albatross RAT") {
		t.Errorf("the malware referred to twice is not ranked first")
	}
	p.contains(t, "Nothing yet under your organisation").lacks(t, `<th scope="col">Marking</th>`)
	a.get("/ui/").lacks(t, "Nothing yet under your organisation").contains(t, `<th scope="col">Marking</th>`, "<td><span class=\"type\">relationship</span></td>")
}
