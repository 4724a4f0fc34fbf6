package taxii

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/isachub/isachub/stix"
)

// TooManyObjectsError is an envelope with more objects than the server takes
// in one request.
type TooManyObjectsError struct {
	Max int
}

// Error implements the error interface.
func (e *TooManyObjectsError) Error() string {
	return fmt.Sprintf("the envelope has more than %d objects; send them in several requests", e.Max)
}

// Element is one element of an envelope's objects, with its JSONPath in
// the body ("$.objects[3]"): a JSON object, parsed but not yet validated,
// or, when Object is nil, an element that is not a STIX object at all,
// with the reason in Message.
type Element struct {
	Path    string
	Object  *stix.Object
	Message string
}

// ReadEnvelope reads the body of a POST to an objects endpoint (TAXII 2.1
// section 5.4): it must be an envelope (section 3.7), {"objects": [...]}.
// It returns every element in order: parsed when it is a JSON object, with
// the reason otherwise. Whether an object may be stored is
// decided by the publishing path (package publish), not here. The error is non-nil when the
// body is not an envelope at all, and a *TooManyObjectsError when it holds
// more than maxObjects objects: the envelope is read as a stream, so a body
// of millions of tiny elements is refused before it is held in memory.
func ReadEnvelope(body []byte, maxObjects int) (elems []Element, err error) {
	return readObjects(body, maxObjects, false)
}

// ReadFile reads a file of STIX 2.1 objects as a member uploads one: a
// STIX bundle (STIX 2.1 section 8) or a TAXII envelope, with the elements
// and errors of ReadEnvelope. A bundle's id and other properties are not
// kept: only its objects are published.
func ReadFile(body []byte, maxObjects int) ([]Element, error) {
	return readObjects(body, maxObjects, true)
}

// readObjects reads an envelope, or a bundle too when bundles are taken.
func readObjects(body []byte, maxObjects int, bundles bool) (elems []Element, err error) {
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return nil, fmt.Errorf("the body is empty; send a TAXII 2.1 envelope {\"objects\": [...]}")
	case trimmed[0] == '[':
		return nil, fmt.Errorf("the body is a JSON array, not a TAXII 2.1 envelope; send {\"objects\": [...]}")
	case trimmed[0] != '{':
		return nil, fmt.Errorf("the body is not a JSON object; send a TAXII 2.1 envelope {\"objects\": [...]}")
	}
	// One syntax check of the whole body; the objects are then split
	// and parsed without checking or copying each one again.
	if !json.Valid(trimmed) {
		return nil, notEnvelope(trimmed, errors.New("invalid JSON"))
	}
	members, _ := stix.Members(trimmed)
	var typ string
	seenObjects := false
	for _, m := range members {
		switch m.Key {
		case "objects":
			if seenObjects {
				return nil, fmt.Errorf("the envelope has the property \"objects\" twice")
			}
			seenObjects = true
			if string(m.Value) == "null" {
				continue // "objects": null
			}
			items, err := stix.SplitObjects(m.Value, "$.objects", maxObjects)
			if errors.Is(err, stix.ErrTooManyElements) {
				return nil, &TooManyObjectsError{Max: maxObjects}
			} else if err != nil {
				return nil, fmt.Errorf("the body is not a TAXII 2.1 envelope: $.objects: expected an array of STIX objects, found %s", jsonKindOfRaw(m.Value))
			}
			elems = make([]Element, len(items))
			for k, it := range items {
				elems[k] = Element{Path: it.Path, Object: it.Object}
				if it.Err != nil {
					elems[k].Message = it.Err.Error() // a *stix.PathError under the element's path
				}
			}
		case "type":
			var v any
			if err := json.Unmarshal(m.Value, &v); err != nil {
				return nil, notEnvelope(trimmed, err)
			}
			typ = fmt.Sprint(v)
		}
	}
	if typ == "bundle" && !bundles {
		return nil, fmt.Errorf("the body is a STIX bundle, not a TAXII 2.1 envelope; send {\"objects\": [...]}")
	} else if typ != "" && typ != "bundle" {
		return nil, fmt.Errorf("the body is a single STIX object (type %q), not a TAXII 2.1 envelope; send {\"objects\": [...]}", clip(typ))
	}
	return elems, nil
}

// notEnvelope is the error for a body that is not an envelope: the JSON
// syntax error with its line and column when the body is not JSON, err
// otherwise.
func notEnvelope(body []byte, err error) error {
	if !json.Valid(body) {
		_, err = stix.ParseDocument(body)
	}
	return fmt.Errorf("the body is not a TAXII 2.1 envelope: %w", err)
}

// jsonKindOfRaw names the JSON type of a raw value, for messages.
func jsonKindOfRaw(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
