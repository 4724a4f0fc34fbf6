package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/publish"
	"github.com/isachub/isachub/stix"
)

// Discussion on an object page: the STIX 2.1 notes (section 4.13) and
// opinions (section 4.14) that refer to the object, the sightings of it
// (section 5.2) as a count, and the other objects that refer to it. All of
// them are read through the reference index with the viewer's scope
// (ObjectStore.Referring), so the page shows exactly what the viewer's
// TAXII client could read. Posting publishes real STIX objects through
// publish.Publish, the path of a TAXII POST, so that members' clients
// receive the discussion too.

// opinionScale is STIX 2.1's opinion-enum (section 10.10), in order.
var opinionScale = []struct{ Value, Label string }{
	{"strongly-disagree", "Strongly disagree"}, {"disagree", "Disagree"}, {"neutral", "Neutral"},
	{"agree", "Agree"}, {"strongly-agree", "Strongly agree"},
}

// discussion is what the object page shows of the objects that refer to it.
type discussion struct {
	Notes    []discussionEntry
	Opinions []discussionEntry
	// OpinionCounts counts the opinions per value of the scale.
	OpinionCounts []opinionCount
	Sightings     isachub.SightingSummary
	// Incoming are the other objects that refer to this one: reports,
	// groupings, relationships to or from it.
	Incoming []objectRef
	// Sightable is whether "we saw this too" makes sense for the type.
	Sightable bool
}

// discussionEntry is a note or an opinion as the page shows it.
type discussionEntry struct {
	ID, Author, When string
	Mine             bool
	TLP              stix.TLP
	Abstract         string
	Opinion, Label   string
	Text             []textPart
}

type opinionCount struct {
	Value, Label string
	Count        int
}

// sightableTypes are the types a member can report having seen.
var sightableTypes = []string{"indicator", "malware", "tool", "attack-pattern", "campaign", "intrusion-set",
	"threat-actor", "infrastructure"}

// discussionOf reads the discussion of ov for the viewer.
func (s *Server) discussionOf(ctx context.Context, v *viewer, sc *scope, ov *objectView) (*discussion, error) {
	d := &discussion{Sightable: slices.Contains(sightableTypes, ov.Type)}
	referring, err := s.store.Referring(ctx, sc.see, isachub.ReferenceFilter{ID: ov.ID, Limit: 500})
	if err != nil {
		return nil, err
	}
	sightings, err := s.store.Referring(ctx, sc.see, isachub.ReferenceFilter{ID: ov.ID, Types: []string{"sighting"}, Limit: isachub.MaxPageSize})
	if err != nil {
		return nil, err
	}
	authors, err := s.authorNames(ctx, v)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, o := range referring {
		obj, err := stix.ParseObject(o.Raw)
		if err != nil {
			continue
		}
		e := discussionEntry{ID: o.ID, Author: authors.name(o.CreatedByRef), When: o.Modified,
			Mine: o.SubmitterOrgID == v.org.ID && v.org.ID != 0, TLP: isachub.CollectionTLP(sc.byID[o.CollectionID], o.TLP)}
		switch o.Type {
		case "sighting":
			continue // counted below
		case "note":
			e.Abstract, e.Text = obj.String("abstract"), linkify(obj.String("content"))
			d.Notes = append(d.Notes, e)
			continue
		case "opinion":
			e.Opinion, e.Text = obj.String("opinion"), linkify(obj.String("explanation"))
			e.Label = opinionLabel(e.Opinion)
			counts[e.Opinion]++
			d.Opinions = append(d.Opinions, e)
			continue
		case "relationship":
			kind := obj.String("relationship_type")
			if src := obj.String("source_ref"); src != ov.ID {
				d.Incoming = append(d.Incoming, objectRef{Property: kind, ID: src, Type: stix.IDType(src), Incoming: true, Via: o.ID})
			}
			if dst := obj.String("target_ref"); dst != ov.ID {
				d.Incoming = append(d.Incoming, objectRef{Property: kind, ID: dst, Type: stix.IDType(dst), Via: o.ID})
			}
			continue
		}
		for _, ref := range isachub.References(obj) {
			if ref.Ref == ov.ID {
				d.Incoming = append(d.Incoming, objectRef{Property: ref.Property, ID: o.ID, Type: o.Type, Incoming: true})
				break
			}
		}
	}
	for _, o := range opinionScale {
		d.OpinionCounts = append(d.OpinionCounts, opinionCount{o.Value, o.Label, counts[o.Value]})
	}
	d.Sightings = isachub.SummariseSightings(sightings, ov.ID, v.org.ID, v.comm.SightingThreshold())
	// Oldest first reads as a thread.
	slices.Reverse(d.Notes)
	slices.Reverse(d.Opinions)
	return d, nil
}

