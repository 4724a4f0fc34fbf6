package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// MarkedIndicator returns version modified of indicator number i marked
// with the TLP 2.0 marking of level (none for stix.TLPNone).
func MarkedIndicator(i int, modified time.Time, level stix.TLP) *stix.Object {
	m := map[string]any{
		"type":            "indicator",
		"spec_version":    "2.1",
		"id":              IndicatorID(i),
		"created":         stamp(Epoch),
		"modified":        stamp(modified),
		"name":            fmt.Sprintf("Indicator %d at TLP %s", i, level),
		"indicator_types": []string{"malicious-activity"},
		"pattern":         fmt.Sprintf("[ipv4-addr:value = '203.0.113.%d']", i%256),
		"pattern_type":    "stix",
		"valid_from":      stamp(Epoch),
	}
	if level != stix.TLPNone {
		m["object_marking_refs"] = []string{stix.TLPMarkingID(level)}
	}
	return mustObject(m)
}

// testTLPVisibility checks the Visibility of a read (isachub.Hiding): hidden versions are left out
// before paging, and first, last and the default spec_version are those of
// the visible versions.
func testTLPVisibility(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	coll := &isachub.Collection{CommunityID: f.comm.ID, Title: "Named", Readers: []int64{f.orgA.ID, f.orgB.ID}, Writers: []int64{f.orgA.ID}}
	mustOK(t, s.CreateCollection(f.ctx, coll))
	h := func(n int) time.Time { return Epoch.Add(time.Duration(n) * time.Hour) }
	// 1: CLEAR, then GREEN, then RED. 2: AMBER. 3: unmarked. 4: a STIX 2.0
	// CLEAR version, then a 2.1 RED one. 5: granular RED on a CLEAR object.
	v20 := Parse(t, fmt.Sprintf(`{"type":"indicator","id":"%s","created":"%s","modified":"%s","name":"old",
		"pattern":"[ipv4-addr:value = '203.0.113.4']","labels":["x"],"valid_from":"%s","object_marking_refs":["%s"]}`,
		IndicatorID(4), stamp(Epoch), stamp(h(0)), stamp(Epoch), stix.TLP1White))
	granular := Parse(t, fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"%s","created":"%s","modified":"%s",
		"name":"granular","pattern":"[ipv4-addr:value = '203.0.113.5']","pattern_type":"stix","valid_from":"%s",
		"object_marking_refs":["%s"],"granular_markings":[{"selectors":["name"],"marking_ref":"%s"}]}`,
		IndicatorID(5), stamp(Epoch), stamp(h(0)), stamp(Epoch), stix.TLP2Clear, stix.TLP2Red))
	mustAdd(t, s, coll.ID, f.orgA.ID,
		MarkedIndicator(1, h(0), stix.TLPClear), MarkedIndicator(2, h(0), stix.TLPAmber),
		MarkedIndicator(1, h(2), stix.TLPRed), MarkedIndicator(3, h(0), stix.TLPNone),
		MarkedIndicator(1, h(1), stix.TLPGreen), v20, MarkedIndicator(4, h(1), stix.TLPRed), granular)
	label := func(v *isachub.ObjectVersion) string {
		m, err := time.Parse(time.RFC3339, v.Modified)
		mustOK(t, err)
		n := map[string]string{IndicatorID(1): "1", IndicatorID(2): "2", IndicatorID(3): "3", IndicatorID(4): "4", IndicatorID(5): "5"}[v.ID]
		return fmt.Sprintf("%s@%d", n, int(m.Sub(Epoch)/time.Hour))
	}
	var none isachub.TLPSet
	red := none.With(stix.TLPRed)
	onlyClear := red.With(stix.TLPNone).With(stix.TLPGreen).With(stix.TLPAmber).With(stix.TLPAmberStrict)
	for _, tc := range []struct {
		name     string
		hidden   isachub.TLPSet
		versions []string
		want     []string // in date_added order
	}{
		{"NothingHiddenLast", none, nil, []string{"2@0", "1@2", "3@0", "4@1", "5@0"}},
		{"RedHiddenLast", red, nil, []string{"2@0", "3@0", "1@1", "4@0"}},
		{"RedHiddenFirst", red, []string{"first"}, []string{"1@0", "2@0", "3@0", "4@0"}},
		{"RedHiddenAll", red, []string{"all"}, []string{"1@0", "2@0", "3@0", "1@1", "4@0"}},
		{"OnlyClearLast", onlyClear, nil, []string{"1@0", "4@0"}},
		{"OnlyClearFirstOrLast", onlyClear, []string{"first", "last"}, []string{"1@0", "4@0"}},
		{"ClearHiddenFirst", none.With(stix.TLPClear), []string{"first"}, []string{"2@0", "3@0", "1@1", "4@1", "5@0"}},
		{"TimestampOfHidden", red, []string{stamp(h(2))}, nil},
		{"EverythingHidden", onlyClear.With(stix.TLPClear), []string{"all"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Pages of one: more and next must count visible versions only.
			var pages int
			f2 := isachub.ObjectFilter{Versions: tc.versions, Limit: 1}
			var got []string
			for {
				p, err := s.Objects(f.ctx, coll.ID, isachub.Hiding(tc.hidden), f2)
				mustOK(t, err)
				pages++
				for _, v := range p.Objects {
					got = append(got, label(v))
					if tc.hidden.Has(v.TLP) {
						t.Errorf("version %s of hidden TLP %s returned", label(v), v.TLP)
					}
				}
				if !p.More {
					break
				}
				if len(p.Objects) == 0 {
					t.Fatal("an empty page says more")
				}
				f2.Next = p.Next
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("hidden %v, versions %v = %v, want %v", tc.hidden.Levels(), tc.versions, got, tc.want)
			}
			if want := max(1, len(tc.want)); pages != want {
				t.Errorf("%d pages of one for %d visible versions: paging reveals hidden ones", pages, len(tc.want))
			}
		})
	}
	t.Run("ZeroVisibility", func(t *testing.T) {
		// The zero Visibility hides everything: a read that forgets to
		// ask the policy returns nothing.
		p, err := s.Objects(f.ctx, coll.ID, isachub.Visibility{}, isachub.ObjectFilter{Versions: []string{"all"}})
		mustOK(t, err)
		if len(p.Objects) != 0 || p.More || p.Next != "" {
			t.Fatalf("the zero Visibility read %d versions (more %v)", len(p.Objects), p.More)
		}
	})
	t.Run("OKStoredTLP", func(t *testing.T) {
		got := map[string]stix.TLP{}
		for _, v := range all(t, s, coll.ID, isachub.ObjectFilter{Versions: []string{"all"}, SpecVersions: []string{"2.0", "2.1"}}) {
			got[label(v)] = v.TLP
		}
		want := map[string]stix.TLP{"1@0": stix.TLPClear, "1@1": stix.TLPGreen, "1@2": stix.TLPRed, "2@0": stix.TLPAmber,
			"3@0": stix.TLPNone, "4@0": stix.TLPClear, "4@1": stix.TLPRed, "5@0": stix.TLPRed}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("TLP of %s = %v, want %v", k, got[k], w)
			}
		}
	})
	t.Run("OKIDFilter", func(t *testing.T) {
		got := allSeen(t, s, coll.ID, isachub.Hiding(red), isachub.ObjectFilter{IDs: []string{IndicatorID(1), IndicatorID(5)}})
		if len(got) != 1 || label(got[0]) != "1@1" {
			t.Fatalf("got %d versions, want 1@1", len(got))
		}
	})
	t.Run("OKSearch", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			scope map[string]isachub.Visibility
			limit int
			want  []string
		}{
			{"NothingHidden", everything(coll.ID), 10, []string{IndicatorID(1), IndicatorID(2), IndicatorID(3), IndicatorID(4)}},
			{"RedHidden", map[string]isachub.Visibility{coll.ID: isachub.Hiding(red)}, 10, []string{IndicatorID(2), IndicatorID(3)}},
			{"RedHiddenLimit", map[string]isachub.Visibility{coll.ID: isachub.Hiding(red)}, 1, nil}, // one of 2 and 3
			{"OnlyClear", map[string]isachub.Visibility{coll.ID: isachub.Hiding(onlyClear)}, 10, []string{}},
			{"OtherCollection", map[string]isachub.Visibility{coll.ID: isachub.Unrestricted(), f.coll.ID: isachub.Hiding(onlyClear.With(stix.TLPClear))}, 10, []string{IndicatorID(1), IndicatorID(2), IndicatorID(3), IndicatorID(4)}},
			// The zero Visibility hides everything: a read that forgets
			// to ask the policy finds nothing.
			{"ZeroVisibility", map[string]isachub.Visibility{coll.ID: {}}, 10, []string{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				vs, err := Searched(s.SearchObjects(f.ctx, tc.scope, isachub.SearchQuery{Text: "Indicator", Limit: tc.limit}))
				mustOK(t, err)
				got := ids(vs)
				slices.Sort(got)
				if tc.want == nil {
					if len(got) != 1 || got[0] != IndicatorID(2) && got[0] != IndicatorID(3) {
						t.Fatalf("limit 1 with RED hidden: %v, want one of the visible ones", got)
					}
					return
				}
				if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
					t.Fatalf("found %v, want %v", got, tc.want)
				}
			})
		}
	})
	t.Run("OKTypeFilters", func(t *testing.T) {
		for _, types := range [][]string{{"indicator"}, {"indicator", "malware"}} {
			got := allSeen(t, s, coll.ID, isachub.Hiding(onlyClear), isachub.ObjectFilter{Types: types})
			if len(got) != 2 {
				t.Fatalf("types %v: got %d versions, want 2", types, len(got))
			}
		}
	})
}

// TLPSamples returns objects with every kind of TLP marking: TLP 1.0 and
// 2.0 object markings, several at once, granular markings, other marking
// definitions and none; each with a distinct id. Backends use them to check
// the migration that computes the stored TLP of existing versions.
func TLPSamples() []*stix.Object {
	marks := []struct {
		object, granular []string
	}{
		{nil, nil},
		{[]string{stix.TLP1White}, nil},
		{[]string{stix.TLP1Green}, nil},
		{[]string{stix.TLP1Amber}, nil},
		{[]string{stix.TLP1Red}, nil},
		{[]string{stix.TLP2Clear}, nil},
		{[]string{stix.TLP2Green}, nil},
		{[]string{stix.TLP2Amber}, nil},
		{[]string{stix.TLP2AmberStrict}, nil},
		{[]string{stix.TLP2Red}, nil},
		{[]string{stix.TLP2Green, stix.TLP2AmberStrict, "marking-definition--" + UUID(9, 1)}, nil},
		{[]string{"marking-definition--" + UUID(9, 2)}, nil},
		{[]string{stix.TLP2Clear}, []string{stix.TLP2Red}},
		{nil, []string{stix.TLP1Amber, stix.TLP2Green}},
	}
	objs := make([]*stix.Object, len(marks))
	for i, m := range marks {
		o := map[string]any{
			"type": "malware", "spec_version": "2.1", "id": MalwareID(7000 + i),
			"created": stamp(Epoch), "modified": stamp(Epoch), "name": fmt.Sprintf("Sample %d", i), "is_family": false,
		}
		if m.object != nil {
			o["object_marking_refs"] = m.object
		}
		if m.granular != nil {
			var gm []map[string]any
			for _, ref := range m.granular {
				gm = append(gm, map[string]any{"selectors": []string{"name"}, "marking_ref": ref})
			}
			o["granular_markings"] = gm
		}
		objs[i] = mustObject(o)
	}
	return objs
}
