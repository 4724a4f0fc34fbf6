package sqlite_test

import (
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/storetest"
)

// FuzzQuery sends client input (a search query and the values of
// match[version], match[type], match[id] and match[spec_version]) to a
// real database: every call must succeed or fail with EINVALID, never
// with a driver error (no FTS5 or SQL syntax can be injected).
func FuzzQuery(f *testing.F) {
	db := openTemp(f)
	ctx := f.Context()
	org, coll := benchTenant(f, ctx, db)
	ingest(f, ctx, db, coll, org, storetest.Indicators(0, 50), 50)
	for _, seed := range [][5]string{
		{"malicious", "last", "indicator", storetest.IndicatorID(1), "2.1"},
		{`"unbalanced`, "2026-01-02T03:04:05.000Z", "malware", "x", "2.0"},
		{"NEAR(a b) OR c*", "first", "' OR 1=1 --", "indicator--1", ""},
		{"a:b ^c {d} (e) -f", "all", "", "", "'; DROP TABLE objects; --"},
		{"\x00\xff\xfe", "2026-13-45T99:99:99Z", "\x00", "\xff", "\""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4])
	}
	f.Fuzz(func(t *testing.T, query, version, typ, id, spec string) {
		_, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll), isachub.SearchQuery{Text: query, Limit: 10}))
		if err != nil && isachub.ErrorCode(err) != isachub.EINVALID {
			t.Fatalf("SearchObjects(%q): %v", query, err)
		}
		filter := isachub.ObjectFilter{Versions: []string{version}, Types: []string{typ}, IDs: []string{id}, SpecVersions: []string{spec}, Limit: 5}
		_, err = db.Objects(ctx, coll, isachub.Unrestricted(), filter)
		if err != nil && isachub.ErrorCode(err) != isachub.EINVALID {
			t.Fatalf("Objects(%+v): %v", filter, err)
		}
		filter.Types, filter.IDs = []string{typ, "indicator"}, nil
		_, err = db.Objects(ctx, coll, isachub.Unrestricted(), filter)
		if err != nil && isachub.ErrorCode(err) != isachub.EINVALID {
			t.Fatalf("Objects(%+v): %v", filter, err)
		}
	})
}
