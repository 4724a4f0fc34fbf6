package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// handleObjectPage shows an object: the latest version the viewer may see,
// in the first collection of their scope that holds one. An object the
// viewer may not see is answered exactly like one that does not exist.
func (s *Server) handleObjectPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ov, sc, others, err := s.findObject(r, v)
	if err != nil {
		return err
	}
	return s.renderObjectPage(w, r, v, http.StatusOK, ov, sc, others, nil, nil)
}

// renderObjectPage renders the object page of ov: its versions, its
// relationships in and out, its discussion, and the discussion forms (f
// as sent, with errs, after a refused post).
func (s *Server) renderObjectPage(w http.ResponseWriter, r *http.Request, v *viewer, status int,
	ov *objectView, sc *scope, others []*isachub.Collection, f *discussForm, errs fieldErrors) error {
	ctx := r.Context()
	versions, err := s.versions(ctx, sc, ov.Collection.ID, ov.ID)
	if err != nil {
		return err
	}
	received, err := s.received(ctx, v, ov.Collection, ov.ID, versions)
	if err != nil {
		return err
	}
	d, err := s.discussionOf(ctx, v, sc, ov)
	if err != nil {
		return err
	}
	edges := append(slices.Clip(ov.Refs), d.Incoming...)
	if err := s.nameRefs(ctx, sc, edges); err != nil {
		return err
	}
	copy(ov.Refs, edges[:len(ov.Refs)])
	copy(d.Incoming, edges[len(ov.Refs):])
	writableColls := writable(v, sc)
	if f == nil {
		f = &discussForm{Collection: ov.Collection.ID}
		if !slices.Contains(writableColls, ov.Collection) && len(writableColls) > 0 {
			f.Collection = writableColls[0].ID
		}
	}
	s.renderStatus(w, r, v, status, "object", page{Title: ov.Name, Nav: "search", Data: map[string]any{
		"Object": ov, "Versions": versions, "Received": received, "Elsewhere": others, "Graph": relationGraph(ov, graphEdges(edges)),
		"Discussion": d, "Form": f, "Errors": errs, "Collections": writableColls, "Opinions": opinionScale,
		"TLPs": []string{"clear", "green", "amber", "amber+strict", "red"}, "CanPublish": v.user.Role.CanPublish(),
		"Posted": r.URL.Query().Get("posted"),
	}})
	return nil
}

// graphEdges are the references the graph draws: not the creator, which
// the list names, so that the graph shows what the object is about.
func graphEdges(edges []objectRef) []objectRef {
	return slices.DeleteFunc(slices.Clone(edges), func(e objectRef) bool { return e.Property == "created_by_ref" })
}

