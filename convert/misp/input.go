package misp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/isachub/isachub/convert"
)

// The bounds of an input: Convert refuses more than MaxInput bytes and JSON
// nested deeper than MaxDepth arrays and objects, each with a FormatError.
// A MISP event nests about a dozen levels deep (Event, Object, Attribute,
// Galaxy, GalaxyCluster, meta, refs).
const (
	MaxInput = 512 << 20
	MaxDepth = 64
)

// maxInput is MaxInput; a test lowers it.
var maxInput = MaxInput

// formatError returns the FormatError of an input that is not MISP JSON,
// stopped at path.
func formatError(path string, err error) error {
	return &convert.FormatError{Format: format, Path: path, Err: err}
}

// readInput reads all of r, refusing more than MaxInput bytes.
func readInput(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(maxInput)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, formatError("$", fmt.Errorf("the input is larger than %d bytes (%d MiB)", maxInput, maxInput>>20))
	}
	return data, nil
}

// decode parses data as one JSON value, numbers kept as json.Number (MISP
// writes timestamps as decimal strings, sometimes as numbers). Errors are
// FormatErrors with the JSON path where reading stopped.
func decode(data []byte) (any, error) {
	if off, ok := checkDepth(data, MaxDepth); !ok {
		return nil, formatError(pathAt(data, off), fmt.Errorf("the JSON is nested deeper than %d levels", MaxDepth))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			off := max(int(se.Offset)-1, 0)
			return nil, formatError(pathAt(data, off), fmt.Errorf("not JSON: %v at byte %d", se, off))
		case errors.Is(err, io.EOF):
			return nil, formatError("$", errors.New("the input is empty"))
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, formatError(pathAt(data, len(data)), errors.New("not JSON: the input ends inside a value (truncated?)"))
		}
		return nil, formatError("$", fmt.Errorf("not JSON: %v", err))
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		return nil, formatError("$", fmt.Errorf("not JSON: data after the top-level value at byte %d", len(data)-len(rest)))
	}
	return v, nil
}

// checkDepth reports the offset of the first '[' or '{' that opens more
// than max nested containers, and ok true when there is none. It reads
// strings only to skip them, so it runs at memory speed.
func checkDepth(data []byte, max int) (off int, ok bool) {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			depth++
			if depth > max {
				return i, false
			}
		case '}', ']':
			depth--
		}
	}
	return 0, true
}

// frame is one open array or object while pathAt walks the text.
type frame struct {
	array   bool
	index   int
	key     []byte // the raw member name, for objects
	haveKey bool
}

// pathAt returns the JSON path ($.Event.Attribute[3].value) of the value
// that byte off of data lies in. The text before off must be well-formed
// enough for its brackets to pair up, as it is before the first syntax
// error.
func pathAt(data []byte, off int) string {
	var stack []frame
	var last []byte // the last string read
	for i := 0; i < off && i < len(data); i++ {
		switch data[i] {
		case '"':
			start := i + 1
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			last = data[start:min(i, len(data))]
		case '{':
			stack = append(stack, frame{})
		case '[':
			stack = append(stack, frame{array: true})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ':':
			if n := len(stack); n > 0 && !stack[n-1].array {
				stack[n-1].key, stack[n-1].haveKey = last, true
			}
		case ',':
			if n := len(stack); n > 0 {
				if stack[n-1].array {
					stack[n-1].index++
				} else {
					stack[n-1].haveKey = false
				}
			}
		}
	}
	p := "$"
	for _, f := range stack {
		switch {
		case f.array:
			p = index(p, f.index)
		case f.haveKey:
			var k string
			if json.Unmarshal(append(append([]byte{'"'}, f.key...), '"'), &k) != nil {
				k = string(f.key)
			}
			p = field(p, k)
		}
	}
	return p
}

// field returns the path of member name of the object at p.
func field(p, name string) string {
	if isIdent(name) {
		return p + "." + name
	}
	return p + "[" + strconv.Quote(name) + "]"
}

// index returns the path of element i of the array at p.
func index(p string, i int) string { return p + "[" + strconv.Itoa(i) + "]" }

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
