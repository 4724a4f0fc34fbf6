package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/isachub/isachub"
)

// equateTimes compares times as instants (time.Equal).
var equateTimes = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

// fullFilter returns a filter with every field set, its times in a zone
// other than UTC and with nanoseconds.
func fullFilter(f *fixture) isachub.FeedFilter {
	cet := time.FixedZone("CET", 3600)
	return isachub.FeedFilter{
		Collections:     []string{f.coll.ID, "collection-2"},
		Types:           []string{"indicator", "x-acme-thing"},
		Labels:          []string{"malicious-activity", "phishing"},
		MinConfidence:   60,
		TLPCeiling:      "amber+strict",
		KillChainPhases: []string{"mitre-attack:initial-access", "exfiltration"},
		CreatedAfter:    time.Date(2024, 3, 1, 12, 30, 45, 123456789, cet),
		ModifiedAfter:   time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC),
		MaxAgeDays:      30,
		ActiveOnly:      true,
		Targets:         []string{"identity--" + UUID(9, 1), "identity--" + UUID(9, 2)},
	}
}

// testFeedCreate stores and reads back feeds: every field of the filter,
// generated and given ids, the rules CreateFeed checks, the community
// scoping of Feed and Feeds and the order of Feeds.
func testFeedCreate(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	feed := &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "SOC", Description: "What the SIEM loads.",
		Preset: "soc", Filter: fullFilter(f)}
	before := time.Now().Add(-time.Minute)
	mustOK(t, s.CreateFeed(ctx, feed))
	t.Run("OK", func(t *testing.T) {
		if u, err := uuid.Parse(feed.ID); err != nil || u.Version() != 4 || u.String() != feed.ID {
			t.Fatalf("generated id %q is not a random (version 4) UUID: %v", feed.ID, err)
		}
		if feed.CreatedAt.Before(before) || !feed.UpdatedAt.Equal(feed.CreatedAt) || feed.Everyone {
			t.Fatalf("CreateFeed set CreatedAt %v, UpdatedAt %v, Everyone %v", feed.CreatedAt, feed.UpdatedAt, feed.Everyone)
		}
		got, err := s.Feed(ctx, f.comm.ID, feed.ID)
		mustOK(t, err)
		if diff := cmp.Diff(feed, got, equateTimes); diff != "" {
			t.Fatalf("Feed differs from what was stored (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(fullFilter(f), got.Filter, equateTimes); diff != "" {
			t.Fatalf("filter differs (-want +got):\n%s", diff)
		}
	})
	t.Run("ZeroFilter", func(t *testing.T) {
		zero := &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgB.ID, Title: "Everything"}
		mustOK(t, s.CreateFeed(ctx, zero))
		got, err := s.Feed(ctx, f.comm.ID, zero.ID)
		mustOK(t, err)
		if diff := cmp.Diff(isachub.FeedFilter{}, got.Filter, equateTimes); diff != "" {
			t.Fatalf("zero filter read back as (-want +got):\n%s", diff)
		}
		mustOK(t, s.DeleteFeed(ctx, f.comm.ID, zero.ID))
	})
	t.Run("GivenID", func(t *testing.T) {
		id := UUID(7, 1)
		given := &isachub.Feed{ID: id, CommunityID: f.comm.ID, OrgID: f.orgB.ID, Title: "Given"}
		mustOK(t, s.CreateFeed(ctx, given))
		if given.ID != id {
			t.Fatalf("CreateFeed changed the id %q to %q", id, given.ID)
		}
		wantCode(t, s.CreateFeed(ctx, &isachub.Feed{ID: id, CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "Again"}),
			isachub.ECONFLICT)
		// Ids are hub-wide: another community cannot take it either.
		wantCode(t, s.CreateFeed(ctx, &isachub.Feed{ID: id, CommunityID: f.other.ID, OrgID: f.otherOrg.ID, Title: "Again"}),
			isachub.ECONFLICT)
		mustOK(t, s.DeleteFeed(ctx, f.comm.ID, id))
	})
	t.Run("Errors", func(t *testing.T) {
		for name, filter := range map[string]isachub.FeedFilter{
			"tlp":        {TLPCeiling: "purple"},
			"type":       {Types: []string{"Not A Type"}},
			"target":     {Targets: []string{"malware--" + UUID(9, 1)}},
			"confidence": {MinConfidence: 101},
			"age":        {MaxAgeDays: -1},
			"label":      {Labels: []string{""}},
		} {
			bad := &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "Bad " + name, Filter: filter}
			wantCode(t, s.CreateFeed(ctx, bad), isachub.EINVALID)
		}
		wantCode(t, s.CreateFeed(ctx, &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgA.ID}), isachub.EINVALID)
		for _, id := range []string{"soc", "ABCDEF00-0000-4000-8000-000000000002", "{" + UUID(7, 2) + "}"} {
			wantCode(t, s.CreateFeed(ctx, &isachub.Feed{ID: id, CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "Odd id"}), isachub.EINVALID)
		}
		wantCode(t, s.CreateFeed(ctx, &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.otherOrg.ID, Title: "Theirs"}),
			isachub.ENOTFOUND)
		wantCode(t, s.CreateFeed(ctx, &isachub.Feed{CommunityID: f.comm.ID, OrgID: 987654, Title: "Nobody's"}),
			isachub.ENOTFOUND)
		wantCode(t, s.CreateFeed(ctx, &isachub.Feed{CommunityID: 987654, OrgID: f.orgA.ID, Title: "Nowhere"}),
			isachub.ENOTFOUND)
		_, err := s.Feed(ctx, f.other.ID, feed.ID)
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.Feed(ctx, f.comm.ID, UUID(7, 404))
		wantCode(t, err, isachub.ENOTFOUND)
		all, err := s.Feeds(ctx, f.comm.ID)
		mustOK(t, err)
		if len(all) != 1 || all[0].ID != feed.ID {
			t.Fatalf("after the refused creations, Feeds = %+v, want only %s", all, feed.ID)
		}
	})
	t.Run("Order", func(t *testing.T) {
		for _, x := range []*isachub.Feed{
			{ID: UUID(7, 3), CommunityID: f.comm.ID, OrgID: f.orgB.ID, Title: "Risk"},
			{ID: UUID(7, 2), CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "Risk"},
			{ID: UUID(7, 4), CommunityID: f.comm.ID, OrgID: f.orgB.ID, Title: "Engineering"},
			{ID: UUID(7, 5), CommunityID: f.other.ID, OrgID: f.otherOrg.ID, Title: "Another community's"},
		} {
			mustOK(t, s.CreateFeed(ctx, x))
		}
		all, err := s.Feeds(ctx, f.comm.ID)
		mustOK(t, err)
		var got []string
		for _, x := range all {
			got = append(got, x.Title+" "+x.ID)
		}
		want := []string{"Engineering " + UUID(7, 4), "Risk " + UUID(7, 2), "Risk " + UUID(7, 3), "SOC " + feed.ID}
		if !slices.Equal(got, want) {
			t.Fatalf("Feeds = %q, want %q", got, want)
		}
		if diff := cmp.Diff(feed, all[3], equateTimes); diff != "" {
			t.Fatalf("Feeds differs from what was stored (-want +got):\n%s", diff)
		}
		others, err := s.Feeds(ctx, f.other.ID)
		mustOK(t, err)
		if len(others) != 1 || others[0].ID != UUID(7, 5) {
			t.Fatalf("Feeds of the other community = %+v", others)
		}
		none, err := s.Feeds(ctx, 987654)
		mustOK(t, err)
		if none == nil || len(none) != 0 {
			t.Fatalf("Feeds of a missing community = %#v, want an empty list", none)
		}
	})
}

