package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// testStoreRules holds the rules the stores share through the root package
// (store_rules.go), so that neither can drift: what is storable
// (isachub.CheckStorable), the version-ownership answer
// (isachub.ErrNotOwner) and what full-text search finds
// (isachub.SearchProperties, SearchLists, hashes).
func testStoreRules(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	obj := func(n int, name string) *stix.Object {
		return Parse(t, `{"type":"indicator","spec_version":"2.1","id":"indicator--`+UUID(11, n)+`","created":"2026-01-02T03:04:05.000Z",`+
			`"modified":"2026-01-02T03:04:05.000Z","name":"`+name+`","pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix",`+
			`"valid_from":"2026-01-02T03:04:05Z"}`)
	}
	t.Run("Unstorable", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			o    *stix.Object
			want string
		}{
			{"InvalidUTF8", obj(1, "bad \xff\xfe name"), "name is not valid UTF-8"},
			{"LoneSurrogate", obj(2, `bad \ud800 name`), "lone UTF-16 surrogate"},
			{"NULInCommonProperty", Parse(t, strings.Replace(string(obj(3, "fine").Raw()), `"name"`, `"created_by_ref":"identity--`+UUID(11, 9)+`\u0000","name"`, 1)), "NUL"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				good := obj(100+len(tc.name), "fine")
				res, err := s.AddObjects(f.ctx, f.coll.ID, f.orgA.ID, []*stix.Object{tc.o, good})
				mustOK(t, err)
				wantCode(t, res[0].Err, isachub.EINVALID)
				if msg := isachub.ErrorMessage(res[0].Err); !strings.Contains(msg, tc.want) {
					t.Fatalf("message %q does not say %q", msg, tc.want)
				}
				if res[1].Err != nil {
					t.Fatalf("the batch's valid object failed: %v", res[1].Err)
				}
			})
		}
		for _, v := range all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"all"}}) {
			if _, problem, ok := stix.TextIssue(v.Raw); !ok {
				t.Fatalf("stored %s although %s", v.ID, problem)
			}
		}
	})
	t.Run("OwnershipMessage", func(t *testing.T) {
		o := obj(20, "owned")
		mustAdd(t, s, f.coll.ID, f.orgA.ID, o)
		res, err := s.AddObjects(f.ctx, f.coll.ID, f.orgB.ID, []*stix.Object{o})
		mustOK(t, err)
		if got, want := isachub.ErrorMessage(res[0].Err), isachub.ErrorMessage(isachub.ErrNotOwner(o.ID())); got != want {
			t.Fatalf("ownership message %q, want %q", got, want)
		}
	})
	t.Run("SearchableProperties", func(t *testing.T) {
		props := slices.Concat(isachub.SearchProperties, isachub.SearchLists, []string{"hashes", "x_not_searched"})
		var objs []*stix.Object
		for i, p := range props {
			word := fmt.Sprintf("probeword%d", i)
			var v string
			switch {
			case p == "hashes":
				v = `{"SHA-256":"` + word + `"}`
			case slices.Contains(isachub.SearchLists, p):
				v = `["` + word + `"]`
			default:
				v = `"` + word + `"`
			}
			objs = append(objs, Parse(t, `{"type":"x-probe","spec_version":"2.1","id":"x-probe--`+UUID(12, i)+
				`","created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z","`+p+`":`+v+`}`))
		}
		mustAdd(t, s, f.coll.ID, f.orgA.ID, objs...)
		for i, p := range props {
			vs, err := Searched(s.SearchObjects(f.ctx, everything(f.coll.ID), isachub.SearchQuery{Text: fmt.Sprintf("probeword%d", i), Limit: 10}))
			mustOK(t, err)
			want := 1
			if p == "x_not_searched" {
				want = 0
			}
			if len(vs) != want {
				t.Errorf("a search for the word in %s found %d objects, want %d", p, len(vs), want)
			}
		}
	})
}

// testReady: a store that Open returned has every migration applied and
// answers Ready without an error (what /readyz asks).
func testReady(t *testing.T, s isachub.Store) {
	mustOK(t, s.Ready(t.Context()))
}
