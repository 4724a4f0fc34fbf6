package sqlite

import (
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
	refs      []isachub.Reference
}

// prepare extracts the columns of o, or returns the EINVALID error that
// makes it unstorable.
func prepare(o *stix.Object) (*incoming, error) {
	st, err := isachub.CheckStorable(o)
	if err != nil {
		return nil, err
	}
	in := &incoming{obj: o, spec: st.SpecVersion, versioned: st.Versioned}
	if st.Versioned {
		in.vts = st.Version.Format(vtsLayout)
		in.vkey = in.vts
	} else {
		sum := sha256.Sum256(o.Raw())
		in.vkey = "sha256:" + hex.EncodeToString(sum[:])
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
	in.refs = isachub.References(o)
	return in, nil
}

// ftsText returns the words of o that full-text search finds
// (isachub.SearchText), with the dots that are not inside a word removed.
func ftsText(o *stix.Object) string { return joinedDots(isachub.SearchText(o)) }

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
