package server

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/isachub/isachub"
)

// statistics are the counts a viewer may see, from the store's per-day
// counts with the policy's StatisticsVisibility: what the viewer may see,
// and never TLP:RED.
type statistics struct {
	days         []time.Time                    // oldest first, one per day of the period
	byDay        map[time.Time]map[string]int64 // day -> type -> versions added
	byType       map[string]int64
	byCollection map[string]int64
	total        int64
}

// viewerStatistics counts what the collections of sc received in the last
// days days (today included) that the viewer may count.
func (s *Server) viewerStatistics(ctx context.Context, v *viewer, sc *scope, days int) (*statistics, error) {
	today := isachub.DayOf(s.now().UnixMicro())
	first := today.AddDate(0, 0, -(days - 1))
	r := v.reader()
	see := make(map[string]isachub.Visibility, len(sc.colls))
	for _, c := range sc.colls {
		see[c.ID] = r.StatisticsVisibility(c)
	}
	counts, err := s.store.CountAdded(ctx, see, first.Add(-time.Microsecond))
	if err != nil {
		return nil, err
	}
	st := &statistics{byDay: map[time.Time]map[string]int64{}, byType: map[string]int64{}, byCollection: map[string]int64{}}
	for d := first; !d.After(today); d = d.AddDate(0, 0, 1) {
		st.days = append(st.days, d)
	}
	for _, c := range counts {
		if c.Day.Before(first) {
			continue
		}
		if st.byDay[c.Day] == nil {
			st.byDay[c.Day] = map[string]int64{}
		}
		st.byDay[c.Day][c.Type] += c.Count
		st.byType[c.Type] += c.Count
		st.byCollection[c.CollectionID] += c.Count
		st.total += c.Count
	}
	return st, nil
}

// typeCount is one line of a ranking.
type typeCount struct {
	Type  string
	Count int64
}

// ranked returns the counts by type, largest first.
func (st *statistics) ranked() []typeCount {
	var out []typeCount
	for t, n := range st.byType {
		out = append(out, typeCount{t, n})
	}
	slices.SortFunc(out, func(a, b typeCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Type, b.Type))
	})
	return out
}

// handleDashboard is the community's home page: what arrived per day by
// type over 30 or 90 days, sightings per week, the collections, and the
// moderation queue for the ISAC's staff.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request, v *viewer) error {
	days := 30
	if r.URL.Query().Get("days") == "90" {
		days = 90
	}
	ctx := r.Context()
	sc, err := s.viewerScope(ctx, v)
	if err != nil {
		return err
	}
	st, err := s.viewerStatistics(ctx, v, sc, days)
	if err != nil {
		return err
	}
	ranked := st.ranked()
	data := map[string]any{
		"Days": days, "Total": st.total, "Ranked": ranked,
		"Chart":     stackedBars(st.days, st.byDay, chartSeries(ranked), "Objects added per day"),
		"Sightings": weeklyBars(st.days, st.byDay, "sighting", "Sightings added per week"),
	}
	queued := 0
	for _, c := range sc.colls {
		if c.Moderated && isachub.MayModerate(v.user, v.org, c) {
			p, err := s.store.PendingSubmissions(ctx, c.ID)
			if err != nil {
				return err
			}
			queued += len(p)
		}
	}
	data["Queued"] = queued
	s.render(w, r, v, "dashboard", page{Title: v.comm.Title, Nav: "dashboard", Data: data})
	return nil
}
