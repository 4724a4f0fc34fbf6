package sqlite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// vtsLayout is the normalised, sortable form of a version timestamp.
const vtsLayout = "2006-01-02T15:04:05.000000000Z"

// parseTimestamp parses a STIX timestamp (RFC 3339, any fractional
// precision up to nanoseconds) and returns it normalised for sorting.
func parseTimestamp(s string) (string, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "", false
	}
	return t.UTC().Format(vtsLayout), true
}

// vtsOfDateAdded is the version timestamp of an unversioned object: its
// date_added.
func vtsOfDateAdded(us int64) string { return time.UnixMicro(us).UTC().Format(vtsLayout) }

// incoming is one object of an AddObjects batch with its extracted columns.
type incoming struct {
	obj       *stix.Object
	spec      string
	vts       string // "" for unversioned objects: set from date_added
	vkey      string
	markings  string
	tlp       stix.TLP // stix.EffectiveTLP(obj)
	versioned bool
	fts       string // ftsText(obj), computed before the write transaction
}

// prepare extracts the columns of o, or returns the EINVALID error that
// makes it unstorable.
func prepare(o *stix.Object) (*incoming, error) {
	if o.ID() == "" || o.Type() == "" {
		return nil, isachub.Errorf(isachub.EINVALID, "The object has no id or no type.")
	}
	if !strings.HasPrefix(o.ID(), o.Type()+"--") {
		return nil, isachub.Errorf(isachub.EINVALID, "The id %q does not start with the object's type %q.", o.ID(), o.Type())
	}
	in := &incoming{obj: o, spec: o.SpecVersion()}
	if v := o.Version(); v != "" {
		vts, ok := parseTimestamp(v)
		if !ok {
			return nil, isachub.Errorf(isachub.EINVALID, "The version timestamp %q of %s is not an RFC 3339 timestamp.", v, o.ID())
		}
		in.vts, in.vkey, in.versioned = vts, vts, true
	} else {
		sum := sha256.Sum256(o.Raw())
		in.vkey = "sha256:" + hex.EncodeToString(sum[:])
	}
	if in.spec == "" {
		// STIX 2.1 section 3.2: without spec_version an SCO is 2.1 and
		// any other object 2.0.
		in.spec = "2.0"
		if !in.versioned {
			in.spec = "2.1"
		}
	}
	m := o.ObjectMarkingRefs()
	if m == nil {
		m = []string{}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, isachub.Errorf(isachub.EINVALID, "The object_marking_refs of %s cannot be encoded.", o.ID())
	}
	in.markings = string(b)
	in.tlp = stix.EffectiveTLP(o)
	in.fts = ftsText(o)
	return in, nil
}

// ftsText returns the words of o that full-text search finds: name,
// description, pattern, SCO values, hashes and similar free text.
func ftsText(o *stix.Object) string {
	var b strings.Builder
	add := func(raw json.RawMessage) {
		if s := jsonString(raw); s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	for _, p := range ftsProps {
		if raw, ok := o.Property(p); ok {
			add(raw)
		}
	}
	for _, p := range []string{"aliases", "labels"} {
		for _, s := range o.Strings(p) {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	if raw, ok := o.Property("hashes"); ok {
		var hs map[string]string
		if json.Unmarshal(raw, &hs) == nil {
			for _, h := range hs {
				b.WriteString(h)
				b.WriteByte('\n')
			}
		}
	}
	return joinedDots(b.String())
}

// joinedDots returns s with every '.' that does not join two letters or
// digits replaced by a space: the full-text tokenizer keeps dots inside
// tokens (198.51.100.7, evil.example.com), and this keeps a sentence's full
// stop out of its last word.
func joinedDots(s string) string {
	if strings.IndexByte(s, '.') < 0 {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c != '.' {
			continue
		}
		if i == 0 || i == len(b)-1 || !isWordByte(b[i-1]) || !isWordByte(b[i+1]) {
			b[i] = ' '
		}
	}
	return string(b)
}

// isWordByte reports whether c is an ASCII letter or digit, or part of a
// multi-byte UTF-8 character (which the tokenizer judges itself).
func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// ftsProps are the string properties full-text search indexes.
var ftsProps = []string{"name", "description", "pattern", "value", "display_name",
	"subject", "body", "path", "key", "abstract", "content", "explanation", "url"}

// jsonString decodes a raw JSON string, or returns "" for other JSON
// values. Strings without escapes, the common case, are not copied
// through the JSON decoder.
func jsonString(raw json.RawMessage) string {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return ""
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// version is one stored version of an id, with its flags as stored
// (is*) and as they should be (want*).
type version struct {
	pk                               int64
	vkey, vts, spec                  string
	dateAdded                        int64
	isLatest, isFirst, isSpecLatest  bool
	wantLatest, wantFirst, wantSpecL bool
	stored                           bool      // the row exists in the database
	in                               *incoming // the object, when loaded or added in this transaction
}

// later reports whether a is a later version than b: greater version
// timestamp, ties broken by date_added.
func later(a, b *version) bool {
	if a.vts != b.vts {
		return a.vts > b.vts
	}
	return a.dateAdded > b.dateAdded
}

// computeFlags sets the want* flags of every version of one id.
func computeFlags(vs []*version) {
	if len(vs) == 0 {
		return
	}
	last, first, spec := vs[0], vs[0], vs[0].spec
	for _, v := range vs[1:] {
		if later(v, last) {
			last = v
		}
		if later(first, v) {
			first = v
		}
		spec = max(spec, v.spec)
	}
	for _, v := range vs {
		v.wantLatest, v.wantFirst, v.wantSpecL = v == last, v == first, v.spec == spec
	}
}
