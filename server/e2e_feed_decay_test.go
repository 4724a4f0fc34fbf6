package server_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
)

// TestFeedMinScore holds a feed's min_score to the decay formula
// (decay.go): a fresh indicator stays, an old IP address goes, an old file
// hash of the same age stays (its half-life is a year), a sighting
// restores an old indicator, and only a sighting the reader may see does:
// one in a collection C cannot read leaves the indicator out of C's read
// of the same feed, in A's. Objects without a score pass.
func TestFeedMinScore(t *testing.T) {
	h := newHub(t, server.Config{})
	ctx := context.Background()
	now := time.Now().UTC()
	stamp := func(d time.Duration) string { return now.Add(-d).Format("2006-01-02T15:04:05.000Z") }
	ind := func(n int, pattern string, age time.Duration) string {
		s := stamp(age)
		return fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":%q,"created":%q,"modified":%q,"name":"Decay %d","pattern":%q,"pattern_type":"stix","valid_from":%q}`,
			indicatorID(n), s, s, n, pattern, s)
	}
	sighting := func(n, of int, lastSeen time.Duration) string {
		return fmt.Sprintf(`{"type":"sighting","spec_version":"2.1","id":"sighting--%08x-0000-4000-8000-000000000000","created":%q,"modified":%q,"sighting_of_ref":%q,"last_seen":%q}`,
			n, stamp(lastSeen), stamp(lastSeen), indicatorID(of), stamp(lastSeen))
	}
	const hash = "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"
	h.post(t, "a-analyst", "open", envelope(
		ind(11, "[ipv4-addr:value = '203.0.113.11']", 24*time.Hour),       // 97
		ind(12, "[ipv4-addr:value = '203.0.113.12']", 200*24*time.Hour),   // 0.98
		ind(13, "[file:hashes.'SHA-256' = '"+hash+"']", 200*24*time.Hour), // 68
		ind(14, "[ipv4-addr:value = '203.0.113.14']", 200*24*time.Hour),   // restored: 95
		ind(15, "[ipv4-addr:value = '203.0.113.15']", 200*24*time.Hour),   // restored for A only
		`{"type":"malware","spec_version":"2.1","id":"malware--00000000-0000-4000-8000-00000000d0ca","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"Oldworm","is_family":true}`,
		sighting(1, 14, 2*24*time.Hour),
	))
	h.post(t, "a-analyst", "restricted", envelope(sighting(2, 15, 24*time.Hour)))
	staff := mustOrg(t, h.store, h.comm, "isac")
	staff.Staff = true
	if err := h.store.UpdateOrg(ctx, staff); err != nil {
		t.Fatal(err)
	}
	fd := &isachub.Feed{CommunityID: h.comm.ID, OrgID: staff.ID, Title: "Still worth blocking",
		Filter: isachub.FeedFilter{Types: []string{"indicator", "malware"}, MinScore: 50, TLPCeiling: "red"}}
	if err := h.store.CreateFeed(ctx, fd); err != nil {
		t.Fatal(err)
	}
	fh := &feedHub{hub: h}
	want := func(ns ...int) []string {
		ids := []string{"malware--00000000-0000-4000-8000-00000000d0ca"}
		for _, n := range ns {
			ids = append(ids, indicatorID(n))
		}
		slices.Sort(ids)
		return ids
	}
	for user, ids := range map[string][]string{
		"a-analyst": want(11, 13, 14, 15),
		"c-analyst": want(11, 13, 14),
	} {
		got := fh.feedIDs(t, user, fd, 2, "")
		slices.Sort(got)
		if !slices.Equal(got, ids) {
			t.Errorf("%s reads %v, want %v", user, got, ids)
		}
	}
	bad := *fd
	bad.ID, bad.Filter.MinScore = "", 101
	if err := h.store.CreateFeed(ctx, &bad); isachub.ErrorCode(err) != isachub.EINVALID {
		t.Errorf("min_score 101: %v", err)
	}
}
