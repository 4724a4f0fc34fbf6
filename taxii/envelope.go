package taxii

import (
	"fmt"
	"strings"

	"github.com/isachub/isachub/stix"
)

// Rejected is an element of a submitted envelope that cannot be stored: not
// a JSON object, or a STIX object that breaks a rule of STIX 2.1.
type Rejected struct {
	ID      string // the object's id, or the element's JSONPath when it has none
	Version string // the object's version, when it has one
	Message string // what is wrong, with JSONPaths into the request body
}

// ReadEnvelope reads the body of a POST to an objects endpoint (TAXII 2.1
// section 5.4): it must be an envelope (section 3.7), whose objects are
// each validated with stix.Validate. It returns the valid objects in order
// and the rejected elements; the error is non-nil only when the body is not
// an envelope at all.
func ReadEnvelope(body []byte) (valid []*stix.Object, rejected []Rejected, err error) {
	doc, err := stix.ParseDocument(body)
	if err != nil {
		return nil, nil, fmt.Errorf("the body is not a TAXII 2.1 envelope: %w", err)
	}
	if doc.Kind != stix.KindEnvelope {
		return nil, nil, fmt.Errorf("the body is a STIX %s, not a TAXII 2.1 envelope; send {\"objects\": [...]}", doc.Kind)
	}
	valid = make([]*stix.Object, 0, len(doc.Items))
	for _, it := range doc.Items {
		if it.Err != nil {
			rejected = append(rejected, Rejected{ID: it.Path, Message: it.Err.Error()})
			continue
		}
		o := it.Object
		if res := stix.Validate(o); !res.Valid() {
			id := o.ID()
			if id == "" {
				id = it.Path
			}
			rejected = append(rejected, Rejected{ID: id, Version: o.Version(), Message: validationMessage(it.Path, res.Errors)})
			continue
		}
		valid = append(valid, o)
	}
	return valid, rejected, nil
}

// validationMessage joins an object's validation errors, each with its
// JSONPath in the request body, at most ten of them.
func validationMessage(itemPath string, issues []stix.Issue) string {
	var b strings.Builder
	b.WriteString("invalid STIX 2.1: ")
	for i, is := range issues {
		if i > 0 {
			b.WriteString("; ")
		}
		if i == 10 {
			fmt.Fprintf(&b, "and %d more", len(issues)-i)
			break
		}
		p := itemPath
		if is.Path != "" {
			p += "." + is.Path
		}
		b.WriteString(p + ": " + is.Message)
	}
	return b.String()
}
