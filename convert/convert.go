// Package convert holds what the importers share: the conversion report,
// the options, deterministic identifiers and the sink that receives
// STIX 2.1 objects. The converters themselves are convert/stix1 (STIX
// 1.1.1/1.2 XML with CybOX 2.1) and convert/misp (MISP JSON events); each
// is pure, bytes in and STIX 2.1 objects and a report out, so the
// command line (isachub convert), the import endpoint and the tests call
// the same code.
//
// A conversion never drops data silently: every construct of the input is
// counted in the report as converted, converted approximately (with what
// was lost) or not converted (with why), at its location in the input (an
// XPath-like path for XML, a JSON path for MISP). Every object a converter
// emits passes pattern.Validate, the hub's one rule of what may be stored.
package convert

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Namespace is the UUIDv5 namespace of the identifiers the converters
// derive from the input's own identifiers (STIX 2.1 section 2.9 allows
// any UUID; a deterministic one makes importing the same document twice
// give the same objects). It is the UUIDv5 of the URL
// "https://isachub.org/convert" in the RFC 4122 URL namespace.
var Namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://isachub.org/convert"))

// ID returns the STIX identifier of type typ derived from the source
// document's identifier of the construct (a STIX 1.x id or idref such as
// "example:indicator-1234", or a MISP uuid), namespaced by format so that
// equal strings from two formats never collide.
func ID(format, typ, sourceID string) string {
	return typ + "--" + uuid.NewSHA1(Namespace, []byte(format+"\x00"+typ+"\x00"+sourceID)).String()
}

// Options are the choices of the member who imports.
type Options struct {
	// Anonymous drops what names the source (STIX 1.x information
	// sources, MISP creator organisations): no identity is made for it
	// and no object refers to one. The publishing path anonymises the
	// rest as for any anonymous submission.
	Anonymous bool
	// Now is the time written where the input gives none (created and
	// modified are required in STIX 2.1); zero means time.Now().
	Now time.Time
}

// Timestamp returns o.Now, or the present, as a STIX 2.1 timestamp with
// millisecond precision (section 3.2).
func (o Options) Timestamp() string {
	t := o.Now
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// Outcome is how one construct of the input converted.
type Outcome string

// The outcomes of a construct.
const (
	Converted    Outcome = "converted"
	Approximate  Outcome = "approximate"
	NotConverted Outcome = "not-converted"
)

// Entry is one construct that did not convert exactly: where it is in the
// input, what it is, and why.
type Entry struct {
	Path      string  `json:"path"`
	Construct string  `json:"construct"`
	Outcome   Outcome `json:"outcome"`
	Reason    string  `json:"reason"`
}

// Report is what a conversion did with one input: counts per construct
// and outcome, and an entry for every construct that converted only
// approximately or not at all.
type Report struct {
	Input   string                     `json:"input"`
	Format  string                     `json:"format"`
	Counts  map[string]map[Outcome]int `json:"counts"`
	Objects int                        `json:"objects"`
	Entries []Entry                    `json:"entries,omitempty"`
}

// NewReport returns an empty report of input in format.
func NewReport(input, format string) *Report {
	return &Report{Input: input, Format: format, Counts: map[string]map[Outcome]int{}}
}

// Count records that a construct converted exactly.
func (r *Report) Count(construct string) { r.add(construct, Converted) }

// Approx records that the construct at path converted, losing what reason
// says.
func (r *Report) Approx(path, construct, reason string) {
	r.add(construct, Approximate)
	r.Entries = append(r.Entries, Entry{Path: path, Construct: construct, Outcome: Approximate, Reason: reason})
}

// Skip records that the construct at path was not converted, and why.
func (r *Report) Skip(path, construct, reason string) {
	r.add(construct, NotConverted)
	r.Entries = append(r.Entries, Entry{Path: path, Construct: construct, Outcome: NotConverted, Reason: reason})
}

func (r *Report) add(construct string, o Outcome) {
	m := r.Counts[construct]
	if m == nil {
		m = map[Outcome]int{}
		r.Counts[construct] = m
	}
	m[o]++
}

// Total returns how many constructs had outcome o.
func (r *Report) Total(o Outcome) int {
	n := 0
	for _, m := range r.Counts {
		n += m[o]
	}
	return n
}

// WriteText writes the report for a person: one line of totals, the
// counts per construct, then every entry with its path.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %d objects; %d constructs converted, %d approximately, %d not converted\n",
		r.Input, r.Format, r.Objects, r.Total(Converted), r.Total(Approximate), r.Total(NotConverted))
	names := make([]string, 0, len(r.Counts))
	for c := range r.Counts {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		m := r.Counts[c]
		fmt.Fprintf(&b, "  %-28s %6d converted %6d approximate %6d not converted\n", c, m[Converted], m[Approximate], m[NotConverted])
	}
	for _, e := range r.Entries {
		fmt.Fprintf(&b, "  %s %s at %s: %s\n", e.Outcome, e.Construct, e.Path, e.Reason)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Sink receives each STIX 2.1 object a converter makes, as JSON, in the
// order made. An error stops the conversion and is returned by it.
type Sink func(object json.RawMessage) error

// FormatError is the error of an input that cannot be read as its format
// at all (not XML, not a MISP event): the command line exits 1 on it. Path
// says where reading stopped.
type FormatError struct {
	Format string
	Path   string
	Err    error
}

func (e *FormatError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("not a %s document: %v", e.Format, e.Err)
	}
	return fmt.Sprintf("not a %s document: at %s: %v", e.Format, e.Path, e.Err)
}

func (e *FormatError) Unwrap() error { return e.Err }
