package server_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// The adversarial suite of issue 6: organisation S ("Sable Airways
// Holdings") publishes objects of every TLP into the shared collection
// "open" and RED, AMBER+STRICT and unmarked objects into the collection of
// its sharing group "Cormorant Circle" (members S and a). Outsiders try
// every read path and must learn nothing: each raw response (status,
// headers and body) is checked for the ids, names, version timestamps and
// date_added of what they may not see, the group's name, slug, id and
// collection, and S's name and slug; each request that names a secret id
// must answer byte for byte what it answers for an id that does not exist.

// secretObject is one version S publishes.
type secretObject struct {
	key      string // short name in the test
	alias    string // collection
	n        int    // indicator number: the id
	minute   int    // modified = 2026-04-01T00:<minute>:00.000Z, unique per version
	tlp      stix.TLP
	name     string // unique word in the name
	refused  bool   // the POST must fail (RED in an open collection)
	versions string // version string, set after POST
}

// confidential is the hub of the suite with what S published.
type confidential struct {
	*hub
	group    *isachub.SharingGroup
	org      *isachub.Org
	objs     []*secretObject
	statuses []string          // S's status ids
	added    map[string]string // key -> date_added as served
	// talk are the words of S's discussion in the group's collection
	// about an object every member sees (discussionAbout): ids and
	// text that no attacker may read.
	talk []string
	// extras are S's other visible versions (alias and TLP only), which
	// the listings count.
	extras []*secretObject
	// feeds are S's own feed and the staff organisation's feed for every
	// member, both without a filter or ceiling (feeds_test).
	feeds map[string]*isachub.Feed
	// hooks are S's webhook, with a log, and B's (webhook_test).
	hooks map[string]*isachub.Webhook
}

// discussionAbout is the open GREEN object that S discusses, relates and
// sights inside its sharing group, at levels no attacker may see.
const discussionAbout = 9102

func (o *secretObject) id() string { return indicatorID(o.n) }

func (o *secretObject) modified() string { return fmt.Sprintf("2026-04-01T00:%02d:00.000Z", o.minute) }

// json is the object's STIX text, marked with its TLP (none for TLPNone).
func (o *secretObject) json() string {
	marks := ""
	if o.tlp != stix.TLPNone {
		marks = fmt.Sprintf(`,"object_marking_refs":[%q]`, stix.TLPMarkingID(o.tlp))
	}
	return fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00.000Z","modified":%q,"name":"Beacon %s","indicator_types":["malicious-activity"],"pattern":"[domain-name:value = '%s.example']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"%s}`,
		o.id(), o.modified(), o.name, o.name, marks)
}

// addUser creates a user with an API token in the hub.
func (h *hub) addUser(tb testing.TB, org *isachub.Org, name string, role isachub.Role, operator bool) {
	tb.Helper()
	ctx := context.Background()
	u := &isachub.User{OrgID: org.ID, Username: name, Role: role, HubAdmin: operator}
	if err := h.store.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	secret, hash, err := server.NewToken()
	if err != nil {
		tb.Fatal(err)
	}
	if err := h.store.CreateToken(ctx, &isachub.Token{UserID: u.ID, Name: "test", Hash: hash}); err != nil {
		tb.Fatal(err)
	}
	h.tokens[name] = secret
}

