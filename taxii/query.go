package taxii

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Filter names one URL filter parameter of section 3.4. Each endpoint
// supports a set of them; ParseQuery ignores the others, as it ignores
// parameters it does not know (section 3.4 lets a server ignore filters it
// does not support).
type Filter uint

// The filter parameters of section 3.4.
const (
	FilterAddedAfter Filter = 1 << iota
	FilterLimit
	FilterNext
	FilterID
	FilterType
	FilterVersion
	FilterSpecVersion
)

// The filters each endpoint supports (sections 5.3 to 5.8).
const (
	FiltersObjects  = FilterAddedAfter | FilterLimit | FilterNext | FilterID | FilterType | FilterVersion | FilterSpecVersion
	FiltersManifest = FiltersObjects
	FiltersObject   = FilterAddedAfter | FilterLimit | FilterNext | FilterVersion | FilterSpecVersion
	FiltersVersions = FilterAddedAfter | FilterLimit | FilterNext | FilterSpecVersion
	FiltersDelete   = FilterVersion | FilterSpecVersion
)

// Query is the parsed filter parameters of one request. Zero values mean
// "not given".
type Query struct {
	AddedAfter   time.Time // added_after: exclusive lower bound on date_added
	Limit        int       // limit: a positive number; 0 when absent
	Next         string    // next: the opaque token of a previous response
	IDs          []string  // match[id]
	Types        []string  // match[type]
	Versions     []string  // match[version]: "first", "last", "all" or timestamps
	SpecVersions []string  // match[spec_version], such as "2.1"
}

// QueryError is a filter parameter with a value the server cannot use; the
// server answers it with 400 (section 3.4).
type QueryError struct {
	Param string // for example "match[version]"
	Msg   string
}

// Error implements the error interface.
func (e *QueryError) Error() string {
	return "invalid query parameter " + e.Param + ": " + e.Msg
}

// Limits on hostile input: more values than this in one list, or a value
// longer than this, is rejected rather than carried into a query.
const (
	maxListValues = 100
	maxValueLen   = 256
)

var (
	typeRE        = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,249}$`)
	uuidRE        = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	specVersionRE = regexp.MustCompile(`^[0-9]{1,3}\.[0-9]{1,3}$`)
)

// ParseQuery parses the filter parameters in v that allowed names and
// ignores every other parameter. Lists may be given comma-separated or by
// repeating the parameter. It returns a *QueryError for the first value
// that is not usable.
func ParseQuery(v url.Values, allowed Filter) (Query, error) {
	var q Query
	if allowed&FilterAddedAfter != 0 {
		if s, ok, err := single(v, "added_after"); err != nil {
			return q, err
		} else if ok {
			t, err := ParseTimestamp(s)
			if err != nil {
				return q, &QueryError{Param: "added_after", Msg: err.Error()}
			}
			q.AddedAfter = t
		}
	}
	if allowed&FilterLimit != 0 {
		if s, ok, err := single(v, "limit"); err != nil {
			return q, err
		} else if ok {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return q, &QueryError{Param: "limit", Msg: fmt.Sprintf("%q is not a positive integer", clip(s))}
			}
			q.Limit = n
		}
	}
	if allowed&FilterNext != 0 {
		if s, ok, err := single(v, "next"); err != nil {
			return q, err
		} else if ok {
			if len(s) > 1024 {
				return q, &QueryError{Param: "next", Msg: "the token is longer than any this server issues"}
			}
			q.Next = s
		}
	}
	var err error
	if allowed&FilterID != 0 {
		if q.IDs, err = list(v, "match[id]", checkID); err != nil {
			return q, err
		}
	}
	if allowed&FilterType != 0 {
		if q.Types, err = list(v, "match[type]", checkType); err != nil {
			return q, err
		}
	}
	if allowed&FilterVersion != 0 {
		if q.Versions, err = list(v, "match[version]", checkVersion); err != nil {
			return q, err
		}
	}
	if allowed&FilterSpecVersion != 0 {
		if q.SpecVersions, err = list(v, "match[spec_version]", checkSpecVersion); err != nil {
			return q, err
		}
	}
	return q, nil
}

// single returns the one value of a parameter that may appear once. An
// empty value ("next=") is taken as absent, as clients that build query
// strings from optional fields send it.
func single(v url.Values, name string) (string, bool, error) {
	vals, ok := v[name]
	if !ok {
		return "", false, nil
	}
	if len(vals) > 1 {
		return "", false, &QueryError{Param: name, Msg: fmt.Sprintf("given %d times; give it once", len(vals))}
	}
	s := strings.TrimSpace(vals[0])
	return s, s != "", nil
}

// list returns the values of a list parameter, split at commas, each
// checked by check.
func list(v url.Values, name string, check func(string) error) ([]string, error) {
	var out []string
	for _, raw := range v[name] {
		for _, s := range strings.Split(raw, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				return nil, &QueryError{Param: name, Msg: "an empty value in the list"}
			}
			if len(s) > maxValueLen {
				return nil, &QueryError{Param: name, Msg: fmt.Sprintf("a value of %d characters is longer than %d", len(s), maxValueLen)}
			}
			if err := check(s); err != nil {
				return nil, &QueryError{Param: name, Msg: err.Error()}
			}
			out = append(out, s)
			if len(out) > maxListValues {
				return nil, &QueryError{Param: name, Msg: fmt.Sprintf("more than %d values", maxListValues)}
			}
		}
	}
	return out, nil
}

// ValidSTIXID reports whether s has the form of a STIX identifier,
// type--UUID (STIX 2.1 section 2.9). An id that does not cannot name any
// stored object.
func ValidSTIXID(s string) bool {
	typ, id, ok := strings.Cut(s, "--")
	return ok && typeRE.MatchString(typ) && uuidRE.MatchString(id)
}

func checkID(s string) error {
	if !ValidSTIXID(s) {
		return fmt.Errorf("%q is not a STIX id of the form type--UUID", clip(s))
	}
	return nil
}

func checkType(s string) error {
	if !typeRE.MatchString(s) {
		return fmt.Errorf("%q is not a STIX type name (lower-case letters, digits and hyphens)", clip(s))
	}
	return nil
}

func checkVersion(s string) error {
	switch s {
	case "first", "last", "all":
		return nil
	}
	if _, err := ParseTimestamp(s); err != nil {
		return fmt.Errorf("%q is neither first, last, all nor a timestamp", clip(s))
	}
	return nil
}

func checkSpecVersion(s string) error {
	if !specVersionRE.MatchString(s) {
		return fmt.Errorf("%q is not a STIX spec version such as 2.1", clip(s))
	}
	return nil
}
