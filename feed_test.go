package isachub_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// TestFeedSources holds the feeds' access rule: a feed covers what its
// reader may see of the collections it reads, narrowed by its ceiling; a
// feed token narrows to TLP:CLEAR; others may not read it at all.
func TestFeedSources(t *testing.T) {
	const comm, other = 1, 2
	const a, b, staff, x = 10, 11, 12, 20
	open := &isachub.Collection{ID: "c1", CommunityID: comm, ReadAll: true, WriteAll: true}
	named := &isachub.Collection{ID: "c2", CommunityID: comm, Readers: []int64{a}, Writers: []int64{a}, DefaultTLP: "red"}
	colls := []*isachub.Collection{open, named}
	own := &isachub.Feed{ID: "f1", CommunityID: comm, OrgID: a, Filter: isachub.FeedFilter{TLPCeiling: "amber"}}
	everyone := &isachub.Feed{ID: "f2", CommunityID: comm, OrgID: staff, Everyone: true}
	levels := func(src []isachub.FeedSource) map[string][]stix.TLP {
		out := map[string][]stix.TLP{}
		for _, s := range src {
			for l := stix.TLPNone; l <= stix.TLPRed; l++ {
				if !s.See.Hidden().Has(l) {
					out[s.Collection.ID] = append(out[s.Collection.ID], l)
				}
			}
		}
		return out
	}
	const N, C, G, A, S, R = stix.TLPNone, stix.TLPClear, stix.TLPGreen, stix.TLPAmber, stix.TLPAmberStrict, stix.TLPRed
	for _, tc := range []struct {
		name string
		r    isachub.Reader
		f    *isachub.Feed
		want map[string][]stix.TLP // nil: ENOTFOUND
	}{
		{"OwnerUnderCeiling", isachub.Reader{OrgID: a, CommunityID: comm}, own,
			map[string][]stix.TLP{"c1": {N, C, G, A}, "c2": {C, G, A}}}, // c2's unmarked are RED
		{"OtherMemberOfOwnFeed", isachub.Reader{OrgID: b, CommunityID: comm}, own, nil},
		{"OutsiderOfOwnFeed", isachub.Reader{OrgID: x, CommunityID: other}, own, nil},
		{"MemberOfEveryoneFeed", isachub.Reader{OrgID: b, CommunityID: comm}, everyone,
			map[string][]stix.TLP{"c1": {N, C, G, A, S}}},
		{"OutsiderOfEveryoneFeed", isachub.Reader{OrgID: x, CommunityID: other}, everyone, nil},
		{"FeedToken", isachub.Reader{OrgID: a, CommunityID: comm, FeedToken: "f2"}, everyone,
			map[string][]stix.TLP{"c1": {C}, "c2": {C}}},
		{"FeedTokenOfAnotherFeed", isachub.Reader{OrgID: a, CommunityID: comm, FeedToken: "f2"}, own, nil},
		{"OperatorOutside", isachub.Reader{OrgID: x, CommunityID: other, HubOperator: true}, own,
			map[string][]stix.TLP{"c1": {C}, "c2": {C}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := tc.r.FeedSources(tc.f, colls)
			if tc.want == nil {
				if isachub.ErrorCode(err) != isachub.ENOTFOUND {
					t.Fatalf("err %v, want ENOTFOUND", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := levels(src)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for id, w := range tc.want {
				if !slices.Equal(got[id], w) {
					t.Errorf("%s: %v, want %v", id, got[id], w)
				}
			}
		})
	}
	t.Run("FeedTokenOpensNoCollection", func(t *testing.T) {
		r := isachub.Reader{OrgID: a, CommunityID: comm, FeedToken: "f2"}
		if r.MayOpen(open) || r.MayWrite(open) || r.MaySeeCollection(named) {
			t.Error("a feed token opens a collection")
		}
	})
}

func mustObject(t *testing.T, s string) *stix.Object {
	t.Helper()
	o := new(stix.Object)
	if err := json.Unmarshal([]byte(s), o); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestFeedFilterSelects(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ind := func(extra string) string {
		return `{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000001","created":"2026-05-01T00:00:00Z","modified":"2026-05-20T00:00:00Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"` + extra + `}`
	}
	for _, tc := range []struct {
		name string
		f    isachub.FeedFilter
		obj  string
		want bool
	}{
		{"OKEmpty", isachub.FeedFilter{}, ind(""), true},
		{"OKType", isachub.FeedFilter{Types: []string{"indicator"}}, ind(""), true},
		{"ErrType", isachub.FeedFilter{Types: []string{"malware"}}, ind(""), false},
		{"ErrRevoked", isachub.FeedFilter{ActiveOnly: true}, ind(`,"revoked":true`), false},
		{"ErrExpired", isachub.FeedFilter{ActiveOnly: true}, ind(`,"valid_until":"2026-06-01T00:00:00Z"`), false},
		{"OKNotYetExpired", isachub.FeedFilter{ActiveOnly: true}, ind(`,"valid_until":"2026-06-01T00:00:01Z"`), true},
		{"OKLabel", isachub.FeedFilter{Labels: []string{"x", "phishing"}}, ind(`,"labels":["phishing"]`), true},
		{"ErrLabel", isachub.FeedFilter{Labels: []string{"x"}}, ind(`,"labels":["phishing"]`), false},
		{"OKConfidence", isachub.FeedFilter{MinConfidence: 50}, ind(`,"confidence":50`), true},
		{"ErrConfidenceLow", isachub.FeedFilter{MinConfidence: 50}, ind(`,"confidence":49`), false},
		{"ErrConfidenceAbsent", isachub.FeedFilter{MinConfidence: 1}, ind(""), false},
		{"OKPhase", isachub.FeedFilter{KillChainPhases: []string{"mitre-attack:initial-access"}}, ind(`,"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"initial-access"}]`), true},
		{"OKPhaseAnyChain", isachub.FeedFilter{KillChainPhases: []string{"initial-access"}}, ind(`,"kill_chain_phases":[{"kill_chain_name":"lockheed","phase_name":"initial-access"}]`), true},
		{"ErrPhase", isachub.FeedFilter{KillChainPhases: []string{"exfiltration"}}, ind(`,"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"initial-access"}]`), false},
		{"OKCreatedAfter", isachub.FeedFilter{CreatedAfter: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}, ind(""), true},
		{"ErrCreatedAfter", isachub.FeedFilter{CreatedAfter: time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC)}, ind(""), false},
		{"ErrModifiedAfter", isachub.FeedFilter{ModifiedAfter: time.Date(2026, 5, 21, 0, 0, 0, 0, time.UTC)}, ind(""), false},
		{"OKMaxAge", isachub.FeedFilter{MaxAgeDays: 12}, ind(""), true},
		{"ErrMaxAge", isachub.FeedFilter{MaxAgeDays: 11}, ind(""), false},
		{"ErrTargets", isachub.FeedFilter{Targets: []string{"identity--00000000-0000-4000-8000-000000000009"}}, ind(""), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.Selects(mustObject(t, tc.obj), now, nil); got != tc.want {
				t.Errorf("Selects = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("OKTargeted", func(t *testing.T) {
		f := isachub.FeedFilter{Targets: []string{"identity--00000000-0000-4000-8000-000000000009"}}
		if !f.Selects(mustObject(t, ind("")), now, map[string]bool{"indicator--00000000-0000-4000-8000-000000000001": true}) {
			t.Error("a targeted object is left out")
		}
	})
}

func TestFeedFilterValidate(t *testing.T) {
	for name, f := range map[string]isachub.FeedFilter{
		"ErrCeiling":    {TLPCeiling: "purple"},
		"ErrType":       {Types: []string{"Not A Type"}},
		"ErrTarget":     {Targets: []string{"malware--00000000-0000-4000-8000-000000000001"}},
		"ErrConfidence": {MinConfidence: 101},
		"ErrAge":        {MaxAgeDays: -1},
		"ErrEmptyLabel": {Labels: []string{""}},
	} {
		t.Run(name, func(t *testing.T) {
			if err := f.Validate(); isachub.ErrorCode(err) != isachub.EINVALID {
				t.Errorf("Validate = %v, want EINVALID", err)
			}
		})
	}
	for _, name := range isachub.FeedPresetNames {
		f := isachub.FeedPresets[name]
		if err := f.Validate(); err != nil {
			t.Errorf("preset %s: %v", name, err)
		}
		if f.Ceiling() == stix.TLPRed {
			t.Errorf("preset %s yields TLP:RED", name)
		}
	}
	if len(isachub.FeedPresets) != len(isachub.FeedPresetNames) {
		t.Error("FeedPresetNames does not name every preset")
	}
}