// testFeedEveryone checks that a feed of the staff organisation is for
// everyone, as the owner's flag is when it is read.
func testFeedEveryone(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	feed := &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "Members"}
	mustOK(t, s.CreateFeed(ctx, feed))
	everyone := func(t *testing.T, want bool) {
		t.Helper()
		got, err := s.Feed(ctx, f.comm.ID, feed.ID)
		mustOK(t, err)
		all, err := s.Feeds(ctx, f.comm.ID)
		mustOK(t, err)
		if got.Everyone != want || len(all) != 1 || all[0].Everyone != want {
			t.Fatalf("Everyone = %v (Feed), %+v (Feeds); want %v", got.Everyone, all, want)
		}
	}
	everyone(t, false)
	o := *f.orgA
	o.Staff = true
	mustOK(t, s.UpdateOrg(ctx, &o))
	everyone(t, true)
	second := &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "Staff"}
	mustOK(t, s.CreateFeed(ctx, second))
	if !second.Everyone {
		t.Fatal("CreateFeed of the staff organisation left Everyone false")
	}
	mustOK(t, s.DeleteFeed(ctx, f.comm.ID, second.ID))
	o.Staff = false
	mustOK(t, s.UpdateOrg(ctx, &o))
	everyone(t, false)
}

// testFeedConflictWithCollection checks that a feed cannot take the id of
// a collection, nor a collection the id of a feed, of its community or
// another: both are TAXII collections.
func testFeedConflictWithCollection(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	for _, id := range []string{f.coll.ID, f.otherColl.ID} {
		wantCode(t, s.CreateFeed(ctx, &isachub.Feed{ID: id, CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "Clash"}),
			isachub.ECONFLICT)
	}
	all, err := s.Feeds(ctx, f.comm.ID)
	mustOK(t, err)
	if len(all) != 0 {
		t.Fatalf("Feeds after refused creations = %+v", all)
	}
	// Nor may a collection take a feed's id, in any community.
	fd := &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "First"}
	mustOK(t, s.CreateFeed(ctx, fd))
	for _, comm := range []int64{f.comm.ID, f.other.ID} {
		wantCode(t, s.CreateCollection(ctx, &isachub.Collection{ID: fd.ID, CommunityID: comm, Title: "Clash", ReadAll: true, WriteAll: true}),
			isachub.ECONFLICT)
	}
}

