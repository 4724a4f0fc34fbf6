package storetest

import (
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// testCountAdded checks the per-day counts of the dashboard: versions are
// counted on the day (UTC) they were added, by type and collection, only
// in the collections of scope, and never at a level the Visibility hides.
func testCountAdded(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	// Counts are by whole day: since the end of yesterday.
	before := isachub.DayOf(time.Now().UnixMicro()).Add(-time.Microsecond)
	mustAdd(t, s, f.coll.ID, f.orgA.ID,
		MarkedIndicator(1, Epoch, stix.TLPClear), MarkedIndicator(2, Epoch, stix.TLPAmber),
		MarkedIndicator(3, Epoch, stix.TLPRed), MarkedIndicator(1, Epoch.Add(time.Hour), stix.TLPGreen), Malware(1))
	mustAdd(t, s, f.otherColl.ID, f.otherOrg.ID, MarkedIndicator(9, Epoch, stix.TLPClear))
	count := func(t *testing.T, scope map[string]isachub.Visibility, since time.Time) map[string]int64 {
		t.Helper()
		cs, err := s.CountAdded(ctx, scope, since)
		mustOK(t, err)
		out := map[string]int64{}
		for _, c := range cs {
			if c.CollectionID != f.coll.ID || !c.Day.Equal(isachub.DayOf(time.Now().UnixMicro())) && !c.Day.Equal(isachub.DayOf(before.UnixMicro())) {
				t.Errorf("count %+v: wrong collection or day", c)
			}
			out[c.Type] += c.Count
		}
		return out
	}
	var none isachub.TLPSet
	t.Run("All", func(t *testing.T) {
		got := count(t, everything(f.coll.ID), before)
		if got["indicator"] != 4 || got["malware"] != 1 || len(got) != 2 {
			t.Fatalf("counts = %v, want 4 indicator versions and 1 malware", got)
		}
	})
	t.Run("HiddenLevelsNotCounted", func(t *testing.T) {
		scope := map[string]isachub.Visibility{f.coll.ID: isachub.Hiding(none.With(stix.TLPRed).With(stix.TLPAmber))}
		if got := count(t, scope, before); got["indicator"] != 2 {
			t.Fatalf("counts = %v, want the CLEAR and GREEN indicator versions only", got)
		}
	})
	t.Run("Since", func(t *testing.T) {
		if got := count(t, everything(f.coll.ID), isachub.DayOf(time.Now().UnixMicro())); len(got) != 0 {
			t.Fatalf("counts after now = %v, want none", got)
		}
	})
	t.Run("Deleted", func(t *testing.T) {
		// Deleting the indicator's two versions (CLEAR, GREEN) takes them
		// off the counts.
		mustOK(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(1), f.orgA.ID, isachub.ObjectFilter{}))
		if got := count(t, everything(f.coll.ID), before); got["indicator"] != 2 || got["malware"] != 1 {
			t.Fatalf("counts after deleting = %v, want 2 indicator versions and 1 malware", got)
		}
	})
	t.Run("NothingVisible", func(t *testing.T) {
		if got := count(t, map[string]isachub.Visibility{f.coll.ID: {}}, before); len(got) != 0 {
			t.Fatalf("counts with the zero Visibility = %v, want none", got)
		}
	})
}
