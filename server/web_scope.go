package server

import (
	"context"
	"slices"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// scope is what of the community a viewer may open: the collections, in
// title order, each with the Visibility the policy gives the viewer.
type scope struct {
	colls []*isachub.Collection
	byID  map[string]*isachub.Collection
	see   map[string]isachub.Visibility
}

// viewerScope asks the policy which of the community's collections the
// viewer may open (Reader.MayOpen) and what of each they may see
// (Reader.Visibility): the one rule every page reads through.
func (s *Server) viewerScope(ctx context.Context, v *viewer) (*scope, error) {
	all, err := s.store.Collections(ctx, v.comm.ID)
	if err != nil {
		return nil, err
	}
	sc := &scope{byID: map[string]*isachub.Collection{}, see: map[string]isachub.Visibility{}}
	r := v.reader()
	for _, c := range all {
		if !r.MayOpen(c) {
			continue
		}
		sc.colls = append(sc.colls, c)
		sc.byID[c.ID] = c
		sc.see[c.ID] = r.Visibility(c)
	}
	slices.SortFunc(sc.colls, func(a, b *isachub.Collection) int { return strings.Compare(a.Title, b.Title) })
	return sc, nil
}

// latest returns the latest version of the object that the viewer may
// see in each collection of the scope that holds one, in the scope's
// order. The store's query applies the Visibility, so a newer version the
// viewer may not see is as if it did not exist.
func (s *Server) latest(ctx context.Context, sc *scope, id string) ([]*isachub.ObjectVersion, error) {
	var out []*isachub.ObjectVersion
	for _, c := range sc.colls {
		page, err := s.store.Objects(ctx, c.ID, sc.see[c.ID], isachub.ObjectFilter{IDs: []string{id}, Versions: []string{"last"}, Limit: 1})
		if err != nil {
			return nil, err
		}
		for _, o := range page.Objects {
			o.CollectionID = c.ID
			out = append(out, o)
		}
	}
	return out, nil
}

// versions returns every version of the object in the collection that the
// viewer may see, oldest first.
func (s *Server) versions(ctx context.Context, sc *scope, collID, id string) ([]*isachub.ObjectVersion, error) {
	var out []*isachub.ObjectVersion
	f := isachub.ObjectFilter{IDs: []string{id}, Versions: []string{"all"}, SpecVersions: []string{"2.0", "2.1"}, Limit: isachub.MaxPageSize}
	for {
		page, err := s.store.Objects(ctx, collID, sc.see[collID], f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Objects...)
		if !page.More || len(out) >= 10*isachub.MaxPageSize {
			break
		}
		f.Next = page.Next
	}
	slices.SortStableFunc(out, func(a, b *isachub.ObjectVersion) int { return strings.Compare(sortableVersion(a), sortableVersion(b)) })
	return out, nil
}

// sortableVersion orders versions by their STIX timestamp.
func sortableVersion(v *isachub.ObjectVersion) string {
	t, err := stix.ParseTimestamp(v.Version())
	if err != nil {
		return v.Version()
	}
	return isachub.FormatTimestamp(t)
}