// testFeedDelete removes feeds, only within their community.
func testFeedDelete(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	a := &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgA.ID, Title: "A"}
	b := &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgB.ID, Title: "B"}
	mustOK(t, s.CreateFeed(ctx, a))
	mustOK(t, s.CreateFeed(ctx, b))
	wantCode(t, s.DeleteFeed(ctx, f.other.ID, a.ID), isachub.ENOTFOUND)
	_, err := s.Feed(ctx, f.comm.ID, a.ID)
	mustOK(t, err)
	mustOK(t, s.DeleteFeed(ctx, f.comm.ID, a.ID))
	_, err = s.Feed(ctx, f.comm.ID, a.ID)
	wantCode(t, err, isachub.ENOTFOUND)
	wantCode(t, s.DeleteFeed(ctx, f.comm.ID, a.ID), isachub.ENOTFOUND)
	all, err := s.Feeds(ctx, f.comm.ID)
	mustOK(t, err)
	if len(all) != 1 || all[0].ID != b.ID {
		t.Fatalf("Feeds after delete = %+v, want only %s", all, b.ID)
	}
	// Removing the owner removes its feeds.
	mustOK(t, s.DeleteOrg(ctx, f.comm.ID, f.orgB.Slug))
	_, err = s.Feed(ctx, f.comm.ID, b.ID)
	wantCode(t, err, isachub.ENOTFOUND)
}

// testFeedTokens binds tokens to feeds: the feed is read back, must be of
// the user's community, and deleting it deletes its tokens.
func testFeedTokens(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	u := &isachub.User{OrgID: f.orgA.ID, Username: "feeder", Role: isachub.RoleAdmin}
	mustOK(t, s.CreateUser(ctx, u))
	feed := &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.orgB.ID, Title: "Partner"}
	otherFeed := &isachub.Feed{CommunityID: f.other.ID, OrgID: f.otherOrg.ID, Title: "Elsewhere"}
	mustOK(t, s.CreateFeed(ctx, feed))
	mustOK(t, s.CreateFeed(ctx, otherFeed))
	plain := &isachub.Token{UserID: u.ID, Name: "plain", Hash: []byte{1}}
	bound := &isachub.Token{UserID: u.ID, Name: "partner", Hash: []byte{2}, FeedID: feed.ID}
	mustOK(t, s.CreateToken(ctx, plain))
	mustOK(t, s.CreateToken(ctx, bound))
	got, err := s.TokenByHash(ctx, bound.Hash)
	mustOK(t, err)
	if got.ID != bound.ID || got.FeedID != feed.ID {
		t.Fatalf("TokenByHash = %+v, want id %d bound to %s", got, bound.ID, feed.ID)
	}
	got, err = s.TokenByHash(ctx, plain.Hash)
	mustOK(t, err)
	if got.FeedID != "" {
		t.Fatalf("a token without feed read back with FeedID %q", got.FeedID)
	}
	all, err := s.Tokens(ctx, u.ID)
	mustOK(t, err)
	if len(all) != 2 || all[0].FeedID != "" || all[1].FeedID != feed.ID {
		t.Fatalf("Tokens = %+v", all)
	}
	wantCode(t, s.CreateToken(ctx, &isachub.Token{UserID: u.ID, Hash: []byte{3}, FeedID: UUID(7, 404)}), isachub.ENOTFOUND)
	wantCode(t, s.CreateToken(ctx, &isachub.Token{UserID: u.ID, Hash: []byte{4}, FeedID: otherFeed.ID}), isachub.ENOTFOUND)
	wantCode(t, s.CreateToken(ctx, &isachub.Token{UserID: 987654, Hash: []byte{5}, FeedID: feed.ID}), isachub.ENOTFOUND)

	mustOK(t, s.DeleteFeed(ctx, f.comm.ID, feed.ID))
	_, err = s.TokenByHash(ctx, bound.Hash)
	wantCode(t, err, isachub.ENOTFOUND)
	_, err = s.TokenByHash(ctx, plain.Hash)
	mustOK(t, err)
	all, err = s.Tokens(ctx, u.ID)
	mustOK(t, err)
	if len(all) != 1 || all[0].ID != plain.ID {
		t.Fatalf("Tokens after the feed's deletion = %+v, want only %d", all, plain.ID)
	}
}

