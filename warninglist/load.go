package warninglist

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Bounds of a file given to Load. MaxEntries admits a full top-one-million
// sites list (about 22 MB as one name a line); a larger file, a longer
// line or more entries is an error, never a truncated list.
const (
	MaxFileBytes = 64 << 20 // bytes in one file
	MaxLineBytes = 8 << 10  // bytes in one line, comment included
	MaxEntries   = 1 << 20  // values in one file
)

// A LineError reports a line of a loaded file that is not a valid value.
type LineError struct {
	List string // the name given to Load
	Line int    // 1-based
	Err  error
}

// Error implements error.
func (e *LineError) Error() string {
	return fmt.Sprintf("warninglist %q: line %d: %v", e.List, e.Line, e.Err)
}

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }

// Load reads a warninglist file named name: one value a line (an IPv4 or
// IPv6 address, a CIDR range, a domain name, ".name" for a name and every
// name under it, a URL, an email address, or an MD5, SHA-1 or SHA-256 hash
// in hex), optionally followed by white space and a "#" comment that
// becomes the entry's Note. Blank lines and lines starting with "#" are
// ignored. The first bad line fails the whole file with a *LineError that
// names the line and what is wrong with it; the bounds are MaxFileBytes,
// MaxLineBytes and MaxEntries. Load sets Name and Source (to "file");
// the caller may set Description and Source before using the list.
func Load(name string, r io.Reader) (*List, error) {
	if name == "" {
		return nil, errors.New("warninglist: Load: empty list name")
	}
	lr := &io.LimitedReader{R: r, N: MaxFileBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)
	l := &List{Name: name, Source: "file"}
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		e, ok, err := parseLine(text)
		if err != nil {
			if lr.N <= 0 { // the line may be cut short by the bound
				return nil, tooLarge(name)
			}
			return nil, &LineError{List: name, Line: line, Err: err}
		}
		if !ok {
			continue
		}
		if len(l.entries) == MaxEntries {
			return nil, &LineError{List: name, Line: line, Err: fmt.Errorf("more than %d entries", MaxEntries)}
		}
		l.entries = append(l.entries, e)
	}
	if lr.N <= 0 {
		return nil, tooLarge(name)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &LineError{List: name, Line: line + 1, Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)}
		}
		return nil, fmt.Errorf("warninglist %q: read: %w", name, err)
	}
	return l, nil
}

func tooLarge(name string) error {
	return fmt.Errorf("warninglist %q: file larger than %d bytes", name, MaxFileBytes)
}

// parseLine returns the entry on one line, or ok false for a blank or
// comment line.
func parseLine(text string) (e Entry, ok bool, err error) {
	text = strings.TrimSpace(text)
	if text == "" || text[0] == '#' {
		return Entry{}, false, nil
	}
	value, rest := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		value, rest = text[:i], strings.TrimSpace(text[i:])
	}
	if rest != "" && rest[0] != '#' {
		return Entry{}, false, fmt.Errorf("unexpected %q after the value (one value a line; comments start with '#')", rest)
	}
	if e, err = parseEntry(value); err != nil {
		return Entry{}, false, err
	}
	e.Note = strings.TrimSpace(strings.TrimPrefix(rest, "#"))
	return e, true, nil
}
