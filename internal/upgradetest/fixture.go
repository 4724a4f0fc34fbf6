// Package upgradetest holds the data and the Store-API checks of the
// every-version upgrade tests that both stores run (TestMigrateFromEveryVersion
// in sqlite/ and postgres/): a Fixture of everything a hub can hold, with
// the migration that first holds each part, and Check, which reads an
// upgraded store back through isachub.Store. Each store's test writes the
// fixture into a database of an old schema version with SQL of its own,
// upgrades it and calls Check (issue 12, "Migrations: upgrading from every
// earlier schema version with data in it, on both databases, tested"). It is
// imported by tests only.
package upgradetest

// The data TestMigrateFromEveryVersion stores in an old schema, as plain
// values that the stores' migration fragments write and the checks read
// back.

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

// Migrations names the store's migrations that the fixture and the checks
// depend on (the two stores number them differently).
type Migrations struct {
	Groups, Anonymous, Sessions, Joining, SightingK, Feeds, Webhooks, Federation, Duration int
	// BeyondJSONB is the first version whose databases upgrade with a
	// stored version that PostgreSQL's jsonb cannot hold: an escaped NUL
	// ("\u0000") in a string, a number beyond the range of numeric.
	BeyondJSONB int
}

// Version is one stored object version of the fixture.
type Version struct {
	Mig   int    // the migration whose fragment stores it
	Coll  string // the collection id
	Org   int64  // the submitter, 0 when anonymous
	Added int64  // date_added, microseconds
	Obj   *stix.Object
	PK    int64 // SQLite's objects.pk: its place in the fixture, from 1
	// The flags the store keeps, computed over the id's versions.
	Latest, First, SpecLatest bool
	Spec                      string
	Version                   time.Time // the version timestamp (date_added when unversioned)
}

// Coll is a collection of the fixture and the migration that stores it.
type Coll struct {
	Mig int   // the migration whose fragment stores it
	PK  int64 // SQLite's collections.pk
	isachub.Collection
}

// User is a user of the fixture with the secrets the checks present.
type User struct {
	isachub.User
	Password string // "" when none
}

// Token is an API token of the fixture and its secret.
type Token struct {
	Mig int // the migration whose fragment stores it
	isachub.Token
	Secret string // what the client presents; Hash is its SHA-256
}

// Fixture is everything TestMigrateFromEveryVersion stores. Its parts
// with a migration (Version, Coll, Token) are stored from that schema
// version on, the others from the version that adds their tables (named
// by the Migrations it was built with).
type Fixture struct {
	schema   Migrations
	now      int64 // microseconds; every stored time is before it
	Comms    []isachub.Community
	Secrets  [][]byte // anon_secret of each community, from Migrations.Anonymous on
	Orgs     []isachub.Org
	Users    []User
	Tokens   []Token
	Colls    []Coll
	Versions []*Version
	Statuses []isachub.Status
	Audit    isachub.AuditEntry
	Job      isachub.Job
	Group    isachub.SharingGroup
	Anon     isachub.AnonymousSubmission
	Pending  isachub.Pending
	Session  isachub.Session
	Requests []isachub.MembershipRequest
	Invite   isachub.Invitation
	Feed     isachub.Feed
	SIDs     map[string]int64
	Hooks    []isachub.Webhook
	Delivery isachub.WebhookDelivery // as stored before Migrations.Duration
	Took     time.Duration           // its Duration, from Migrations.Duration on
	Peer     isachub.Peer
	Sub      isachub.Subscription
	Origin   isachub.Origin
	OriginOf *Version
}

