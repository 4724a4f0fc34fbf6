package pattern

import (
	"fmt"

	"github.com/isachub/isachub/stix"
)

// IndicatorError says why an indicator was left out of an index.
type IndicatorError struct {
	ID  string // the indicator id ("" when it has none)
	Err error
}

// Error implements the error interface.
func (e *IndicatorError) Error() string {
	id := e.ID
	if id == "" {
		id = "(indicator without an id)"
	}
	return "indicator " + id + ": " + e.Err.Error()
}

// Unwrap returns the underlying error (a *Error for a pattern that does
// not parse).
func (e *IndicatorError) Unwrap() error { return e.Err }

// Compile builds an index from STIX indicators (STIX 2.1 section 4.7):
// every object of type "indicator" whose pattern_type is "stix" (or
// absent, as in STIX 2.0) is added under its id with the *stix.Object as
// meta. Objects of other types are ignored. Indicators without a pattern,
// with another pattern_type, or whose pattern does not parse are left out
// and reported, one *IndicatorError each, in input order.
func Compile(objs []*stix.Object) (*Index, []error) {
	ix := NewIndex()
	var errs []error
	for _, o := range objs {
		if o.Type() != "indicator" {
			continue
		}
		if pt := o.String("pattern_type"); pt != "" && pt != "stix" {
			errs = append(errs, &IndicatorError{ID: o.ID(), Err: fmt.Errorf("pattern_type %q is not stix", pt)})
			continue
		}
		text := o.String("pattern")
		if text == "" {
			errs = append(errs, &IndicatorError{ID: o.ID(), Err: fmt.Errorf("has no pattern")})
			continue
		}
		p, err := Parse(text)
		if err != nil {
			errs = append(errs, &IndicatorError{ID: o.ID(), Err: err})
			continue
		}
		ix.Add(o.ID(), p, o)
	}
	return ix, errs
}
