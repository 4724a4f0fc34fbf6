package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// testSearchFilters checks SearchObjects' filters (type, label, minimum
// confidence, created and added days, submitter), its order (newest
// first), its paging (Offset, Limit, More) and SearchScanLimit: Partial
// counts only what the scope lets the caller see.
func testSearchFilters(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	obj := func(typ string, n int, created, extra string) *stix.Object {
		body := `"name":"Kraken ` + typ + `","is_family":true`
		if typ == "indicator" {
			body = `"name":"Kraken relay","pattern":"[ipv4-addr:value = '203.0.113.9']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"`
		}
		return Parse(t, fmt.Sprintf(`{"type":%q,"spec_version":"2.1","id":"%s--%s","created":%q,"modified":%q,%s%s}`,
			typ, typ, UUID(11, n), created, created, body, extra))
	}
	// Added in this order, so newest first is i1, m2, m1.
	m1 := obj("malware", 1, "2026-01-02T03:04:05.000Z", `,"labels":["ransomware","finance"],"confidence":80`)
	m2 := obj("malware", 2, "2026-01-03T00:00:00Z", `,"labels":["loader"],"confidence":40`)
	i1 := obj("indicator", 3, "2026-01-03T23:59:59.999Z", ``)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, m1)
	mustAdd(t, s, f.coll.ID, f.orgB.ID, m2)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, i1)
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		mustOK(t, err)
		return d
	}
	today := time.Now().UTC()
	search := func(t *testing.T, q isachub.SearchQuery) *isachub.SearchPage {
		t.Helper()
		q.Text = "kraken"
		p, err := s.SearchObjects(ctx, everything(f.coll.ID), q)
		mustOK(t, err)
		return p
	}
	for _, tc := range []struct {
		name string
		q    isachub.SearchQuery
		want []*stix.Object
	}{
		{"NewestFirst", isachub.SearchQuery{}, []*stix.Object{i1, m2, m1}},
		{"Types", isachub.SearchQuery{Types: []string{"malware", "tool"}}, []*stix.Object{m2, m1}},
		{"Label", isachub.SearchQuery{Label: "finance"}, []*stix.Object{m1}},
		{"LabelNone", isachub.SearchQuery{Label: "financ"}, nil},
		{"MinConfidence", isachub.SearchQuery{MinConfidence: 50}, []*stix.Object{m1}},
		{"MinConfidenceIncluded", isachub.SearchQuery{MinConfidence: 40}, []*stix.Object{m2, m1}},
		{"CreatedDay", isachub.SearchQuery{CreatedFrom: day("2026-01-03"), CreatedUntil: day("2026-01-03")}, []*stix.Object{i1, m2}},
		{"CreatedFrom", isachub.SearchQuery{CreatedFrom: day("2026-01-03")}, []*stix.Object{i1, m2}},
		{"CreatedUntil", isachub.SearchQuery{CreatedUntil: day("2026-01-02")}, []*stix.Object{m1}},
		{"AddedToday", isachub.SearchQuery{AddedFrom: today, AddedUntil: today}, []*stix.Object{i1, m2, m1}},
		{"AddedBefore", isachub.SearchQuery{AddedUntil: today.AddDate(0, 0, -1)}, nil},
		{"Submitter", isachub.SearchQuery{SubmitterOrgID: f.orgA.ID}, []*stix.Object{i1, m1}},
		{"Together", isachub.SearchQuery{Types: []string{"malware"}, SubmitterOrgID: f.orgA.ID, Label: "ransomware", MinConfidence: 80}, []*stix.Object{m1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := search(t, tc.q)
			var want []string
			for _, o := range tc.want {
				want = append(want, o.ID())
			}
			if got := ids(p.Versions); !slices.Equal(got, want) || p.More || p.Partial {
				t.Fatalf("search %+v = %v (more %v, partial %v), want %v", tc.q, got, p.More, p.Partial, want)
			}
		})
	}
	t.Run("Paging", func(t *testing.T) {
		var got []string
		for off := 0; off < 3; off++ {
			p := search(t, isachub.SearchQuery{Offset: off, Limit: 1})
			if len(p.Versions) != 1 || p.More != (off < 2) {
				t.Fatalf("page at %d: %d results, more %v", off, len(p.Versions), p.More)
			}
			got = append(got, p.Versions[0].ID)
		}
		if want := []string{i1.ID(), m2.ID(), m1.ID()}; !slices.Equal(got, want) {
			t.Fatalf("pages = %v, want %v", got, want)
		}
		if p := search(t, isachub.SearchQuery{Offset: 3}); len(p.Versions) != 0 || p.More {
			t.Fatalf("past the end: %d results, more %v", len(p.Versions), p.More)
		}
	})
	t.Run("BeyondJSONB", func(t *testing.T) {
		// Valid objects that PostgreSQL's jsonb cannot hold (an escaped NUL
		// and a number beyond its range, in properties no filter reads)
		// neither fail the label and confidence filters nor are missed by
		// them.
		c := &isachub.Collection{CommunityID: f.comm.ID, Title: "Odd bytes", ReadAll: true, WriteAll: true}
		mustOK(t, s.CreateCollection(ctx, c))
		odd := Parse(t, `{"type":"malware","spec_version":"2.1","id":"malware--`+UUID(11, 9)+`","created":"2026-01-04T00:00:00Z","modified":"2026-01-04T00:00:00Z","name":"Kraken odd","is_family":true,"labels":["finance"],"confidence":90,"x_note":"a \u0000 in it, and \\u0000 too","x_big":1e400000}`)
		mustAdd(t, s, c.ID, f.orgA.ID, odd)
		for _, q := range []isachub.SearchQuery{{Text: "kraken", Label: "finance"}, {Text: "kraken", MinConfidence: 85}, {Text: "kraken", Label: "finance", MinConfidence: 90}} {
			p, err := s.SearchObjects(ctx, everything(c.ID), q)
			mustOK(t, err)
			if got := ids(p.Versions); !slices.Equal(got, []string{odd.ID()}) {
				t.Errorf("search %+v = %v, want %s", q, got, odd.ID())
			}
		}
	})
	t.Run("ScanLimit", func(t *testing.T) {
		// More matches than SearchScanLimit in one collection: a filter
		// that none of the most recent ones passes finds nothing and says
		// the search was partial; the same words in another collection
		// (which the caller of the second search does not see) count for
		// nothing.
		c := &isachub.Collection{CommunityID: f.comm.ID, Title: "Busy", ReadAll: true, WriteAll: true}
		mustOK(t, s.CreateCollection(ctx, c))
		mustAdd(t, s, c.ID, f.orgA.ID, Malware(1))
		for i := 0; i <= isachub.SearchScanLimit; i += 5000 {
			mustAdd(t, s, c.ID, f.orgA.ID, Indicators(i, min(i+5000, isachub.SearchScanLimit+1))...)
		}
		q := isachub.SearchQuery{Text: "malicious", Types: []string{"malware"}}
		p, err := s.SearchObjects(ctx, everything(c.ID), q)
		mustOK(t, err)
		if len(p.Versions) != 0 || !p.Partial || p.More {
			t.Fatalf("beyond the scan limit: %d results, partial %v, more %v", len(p.Versions), p.Partial, p.More)
		}
		p, err = s.SearchObjects(ctx, everything(f.coll.ID), q)
		mustOK(t, err)
		if len(p.Versions) != 0 || p.Partial {
			t.Fatalf("another collection's matches: %d results, partial %v", len(p.Versions), p.Partial)
		}
		var none isachub.TLPSet
		hidden := map[string]isachub.Visibility{c.ID: isachub.Hiding(none.With(stix.TLPNone))}
		p, err = s.SearchObjects(ctx, hidden, q)
		mustOK(t, err)
		if p.Partial {
			t.Fatal("matches of a hidden level made the search partial")
		}
	})
}
