package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/publish"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// Publishing from the browser: a quick indicator form and the upload of a
// STIX 2.1 file, both through publish.Publish, the path of a TAXII POST
// (validation, the TLP rule, anonymity, moderation, the status). An
// anonymous submission is first shown as it would be published.

// indicatorForm is the quick indicator form, as sent.
type indicatorForm struct {
	Collection  string
	Name        string
	Description string
	Pattern     string
	ValidFrom   string
	TLP         string
	Labels      string
	Phase       string
	Confidence  string
	Anonymous   bool
}

// fieldErrors maps a form field to what is wrong with it.
type fieldErrors map[string]string

// maxFormBytes bounds a publishing form; an upload is bounded by the
// community's max_content_length instead.
const maxFormBytes = 64 << 10

func readIndicatorForm(r *http.Request) indicatorForm {
	return indicatorForm{
		Collection: r.PostFormValue("collection"), Name: strings.TrimSpace(r.PostFormValue("name")),
		Description: strings.TrimSpace(r.PostFormValue("description")), Pattern: strings.TrimSpace(r.PostFormValue("pattern")),
		ValidFrom: strings.TrimSpace(r.PostFormValue("valid_from")), TLP: r.PostFormValue("tlp"),
		Labels: r.PostFormValue("labels"), Phase: strings.TrimSpace(r.PostFormValue("kill_chain_phase")),
		Confidence: strings.TrimSpace(r.PostFormValue("confidence")), Anonymous: r.PostFormValue("anonymous") == "on",
	}
}

// indicator builds the STIX indicator the form describes, or says what is
// wrong with each field. The pattern is checked by the pattern package;
// the whole object by publish.Check, as for any submission.
func (f indicatorForm) indicator(now time.Time, org *isachub.Org) (*stix.Object, fieldErrors) {
	errs := fieldErrors{}
	ts := now.UTC().Format("2006-01-02T15:04:05.000Z")
	o := map[string]any{"type": "indicator", "spec_version": "2.1", "id": "indicator--" + uuid.NewString(),
		"created": ts, "modified": ts, "pattern_type": "stix"}
	if f.Name == "" {
		errs["name"] = "Give the indicator a name that says what it detects."
	} else if len(f.Name) > 500 {
		errs["name"] = "The name is longer than 500 characters."
	}
	o["name"] = f.Name
	if f.Description != "" {
		o["description"] = f.Description
	}
	if f.Pattern == "" {
		errs["pattern"] = "Enter a STIX pattern, for example [ipv4-addr:value = '203.0.113.7']."
	} else if _, err := pattern.Parse(f.Pattern); err != nil {
		errs["pattern"] = err.Error()
	}
	o["pattern"] = f.Pattern
	o["valid_from"] = ts
	if f.ValidFrom != "" {
		t, err := parseFormTime(f.ValidFrom)
		if err != nil {
			errs["valid_from"] = "Give a date and time such as 2026-12-06T09:30, or leave it empty for now."
		} else {
			o["valid_from"] = t.UTC().Format("2006-01-02T15:04:05.000Z")
		}
	}
	if f.TLP != "" {
		level, err := stix.ParseTLP(f.TLP)
		if err != nil || level == stix.TLPNone {
			errs["tlp"] = "Choose a TLP level from the list."
		} else {
			o["object_marking_refs"] = []string{stix.TLPMarkingID(level)}
		}
	}
	var labels []string
	for _, l := range strings.Split(f.Labels, ",") {
		if l = strings.TrimSpace(l); l != "" {
			labels = append(labels, l)
		}
	}
	if len(labels) > 0 {
		o["labels"] = labels
	}
	if f.Phase != "" {
		chain, phase, ok := strings.Cut(f.Phase, ":")
		if !ok || strings.TrimSpace(chain) == "" || strings.TrimSpace(phase) == "" {
			errs["kill_chain_phase"] = "Write the phase as chain:phase, for example mitre-attack:command-and-control."
		} else {
			o["kill_chain_phases"] = []map[string]string{{"kill_chain_name": strings.TrimSpace(chain), "phase_name": strings.TrimSpace(phase)}}
		}
	}
	if f.Confidence != "" {
		n, err := strconv.Atoi(f.Confidence)
		if err != nil || n < 0 || n > 100 {
			errs["confidence"] = "Confidence is a whole number from 0 to 100."
		} else {
			o["confidence"] = n
		}
	}
	if org.IdentityID != "" {
		o["created_by_ref"] = org.IdentityID
	}
	if len(errs) > 0 {
		return nil, errs
	}
	raw, err := json.Marshal(o)
	if err != nil {
		errs["pattern"] = err.Error()
		return nil, errs
	}
	obj, err := stix.ParseObject(raw)
	if err != nil {
		errs["name"] = err.Error()
		return nil, errs
	}
	return obj, nil
}

