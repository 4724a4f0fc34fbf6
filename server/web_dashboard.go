package server

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
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
	counts, err := s.store.CountAdded(ctx, statisticsScope(v, sc), first.Add(-time.Microsecond))
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

// statisticsScope is what of each collection of sc the viewer may count
// (Reader.StatisticsVisibility: never TLP:RED).
func statisticsScope(v *viewer, sc *scope) map[string]isachub.Visibility {
	r := v.reader()
	see := make(map[string]isachub.Visibility, len(sc.colls))
	for _, c := range sc.colls {
		see[c.ID] = r.StatisticsVisibility(c)
	}
	return see
}

// rankedTypes are the types the dashboard ranks by how often the period's
// objects refer to them, and how many of each it shows.
var rankedTypes = []string{"malware", "threat-actor", "intrusion-set", "attack-pattern"}

const rankedShown = 5

// referenceRanking is one of the dashboard's "most referenced" lists.
type referenceRanking struct {
	Type  string
	Items []rankedObject
}

type rankedObject struct {
	ID, Name string
	Count    int64
}

// mostReferenced ranks the objects of rankedTypes by the objects added
// since that refer to them and that the viewer may count; an object is
// listed only if the viewer may see it.
func (s *Server) mostReferenced(ctx context.Context, v *viewer, sc *scope, since time.Time) ([]referenceRanking, error) {
	rank, err := s.store.MostReferenced(ctx, statisticsScope(v, sc), rankedTypes, since, 8*len(rankedTypes)*rankedShown)
	if err != nil {
		return nil, err
	}
	refs := make([]objectRef, len(rank))
	for i, r := range rank {
		refs[i] = objectRef{ID: r.ID}
	}
	if err := s.nameRefs(ctx, sc, refs); err != nil {
		return nil, err
	}
	out := make([]referenceRanking, len(rankedTypes))
	for i, t := range rankedTypes {
		out[i].Type = t
	}
	for i, r := range rank {
		if refs[i].Name == "" { // not visible to the viewer
			continue
		}
		k := slices.Index(rankedTypes, stix.IDType(r.ID))
		if k >= 0 && len(out[k].Items) < rankedShown {
			out[k].Items = append(out[k].Items, rankedObject{r.ID, refs[i].Name, r.Count})
		}
	}
	return out, nil
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
		"Days": days, "Total": st.total, "ByType": ranked,
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
	if data["Ranked"], err = s.mostReferenced(ctx, v, sc, st.days[0].Add(-time.Microsecond)); err != nil {
		return err
	}
	mine, err := s.store.Submitted(ctx, sc.see, v.org.ID, 10)
	if err != nil {
		return err
	}
	var views []*objectView
	for _, o := range mine {
		if ov, err := newObjectView(o, sc.byID[o.CollectionID]); err == nil {
			views = append(views, ov)
		}
	}
	data["Mine"] = views
	s.render(w, r, v, "dashboard", page{Title: v.comm.Title, Nav: "dashboard", Data: data})
	return nil
}
