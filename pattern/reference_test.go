package pattern_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/pattern"
)

// The fixtures in testdata/reference are the test cases of the OASIS
// reference matcher (oasis-open/cti-pattern-matcher) and validator
// (oasis-open/cti-pattern-validator), transcribed into our own format; each
// file names the suite it comes from. A case is a pattern string, or an
// object whose "pattern" we test instead of the reference's "reference"
// pattern, with a "note" saying why (a STIX 2.0 form rewritten for 2.1, or
// a place where the STIX 2.1 specification and the reference disagree and
// we follow the specification: notes starting "reference:"), or a known gap
// of this package (notes starting "gap:", expecting our result).

type refCase struct {
	Pattern   string   `json:"pattern"`
	Reference string   `json:"reference"`
	Note      string   `json:"note"`
	IDs       []string `json:"ids"` // the observed-data the first match uses, when the suite checks them
}

func (c *refCase) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &c.Pattern)
	}
	type plain refCase
	return json.Unmarshal(b, (*plain)(c))
}

type refGroup struct {
	Name         string            `json:"name"`
	Observations []json.RawMessage `json:"observations"`
	Match        []refCase         `json:"match"`
	NoMatch      []refCase         `json:"nomatch"`
	Error        []refCase         `json:"error"`
}

type refFile struct {
	Source string     `json:"source"`
	Groups []refGroup `json:"groups"`
}

// observations turns observed-data (STIX 2.0 style with "objects", or STIX
// 2.1 bundles with object_refs) into Observations.
func observations(tb testing.TB, raws []json.RawMessage) []*pattern.Observation {
	tb.Helper()
	var out []*pattern.Observation
	for _, raw := range raws {
		var doc map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			tb.Fatalf("observation: %v", err)
		}
		if doc["type"] == "bundle" {
			byID := map[string]map[string]any{}
			var ods []map[string]any
			for _, x := range doc["objects"].([]any) {
				o := x.(map[string]any)
				byID[o["id"].(string)] = o
				if o["type"] == "observed-data" {
					ods = append(ods, o)
				}
			}
			for _, od := range ods {
				objs := map[string]map[string]any{}
				for _, ref := range od["object_refs"].([]any) {
					if o, ok := byID[ref.(string)]; ok {
						objs[ref.(string)] = o
					}
				}
				out = append(out, observation(tb, od, objs))
			}
			continue
		}
		objs := map[string]map[string]any{}
		for k, v := range doc["objects"].(map[string]any) {
			objs[k] = v.(map[string]any)
		}
		out = append(out, observation(tb, doc, objs))
	}
	return out
}

func observation(tb testing.TB, od map[string]any, objs map[string]map[string]any) *pattern.Observation {
	tb.Helper()
	ts := func(k string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, od[k].(string))
		if err != nil {
			tb.Fatalf("%s: %v", k, err)
		}
		return t
	}
	n, err := strconv.Atoi(string(od["number_observed"].(json.Number)))
	if err != nil {
		tb.Fatalf("number_observed: %v", err)
	}
	id, _ := od["id"].(string)
	return &pattern.Observation{ID: id, FirstObserved: ts("first_observed"), LastObserved: ts("last_observed"), NumberObserved: n, Objects: objs}
}

// TestReferenceMatcher runs the reference matcher's cases.
func TestReferenceMatcher(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "reference", "matcher_*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	total, adapted, disagree, gaps := 0, 0, 0, 0
	for _, file := range files {
		var f refFile
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, g := range f.Groups {
			obs := observations(t, g.Observations)
			run := func(c refCase, want string) {
				total++
				switch {
				case strings.HasPrefix(c.Note, "reference:"):
					disagree++
				case strings.HasPrefix(c.Note, "gap:"):
					gaps++
				case c.Note != "":
					adapted++
				}
				t.Run(filepath.Base(file)+"/"+g.Name+"/"+c.Pattern, func(t *testing.T) {
					p, err := pattern.Parse(c.Pattern)
					if want == "error" {
						if err == nil {
							if _, err = p.Match(obs); err == nil {
								t.Fatalf("want a parse or evaluation error, got none (%s)", f.Source)
							}
						}
						return
					}
					if err != nil {
						t.Fatalf("Parse: %v (%s)", err, f.Source)
					}
					r, err := p.Match(obs)
					if err != nil {
						t.Fatalf("Match: %v (%s)", err, f.Source)
					}
					if r.Matched != (want == "match") {
						t.Fatalf("Matched = %v, want %s (%s)", r.Matched, want, f.Source)
					}
					if c.IDs != nil && strings.Join(r.ObservedDataIDs, " ") != strings.Join(c.IDs, " ") {
						t.Fatalf("ObservedDataIDs = %v, want %v (%s)", r.ObservedDataIDs, c.IDs, f.Source)
					}
				})
			}
			for _, c := range g.Match {
				run(c, "match")
			}
			for _, c := range g.NoMatch {
				run(c, "nomatch")
			}
			for _, c := range g.Error {
				run(c, "error")
			}
		}
	}
	t.Logf("reference matcher: %d cases; %d rewritten to STIX 2.1 syntax with the same expected result; %d where the specification overrides the reference; %d known gaps", total, adapted, disagree, gaps)
}

type validatorFile struct {
	Source string `json:"source"`
	Groups []struct {
		Name    string    `json:"name"`
		Valid   []refCase `json:"valid"`
		Invalid []refCase `json:"invalid"`
	} `json:"groups"`
}

// TestReferenceValidator runs the reference validator's cases and the
// specification's examples.
func TestReferenceValidator(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "reference", "validator_v21.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f validatorFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	total, adapted, disagree := 0, 0, 0
	for _, g := range f.Groups {
		run := func(c refCase, valid bool) {
			total++
			switch {
			case strings.HasPrefix(c.Note, "reference:"):
				disagree++
			case c.Note != "":
				adapted++
			}
			t.Run(g.Name+"/"+c.Pattern, func(t *testing.T) {
				p, err := pattern.Parse(c.Pattern)
				if valid != (err == nil) {
					t.Fatalf("Parse error = %v, want valid=%v (%s)", err, valid, f.Source)
				}
				if err == nil {
					if _, err := pattern.Parse(p.String()); err != nil {
						t.Fatalf("canonical form %q does not parse: %v", p.String(), err)
					}
				}
			})
		}
		for _, c := range g.Valid {
			run(c, true)
		}
		for _, c := range g.Invalid {
			run(c, false)
		}
	}
	t.Logf("reference validator: %d cases; %d rewritten to STIX 2.1 syntax with the same expected result; %d where the specification overrides the reference", total, adapted, disagree)
}
