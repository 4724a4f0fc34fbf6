package pattern

import (
	"fmt"

	"github.com/isachub/isachub/stix"
)

// Validate is the hub's one rule of whether an object may be stored: every
// path in (package publish for TAXII POSTs, previews, anonymous and
// moderated submissions, the web form, importers and federation; the
// anonymiser's output; revocations; `isachub stix validate`) asks it, and
// nothing else. It is stix.Validate with the one check that package stix
// cannot make on its own: the pattern of an indicator whose pattern_type is "stix"
// (or absent, as in STIX 2.0) must be a STIX pattern (STIX 2.1 section 4.7,
// "pattern", and section 9). A pattern that does not parse, or breaks a
// semantic rule of section 9, is an error at the path "pattern" that gives
// the byte offset in the pattern.
func Validate(o *stix.Object) stix.Result {
	res := stix.Validate(o)
	if err := checkIndicator(o); err != nil {
		res.Errors = append(res.Errors, stix.Issue{Path: "pattern", Message: err.Error()})
	}
	return res
}

// checkIndicator returns why an indicator's STIX pattern is not valid, and
// nil for a valid one, another pattern language, another type, or a
// missing pattern (which stix.Validate reports).
func checkIndicator(o *stix.Object) error {
	if o.Type() != "indicator" {
		return nil
	}
	if pt := o.String("pattern_type"); pt != "" && pt != "stix" {
		return nil
	}
	text := o.String("pattern")
	if text == "" {
		return nil
	}
	if _, err := Parse(text); err != nil {
		return fmt.Errorf("the STIX pattern is not valid: %v", err)
	}
	return nil
}