// testRuleSIDs numbers indicator ids: from 0, dense, in the order given,
// each id once, and for ever.
func testRuleSIDs(t *testing.T, s isachub.Store) {
	ctx := t.Context()
	id := func(i int) string { return "indicator--" + UUID(8, i) }
	check := func(t *testing.T, ids []string, want map[string]int64) {
		t.Helper()
		got, err := s.RuleSIDs(ctx, ids)
		mustOK(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("RuleSIDs(%q) (-want +got):\n%s", ids, diff)
		}
	}
	check(t, nil, map[string]int64{})
	check(t, []string{}, map[string]int64{})
	check(t, []string{id(1), id(2), id(1), id(3)}, map[string]int64{id(1): 0, id(2): 1, id(3): 2})
	check(t, []string{id(3), id(4), id(2)}, map[string]int64{id(3): 2, id(4): 3, id(2): 1})
	check(t, []string{id(1)}, map[string]int64{id(1): 0})
	check(t, []string{id(6), id(5), id(6)}, map[string]int64{id(6): 4, id(5): 5})

	_, err := s.RuleSIDs(ctx, make([]string, 10001))
	wantCode(t, err, isachub.EINVALID)

	// The most one call takes, half of them already numbered.
	ids := make([]string, 10000)
	for i := range ids {
		ids[i] = id(i + 1)
	}
	got, err := s.RuleSIDs(ctx, ids)
	mustOK(t, err)
	if len(got) != len(ids) {
		t.Fatalf("RuleSIDs of %d ids returned %d", len(ids), len(got))
	}
	seen := make([]bool, len(ids))
	for i, x := range ids {
		n := got[x]
		switch {
		case i < 6 && n != []int64{0, 1, 2, 3, 5, 4}[i]:
			t.Fatalf("%s changed its number to %d", x, n)
		case i >= 6 && n != int64(i):
			t.Fatalf("%s got %d, want %d (in the order given, after the largest)", x, n, i)
		case n < 0 || n >= int64(len(ids)) || seen[n]:
			t.Fatalf("%s got %d: not dense or not unique", x, n)
		}
		seen[n] = true
	}
}

// testRuleSIDsConcurrent has callers number overlapping sets of ids at
// once: every caller must see the same number for an id, and the numbers
// must be unique and dense.
func testRuleSIDsConcurrent(t *testing.T, s isachub.Store) {
	ctx := t.Context()
	const (
		callers = 8
		rounds  = 10
		span    = 40 // ids per call
		stride  = 7  // how far each caller's window moves per round
	)
	results := make([][]map[string]int64, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for r := range rounds {
				start := (c*3 + r*stride) % 100
				ids := make([]string, span)
				for i := range ids {
					ids[i] = fmt.Sprintf("indicator--%s", UUID(6, start+i))
				}
				if c%2 == 1 {
					slices.Reverse(ids)
				}
				got, err := s.RuleSIDs(ctx, ids)
				if err != nil {
					errs[c] = err
					return
				}
				if len(got) != span {
					errs[c] = fmt.Errorf("round %d: %d numbers for %d ids", r, len(got), span)
					return
				}
				results[c] = append(results[c], got)
			}
		})
	}
	wg.Wait()
	for c, err := range errs {
		mustOK(t, err)
		if len(results[c]) != rounds {
			t.Fatalf("caller %d made %d calls, want %d", c, len(results[c]), rounds)
		}
	}
	final := map[string]int64{}
	for c := range results {
		for _, m := range results[c] {
			for id, n := range m {
				if prev, ok := final[id]; ok && prev != n {
					t.Fatalf("%s was given %d and %d", id, prev, n)
				}
				final[id] = n
			}
		}
	}
	numbers := make([]int64, 0, len(final))
	for _, n := range final {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	for i, n := range numbers {
		if n != int64(i) {
			t.Fatalf("numbers of %d ids are %v: not unique and dense from 0", len(final), numbers)
		}
	}
	// And they stay.
	ids := make([]string, 0, len(final))
	for id := range final {
		ids = append(ids, id)
	}
	again, err := s.RuleSIDs(ctx, ids)
	mustOK(t, err)
	if diff := cmp.Diff(final, again); diff != "" {
		t.Fatalf("numbers changed (-before +after):\n%s", diff)
	}
}