// nameRefs fills in the name of each referenced object the viewer may see,
// with one query per collection of the scope.
func (s *Server) nameRefs(ctx context.Context, sc *scope, refs []objectRef) error {
	var ids []string
	for _, r := range refs {
		if !slices.Contains(ids, r.ID) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names := map[string]string{}
	for _, c := range sc.colls {
		page, err := s.store.Objects(ctx, c.ID, sc.see[c.ID], isachub.ObjectFilter{IDs: ids, Limit: isachub.MaxPageSize})
		if err != nil {
			return err
		}
		for _, o := range page.Objects {
			if obj, err := stix.ParseObject(o.Raw); err == nil && names[o.ID] == "" {
				names[o.ID] = displayName(obj)
			}
		}
	}
	for i := range refs {
		refs[i].Name = names[refs[i].ID]
	}
	return nil
}

// handleObjectJSON answers the stored JSON of the version the object page
// shows, exactly as it was received.
func (s *Server) handleObjectJSON(w http.ResponseWriter, r *http.Request, v *viewer) error {
	_, found, err := s.visibleObject(r, v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", "inline")
	w.Write(found[0].Raw)
	return nil
}

func objectNotFound(id string) error {
	return isachub.Errorf(isachub.ENOTFOUND, "There is no object %s that you may see.", clip(id))
}

// visibleObject returns the viewer's scope and the latest version they
// may see of the request's {id} in each collection that holds one (at
// least one), or ENOTFOUND.
func (s *Server) visibleObject(r *http.Request, v *viewer) (*scope, []*isachub.ObjectVersion, error) {
	id := r.PathValue("id")
	if _, _, ok := stix.SplitID(id); !ok {
		return nil, nil, objectNotFound(id)
	}
	sc, err := s.viewerScope(r.Context(), v)
	if err != nil {
		return nil, nil, err
	}
	found, err := s.latest(r.Context(), sc, id)
	if err != nil {
		return nil, nil, err
	}
	if len(found) == 0 {
		return nil, nil, objectNotFound(id)
	}
	return sc, found, nil
}

// findObject reads the object of the request's {id} for the viewer, and
// the other collections that hold a version the viewer may see.
func (s *Server) findObject(r *http.Request, v *viewer) (*objectView, *scope, []*isachub.Collection, error) {
	sc, found, err := s.visibleObject(r, v)
	if err != nil {
		return nil, nil, nil, err
	}
	ov, err := newObjectView(found[0], sc.byID[found[0].CollectionID])
	if err != nil {
		return nil, nil, nil, err
	}
	var others []*isachub.Collection
	for _, f := range found[1:] {
		others = append(others, sc.byID[f.CollectionID])
	}
	return ov, sc, others, nil
}

// handleCollectionsPage lists the collections the viewer may see, with
// how many objects of each were added in the last 90 days.
func (s *Server) handleCollectionsPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	sc, err := s.viewerScope(r.Context(), v)
	if err != nil {
		return err
	}
	stats, err := s.viewerStatistics(r.Context(), v, sc, 90)
	if err != nil {
		return err
	}
	type row struct {
		*isachub.Collection
		Recent   int64
		Writable bool
	}
	var rows []row
	for _, c := range sc.colls {
		rows = append(rows, row{c, stats.byCollection[c.ID], v.reader().MayWrite(c)})
	}
	s.render(w, r, v, "collections", page{Title: "Collections", Nav: "collections", Data: map[string]any{"Collections": rows}})
	return nil
}

// handleCollectionPage shows a collection's latest objects, newest first,
// paged by the TAXII cursor.
func (s *Server) handleCollectionPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	sc, err := s.viewerScope(r.Context(), v)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	c, ok := sc.byID[id]
	if !ok {
		return isachub.Errorf(isachub.ENOTFOUND, "There is no collection %q that you may see.", clip(id))
	}
	f := isachub.ObjectFilter{Limit: 50, Next: r.URL.Query().Get("next")}
	if t := r.URL.Query().Get("type"); slices.Contains(searchTypes, t) {
		f.Types = []string{t}
	}
	objs, err := s.store.Objects(r.Context(), c.ID, sc.see[c.ID], f)
	if isachub.ErrorCode(err) == isachub.EINVALID {
		return isachub.Errorf(isachub.EINVALID, "This page of the collection is no longer available; start again from its first page.")
	} else if err != nil {
		return err
	}
	var views []*objectView
	for _, o := range objs.Objects {
		if ov, err := newObjectView(o, c); err == nil {
			views = append(views, ov)
		}
	}
	next := ""
	if objs.More {
		next = "/ui/collections/" + url.PathEscape(c.ID) + "?next=" + url.QueryEscape(objs.Next)
		if len(f.Types) == 1 {
			next += "&type=" + f.Types[0]
		}
	}
	s.render(w, r, v, "collection", page{Title: c.Title, Nav: "collections", Data: map[string]any{
		"Collection": c, "Objects": views, "Next": next, "Writable": v.reader().MayWrite(c),
		"Types": searchTypes, "Type": strings.Join(f.Types, ""),
	}})
	return nil
}
