package taxii

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

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
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return nil, fmt.Errorf("the body is empty; send a TAXII 2.1 envelope {\"objects\": [...]}")
	case trimmed[0] == '[':
		return nil, fmt.Errorf("the body is a JSON array, not a TAXII 2.1 envelope; send {\"objects\": [...]}")
	case trimmed[0] != '{':
		return nil, fmt.Errorf("the body is not a JSON object; send a TAXII 2.1 envelope {\"objects\": [...]}")
	}
	// The decoder checks the syntax as it goes; the body is not validated
	// first, which would read it one more time.
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if _, err := dec.Token(); err != nil { // the opening brace
		return nil, notEnvelope(trimmed, err)
	}
	var typ string
	seenObjects := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, notEnvelope(trimmed, err)
		}
		key, _ := tok.(string)
		switch key {
		case "objects":
			if seenObjects {
				return nil, fmt.Errorf("the envelope has the property \"objects\" twice")
			}
			seenObjects = true
			elems, err = readObjects(dec, maxObjects)
			var tooMany *TooManyObjectsError
			if errors.As(err, &tooMany) {
				return nil, err
			} else if err != nil {
				return nil, notEnvelope(trimmed, err)
			}
		case "type":
			var v any
			if err := dec.Decode(&v); err != nil {
				return nil, notEnvelope(trimmed, err)
			}
			typ = fmt.Sprint(v)
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, notEnvelope(trimmed, err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, notEnvelope(trimmed, err)
	}
	if dec.More() {
		return nil, notEnvelope(trimmed, fmt.Errorf("more JSON after the envelope"))
	}
	if typ == "bundle" {
		return nil, fmt.Errorf("the body is a STIX bundle, not a TAXII 2.1 envelope; send {\"objects\": [...]}")
	} else if typ != "" {
		return nil, fmt.Errorf("the body is a single STIX object (type %q), not a TAXII 2.1 envelope; send {\"objects\": [...]}", clip(typ))
	}
	return elems, nil
}

// notEnvelope is the error for a body the decoder stopped in: the JSON
// syntax error with its line and column when the body is not JSON, err
// otherwise.
func notEnvelope(body []byte, err error) error {
	if !json.Valid(body) {
		_, err = stix.ParseDocument(body)
	}
	return fmt.Errorf("the body is not a TAXII 2.1 envelope: %w", err)
}

// readObjects reads the value of an envelope's "objects": an array (or
// null) whose elements are parsed one at a time.
func readObjects(dec *json.Decoder, maxObjects int) (elems []Element, err error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, nil // "objects": null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fmt.Errorf("$.objects: expected an array of STIX objects, found %s", jsonKindOf(tok))
	}
	for i := 0; dec.More(); i++ {
		if i >= maxObjects {
			return nil, &TooManyObjectsError{Max: maxObjects}
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		path := "$.objects[" + strconv.Itoa(i) + "]"
		o, err := stix.ParseObject(raw)
		if err != nil {
			elems = append(elems, Element{Path: path, Message: rebase(err, path)})
			continue
		}
		elems = append(elems, Element{Path: path, Object: o})
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return nil, err
	}
	return elems, nil
}

// rebase moves a parse error of one element, whose JSONPath starts at "$",
// under the element's path in the body.
func rebase(err error, path string) string {
	var pe *stix.PathError
	if errors.As(err, &pe) {
		return path + strings.TrimPrefix(pe.Path, "$") + ": " + pe.Msg
	}
	return path + ": " + err.Error()
}

// jsonKindOf names the JSON type of a decoder token, for messages.
func jsonKindOf(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return "an object"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64, json.Number:
		return "a number"
	}
	return "null"
}