// Micros turns t into microseconds since the epoch, 0 for the zero time.
func Micros(t time.Time) int64 {
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

// New builds the fixture for a store whose migrations are numbered as m
// says. Stored times fall on the five days before today (UTC), so that the
// per-day counts span several days and a write after the upgrade comes
// later.
func New(tb testing.TB, m Migrations) *Fixture {
	tb.Helper()
	now := time.Now().UTC()
	day := now.Truncate(24*time.Hour).AddDate(0, 0, -5)
	f := &Fixture{schema: m, now: Micros(now)}
	created := fromMicros(Micros(day.Add(-240 * time.Hour)))
	hash, err := server.HashPassword(fixPassword)
	if err != nil {
		tb.Fatal(err)
	}

	f.Comms = []isachub.Community{
		{ID: 1, Slug: "aviation", Title: "Aviation ISAC", Description: "Airlines and airports", Sector: "aviation",
			IdentityID: "identity--" + storetest.UUID(20, 1), MaxContentLength: 1 << 20, CreatedAt: created},
		{ID: 2, Slug: "energy", Title: "Energy ISAC", Sector: "energy", CreatedAt: created},
	}
	f.Secrets = [][]byte{[]byte("aviation-secret-0123456789abcdef"), []byte("energy-secret-0123456789abcdefgh")}
	f.Orgs = []isachub.Org{
		{ID: 1, CommunityID: 1, Slug: "acme", Name: "Acme Air", IdentityID: "identity--" + storetest.UUID(21, 1), CreatedAt: created},
		{ID: 2, CommunityID: 1, Slug: "globex", Name: "Globex Airways", CreatedAt: created},
		{ID: 3, CommunityID: 2, Slug: "initech", Name: "Initech Power", CreatedAt: created},
	}
	f.Users = []User{
		{isachub.User{ID: 1, OrgID: 1, Username: "alice", Role: isachub.RoleAdmin, PasswordHash: hash, CreatedAt: created}, fixPassword},
		{isachub.User{ID: 2, OrgID: 2, Username: "bob", Role: isachub.RoleAnalyst, CreatedAt: created}, ""},
		{isachub.User{ID: 3, OrgID: 3, Username: "root", Role: isachub.RoleReader, HubAdmin: true, PasswordHash: hash, CreatedAt: created}, fixPassword},
	}
	f.Tokens = []Token{
		{1, isachub.Token{ID: 1, UserID: 1, Name: "ci", CreatedAt: created, LastUsedAt: created.Add(time.Hour)}, "alice-token-secret"},
		{1, isachub.Token{ID: 2, UserID: 2, Name: "tips", Anonymous: true, CreatedAt: created}, "bob-token-secret"},
		{f.schema.Feeds, isachub.Token{ID: 3, UserID: 1, Name: "partner feed", FeedID: storetest.UUID(12, 1), CreatedAt: created}, "feed-token-secret"},
	}
	for i := range f.Tokens {
		f.Tokens[i].Hash = hashOf(f.Tokens[i].Secret)
	}
	collID := func(n int) string { return storetest.UUID(9, n) }
	f.Colls = []Coll{
		{1, 1, isachub.Collection{ID: collID(1), CommunityID: 1, Title: "Shared", Description: "Everything members share",
			Alias: "shared", ReadAll: true, WriteAll: true, CreatedAt: created}},
		{1, 2, isachub.Collection{ID: collID(2), CommunityID: 1, Title: "Board", Readers: []int64{1}, Writers: []int64{1},
			DefaultTLP: "amber", CreatedAt: created}},
		{1, 3, isachub.Collection{ID: collID(3), CommunityID: 2, Title: "Energy shared", ReadAll: true, WriteAll: true, CreatedAt: created}},
		{f.schema.Groups, 4, isachub.Collection{ID: collID(4), CommunityID: 1, Title: "Airlines", GroupID: 1, Readers: []int64{1, 2},
			Writers: []int64{1, 2}, CreatedAt: created}},
		{f.schema.Anonymous, 5, isachub.Collection{ID: collID(5), CommunityID: 1, Title: "Tips", ReadAll: true, WriteAll: true,
			Anonymous: true, Moderated: true, CreatedAt: created}},
	}
	f.Group = isachub.SharingGroup{ID: 1, CommunityID: 1, Slug: "airlines", Name: "Airlines", Members: []int64{1, 2}, CreatedAt: created}

	identity := "identity--" + storetest.UUID(21, 1)
	statement := "marking-definition--" + storetest.UUID(22, 1)
	ind1, ind2, ind3 := storetest.IndicatorID(1), storetest.IndicatorID(2), storetest.IndicatorID(3)
	mal1 := storetest.MalwareID(1)
	rel1, rel2 := "relationship--"+storetest.UUID(23, 1), "relationship--"+storetest.UUID(23, 2)
	iset := "intrusion-set--" + storetest.UUID(24, 1)
	c1, c2, c3, c4, c5 := collID(1), collID(2), collID(3), collID(4), collID(5)
	add := func(mig int, coll string, org int64, o *stix.Object) *Version {
		v := &Version{Mig: mig, Coll: coll, Org: org, Obj: o}
		f.Versions = append(f.Versions, v)
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
	// Migrations.BeyondJSONB cannot hold these notes (see TestMigrateBeyondJSONB).
	add(f.schema.BeyondJSONB, c1, 2, parseFixture(tb, `{"type":"note","spec_version":"2.1","id":%q,"created":"2026-01-06T00:00:00Z",
		"modified":"2026-01-06T00:00:00Z","content":"The beacon's request: GET /\u0000 HTTP/1.1","object_refs":[%q],
		"granular_markings":[{"marking_ref":%q,"selectors":["content"]}]}`, "note--"+storetest.UUID(29, 2), mal1, tlp1Amber))
	add(f.schema.BeyondJSONB, c1, 2, parseFixture(tb, `{"type":"note","spec_version":"2.1","id":%q,"created":"2026-01-06T00:00:00Z",
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
	add(f.schema.Groups, c4, 2, parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-02T00:00:00Z",
		"modified":"2026-01-02T00:00:00Z","name":"Crew roster phishing","pattern":"[url:value = 'https://crew.example/roster']",
		"pattern_type":"stix","valid_from":"2026-01-02T00:00:00Z","object_marking_refs":[%q]}`, storetest.IndicatorID(4), tlp2Strict))
	anonObj := add(f.schema.Anonymous, c5, 0, parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-04T00:00:00Z",
		"modified":"2026-01-04T00:00:00Z","name":"Anonymous zeppelin tip","pattern":"[ipv4-addr:value = '203.0.113.9']",
		"pattern_type":"stix","valid_from":"2026-01-04T00:00:00Z","object_marking_refs":[%q]}`, storetest.IndicatorID(5), tlp2Green))

	// date_added: every 5 hours from the first day, in fixture order.
	for i, v := range f.Versions {
		v.PK = int64(i + 1)
		v.Added = Micros(day.Add(time.Hour + time.Duration(i)*5*time.Hour))
		st, err := isachub.CheckStorable(v.Obj)
		if err != nil {
			tb.Fatal(err)
		}
		v.Spec, v.Version = st.SpecVersion, st.Version
		if !st.Versioned {
			v.Version = fromMicros(v.Added)
		}
	}
	for _, vs := range f.byID() {
		last, first, spec := vs[0], vs[0], vs[0].Spec
		for _, v := range vs[1:] {
			if v.later(last) {
				last = v
			}
			if first.later(v) {
				first = v
			}
			spec = max(spec, v.Spec)
		}
		for _, v := range vs {
			v.Latest, v.First, v.SpecLatest = v == last, v == first, v.Spec == spec
		}
	}

	f.Statuses = []isachub.Status{
		{ID: storetest.UUID(11, 1), CommunityID: 1, CollectionID: c1, OrgID: 1, Status: "complete",
			RequestTimestamp: created.Add(time.Hour), TotalCount: 2,
			Successes: []isachub.StatusDetail{{ID: ind1, Version: "2026-01-01T00:00:00Z"}, {ID: mal1, Version: "2026-01-01T00:00:00.000Z"}},
			Failures:  []isachub.StatusDetail{}, Pendings: []isachub.StatusDetail{}},
		{ID: storetest.UUID(11, 2), CommunityID: 1, CollectionID: c1, OrgID: 2, Status: "pending",
			RequestTimestamp: created.Add(2 * time.Hour), TotalCount: 1, Successes: []isachub.StatusDetail{},
			Failures: []isachub.StatusDetail{}, Pendings: []isachub.StatusDetail{{ID: ind2, Version: "2026-01-03T10:00:00.123Z"}}},
	}
	f.Audit = isachub.AuditEntry{ID: 1, At: created.Add(time.Minute), CommunityID: 1, UserID: 1, Action: "collection.create",
		Target: c1, Detail: "Shared"}
	f.Job = isachub.Job{ID: 1, Kind: "migrate-every-test", Payload: json.RawMessage(`{"collection":"` + c1 + `"}`),
		RunAt: created, CreatedAt: created}
	f.Anon = isachub.AnonymousSubmission{ID: storetest.UUID(10, 1), CommunityID: 1, CollectionID: c5,
		HandleHash: hashOf("withdrawal-handle"), OrgID: 2, ObjectIDs: []string{anonObj.Obj.ID()}, CreatedAt: fromMicros(anonObj.Added)}
	f.Pending = isachub.Pending{ID: storetest.UUID(10, 2), CommunityID: 1, CollectionID: c5, SubmitterOrgID: 0,
		Anonymous: &isachub.AnonymousSubmission{ID: storetest.UUID(10, 2), CommunityID: 1, CollectionID: c5, OrgID: 1,
			ObjectIDs: []string{storetest.IndicatorID(6)}, CreatedAt: created.Add(3 * time.Hour)},
		Objects: []json.RawMessage{json.RawMessage(parseFixture(tb, `{"type":"indicator","spec_version":"2.1","id":%q,
			"created":"2026-01-05T00:00:00Z","modified":"2026-01-05T00:00:00Z","name":"Waiting tip",
			"pattern":"[ipv4-addr:value = '203.0.113.10']","pattern_type":"stix","valid_from":"2026-01-05T00:00:00Z"}`,
			storetest.IndicatorID(6)).Raw())},
		CreatedAt: created.Add(3 * time.Hour)}
	f.Session = isachub.Session{ID: 1, UserID: 1, Hash: hashOf("session-cookie"), CSRFToken: "csrf-token-1",
		CreatedAt: created, LastSeenAt: created.Add(time.Hour), ExpiresAt: fromMicros(f.now).Add(24 * time.Hour).Truncate(time.Second)}
	f.Requests = []isachub.MembershipRequest{
		{ID: 1, CommunityID: 1, OrgName: "Oceanic Airlines", Contact: "Jack Shephard", Email: "jack@oceanic.example",
			Sector: "aviation", Reason: "We fly the Pacific", Status: isachub.RequestPending, CreatedAt: created},
		{ID: 2, CommunityID: 1, OrgName: "Globex Airways", Contact: "Hank Scorpio", Email: "hank@globex.example",
			Sector: "aviation", Reason: "Partner airline", Status: isachub.RequestApproved, Decision: "Welcome",
			DecidedBy: 1, OrgID: 2, CreatedAt: created, DecidedAt: created.Add(time.Hour)},
	}
	f.Invite = isachub.Invitation{ID: 1, OrgID: 1, Role: isachub.RoleAnalyst, Hash: hashOf("invitation-secret"), CreatedBy: 1,
		Note: "for Dana", CreatedAt: created, ExpiresAt: fromMicros(f.now).Add(7 * 24 * time.Hour).Truncate(time.Second)}
	f.Feed = isachub.Feed{ID: storetest.UUID(12, 1), CommunityID: 1, OrgID: 1, Title: "Zeppelin indicators",
		Description: "For the partner SOC", Filter: isachub.FeedFilter{Collections: []string{c1}, Types: []string{"indicator"},
			MinConfidence: 50, TLPCeiling: "green"}, CreatedAt: created, UpdatedAt: created.Add(time.Hour)}
	f.SIDs = map[string]int64{ind1: 0, ind2: 1}
	f.Hooks = []isachub.Webhook{
		{ID: 1, CommunityID: 1, OrgID: 1, FeedID: f.Feed.ID, URL: "https://soc.acme.example/hook", Secret: "whsec-1",
			Cursor: "cursor-1", Failures: 2, NextAttempt: created.Add(48 * time.Hour), LastError: "HTTP 503", CreatedAt: created},
		{ID: 2, CommunityID: 1, OrgID: 1, FeedID: f.Feed.ID, URL: "https://old.acme.example/hook", Secret: "whsec-2",
			Failures: 20, Dead: true, LastError: "dial tcp: connection refused", CreatedAt: created},
	}
	f.Delivery = isachub.WebhookDelivery{WebhookID: 1, At: created.Add(47 * time.Hour), Objects: 3, Status: 503, Error: "HTTP 503"}
	f.Took = 850 * time.Millisecond
	f.Peer = isachub.Peer{ID: storetest.UUID(13, 1), CommunityID: 1, Name: "partner-hub", URL: "https://partner.example/taxii2/api/",
		OrgID: 2, User: "aviation", Credential: []byte{0x01, 0x02, 0xfe, 0xff}, Trusted: true, CreatedAt: created}
	f.Sub = isachub.Subscription{ID: storetest.UUID(13, 2), PeerID: f.Peer.ID, CommunityID: 1, Direction: isachub.Pull,
		Remote: storetest.UUID(13, 9), Local: c1, Interval: 15 * time.Minute, Checkpoint: "2026-01-02T00:00:00Z",
		NextRun: created.Add(50 * time.Hour), LastRun: created.Add(49 * time.Hour), LastSuccess: created.Add(49 * time.Hour),
		Moved: 12, Refused: 1, CreatedAt: created}
	f.OriginOf = f.Versions[5] // indicator 1, second version
	f.Origin = isachub.Origin{PeerID: f.Peer.ID, ReceivedAt: fromMicros(f.OriginOf.Added)}
	_ = c3
	return f
}

// later reports whether v is a later version of its id than w: greater
// version timestamp, ties broken by date_added.
func (v *Version) later(w *Version) bool {
	if !v.Version.Equal(w.Version) {
		return v.Version.After(w.Version)
	}
	return v.Added > w.Added
}

// byID groups the versions by collection and id.
func (f *Fixture) byID() map[[2]string][]*Version {
	m := map[[2]string][]*Version{}
	for _, v := range f.Versions {
		k := [2]string{v.Coll, v.Obj.ID()}
		m[k] = append(m[k], v)
	}
	return m
}

// At returns the versions stored at schema version mig.
func (f *Fixture) At(mig int) []*Version {
	return slices.DeleteFunc(slices.Clone(f.Versions), func(v *Version) bool { return v.Mig > mig })
}

// CollsAt returns the collections stored at schema version mig.
func (f *Fixture) CollsAt(mig int) []Coll {
	return slices.DeleteFunc(slices.Clone(f.Colls), func(c Coll) bool { return c.Mig > mig })
}

// Coll returns the fixture's collection with the id.
func (f *Fixture) Coll(id string) Coll {
	for _, c := range f.Colls {
		if c.ID == id {
			return c
		}
	}
	panic("no fixture collection " + id)
}

// MarkingsJSON is the object_marking_refs of o as the stores encode them.
func MarkingsJSON(o *stix.Object) string {
	m := o.ObjectMarkingRefs()
	if m == nil {
		m = []string{}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// HexSHA256 is the hex SHA-256 of b (the version key of an unversioned
// object).
func HexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// JoinRaw is the JSON array of raws, their bytes kept as they are (as
// the stores keep a pending submission's objects).
func JoinRaw(raws []json.RawMessage) []byte {
	b := []byte{'['}
	for i, r := range raws {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r...)
	}
	return append(b, ']')
}
