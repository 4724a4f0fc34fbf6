package sqlite_test

// The data TestMigrateFromEveryVersion stores in an old schema, as plain
// values that the migration fragments write and the checks read back. The
// same file is in postgres/: keep the two the same.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// The TLP marking definitions the fixture uses (TLP 1.0 and 2.0).
const (
	tlp1White  = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
	tlp2Clear  = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
	tlp2Green  = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
	tlp1Amber  = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
	tlp2Strict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
	tlp1Red    = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
	tlp2Red    = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
)

// fixPassword is the password of the fixture's users that have one.
const fixPassword = "correct horse battery staple"

// migrations names the store's migrations that the fixture and the checks
// depend on (the two stores number them differently).
type migrations struct {
	groups, anonymous, sessions, joining, sightingK, feeds, webhooks, federation, duration int
	// beyondJSONB is the first version whose databases upgrade with a
	// stored version that PostgreSQL's jsonb cannot hold: an escaped NUL
	// ("\u0000") in a string, a number beyond the range of numeric.
	beyondJSONB int
}

// fixVersion is one stored object version of the fixture.
type fixVersion struct {
	mig   int    // the migration whose fragment stores it
	coll  string // the collection id
	org   int64  // the submitter, 0 when anonymous
	added int64  // date_added, microseconds
	obj   *stix.Object
	pk    int64 // SQLite's objects.pk: its place in the fixture, from 1
	// The flags the store keeps, computed over the id's versions.
	latest, first, specLatest bool
	spec                      string
	version                   time.Time // the version timestamp (date_added when unversioned)
}

// fixColl is a collection of the fixture and the migration that stores it.
type fixColl struct {
	mig int
	pk  int64
	c   isachub.Collection
}

// fixUser is a user of the fixture with the secrets the checks present.
type fixUser struct {
	u        isachub.User
	password string // "" when none
}

// fixToken is an API token of the fixture and its secret.
type fixToken struct {
	mig    int
	t      isachub.Token
	secret string
}

// fixture is everything TestMigrateFromEveryVersion stores.
type fixture struct {
	now      int64 // microseconds; every stored time is before it
	comms    []isachub.Community
	secrets  [][]byte // anon_secret of each community, from schema.anonymous on
	orgs     []isachub.Org
	users    []fixUser
	tokens   []fixToken
	colls    []fixColl
	versions []*fixVersion
	statuses []isachub.Status
	audit    isachub.AuditEntry
	job      isachub.Job
	group    isachub.SharingGroup
	anon     isachub.AnonymousSubmission
	pending  isachub.Pending
	session  isachub.Session
	requests []isachub.MembershipRequest
	invite   isachub.Invitation
	feed     isachub.Feed
	sids     map[string]int64
	hooks    []isachub.Webhook
	delivery isachub.WebhookDelivery // as stored before schema.duration
	took     time.Duration           // its Duration, from schema.duration on
	peer     isachub.Peer
	sub      isachub.Subscription
	origin   isachub.Origin
	originOf *fixVersion
}

// micros turns t into microseconds since the epoch, 0 for the zero time.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros turns microseconds into a UTC time.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func parseFixture(tb testing.TB, format string, args ...any) *stix.Object {
	tb.Helper()
	o, err := stix.ParseObject(fmt.Appendf(nil, format, args...))
	if err != nil {
		tb.Fatalf("fixture object %s: %v", fmt.Sprintf(format, args...), err)
	}
	return o
}

