// Package storetest is the one conformance suite that every isachub.Store
// (sqlite, postgres) must pass: communities, organisations, users, tokens,
// collections with their tenant scoping, object versions with every TAXII
// 2.1 filter (section 3.4) and keyset pagination, ownership, deletion,
// full-text search, statuses (section 4.3), the audit log and the job
// outbox, sharing groups, the TLP visibility filter
// (the isachub.Visibility of every read: hidden versions are left out before paging,
// and first/last/spec-latest are those of the visible versions), and
// anonymous publishing: community secrets and submitter-record policies,
// organisations' staff flag and redaction rules, anonymous objects with
// their records (isachub.AnonymousStore), the moderation queue
// (isachub.PendingStore), and the policy "none" that keeps no submitting
// organisation anywhere (isachub.RecordNone).
//
// A backend's test calls Run with a function that opens a fresh, empty,
// migrated store and registers its cleanup with t.Cleanup.
package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/isachub/isachub"
)

// test is one conformance test, run against a fresh empty store.
type test struct {
	name string
	fn   func(t *testing.T, s isachub.Store)
}

// tests lists every conformance test. Add new ones here.
var tests = []test{
	{"Migrate", testMigrate},
	{"Ready", testReady},
	{"Queues", testQueues},
	{"Communities", testCommunities},
	{"Orgs", testOrgs},
	{"Users", testUsers},
	{"Tokens", testTokens},
	{"Sessions", testSessions},
	{"Joining", testJoining},
	{"UpdateUser", testUpdateUser},
	{"Collections", testCollections},
	{"UpdateCollection", testUpdateCollection},
	{"AddObjects", testAddObjects},
	{"AddObjectsInvalid", testAddObjectsInvalid},
	{"Ownership", testOwnership},
	{"StoreRules", testStoreRules},
	{"Versions", testVersions},
	{"SCOVersions", testSCOVersions},
	{"SpecVersions", testSpecVersions},
	{"Filters", testFilters},
	{"Limits", testLimits},
	{"Paging", testPaging},
	{"Cursor", testCursor},
	{"DeleteObject", testDeleteObject},
	{"DeleteCollectionObjects", testDeleteCollectionObjects},
	{"Search", testSearch},
	{"SearchFilters", testSearchFilters},
	{"SearchHostile", testSearchHostile},
	{"CountAdded", testCountAdded},
	{"References", testReferences},
	{"Status", testStatus},
	{"Audit", testAudit},
	{"Jobs", testJobs},
	{"JobsConcurrentClaims", testJobsConcurrentClaims},
	{"ConcurrentPaging", testConcurrentPaging},
	{"TLPVisibility", testTLPVisibility},
	{"Groups", testGroups},
	{"GroupCollections", testGroupCollections},
	{"CommunitySecret", testCommunitySecret},
	{"OrgUpdate", testOrgUpdate},
	{"CollectionFlags", testCollectionFlags},
	{"AddAnonymous", testAddAnonymous},
	{"StatusAnonymous", testStatusAnonymous},
	{"Pending", testPending},
	{"RecordNone", testRecordNone},
	{"RecordNoneConcurrent", testRecordNoneConcurrent},
	{"FeedCreate", testFeedCreate},
	{"FeedEveryone", testFeedEveryone},
	{"FeedConflictWithCollection", testFeedConflictWithCollection},
	{"FeedDelete", testFeedDelete},
	{"FeedTokens", testFeedTokens},
	{"RuleSIDs", testRuleSIDs},
	{"RuleSIDsConcurrent", testRuleSIDsConcurrent},
	{"WebhookCreate", testWebhookCreate},
	{"WebhookClaim", testWebhookClaim},
	{"WebhookDeliveries", testWebhookDeliveries},
	{"WebhookCascade", testWebhookCascade},
	{"WebhookConcurrentClaims", testWebhookConcurrentClaims},
	{"WebhookWake", testWebhookWake},
	{"WebhookRevive", testWebhookRevive},
	{"Peers", testPeers},
	{"AddPulled", testAddPulled},
}

// Run runs every conformance test as a subtest of t, each against a new
// store from open.
func Run(t *testing.T, open func(t *testing.T) isachub.Store) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// fixture is a community with two member organisations (A and B), a
// collection that both may read and write, and one of another community.
type fixture struct {
	s          isachub.Store
	ctx        context.Context
	comm       *isachub.Community
	orgA, orgB *isachub.Org
	coll       *isachub.Collection
	other      *isachub.Community
	otherOrg   *isachub.Org
	otherColl  *isachub.Collection
}

func newFixture(t *testing.T, s isachub.Store) *fixture {
	t.Helper()
	ctx := t.Context()
	f := &fixture{s: s, ctx: ctx}
	f.comm = &isachub.Community{Slug: "aviation", Title: "Aviation ISAC", Sector: "aviation"}
	f.other = &isachub.Community{Slug: "energy", Title: "Energy ISAC", Sector: "energy"}
	for _, c := range []*isachub.Community{f.comm, f.other} {
		mustOK(t, s.CreateCommunity(ctx, c))
	}
	f.orgA = &isachub.Org{CommunityID: f.comm.ID, Slug: "acme", Name: "Acme Air"}
	f.orgB = &isachub.Org{CommunityID: f.comm.ID, Slug: "globex", Name: "Globex Airways"}
	f.otherOrg = &isachub.Org{CommunityID: f.other.ID, Slug: "acme", Name: "Acme Power"}
	for _, o := range []*isachub.Org{f.orgA, f.orgB, f.otherOrg} {
		mustOK(t, s.CreateOrg(ctx, o))
	}
	f.coll = &isachub.Collection{CommunityID: f.comm.ID, Title: "Shared", Alias: "shared", ReadAll: true, WriteAll: true}
	f.otherColl = &isachub.Collection{CommunityID: f.other.ID, Title: "Shared", Alias: "shared", ReadAll: true, WriteAll: true}
	for _, c := range []*isachub.Collection{f.coll, f.otherColl} {
		mustOK(t, s.CreateCollection(ctx, c))
	}
	return f
}

// mustOK fails the test when err is not nil.
func mustOK(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("unexpected error: %v", err)
	}
}

// wantCode fails the test unless err has the code, and checks that its
// user-facing message says something and leaks nothing of the driver.
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := isachub.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	msg := isachub.ErrorMessage(err)
	if msg == "" {
		tb.Fatalf("error %v has an empty message", err)
	}
	low := strings.ToLower(msg)
	for _, leak := range []string{"sqlite", "constraint", "sqlstate", "pq:", "pgx", "duplicate key", "violates", "syntax error"} {
		if strings.Contains(low, leak) {
			tb.Fatalf("error message %q leaks driver detail %q", msg, leak)
		}
	}
}
