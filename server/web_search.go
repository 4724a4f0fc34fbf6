package server

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// searchForm is the search page's query, as the form sends it, kept as
// text so that the page shows back what was typed.
type searchForm struct {
	Q                         string
	Type                      string
	TLP                       string
	Collection                string
	Label                     string
	Confidence                string // the minimum, 1 to 100
	CreatedFrom, CreatedUntil string // YYYY-MM-DD
	AddedFrom, AddedUntil     string
	Mine                      bool
	Page                      int // from 1
}

// searchShown is how many results a page of the search shows, and
// searchPages how many pages it offers (the store's SearchScanLimit
// bounds what one search examines anyway).
const (
	searchShown = 50
	searchPages = isachub.SearchScanLimit / searchShown
)

// searchTypes are the object types the search page offers as a filter.
var searchTypes = []string{"indicator", "malware", "threat-actor", "intrusion-set", "attack-pattern", "campaign",
	"vulnerability", "tool", "report", "note", "opinion", "sighting", "relationship", "identity", "observed-data"}

// readSearchForm reads the search form from a query string.
func readSearchForm(q url.Values) searchForm {
	f := searchForm{Q: strings.TrimSpace(q.Get("q")), Type: q.Get("type"), TLP: q.Get("tlp"), Collection: q.Get("collection"),
		Label: strings.TrimSpace(q.Get("label")), Confidence: strings.TrimSpace(q.Get("confidence")),
		CreatedFrom: strings.TrimSpace(q.Get("created_from")), CreatedUntil: strings.TrimSpace(q.Get("created_until")),
		AddedFrom: strings.TrimSpace(q.Get("added_from")), AddedUntil: strings.TrimSpace(q.Get("added_until")),
		Mine: q.Get("mine") == "1", Page: 1}
	if len(f.Q) > 500 {
		f.Q = f.Q[:500]
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		f.Page = min(n, searchPages)
	}
	return f
}

// query turns the form into the store's query for the viewer's
// organisation, or says which fields are wrong.
func (f searchForm) query(orgID int64) (isachub.SearchQuery, fieldErrors) {
	q := isachub.SearchQuery{Text: f.Q, Label: f.Label, Offset: (f.Page - 1) * searchShown, Limit: searchShown}
	errs := fieldErrors{}
	if f.Type != "" {
		q.Types = []string{f.Type}
	}
	if f.Mine {
		q.SubmitterOrgID = orgID
	}
	if f.Confidence != "" {
		n, err := strconv.Atoi(f.Confidence)
		if err != nil || n < 1 || n > 100 {
			errs["confidence"] = "The minimum confidence is a whole number from 1 to 100."
		}
		q.MinConfidence = n
	}
	for _, d := range []struct {
		field, text string
		to          *time.Time
	}{
		{"created_from", f.CreatedFrom, &q.CreatedFrom}, {"created_until", f.CreatedUntil, &q.CreatedUntil},
		{"added_from", f.AddedFrom, &q.AddedFrom}, {"added_until", f.AddedUntil, &q.AddedUntil},
	} {
		if d.text == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.text)
		if err != nil || t.Year() < 1 {
			errs[d.field] = "A date is written YYYY-MM-DD, such as 2026-12-07."
			continue
		}
		*d.to = t
	}
	if len(errs) > 0 {
		return isachub.SearchQuery{}, errs
	}
	return q, nil
}

// filtered is true when a filter besides the words is set.
func (f searchForm) filtered() bool {
	return f.Type != "" || f.TLP != "" || f.Collection != "" || f.Label != "" || f.Confidence != "" ||
		f.CreatedFrom != "" || f.CreatedUntil != "" || f.AddedFrom != "" || f.AddedUntil != "" || f.Mine
}