func hashOf(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// newFixture builds the fixture. Stored times fall on the five days before
// today (UTC), so that the per-day counts span several days and a write
// after the upgrade comes later.
func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	now := time.Now().UTC()
	day := now.Truncate(24*time.Hour).AddDate(0, 0, -5)
	f := &fixture{now: micros(now)}
	created := fromMicros(micros(day.Add(-240 * time.Hour)))
	hash, err := server.HashPassword(fixPassword)
	if err != nil {
		tb.Fatal(err)
	}

	f.comms = []isachub.Community{
		{ID: 1, Slug: "aviation", Title: "Aviation ISAC", Description: "Airlines and airports", Sector: "aviation",
			IdentityID: "identity--" + storetest.UUID(20, 1), MaxContentLength: 1 << 20, CreatedAt: created},
		{ID: 2, Slug: "energy", Title: "Energy ISAC", Sector: "energy", CreatedAt: created},
	}
	f.secrets = [][]byte{[]byte("aviation-secret-0123456789abcdef"), []byte("energy-secret-0123456789abcdefgh")}
	f.orgs = []isachub.Org{
		{ID: 1, CommunityID: 1, Slug: "acme", Name: "Acme Air", IdentityID: "identity--" + storetest.UUID(21, 1), CreatedAt: created},
		{ID: 2, CommunityID: 1, Slug: "globex", Name: "Globex Airways", CreatedAt: created},
		{ID: 3, CommunityID: 2, Slug: "initech", Name: "Initech Power", CreatedAt: created},
	}
	f.users = []fixUser{
		{isachub.User{ID: 1, OrgID: 1, Username: "alice", Role: isachub.RoleAdmin, PasswordHash: hash, CreatedAt: created}, fixPassword},
		{isachub.User{ID: 2, OrgID: 2, Username: "bob", Role: isachub.RoleAnalyst, CreatedAt: created}, ""},
		{isachub.User{ID: 3, OrgID: 3, Username: "root", Role: isachub.RoleReader, HubAdmin: true, PasswordHash: hash, CreatedAt: created}, fixPassword},
	}
	f.tokens = []fixToken{
		{1, isachub.Token{ID: 1, UserID: 1, Name: "ci", CreatedAt: created, LastUsedAt: created.Add(time.Hour)}, "alice-token-secret"},
		{1, isachub.Token{ID: 2, UserID: 2, Name: "tips", Anonymous: true, CreatedAt: created}, "bob-token-secret"},
		{schema.feeds, isachub.Token{ID: 3, UserID: 1, Name: "partner feed", FeedID: storetest.UUID(12, 1), CreatedAt: created}, "feed-token-secret"},
	}
	for i := range f.tokens {
		f.tokens[i].t.Hash = hashOf(f.tokens[i].secret)
	}
	collID := func(n int) string { return storetest.UUID(9, n) }
	f.colls = []fixColl{
		{1, 1, isachub.Collection{ID: collID(1), CommunityID: 1, Title: "Shared", Description: "Everything members share",
			Alias: "shared", ReadAll: true, WriteAll: true, CreatedAt: created}},
		{1, 2, isachub.Collection{ID: collID(2), CommunityID: 1, Title: "Board", Readers: []int64{1}, Writers: []int64{1},
			DefaultTLP: "amber", CreatedAt: created}},
		{1, 3, isachub.Collection{ID: collID(3), CommunityID: 2, Title: "Energy shared", ReadAll: true, WriteAll: true, CreatedAt: created}},
		{schema.groups, 4, isachub.Collection{ID: collID(4), CommunityID: 1, Title: "Airlines", GroupID: 1, Readers: []int64{1, 2},
			Writers: []int64{1, 2}, CreatedAt: created}},
		{schema.anonymous, 5, isachub.Collection{ID: collID(5), CommunityID: 1, Title: "Tips", ReadAll: true, WriteAll: true,
			Anonymous: true, Moderated: true, CreatedAt: created}},
	}
	f.group = isachub.SharingGroup{ID: 1, CommunityID: 1, Slug: "airlines", Name: "Airlines", Members: []int64{1, 2}, CreatedAt: created}

	identity := "identity--" + storetest.UUID(21, 1)
	statement := "marking-definition--" + storetest.UUID(22, 1)
	ind1, ind2, ind3 := storetest.IndicatorID(1), storetest.IndicatorID(2), storetest.IndicatorID(3)
	mal1 := storetest.MalwareID(1)
	rel1, rel2 := "relationship--"+storetest.UUID(23, 1), "relationship--"+storetest.UUID(23, 2)
	iset := "intrusion-set--" + storetest.UUID(24, 1)
	c1, c2, c3, c4, c5 := collID(1), collID(2), collID(3), collID(4), collID(5)
	add := func(mig int, coll string, org int64, o *stix.Object) *fixVersion {
		v := &fixVersion{mig: mig, coll: coll, org: org, obj: o}
		f.versions = append(f.versions, v)
		return v
	}
	add(1, c1, 1, parseFixture(tb, `{"type":"identity","spec_version":"2.1","id":%q,"created":"2025-12-01T00:00:00.000Z",
		"modified":"2025-12-01T00:00:00.000Z","name":"Acme Air","identity_class":"organization"}`, identity))
	add(1, c1, 1, parseFixture(tb, `{"type":"marking-definition","spec_version":"2.1","id":%q,"created":"2025-12-01T00:00:00.000Z",
		"created_by_ref":%q,"definition_type":"statement","name":"Acme copyright","definition":{"statement":"Copyright Acme Air"}}`,
		statement, identity))
	add(1, c1, 1, parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00Z",
		"modified":"2026-01-01T00:00:00Z","created_by_ref":%q,"name":"Zeppelin loader beacon","indicator_types":["malicious-activity"],
		"pattern":"[domain-name:value = 'zeppelin.example.net']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",
		"confidence":70,"labels":["ransomware"],"object_marking_refs":[%q,%q]}`, ind1, identity, tlp2Green, statement))
	add(1, c1, 1, parseFixture(tb, `{"type":"malware","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00.000Z",
		"modified":"2026-01-01T00:00:00.000Z","name":"Zeppelin ransomware","is_family":true}`, mal1))
	add(1, c1, 1, parseFixture(tb, `{"type":"relationship","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00.000Z",
		"modified":"2026-01-01T00:00:00.000Z","relationship_type":"indicates","source_ref":%q,"target_ref":%q,
		"object_marking_refs":[%q]}`, rel1, ind1, mal1, tlp2Green))
	add(1, c1, 1, parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00Z",
		"modified":"2026-01-02T00:00:00.5Z","created_by_ref":%q,"name":"Zeppelin loader beacon","indicator_types":["malicious-activity"],
		"description":"Beacons to zeppelin.example.net. Seen in January.",
		"pattern":"[domain-name:value = 'zeppelin.example.net']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z",
		"confidence":80,"labels":["ransomware"],"object_marking_refs":[%q,%q]}`, ind1, identity, tlp2Green, statement))
	add(1, c1, 2, parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-03T10:00:00.123Z",
		"modified":"2026-01-03T10:00:00.123Z","name":"Cobalt beacon","pattern":"[ipv4-addr:value = '198.51.100.7']",
		"pattern_type":"stix","valid_from":"2026-01-03T10:00:00Z",
		"granular_markings":[{"marking_ref":%q,"selectors":["pattern"]}]}`, ind2, tlp1Amber))
	add(1, c1, 1, parseFixture(tb, `{"type":"sighting","spec_version":"2.1","id":%q,"created":"2026-01-04T00:00:00Z",
		"modified":"2026-01-04T00:00:00Z","sighting_of_ref":%q,"where_sighted_refs":[%q],"count":3,
		"first_seen":"2026-01-03T00:00:00Z","last_seen":"2026-01-04T00:00:00Z","object_marking_refs":[%q]}`,
		"sighting--"+storetest.UUID(25, 1), ind1, identity, tlp1White))
	add(1, c1, 1, parseFixture(tb, `{"type":"domain-name","id":%q,"value":"evil.example.net"}`, "domain-name--"+storetest.UUID(26, 1)))
	add(1, c1, 1, parseFixture(tb, `{"type":"report","spec_version":"2.1","id":%q,"created":"2026-01-05T00:00:00Z",
		"modified":"2026-01-05T00:00:00Z","name":"Zeppelin campaign against airlines","published":"2026-01-05T00:00:00Z",
		"report_types":["campaign"],"object_refs":[%q,%q,%q],"object_marking_refs":[%q,%q]}`,
		"report--"+storetest.UUID(27, 1), ind1, mal1, rel1, tlp2Clear, statement))
	add(1, c1, 1, parseFixture(tb, `{"type":"intrusion-set","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00Z",
		"modified":"2026-01-01T00:00:00Z","name":"Blue Zeppelin crew","object_marking_refs":[%q]}`, iset, tlp2Green))
	add(1, c1, 1, parseFixture(tb, `{"type":"relationship","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00Z",
		"modified":"2026-01-01T00:00:00Z","relationship_type":"uses","source_ref":%q,"target_ref":%q}`, rel2, iset, mal1))
	add(1, c1, 1, parseFixture(tb, `{"type":"intrusion-set","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00Z",
		"modified":"2026-01-06T00:00:00Z","name":"Blue Zeppelin crew","revoked":true,"object_marking_refs":[%q]}`, iset, tlp2Green))
	add(1, c1, 1, parseFixture(tb, `{"type":"relationship","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00Z",
		"modified":"2026-01-06T00:00:00Z","relationship_type":"uses","source_ref":%q,"target_ref":%q,
		"description":"Seen again by two members."}`, rel2, iset, mal1))
	add(1, c1, 2, parseFixture(tb, `{"type":"attack-pattern","id":%q,"created":"2016-05-12T08:17:27.000Z",
		"modified":"2016-05-12T08:17:27.000Z","name":"Spear phishing"}`, "attack-pattern--"+storetest.UUID(28, 1)))
	// An escaped NUL outside the common properties (stix.TextIssue) and a
	// number such as 1e400000 are valid JSON and storable; PostgreSQL's
	// jsonb refuses both, so that there the versions before
	// schema.beyondJSONB cannot hold these notes (see TestMigrateBeyondJSONB).
	add(schema.beyondJSONB, c1, 2, parseFixture(tb, `{"type":"note","spec_version":"2.1","id":%q,"created":"2026-01-06T00:00:00Z",
		"modified":"2026-01-06T00:00:00Z","content":"The beacon's request: GET /\u0000 HTTP/1.1","object_refs":[%q],
		"granular_markings":[{"marking_ref":%q,"selectors":["content"]}]}`, "note--"+storetest.UUID(29, 2), mal1, tlp1Amber))
	add(schema.beyondJSONB, c1, 2, parseFixture(tb, `{"type":"note","spec_version":"2.1","id":%q,"created":"2026-01-06T00:00:00Z",
		"modified":"2026-01-06T00:00:00Z","content":"Beacon payload entropy","x_acme_entropy":1e400000,"object_refs":[%q]}`,
		"note--"+storetest.UUID(29, 3), mal1))
	add(1, c2, 1, parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-02T00:00:00Z",
		"modified":"2026-01-02T00:00:00Z","name":"Board phishing sender","pattern":"[email-addr:value = 'ceo@acme-air.example']",
		"pattern_type":"stix","valid_from":"2026-01-02T00:00:00Z","object_marking_refs":[%q]}`, ind3, tlp1Red))
	add(1, c2, 1, parseFixture(tb, `{"type":"note","spec_version":"2.1","id":%q,"created":"2026-01-03T00:00:00Z",
		"modified":"2026-01-03T00:00:00Z","abstract":"Board phishing","content":"Confirmed by the board.","object_refs":[%q]}`,
		"note--"+storetest.UUID(29, 1), ind3))
	add(1, c2, 1, parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-02T00:00:00Z",
		"modified":"2026-01-03T00:00:00Z","name":"Board phishing sender","pattern":"[email-addr:value = 'ceo@acme-air.example']",
		"pattern_type":"stix","valid_from":"2026-01-02T00:00:00Z","object_marking_refs":[%q]}`, ind3, tlp2Red))
	add(1, c3, 3, parseFixture(tb, `{"type":"malware","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00Z",
		"modified":"2026-01-01T00:00:00Z","name":"Grid wiper","is_family":false,"object_marking_refs":[%q]}`,
		storetest.MalwareID(3), tlp2Green))
	add(schema.groups, c4, 2, parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-02T00:00:00Z",
		"modified":"2026-01-02T00:00:00Z","name":"Crew roster phishing","pattern":"[url:value = 'https://crew.example/roster']",
		"pattern_type":"stix","valid_from":"2026-01-02T00:00:00Z","object_marking_refs":[%q]}`, storetest.IndicatorID(4), tlp2Strict))
	anonObj := add(schema.anonymous, c5, 0, parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-04T00:00:00Z",
		"modified":"2026-01-04T00:00:00Z","name":"Anonymous zeppelin tip","pattern":"[ipv4-addr:value = '203.0.113.9']",
		"pattern_type":"stix","valid_from":"2026-01-04T00:00:00Z","object_marking_refs":[%q]}`, storetest.IndicatorID(5), tlp2Green))

	// date_added: every 5 hours from the first day, in fixture order.
	for i, v := range f.versions {
		v.pk = int64(i + 1)
		v.added = micros(day.Add(time.Hour + time.Duration(i)*5*time.Hour))
		st, err := isachub.CheckStorable(v.obj)
		if err != nil {
			tb.Fatal(err)
		}
		v.spec, v.version = st.SpecVersion, st.Version
		if !st.Versioned {
			v.version = fromMicros(v.added)
		}
	}
	for _, vs := range f.byID() {
		last, first, spec := vs[0], vs[0], vs[0].spec
		for _, v := range vs[1:] {
			if v.later(last) {
				last = v
			}
			if first.later(v) {
				first = v
			}
			spec = max(spec, v.spec)
		}
		for _, v := range vs {
			v.latest, v.first, v.specLatest = v == last, v == first, v.spec == spec
		}
	}

	f.statuses = []isachub.Status{
		{ID: storetest.UUID(11, 1), CommunityID: 1, CollectionID: c1, OrgID: 1, Status: "complete",
			RequestTimestamp: created.Add(time.Hour), TotalCount: 2,
			Successes: []isachub.StatusDetail{{ID: ind1, Version: "2026-01-01T00:00:00Z"}, {ID: mal1, Version: "2026-01-01T00:00:00.000Z"}},
			Failures:  []isachub.StatusDetail{}, Pendings: []isachub.StatusDetail{}},
		{ID: storetest.UUID(11, 2), CommunityID: 1, CollectionID: c1, OrgID: 2, Status: "pending",
			RequestTimestamp: created.Add(2 * time.Hour), TotalCount: 1, Successes: []isachub.StatusDetail{},
			Failures: []isachub.StatusDetail{}, Pendings: []isachub.StatusDetail{{ID: ind2, Version: "2026-01-03T10:00:00.123Z"}}},
	}
	f.audit = isachub.AuditEntry{ID: 1, At: created.Add(time.Minute), CommunityID: 1, UserID: 1, Action: "collection.create",
		Target: c1, Detail: "Shared"}
	f.job = isachub.Job{ID: 1, Kind: "migrate-every-test", Payload: json.RawMessage(`{"collection":"` + c1 + `"}`),
		RunAt: created, CreatedAt: created}
	f.anon = isachub.AnonymousSubmission{ID: storetest.UUID(10, 1), CommunityID: 1, CollectionID: c5,
		HandleHash: hashOf("withdrawal-handle"), OrgID: 2, ObjectIDs: []string{anonObj.obj.ID()}, CreatedAt: fromMicros(anonObj.added)}
	f.pending = isachub.Pending{ID: storetest.UUID(10, 2), CommunityID: 1, CollectionID: c5, SubmitterOrgID: 0,
		Anonymous: &isachub.AnonymousSubmission{ID: storetest.UUID(10, 2), CommunityID: 1, CollectionID: c5, OrgID: 1,
			ObjectIDs: []string{storetest.IndicatorID(6)}, CreatedAt: created.Add(3 * time.Hour)},
		Objects: []json.RawMessage{json.RawMessage(parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,
			"created":"2026-01-05T00:00:00Z","modified":"2026-01-05T00:00:00Z","name":"Waiting tip",
			"pattern":"[ipv4-addr:value = '203.0.113.10']","pattern_type":"stix","valid_from":"2026-01-05T00:00:00Z"}`,
			storetest.IndicatorID(6)).Raw())},
		CreatedAt: created.Add(3 * time.Hour)}
	f.session = isachub.Session{ID: 1, UserID: 1, Hash: hashOf("session-cookie"), CSRFToken: "csrf-token-1",
		CreatedAt: created, LastSeenAt: created.Add(time.Hour), ExpiresAt: fromMicros(f.now).Add(24 * time.Hour).Truncate(time.Second)}
	f.requests = []isachub.MembershipRequest{
		{ID: 1, CommunityID: 1, OrgName: "Oceanic Airlines", Contact: "Jack Shephard", Email: "jack@oceanic.example",
			Sector: "aviation", Reason: "We fly the Pacific", Status: isachub.RequestPending, CreatedAt: created},
		{ID: 2, CommunityID: 1, OrgName: "Globex Airways", Contact: "Hank Scorpio", Email: "hank@globex.example",
			Sector: "aviation", Reason: "Partner airline", Status: isachub.RequestApproved, Decision: "Welcome",
			DecidedBy: 1, OrgID: 2, CreatedAt: created, DecidedAt: created.Add(time.Hour)},
	}
	f.invite = isachub.Invitation{ID: 1, OrgID: 1, Role: isachub.RoleAnalyst, Hash: hashOf("invitation-secret"), CreatedBy: 1,
		Note: "for Dana", CreatedAt: created, ExpiresAt: fromMicros(f.now).Add(7 * 24 * time.Hour).Truncate(time.Second)}
	f.feed = isachub.Feed{ID: storetest.UUID(12, 1), CommunityID: 1, OrgID: 1, Title: "Zeppelin indicators",
		Description: "For the partner SOC", Filter: isachub.FeedFilter{Collections: []string{c1}, Types: []string{"indicator"},
			MinConfidence: 50, TLPCeiling: "green"}, CreatedAt: created, UpdatedAt: created.Add(time.Hour)}
	f.sids = map[string]int64{ind1: 0, ind2: 1}
	f.hooks = []isachub.Webhook{
		{ID: 1, CommunityID: 1, OrgID: 1, FeedID: f.feed.ID, URL: "https://soc.acme.example/hook", Secret: "whsec-1",
			Cursor: "cursor-1", Failures: 2, NextAttempt: created.Add(48 * time.Hour), LastError: "HTTP 503", CreatedAt: created},
		{ID: 2, CommunityID: 1, OrgID: 1, FeedID: f.feed.ID, URL: "https://old.acme.example/hook", Secret: "whsec-2",
			Failures: 20, Dead: true, LastError: "dial tcp: connection refused", CreatedAt: created},
	}
	f.delivery = isachub.WebhookDelivery{WebhookID: 1, At: created.Add(47 * time.Hour), Objects: 3, Status: 503, Error: "HTTP 503"}
	f.took = 850 * time.Millisecond
	f.peer = isachub.Peer{ID: storetest.UUID(13, 1), CommunityID: 1, Name: "partner-hub", URL: "https://partner.example/taxii2/api/",
		OrgID: 2, User: "aviation", Credential: []byte{0x01, 0x02, 0xfe, 0xff}, Trusted: true, CreatedAt: created}
	f.sub = isachub.Subscription{ID: storetest.UUID(13, 2), PeerID: f.peer.ID, CommunityID: 1, Direction: isachub.Pull,
		Remote: storetest.UUID(13, 9), Local: c1, Interval: 15 * time.Minute, Checkpoint: "2026-01-02T00:00:00Z",
		NextRun: created.Add(50 * time.Hour), LastRun: created.Add(49 * time.Hour), LastSuccess: created.Add(49 * time.Hour),
		Moved: 12, Refused: 1, CreatedAt: created}
	f.originOf = f.versions[5] // indicator 1, second version
	f.origin = isachub.Origin{PeerID: f.peer.ID, ReceivedAt: fromMicros(f.originOf.added)}
	_ = c3
	return f
}