func opinionLabel(value string) string {
	for _, o := range opinionScale {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// authors names the identities that objects of the community are created
// by: its organisations', and the community's own, which anonymous
// submissions are re-issued under.
type authors struct {
	byIdentity map[string]string
	community  string
}

func (s *Server) authorNames(ctx context.Context, v *viewer) (*authors, error) {
	orgs, err := s.store.Orgs(ctx, v.comm.ID)
	if err != nil {
		return nil, err
	}
	a := &authors{byIdentity: map[string]string{}, community: v.comm.IdentityID}
	for _, o := range orgs {
		if o.IdentityID != "" {
			a.byIdentity[o.IdentityID] = o.Name
		}
	}
	return a, nil
}

func (a *authors) name(identity string) string {
	switch {
	case identity == "":
		return "an unnamed author"
	case identity == a.community:
		return "an anonymous member"
	case a.byIdentity[identity] != "":
		return a.byIdentity[identity]
	}
	return identity
}

// discussForm is one of the object page's discussion forms, as sent:
// Kind is "note", "opinion" or "sighting".
type discussForm struct {
	Kind        string
	Collection  string
	TLP         string
	Abstract    string
	Content     string
	Opinion     string
	Explanation string
	Anonymous   bool
}

func readDiscussForm(r *http.Request) discussForm {
	return discussForm{
		Kind: r.PostFormValue("kind"), Collection: r.PostFormValue("collection"), TLP: r.PostFormValue("tlp"),
		Abstract: strings.TrimSpace(r.PostFormValue("abstract")), Content: strings.TrimSpace(r.PostFormValue("content")),
		Opinion: r.PostFormValue("opinion"), Explanation: strings.TrimSpace(r.PostFormValue("explanation")),
		Anonymous: r.PostFormValue("anonymous") == "on",
	}
}

// maxDiscussText bounds a note's content or an opinion's explanation.
const maxDiscussText = 20000

// object builds the note, opinion or sighting the form describes, about
// target, marked with the form's TLP or else fallback, or says what is
// wrong with each field.
func (f discussForm) object(now time.Time, org *isachub.Org, target string, fallback stix.TLP) (*stix.Object, fieldErrors) {
	errs := fieldErrors{}
	ts := now.UTC().Format("2006-01-02T15:04:05.000Z")
	o := map[string]any{"spec_version": "2.1", "created": ts, "modified": ts}
	switch f.Kind {
	case "note":
		o["type"], o["object_refs"] = "note", []string{target}
		if f.Content == "" {
			errs["content"] = "Write the note."
		} else if len(f.Content) > maxDiscussText {
			errs["content"] = fmt.Sprintf("The note is longer than %d characters.", maxDiscussText)
		}
		o["content"] = f.Content
		if f.Abstract != "" {
			if len(f.Abstract) > 500 {
				errs["abstract"] = "The summary is longer than 500 characters."
			}
			o["abstract"] = f.Abstract
		}
	case "opinion":
		o["type"], o["object_refs"] = "opinion", []string{target}
		if !slices.ContainsFunc(opinionScale, func(s struct{ Value, Label string }) bool { return s.Value == f.Opinion }) {
			errs["opinion"] = "Choose how far you agree, from strongly disagree to strongly agree."
		}
		o["opinion"] = f.Opinion
		if f.Explanation != "" {
			if len(f.Explanation) > maxDiscussText {
				errs["explanation"] = fmt.Sprintf("The explanation is longer than %d characters.", maxDiscussText)
			}
			o["explanation"] = f.Explanation
		}
	case "sighting":
		o["type"], o["sighting_of_ref"] = "sighting", target
		o["first_seen"], o["last_seen"], o["count"] = ts, ts, 1
		if org.IdentityID != "" {
			o["where_sighted_refs"] = []string{org.IdentityID}
		}
	default:
		errs["kind"] = "This form is not one the object page sends."
		return nil, errs
	}
	o["id"] = o["type"].(string) + "--" + uuid.NewString()
	level := fallback
	if f.TLP != "" {
		l, err := stix.ParseTLP(f.TLP)
		if err != nil || l == stix.TLPNone {
			errs["tlp"] = "Choose a TLP level from the list."
		}
		level = l
	}
	if level != stix.TLPNone {
		o["object_marking_refs"] = []string{stix.TLPMarkingID(level)}
	}
	if org.IdentityID != "" {
		o["created_by_ref"] = org.IdentityID
	}
	if len(errs) > 0 {
		return nil, errs
	}
	raw, err := json.Marshal(o)
	if err != nil {
		return nil, fieldErrors{"kind": err.Error()}
	}
	obj, err := stix.ParseObject(raw)
	if err != nil {
		return nil, fieldErrors{"kind": err.Error()}
	}
	return obj, nil
}

// handleDiscuss publishes a note, an opinion or a sighting about the
// object of the request's {id}, which the viewer must be able to see, into
// a collection they may write to (by default the object's own).
func (s *Server) handleDiscuss(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	ov, sc, others, err := s.findObject(r, v)
	if err != nil {
		return err
	}
	f := readDiscussForm(r)
	fail := func(errs fieldErrors) error {
		return s.renderObjectPage(w, r, v, http.StatusBadRequest, ov, sc, others, &f, errs)
	}
	if !v.user.Role.CanPublish() {
		return fail(fieldErrors{"kind": "Your role may read but not publish. Ask your organisation's administrator."})
	}
	var coll *isachub.Collection
	for _, c := range writable(v, sc) {
		if c.ID == f.Collection {
			coll = c
		}
	}
	if coll == nil {
		return fail(fieldErrors{"collection": "Choose a collection you may publish to."})
	}
	obj, errs := f.object(s.now(), v.org, ov.ID, ov.TLP)
	if errs != nil {
		return fail(errs)
	}
	items := []publish.Item{{Path: "the " + f.Kind, Object: obj}}
	if _, failures := publish.Check(coll, items); len(failures) > 0 {
		return fail(fieldErrors{"kind": failures[0].Message})
	}
	sub := &publish.Submission{Community: v.comm, Collection: coll, Org: v.org, Reader: v.reader(), Items: items,
		Anonymous: isachub.Anonymous(nil, coll, f.Anonymous)}
	v.anonymous = sub.Anonymous
	out, err := publish.Publish(ctx, s.store, s.log, sub)
	if isachub.ErrorCode(err) == isachub.EINVALID {
		return fail(fieldErrors{"kind": isachub.ErrorMessage(err)})
	} else if err != nil {
		return err
	}
	if sub.Anonymous || coll.Moderated || len(out.Status.Failures) > 0 {
		// The withdrawal handle is shown once, and a moderated or refused
		// submission has a status to read: the result page says it all.
		s.render(w, r, v, "published", page{Title: "Published", Nav: "search", Data: map[string]any{
			"Status": statusResource(out.Status), "Handle": out.WithdrawalHandle, "Collection": coll,
			"Moderated": coll.Moderated, "Anonymous": sub.Anonymous, "ObjectID": ov.ID,
		}})
		return nil
	}
	http.Redirect(w, r, "/ui/objects/"+url.PathEscape(ov.ID)+"?posted="+f.Kind+"#discussion", http.StatusSeeOther)
	return nil
}
