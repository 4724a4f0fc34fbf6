package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/postgres"
	"github.com/isachub/isachub/stix"
)

// epoch is the created timestamp of the generated objects.
var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// indicator returns a valid STIX 2.1 indicator number i.
func indicator(tb testing.TB, i int) *stix.Object {
	tb.Helper()
	ip := fmt.Sprintf("203.0.%d.%d", (i/256)%256, i%256)
	return mustParse(tb, fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-0000-4000-8000-%012x",`+
		`"created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z","name":"Malicious IP %s",`+
		`"description":"Command and control server number %d","indicator_types":["malicious-activity"],`+
		`"pattern":"[ipv4-addr:value = '%s']","pattern_type":"stix","valid_from":"2026-01-02T03:04:05Z"}`, i, i, ip, i, ip))
}

// malware returns a valid STIX 2.1 malware object number i.
func malware(tb testing.TB, i int) *stix.Object {
	tb.Helper()
	return mustParse(tb, fmt.Sprintf(`{"type":"malware","spec_version":"2.1","id":"malware--%08x-0000-4000-8000-%012x",`+
		`"created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z","name":"Trojan family %d",`+
		`"is_family":true,"malware_types":["remote-access-trojan"]}`, i, i, i))
}

func mustParse(tb testing.TB, s string) *stix.Object {
	tb.Helper()
	o, err := stix.ParseObject([]byte(s))
	if err != nil {
		tb.Fatalf("parse %s: %v", s, err)
	}
	return o
}

// setup creates a community, an organisation and a collection.
func setup(tb testing.TB, db *postgres.DB) (org *isachub.Org, coll *isachub.Collection) {
	tb.Helper()
	ctx := tb.Context()
	comm := &isachub.Community{Slug: "aviation", Title: "Aviation ISAC"}
	mustOK(tb, db.CreateCommunity(ctx, comm))
	org = &isachub.Org{CommunityID: comm.ID, Slug: "acme", Name: "Acme Air"}
	mustOK(tb, db.CreateOrg(ctx, org))
	coll = &isachub.Collection{CommunityID: comm.ID, Title: "Shared", ReadAll: true, WriteAll: true}
	mustOK(tb, db.CreateCollection(ctx, coll))
	return org, coll
}

// ingest adds objects n objects (every third a malware, else indicators,
// numbered from first) in batches of batch.
func ingest(tb testing.TB, db *postgres.DB, coll string, org int64, first, n, batch int) {
	tb.Helper()
	for b := first; b < first+n; b += batch {
		objs := make([]*stix.Object, 0, batch)
		for i := b; i < min(b+batch, first+n); i++ {
			if i%3 == 0 {
				objs = append(objs, malware(tb, i))
			} else {
				objs = append(objs, indicator(tb, i))
			}
		}
		res, err := db.AddObjects(tb.Context(), coll, org, objs)
		mustOK(tb, err)
		for _, r := range res {
			mustOK(tb, r.Err)
		}
	}
}

func mustOK(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("unexpected error: %v", err)
	}
}

// newCollection creates another collection in the first community.
func newCollection(tb testing.TB, db *postgres.DB) string {
	tb.Helper()
	comms, err := db.Communities(tb.Context())
	mustOK(tb, err)
	c := &isachub.Collection{CommunityID: comms[0].ID, Title: "More", ReadAll: true, WriteAll: true}
	mustOK(tb, db.CreateCollection(tb.Context(), c))
	return c.ID
}
