package storetest

import (
	"slices"
	"testing"

	"github.com/isachub/isachub"
)

func testSearch(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	secret := &isachub.Collection{CommunityID: f.comm.ID, Title: "Secret", Readers: []int64{f.orgA.ID}, Writers: []int64{f.orgA.ID}}
	mustOK(t, s.CreateCollection(ctx, secret))
	mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicators(0, 5)...)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, Malware(1), Domain("evil-cdn.example.net"))
	mustAdd(t, s, secret.ID, f.orgA.ID, Parse(t, `{"type":"malware","spec_version":"2.1","id":"`+MalwareID(9)+`",
		"created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z","name":"Zeppelin ransomware","is_family":true}`))
	mustAdd(t, s, f.otherColl.ID, f.otherOrg.ID, Parse(t, `{"type":"malware","spec_version":"2.1","id":"`+MalwareID(8)+`",
		"created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z","name":"Zeppelin loader","is_family":true}`))
	search := func(t *testing.T, colls []string, q string) []string {
		t.Helper()
		vs, err := Searched(s.SearchObjects(ctx, everything(colls...), isachub.SearchQuery{Text: q, Limit: 50}))
		mustOK(t, err)
		out := ids(vs)
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name  string
		colls []string
		q     string
		want  []string
	}{
		{"Name", []string{f.coll.ID}, "Trojan", []string{MalwareID(1)}},
		{"Description", []string{f.coll.ID}, "remote access", []string{MalwareID(1)}},
		{"Pattern", []string{f.coll.ID}, "198.51.0.3", []string{IndicatorID(3)}},
		{"SCOValue", []string{f.coll.ID}, "evil-cdn.example.net", []string{DomainID("evil-cdn.example.net")}},
		{"CaseInsensitive", []string{f.coll.ID}, "TROJAN family", []string{MalwareID(1)}},
		{"AllWordsMustMatch", []string{f.coll.ID}, "trojan zeppelin", nil},
		{"RestrictedToCollections", []string{f.coll.ID}, "zeppelin", nil},
		{"GivenCollection", []string{f.coll.ID, secret.ID}, "zeppelin", []string{MalwareID(9)}},
		{"OtherCommunity", []string{f.otherColl.ID}, "zeppelin", []string{MalwareID(8)}},
		{"NoCollections", nil, "zeppelin", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if got := search(t, tc.colls, tc.q); !slices.Equal(got, want) {
				t.Fatalf("search %q in %v = %v, want %v", tc.q, tc.colls, got, want)
			}
		})
	}
	t.Run("ResultFields", func(t *testing.T) {
		vs, err := Searched(s.SearchObjects(ctx, everything(f.coll.ID, secret.ID), isachub.SearchQuery{Text: "zeppelin", Limit: 10}))
		mustOK(t, err)
		if len(vs) != 1 || vs[0].CollectionID != secret.ID || vs[0].Type != "malware" || len(vs[0].Raw) == 0 || vs[0].SubmitterOrgID != f.orgA.ID {
			t.Fatalf("search result = %+v", vs)
		}
	})
	t.Run("Limit", func(t *testing.T) {
		vs, err := Searched(s.SearchObjects(ctx, everything(f.coll.ID), isachub.SearchQuery{Text: "malicious", Limit: 2}))
		mustOK(t, err)
		if len(vs) != 2 {
			t.Fatalf("limit 2 returned %d results", len(vs))
		}
	})
	t.Run("LatestVersionOnly", func(t *testing.T) {
		v2 := Parse(t, `{"type":"malware","spec_version":"2.1","id":"`+MalwareID(1)+`","created":"2026-01-02T03:04:05.000Z",
			"modified":"2026-02-02T03:04:05.000Z","name":"Renamed family","is_family":true}`)
		mustAdd(t, s, f.coll.ID, f.orgA.ID, v2)
		if got := search(t, []string{f.coll.ID}, "trojan"); len(got) != 0 {
			t.Fatalf("an old version's words are still found: %v", got)
		}
		if got := search(t, []string{f.coll.ID}, "renamed"); !slices.Equal(got, []string{MalwareID(1)}) {
			t.Fatalf("the new version's words are not found: %v", got)
		}
		// An older version arriving late does not replace the latest.
		v0 := Parse(t, `{"type":"malware","spec_version":"2.1","id":"`+MalwareID(1)+`","created":"2026-01-02T03:04:05.000Z",
			"modified":"2026-01-03T03:04:05.000Z","name":"Backdated family","is_family":true}`)
		mustAdd(t, s, f.coll.ID, f.orgA.ID, v0)
		if got := search(t, []string{f.coll.ID}, "backdated"); len(got) != 0 {
			t.Fatalf("an older version became searchable: %v", got)
		}
		// Deleting the latest makes the previous one searchable.
		mustOK(t, s.DeleteObject(ctx, f.coll.ID, MalwareID(1), f.orgA.ID, isachub.ObjectFilter{Versions: []string{"last"}}))
		if got := search(t, []string{f.coll.ID}, "backdated"); !slices.Equal(got, []string{MalwareID(1)}) {
			t.Fatalf("after deleting the latest the previous version is not searchable: %v", got)
		}
		mustOK(t, s.DeleteObject(ctx, f.coll.ID, MalwareID(1), f.orgA.ID, isachub.ObjectFilter{}))
		if got := search(t, []string{f.coll.ID}, "family"); len(got) != 0 {
			t.Fatalf("a deleted object is still found: %v", got)
		}
	})
}

// testSearchHostile sends queries that would break a naive FTS query: each
// must either find nothing or find what its words say, never fail.
func testSearchHostile(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicators(0, 3)...)
	for _, q := range []string{
		`"`, `""`, `"unbalanced`, `AND`, `OR OR`, `NOT malicious`, `(`, `)`, `name:malicious`, `body: x`,
		`*`, `mal*`, `^malicious`, `NEAR(malicious ip, 2)`, `'; DROP TABLE objects; --`, `\`, `{}`, `malicious -ip`,
		`a'b`, "tab\there", `%`, `_`, `\x00`, "nul\x00byte", `😀`, `über`,
	} {
		t.Run("", func(t *testing.T) {
			_, err := Searched(s.SearchObjects(f.ctx, everything(f.coll.ID), isachub.SearchQuery{Text: q, Limit: 10}))
			if err != nil && isachub.ErrorCode(err) != isachub.EINVALID {
				t.Fatalf("query %q: %v", q, err)
			}
			if err != nil {
				wantCode(t, err, isachub.EINVALID)
			}
		})
	}
	t.Run("Empty", func(t *testing.T) {
		for _, q := range []string{"", "   ", `"" ()`} {
			_, err := Searched(s.SearchObjects(f.ctx, everything(f.coll.ID), isachub.SearchQuery{Text: q, Limit: 10}))
			wantCode(t, err, isachub.EINVALID)
		}
	})
	t.Run("OperatorsAreWords", func(t *testing.T) {
		vs, err := Searched(s.SearchObjects(f.ctx, everything(f.coll.ID), isachub.SearchQuery{Text: `malicious OR nothing-like-this`, Limit: 10}))
		mustOK(t, err)
		if len(vs) != 0 {
			t.Fatalf("OR was treated as an operator: %d results", len(vs))
		}
	})
}

// Searched returns the versions of a search's page, for tests that
// read one page.
func Searched(p *isachub.SearchPage, err error) ([]*isachub.ObjectVersion, error) {
	if err != nil {
		return nil, err
	}
	return p.Versions, nil
}