// newConfidential sets the suite up on a new hub.
func newConfidential(t *testing.T, newHub func(testing.TB, server.Config) *hub) *confidential {
	t.Helper()
	ctx := context.Background()
	h := &confidential{hub: newHub(t, server.Config{}), added: map[string]string{}}
	h.org = &isachub.Org{CommunityID: h.comm.ID, Slug: "sable-airways", Name: "Sable Airways Holdings"}
	if err := h.store.CreateOrg(ctx, h.org); err != nil {
		t.Fatal(err)
	}
	h.addUser(t, h.org, "s-analyst", isachub.RoleAnalyst, false)
	h.addUser(t, h.orgs["c"], "c-reader", isachub.RoleReader, false)
	h.addUser(t, h.orgs["c"], "op-c", isachub.RoleAdmin, true)
	h.addUser(t, h.orgs["x"], "op-x", isachub.RoleAdmin, true)
	h.group = &isachub.SharingGroup{CommunityID: h.comm.ID, Slug: "cormorant-circle", Name: "Cormorant Circle",
		Members: []int64{h.org.ID, h.orgs["a"].ID}}
	if err := h.store.CreateGroup(ctx, h.group); err != nil {
		t.Fatal(err)
	}
	jewels := &isachub.Collection{CommunityID: h.comm.ID, Title: "Cormorant feed", Alias: "cormorant-feed", GroupID: h.group.ID}
	if err := h.store.CreateCollection(ctx, jewels); err != nil {
		t.Fatal(err)
	}
	h.colls["jewels"] = jewels
	h.objs = []*secretObject{
		{key: "g-red", alias: "jewels", n: 9001, minute: 1, tlp: stix.TLPRed, name: "kestrel"},
		{key: "g-strict", alias: "jewels", n: 9002, minute: 2, tlp: stix.TLPAmberStrict, name: "heron"},
		{key: "g-clear", alias: "jewels", n: 9003, minute: 3, tlp: stix.TLPClear, name: "sparrow"},
		{key: "g-v1-clear", alias: "jewels", n: 9004, minute: 4, tlp: stix.TLPClear, name: "osprey"},
		{key: "g-v2-red", alias: "jewels", n: 9004, minute: 5, tlp: stix.TLPRed, name: "merlin"},
		{key: "g-unmarked", alias: "jewels", n: 9005, minute: 6, tlp: stix.TLPNone, name: "plover"},
		{key: "o-clear", alias: "open", n: 9101, minute: 11, tlp: stix.TLPClear, name: "robin"},
		{key: "o-green", alias: "open", n: 9102, minute: 12, tlp: stix.TLPGreen, name: "linnet"},
		{key: "o-amber", alias: "open", n: 9103, minute: 13, tlp: stix.TLPAmber, name: "finch"},
		{key: "o-strict", alias: "open", n: 9104, minute: 14, tlp: stix.TLPAmberStrict, name: "siskin"},
		{key: "o-unmarked", alias: "open", n: 9105, minute: 15, tlp: stix.TLPNone, name: "wren"},
		{key: "o-red", alias: "open", n: 9106, minute: 16, tlp: stix.TLPRed, name: "shrike", refused: true},
		{key: "o-v1-amber", alias: "open", n: 9107, minute: 17, tlp: stix.TLPAmber, name: "gannet"},
		{key: "o-v2-clear", alias: "open", n: 9107, minute: 18, tlp: stix.TLPClear, name: "puffin"},
	}
	for _, o := range h.objs {
		st := h.post(t, "s-analyst", o.alias, envelope(o.json()))
		h.statuses = append(h.statuses, st.ID)
		if o.refused {
			want := "TLP:RED objects may only be shared in a collection restricted to named organisations (a sharing group); this collection is open to every member."
			if st.FailureCount != 1 || st.Failures[0].Message != want {
				t.Fatalf("RED in the open collection: status %+v", st)
			}
			continue
		}
		if st.SuccessCount != 1 {
			t.Fatalf("%s: status %+v", o.key, st)
		}
	}
	// S's discussion of an open object, inside the group: a note, an
	// opinion, a relationship from a group object and a sighting. The
	// object's page, its graph and its sighting count must show none of
	// it to an outsider.
	about := indicatorID(discussionAbout)
	marks := func(l stix.TLP) string { return fmt.Sprintf(`"object_marking_refs":[%q]`, stix.TLPMarkingID(l)) }
	const ts = `"created":"2026-04-02T00:00:00.000Z","modified":"2026-04-02T00:00:00.000Z"`
	talk := []struct{ id, json string }{
		{"note--5c0a0000-0000-4000-8000-000000000001", `"type":"note","content":"Skua seen at the hangar","abstract":"Skua","object_refs":["` + about + `"],` + marks(stix.TLPAmber)},
		{"opinion--5c0a0000-0000-4000-8000-000000000002", `"type":"opinion","opinion":"strongly-agree","explanation":"Gull confirms","object_refs":["` + about + `"],` + marks(stix.TLPAmberStrict)},
		{"relationship--5c0a0000-0000-4000-8000-000000000003", `"type":"relationship","relationship_type":"related-to","source_ref":"` + indicatorID(9002) + `","target_ref":"` + about + `",` + marks(stix.TLPRed)},
		{"sighting--5c0a0000-0000-4000-8000-000000000004", `"type":"sighting","sighting_of_ref":"` + about + `",` + marks(stix.TLPAmber)},
	}
	for _, o := range talk {
		st := h.post(t, "s-analyst", "jewels", envelope(`{"spec_version":"2.1","id":"`+o.id+`",`+ts+`,`+o.json+`}`))
		if st.SuccessCount != 1 {
			t.Fatalf("%s: status %+v", o.id, st)
		}
		h.statuses = append(h.statuses, st.ID)
		h.talk = append(h.talk, o.id)
	}
	// A malware of the group that an open relationship refers to: the
	// outsider may count the relationship (the dashboard's "most
	// referenced") but not learn the malware's name.
	petrel := "malware--5c0a0000-0000-4000-8000-000000000005"
	for alias, o := range map[string]string{
		"jewels": `"type":"malware","id":"` + petrel + `","name":"Petrel","is_family":true,` + marks(stix.TLPAmber),
		"open":   `"type":"relationship","id":"relationship--5c0a0000-0000-4000-8000-000000000006","relationship_type":"indicates","source_ref":"` + about + `","target_ref":"` + petrel + `",` + marks(stix.TLPGreen),
	} {
		stamp := ts
		if alias == "open" { // visible to members: not a secret timestamp
			stamp = strings.ReplaceAll(ts, "04-02", "04-03")
			h.extras = append(h.extras, &secretObject{alias: alias, tlp: stix.TLPGreen})
		}
		st := h.post(t, "s-analyst", alias, envelope(`{"spec_version":"2.1",`+stamp+`,`+o+`}`))
		if st.SuccessCount != 1 {
			t.Fatalf("%s: status %+v", alias, st)
		}
		h.statuses = append(h.statuses, st.ID)
	}
	h.talk = append(h.talk, "Skua", "Gull", "Petrel", "2026-04-02T00:00:00")
	h.addFeeds(t)
	h.addWebhooks(t)
	// date_added as served, from the store (no TLP rule applies there).
	for _, alias := range []string{"open", "jewels"} {
		p, err := h.store.Objects(ctx, h.colls[alias].ID, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{"all"}, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range p.Objects {
			for _, o := range h.objs {
				if o.id() == v.ID && o.modified() == v.Modified {
					h.added[o.key] = taxii.FormatTimestamp(v.DateAdded)
				}
			}
		}
	}
	return h
}

// attacker is a user who must not see some of S's objects.
type attacker struct {
	user    string
	sees    func(o *secretObject) bool // the versions the user may see
	inGroup bool                       // may know the group's collection
}

// attackers returns who attacks: B and C (members, not in the group), a
// reader of C, X of another community, and two hub operators outside the
// group, one in the community (C's) and one outside it (X's).
func attackers() []attacker {
	member := func(o *secretObject) bool { return o.alias == "open" }
	return []attacker{
		{user: "b-analyst", sees: member},
		{user: "c-analyst", sees: member},
		{user: "c-reader", sees: member},
		{user: "x-analyst", sees: func(*secretObject) bool { return false }},
		// C is a reader organisation of the open collection: its
		// operator reads it like any member of C, and the group's
		// collection only as far as the operator's rights go (CLEAR;
		// GREEN, as a member of the community, but there is none).
		{user: "op-c", inGroup: true, sees: func(o *secretObject) bool {
			return o.alias == "open" || o.tlp == stix.TLPClear || o.tlp == stix.TLPGreen
		}},
		{user: "op-x", inGroup: true, sees: func(o *secretObject) bool { return o.tlp == stix.TLPClear }},
	}
}

// secrets returns what must not appear in any response to the attacker,
// and the secret ids (object, collection, status) with a fake of the same
// shape for each, for requests that name them.
func (h *confidential) secrets(a attacker) (words []string, fakes map[string]string) {
	fakes = map[string]string{}
	words = []string{h.group.Name, h.group.Slug, h.org.Name, h.org.Slug,
		fmt.Sprintf(`"group_id":%d`, h.group.ID), "Cormorant", "cormorant"}
	visibleIDs := map[string]bool{}
	for _, o := range h.objs {
		if a.sees(o) && !o.refused {
			visibleIDs[o.id()] = true
		}
	}
	for _, o := range h.objs {
		if a.sees(o) && !o.refused {
			continue
		}
		words = append(words, o.name, o.modified())
		if d := h.added[o.key]; d != "" {
			words = append(words, d)
		}
		if !visibleIDs[o.id()] {
			words = append(words, o.id())
			fakes[o.id()] = "indicator--" + uuid.NewString()
		}
	}
	if !a.inGroup {
		jewels := h.colls["jewels"]
		words = append(words, jewels.ID, jewels.Title, jewels.Alias)
		fakes[jewels.ID] = uuid.NewString()
	} else {
		// Operators see the collection's metadata, not the group's.
		words = slices.DeleteFunc(words, func(w string) bool { return w == "Cormorant" || w == "cormorant" })
	}
	words = append(words, h.talk...)
	words = append(words, h.webhookWords(a)...)
	for _, w := range h.talk {
		if typ, _, ok := strings.Cut(w, "--"); ok {
			fakes[w] = typ + "--" + uuid.NewString()
		}
	}
	for _, id := range h.statuses {
		words = append(words, id)
		fakes[id] = uuid.NewString()
	}
	return words, fakes
}

// rawBytes is a response as the client gets it: status, headers and body,
// but for X-Request-Id, which is random for every request (or the
// client's own) and so tells nothing of what the hub holds.
func rawBytes(res *response) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\n", res.status)
	for _, k := range slices.Sorted(maps.Keys(res.header)) {
		if k == server.HeaderRequestID {
			continue
		}
		for _, v := range res.header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.Write(res.body)
	return b.String()
}

// replaceAll replaces every key of m in s by its value.
func replaceAll(s string, m map[string]string) string {
	for k, v := range m {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

// probe sends the request as the attacker and checks that the raw response
// holds no secret and, when the request names a secret id, that it is the
// response to the same request with fake ids in their place, byte for byte
// (the Date header aside). It returns the response.
func (h *confidential) probe(t *testing.T, a attacker, words []string, fakes map[string]string, r req) *response {
	t.Helper()
	r.user = a.user
	res := h.do(t, r)
	fr := r
	fr.path = replaceAll(r.path, fakes)
	fr.body = []byte(replaceAll(string(r.body), fakes))
	if fr.path != r.path || string(fr.body) != string(r.body) {
		fake := h.do(t, fr)
		res.header.Del("Date")
		fake.header.Del("Date")
		if got, want := replaceAll(rawBytes(res), fakes), rawBytes(fake); got != want {
			t.Errorf("%s %s answers otherwise than for ids that do not exist:\n%s\nversus\n%s", r.method, r.path, clipBody([]byte(got)), clipBody([]byte(want)))
		}
		res = fake // what the secret request answered, less the caller's own input
	}
	raw := rawBytes(res)
	for _, w := range words {
		if strings.Contains(raw, w) {
			t.Errorf("%s %s reveals %q:\n%s", r.method, r.path, w, clipBody([]byte(raw)))
		}
	}
	return res
}
