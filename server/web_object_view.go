package server

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// objectView is a STIX object as a page shows it to a person. Every string
// in it is object content, escaped by html/template where it is written;
// links are only ever http(s) URLs, or pages of this UI.
type objectView struct {
	ID, Type, Name string
	Collection     *isachub.Collection
	TLP            stix.TLP
	Created        string
	Modified       string
	Revoked        bool
	Confidence     string
	Description    []textPart
	Labels         []string
	KillChain      []string
	References     []reference
	Pattern        string
	PatternError   string
	Properties     []property
	Refs           []objectRef
	raw            []byte // the version as stored, for JSON
}

// JSON is the stored version, indented for reading; computed when a page
// shows it, not for every row of a list.
func (ov *objectView) JSON() string { return indentJSON(ov.raw) }

// textPart is a run of plain text or a link found in it.
type textPart struct {
	Text, URL string
}

type reference struct {
	Source, ExternalID, Description, URL string
}

type property struct{ Name, Value string }

// objectRef is a reference between the object and another one, shown as
// a link to that object's page: one of the object's *_ref or *_refs
// properties; or, when Incoming, another object's reference to it; or a
// relationship (Via) whose other end is ID, with its type as Property.
// Name is the other object's name when the viewer may see it.
type objectRef struct {
	Property, ID, Type string
	Incoming           bool
	Via                string
	Name               string
}

// shownProperties are the properties the page shows in their own place;
// the table of other properties leaves them out.
var shownProperties = []string{"type", "id", "spec_version", "created", "modified", "name", "description",
	"labels", "kill_chain_phases", "external_references", "pattern", "object_marking_refs", "revoked",
	"confidence", "granular_markings"}

// newObjectView reads a stored version for a page.
func newObjectView(v *isachub.ObjectVersion, coll *isachub.Collection) (*objectView, error) {
	o, err := stix.ParseObject(v.Raw)
	if err != nil {
		return nil, fmt.Errorf("stored object %s is not readable: %w", v.ID, err)
	}
	ov := &objectView{ID: v.ID, Type: v.Type, Name: displayName(o), Collection: coll,
		TLP: isachub.CollectionTLP(coll, v.TLP), Created: v.Created, Modified: v.Modified, Revoked: v.Revoked,
		Description: linkify(o.String("description")), Labels: o.Strings("labels")}
	if raw, ok := o.Property("confidence"); ok {
		ov.Confidence = string(raw)
	}
	if raw, ok := o.Property("kill_chain_phases"); ok {
		var ps []map[string]any
		if json.Unmarshal(raw, &ps) == nil {
			for _, p := range ps {
				ov.KillChain = append(ov.KillChain, fmt.Sprint(p["kill_chain_name"])+": "+fmt.Sprint(p["phase_name"]))
			}
		}
	}
	if raw, ok := o.Property("external_references"); ok {
		var refs []map[string]any
		if json.Unmarshal(raw, &refs) == nil {
			for _, r := range refs {
				ov.References = append(ov.References, newReference(r))
			}
		}
	}
	if p := o.String("pattern"); p != "" {
		if parsed, err := pattern.Parse(p); err == nil {
			ov.Pattern = parsed.String()
		} else {
			ov.Pattern, ov.PatternError = p, err.Error()
		}
	}
	for _, k := range o.Keys() {
		raw, _ := o.Property(k)
		switch {
		case strings.HasSuffix(k, "_ref"):
			var id string
			if json.Unmarshal(raw, &id) == nil && id != "" {
				ov.Refs = append(ov.Refs, objectRef{Property: k, ID: id, Type: stix.IDType(id)})
			}
		case k == "object_marking_refs": // the badges show the markings
		case strings.HasSuffix(k, "_refs"):
			var ids []string
			if json.Unmarshal(raw, &ids) == nil {
				for _, id := range ids {
					ov.Refs = append(ov.Refs, objectRef{Property: k, ID: id, Type: stix.IDType(id)})
				}
			}
		case !slices.Contains(shownProperties, k):
			ov.Properties = append(ov.Properties, property{Name: k, Value: propertyText(raw)})
		}
	}
	ov.raw = v.Raw
	return ov, nil
}

// displayName is what a person calls an object: its name, its value (an
// SCO), its title-like property, else its type.
func displayName(o *stix.Object) string {
	for _, p := range []string{"name", "value", "display_name", "subject", "abstract", "path", "key", "user_id"} {
		if s := o.String(p); s != "" {
			return s
		}
	}
	if raw, ok := o.Property("number"); ok {
		return "AS" + string(raw)
	}
	switch o.Type() {
	case "relationship":
		return o.String("relationship_type")
	case "sighting":
		return "sighting of " + o.String("sighting_of_ref")
	}
	return o.Type()
}

// propertyText is a property's value as text: a string as is, anything
// else as compact JSON.
func propertyText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func indentJSON(raw []byte) string {
	var b strings.Builder
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if enc.Encode(v) != nil {
		return string(raw)
	}
	return b.String()
}

var (
	cveRE    = regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)
	attackRE = regexp.MustCompile(`^(T\d{4}(\.\d{3})?|TA\d{4}|G\d{4}|S\d{4}|M\d{4})$`)
	urlRE    = regexp.MustCompile(`https?://[^\s<>"']+`)
)

// newReference reads an external reference; CVE and MITRE ATT&CK ids
// link to their public pages when the reference gives no URL.
func newReference(r map[string]any) reference {
	str := func(k string) string { s, _ := r[k].(string); return s }
	ref := reference{Source: str("source_name"), ExternalID: str("external_id"), Description: str("description")}
	if u := str("url"); safeURL(u) {
		ref.URL = u
	}
	if ref.URL == "" {
		switch {
		case cveRE.MatchString(ref.ExternalID):
			ref.URL = "https://www.cve.org/CVERecord?id=" + ref.ExternalID
		case attackRE.MatchString(ref.ExternalID) && strings.HasPrefix(ref.Source, "mitre"):
			ref.URL = attackURL(ref.ExternalID)
		}
	}
	return ref
}

// attackURL is the ATT&CK page of a technique, tactic, group, software or
// mitigation id.
func attackURL(id string) string {
	kind := map[byte]string{'T': "techniques", 'G': "groups", 'S': "software", 'M': "mitigations"}[id[0]]
	if strings.HasPrefix(id, "TA") {
		kind = "tactics"
	}
	return "https://attack.mitre.org/" + kind + "/" + strings.ReplaceAll(id, ".", "/") + "/"
}

// safeURL reports whether u is an absolute http or https URL, the only
// links made from object content (never javascript: or data:).
func safeURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// linkify splits text into plain runs and http(s) links.
func linkify(text string) []textPart {
	var out []textPart
	for text != "" {
		loc := urlRE.FindStringIndex(text)
		if loc == nil {
			out = append(out, textPart{Text: text})
			break
		}
		link := strings.TrimRight(text[loc[0]:loc[1]], ".,;:!?)]")
		if loc[0] > 0 {
			out = append(out, textPart{Text: text[:loc[0]]})
		}
		if safeURL(link) {
			out = append(out, textPart{Text: link, URL: link})
		} else {
			out = append(out, textPart{Text: link})
		}
		text = text[loc[0]+len(link):]
	}
	return out
}