// later reports whether v is a later version of its id than w: greater
// version timestamp, ties broken by date_added.
func (v *fixVersion) later(w *fixVersion) bool {
	if !v.version.Equal(w.version) {
		return v.version.After(w.version)
	}
	return v.added > w.added
}

// byID groups the versions by collection and id.
func (f *fixture) byID() map[[2]string][]*fixVersion {
	m := map[[2]string][]*fixVersion{}
	for _, v := range f.versions {
		k := [2]string{v.coll, v.obj.ID()}
		m[k] = append(m[k], v)
	}
	return m
}

// at returns the versions stored at schema version mig.
func (f *fixture) at(mig int) []*fixVersion {
	return slices.DeleteFunc(slices.Clone(f.versions), func(v *fixVersion) bool { return v.mig > mig })
}

// collsAt returns the collections stored at schema version mig.
func (f *fixture) collsAt(mig int) []fixColl {
	return slices.DeleteFunc(slices.Clone(f.colls), func(c fixColl) bool { return c.mig > mig })
}

// coll returns the fixture's collection with the id.
func (f *fixture) coll(id string) fixColl {
	for _, c := range f.colls {
		if c.c.ID == id {
			return c
		}
	}
	panic("no fixture collection " + id)
}

// markingsJSON is the object_marking_refs of o as the stores encode them.
func markingsJSON(o *stix.Object) string {
	m := o.ObjectMarkingRefs()
	if m == nil {
		m = []string{}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// hexSHA256 is the hex SHA-256 of b (the version key of an unversioned
// object).
func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