// pageURL is the address of another page of the same search.
func (f searchForm) pageURL(page int) string {
	v := url.Values{"q": {f.Q}}
	for k, s := range map[string]string{"type": f.Type, "tlp": f.TLP, "collection": f.Collection, "label": f.Label,
		"confidence": f.Confidence, "created_from": f.CreatedFrom, "created_until": f.CreatedUntil,
		"added_from": f.AddedFrom, "added_until": f.AddedUntil} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Mine {
		v.Set("mine", "1")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/ui/search?" + v.Encode()
}

// handleSearch is full-text search over what the viewer may see, with
// filters, paged, and the IOC look-up when the query is one indicator
// value.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request, v *viewer) error {
	f := readSearchForm(r.URL.Query())
	ctx := r.Context()
	sc, err := s.viewerScope(ctx, v)
	if err != nil {
		return err
	}
	data := map[string]any{"Form": f, "Types": searchTypes, "Collections": sc.colls,
		"TLPs": []string{"clear", "green", "amber", "amber+strict", "red"}}
	if f.Q == "" {
		s.render(w, r, v, "search", page{Title: "Search", Nav: "search", Data: data})
		return nil
	}
	q, errs := f.query(v.org.ID)
	if errs != nil {
		data["Errors"] = errs
		s.render(w, r, v, "search", page{Title: "Search: " + f.Q, Nav: "search", Data: data})
		return nil
	}
	search := maps.Clone(sc.see)
	if c, ok := sc.byID[f.Collection]; ok {
		search = map[string]isachub.Visibility{c.ID: sc.see[c.ID]}
	}
	if level, err := stix.ParseTLP(f.TLP); err == nil {
		// The TLP filter narrows the store's query (it hides more, never
		// less); an unmarked version has its collection's default level.
		for id, see := range search {
			keep := isachub.TLPSet(0).With(level)
			if c := sc.byID[id]; c != nil && isachub.CollectionTLP(c, stix.TLPNone) == level {
				keep = keep.With(stix.TLPNone)
			}
			search[id] = see.Only(keep)
		}
	}
	if obs, kind, ok := iocObservation(f.Q); ok && f.Page == 1 {
		hits, err := s.lookUpIOC(ctx, sc, obs)
		if err != nil {
			return err
		}
		var fired []*objectView
		for _, h := range hits {
			if _, seen := search[h.CollectionID]; seen && searchKeeps(q, h) {
				if ov, err := newObjectView(h, sc.byID[h.CollectionID]); err == nil && (f.TLP == "" || ov.TLP.String() == f.TLP) {
					fired = append(fired, ov)
				}
			}
		}
		data["IOC"] = map[string]any{"Kind": kind, "Indicators": fired, "Warnings": s.iocWarnings(obs)}
	}
	found, err := s.store.SearchObjects(ctx, search, q)
	if isachub.ErrorCode(err) == isachub.EINVALID {
		data["Error"] = isachub.ErrorMessage(err)
		found = &isachub.SearchPage{}
	} else if err != nil {
		return err
	}
	var results []*objectView
	for _, o := range found.Versions {
		if ov, err := newObjectView(o, sc.byID[o.CollectionID]); err == nil {
			results = append(results, ov)
		}
	}
	data["Results"], data["Partial"], data["Filtered"] = results, found.Partial, f.filtered()
	data["First"], data["Last"], data["ScanLimit"] = q.Offset+1, q.Offset+len(results), int64(isachub.SearchScanLimit)
	if f.Page > 1 {
		data["Newer"] = f.pageURL(f.Page - 1)
	}
	if found.More && f.Page < searchPages {
		data["Older"] = f.pageURL(f.Page + 1)
	}
	s.render(w, r, v, "search", page{Title: "Search: " + f.Q, Nav: "search", Data: data})
	return nil
}

// searchKeeps applies the filters of q that the store applies to the
// search's results to one of the IOC look-up's indicators, so that both
// lists answer the same form.
func searchKeeps(q isachub.SearchQuery, o *isachub.ObjectVersion) bool {
	if len(q.Types) > 0 && !slices.Contains(q.Types, o.Type) || q.SubmitterOrgID != 0 && o.SubmitterOrgID != q.SubmitterOrgID {
		return false
	}
	if from, until, ok := isachub.DayRange(q.AddedFrom, q.AddedUntil); ok {
		if o.DateAdded.Before(from) || !o.DateAdded.Before(until) {
			return false
		}
	}
	if from, until, ok := isachub.DayRange(q.CreatedFrom, q.CreatedUntil); ok {
		if o.Created < from.Format(time.DateOnly) || o.Created >= until.Format(time.DateOnly) {
			return false
		}
	}
	if q.MinConfidence == 0 && q.Label == "" {
		return true
	}
	obj, err := stix.ParseObject(o.Raw)
	if err != nil {
		return false
	}
	if raw, ok := obj.Property("confidence"); q.MinConfidence > 0 {
		n, err := strconv.ParseFloat(string(raw), 64)
		if !ok || err != nil || n < float64(q.MinConfidence) {
			return false
		}
	}
	return q.Label == "" || slices.Contains(obj.Strings("labels"), q.Label)
}

// iocWarning is a warninglist a looked-up value is on, as the page says it.
type iocWarning struct {
	List, Description, Note string
}

// iocWarnings returns the warninglists (Config.Warninglists, as exports
// and matching use them) that the looked-up value is on: known false
// positives, which the page says before the indicators.
func (s *Server) iocWarnings(obs *pattern.Observation) []iocWarning {
	var out []iocWarning
	for _, w := range s.cfg.Warninglists.Event(obs).Warnings() {
		for _, h := range w.Hits {
			iw := iocWarning{List: h.List, Note: h.Note}
			if l := s.cfg.Warninglists.List(h.List); l != nil {
				iw.Description = l.Description
			}
			out = append(out, iw)
		}
	}
	return out
}
