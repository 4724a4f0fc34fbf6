package pattern

import "fmt"

// Error is a syntax or semantic error in a pattern. Offset is the byte
// offset in the pattern text where the problem starts; Expected says what
// the parser wanted there (may be empty); Msg says what was wrong.
type Error struct {
	Offset   int
	Expected string
	Msg      string
}

// Error reads like `offset 17: expected a comparison operator such as = or
// IN, found "foo"`.
func (e *Error) Error() string {
	switch {
	case e.Expected != "" && e.Msg != "":
		return fmt.Sprintf("offset %d: expected %s, %s", e.Offset, e.Expected, e.Msg)
	case e.Expected != "":
		return fmt.Sprintf("offset %d: expected %s", e.Offset, e.Expected)
	}
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
}