// parseFormTime reads a datetime-local input or an RFC 3339 timestamp.
func parseFormTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a time")
}

// writable returns the collections of sc the viewer may publish to.
func writable(v *viewer, sc *scope) []*isachub.Collection {
	var out []*isachub.Collection
	for _, c := range sc.colls {
		if v.reader().MayWrite(c) {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) handlePublishForm(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return s.renderPublish(w, r, v, http.StatusOK, indicatorForm{Collection: r.URL.Query().Get("collection")}, nil, "")
}

func (s *Server) renderPublish(w http.ResponseWriter, r *http.Request, v *viewer, status int, f indicatorForm, errs fieldErrors, uploadErr string) error {
	sc, err := s.viewerScope(r.Context(), v)
	if err != nil {
		return err
	}
	s.renderStatus(w, r, v, status, "publish", page{Title: "Publish", Nav: "publish", Data: map[string]any{
		"Form": f, "Errors": errs, "UploadError": uploadErr, "Collections": writable(v, sc),
		"TLPs": []string{"clear", "green", "amber", "amber+strict", "red"}, "CanPublish": v.user.Role.CanPublish(),
	}})
	return nil
}

// handlePublish publishes the indicator form or an uploaded file: a
// preview first when the submission is anonymous and not yet confirmed.
func (s *Server) handlePublish(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	var f indicatorForm
	var items []publish.Item
	upload := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if upload {
		f = indicatorForm{Collection: r.PostFormValue("collection"), Anonymous: r.PostFormValue("anonymous") == "on"}
	} else {
		f = readIndicatorForm(r)
	}
	sc, err := s.viewerScope(ctx, v)
	if err != nil {
		return err
	}
	var coll *isachub.Collection
	for _, c := range writable(v, sc) {
		if c.ID == f.Collection {
			coll = c
		}
	}
	if coll == nil {
		return s.renderPublish(w, r, v, http.StatusBadRequest, f, fieldErrors{"collection": "Choose a collection you may publish to."}, "")
	}
	var document string
	if upload {
		items, document, err = s.uploadedItems(r, v)
		if err != nil {
			return s.renderPublish(w, r, v, http.StatusBadRequest, f, nil, isachub.ErrorMessage(err))
		}
	} else {
		obj, errs := f.indicator(s.now(), v.org)
		if errs != nil {
			return s.renderPublish(w, r, v, http.StatusBadRequest, f, errs, "")
		}
		items = []publish.Item{{Path: "the indicator", Object: obj}}
	}
	sub := &publish.Submission{Community: v.comm, Collection: coll, Org: v.org, Reader: v.reader(), Items: items}
	sub.Anonymous = isachub.Anonymous(nil, coll, f.Anonymous)
	if !upload {
		if _, failures := publish.Check(coll, items); len(failures) > 0 {
			return s.renderPublish(w, r, v, http.StatusBadRequest, f, fieldErrors{"pattern": failures[0].Message}, "")
		}
	}
	if sub.Anonymous && r.PostFormValue("confirm") != "yes" {
		preview, err := publish.PreviewAnonymous(sub)
		if err != nil {
			return s.renderPublish(w, r, v, http.StatusBadRequest, f, fieldErrors{"pattern": isachub.ErrorMessage(err)}, "")
		}
		var shown []string
		for _, o := range preview.Objects {
			shown = append(shown, indentJSON(o.Raw()))
		}
		s.render(w, r, v, "preview", page{Title: "Preview anonymous publication", Nav: "publish", Data: map[string]any{
			"Form": f, "Objects": shown, "Dropped": preview.Dropped, "Warnings": preview.Warnings, "Collection": coll,
			"Upload": upload, "Document": document,
		}})
		return nil
	}
	v.anonymous = sub.Anonymous
	out, err := publish.Publish(ctx, s.store, s.log, sub)
	if err != nil {
		if isachub.ErrorCode(err) == isachub.EINVALID && !upload {
			return s.renderPublish(w, r, v, http.StatusBadRequest, f, fieldErrors{"pattern": isachub.ErrorMessage(err)}, "")
		}
		return err
	}
	var first string
	if len(items) == 1 && items[0].Object != nil && !sub.Anonymous {
		first = items[0].Object.ID()
	}
	s.render(w, r, v, "published", page{Title: "Published", Nav: "publish", Data: map[string]any{
		"Status": statusResource(out.Status), "Handle": out.WithdrawalHandle, "Collection": coll,
		"Moderated": coll.Moderated, "Anonymous": sub.Anonymous, "ObjectID": first,
	}})
	return nil
}

// uploadedItems reads the uploaded STIX 2.1 file (a bundle or a TAXII
// envelope, each element an item of the submission) and returns it with
// its text. The confirmation of an anonymous upload's preview sends that
// text back as the field "document" instead of the file.
func (s *Server) uploadedItems(r *http.Request, v *viewer) ([]publish.Item, string, error) {
	limit := s.maxContentLength(v.comm.MaxContentLength)
	name := "the uploaded file"
	var body []byte
	if doc := r.PostFormValue("document"); doc != "" {
		body = []byte(doc)
	} else {
		file, hdr, err := r.FormFile("file")
		if err != nil {
			return nil, "", isachub.Errorf(isachub.EINVALID, "Choose a STIX 2.1 JSON file to upload.")
		}
		defer file.Close()
		if body, err = io.ReadAll(io.LimitReader(file, limit+1)); err != nil {
			return nil, "", err
		}
		name = fmt.Sprintf("the file %q", clip(hdr.Filename))
	}
	if int64(len(body)) > limit {
		return nil, "", isachub.Errorf(isachub.ETOOLARGE, "%s is larger than this community's limit of %d bytes.", capitalize(name), limit)
	}
	elems, err := taxii.ReadFile(body, s.cfg.MaxEnvelopeObjects)
	if err != nil {
		return nil, "", isachub.Errorf(isachub.EINVALID, "%s is not a STIX 2.1 bundle: %s.", capitalize(name), err)
	}
	if len(elems) == 0 {
		return nil, "", isachub.Errorf(isachub.EINVALID, "%s holds no objects.", capitalize(name))
	}
	items := make([]publish.Item, len(elems))
	for i, e := range elems {
		items[i] = publish.Item{Path: fmt.Sprintf("%s %s", name, e.Path), Object: e.Object, Message: e.Message}
	}
	return items, string(body), nil
}

// capitalize upper-cases the first letter of an ASCII sentence.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// handlePatternCheck answers whether a pattern parses, for the form's
// live check while typing: {"ok":true,"canonical":...} or
// {"ok":false,"error":...}.
func (s *Server) handlePatternCheck(w http.ResponseWriter, r *http.Request, _ *viewer) error {
	p := r.URL.Query().Get("pattern")
	out := map[string]any{"ok": true}
	if len(p) > maxFormBytes {
		out = map[string]any{"ok": false, "error": "The pattern is too long."}
	} else if parsed, err := pattern.Parse(p); err != nil {
		out = map[string]any{"ok": false, "error": err.Error()}
	} else {
		out["canonical"] = parsed.String()
	}
	b, _ := json.Marshal(out)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
	return nil
}
