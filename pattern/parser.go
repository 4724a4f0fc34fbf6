package pattern

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds the nesting of parentheses and brackets so that a hostile
// pattern cannot exhaust the stack.
const maxDepth = 200

// Parse parses a STIX pattern (STIX 2.1 section 9, grammar STIXPattern.g4)
// and runs the semantic checks of the section. The error is an *Error with
// the byte offset of the problem.
func Parse(s string) (*Pattern, error) {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return nil, &Error{Offset: i, Msg: "the pattern is not valid UTF-8"}
			}
		}
	}
	p := &parser{lex: lexer{src: s}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	root, err := p.parseFollowedBy()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.expected("AND, OR, FOLLOWEDBY, a qualifier (WITHIN, REPEATS, START) or the end of the pattern")
	}
	return &Pattern{Root: root, prog: compile(root)}, nil
}

// MustParse is like Parse but panics on error. It is meant for patterns
// that are constants of a program or a test.
func MustParse(s string) *Pattern {
	p, err := Parse(s)
	if err != nil {
		panic(fmt.Sprintf("pattern.MustParse(%q): %v", s, err))
	}
	return p
}

type parser struct {
	lex   lexer
	tok   token
	depth int
}

func (p *parser) advance() error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) isKeyword(k string) bool { return p.tok.kind == tKeyword && p.tok.text == k }

// expected returns the error "expected WHAT, found TOKEN" at the current
// token.
func (p *parser) expected(what string) *Error {
	msg := "found " + p.tok.describe()
	if p.tok.kind == tIdent {
		switch up, low := strings.ToUpper(p.tok.text), strings.ToLower(p.tok.text); {
		case keywords[up]:
			msg += fmt.Sprintf(" (keywords are upper case: %s)", up)
		case low == "true" || low == "false":
			msg += fmt.Sprintf(" (booleans are lower case: %s)", low)
		}
	}
	return &Error{Offset: p.tok.off, Expected: what, Msg: msg}
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return &Error{Offset: p.tok.off, Msg: fmt.Sprintf("the pattern nests deeper than %d levels", maxDepth)}
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// parseFollowedBy parses observationExpressions: Or-expressions joined by
// FOLLOWEDBY (left-associative, kept as one n-ary node).
func (p *parser) parseFollowedBy() (ObservationExpr, error) {
	first, err := p.parseObsOr()
	if err != nil {
		return nil, err
	}
	ops := []ObservationExpr{first}
	for p.isKeyword("FOLLOWEDBY") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		e, err := p.parseObsOr()
		if err != nil {
			return nil, err
		}
		ops = append(ops, e)
	}
	if len(ops) == 1 {
		return first, nil
	}
	return &ObservationCompound{Op: FollowedBy, Operands: ops}, nil
}

func (p *parser) parseObsOr() (ObservationExpr, error) {
	return p.parseObsChain(Or, "OR", p.parseObsAnd)
}

func (p *parser) parseObsAnd() (ObservationExpr, error) {
	return p.parseObsChain(And, "AND", p.parseObsUnary)
}

// parseObsChain parses operands joined by one associative operator,
// flattening parenthesised operands with the same operator and no
// qualifiers.
func (p *parser) parseObsChain(op Logic, kw string, sub func() (ObservationExpr, error)) (ObservationExpr, error) {
	ops, err := parseChain(p, kw, sub, func(e ObservationExpr) ([]ObservationExpr, bool) {
		c, ok := e.(*ObservationCompound)
		if ok && c.Op == op && len(c.Qualifiers) == 0 {
			return c.Operands, true
		}
		return nil, false
	})
	if err != nil || len(ops) == 1 {
		return first(ops), err
	}
	return &ObservationCompound{Op: op, Operands: ops}, nil
}

// parseChain parses "sub (kw sub)*" and returns the operands; when there is
// more than one, an operand that flatten says is already a chain of the
// same operator contributes its own operands instead.
func parseChain[E any](p *parser, kw string, sub func() (E, error), flatten func(E) ([]E, bool)) ([]E, error) {
	e, err := sub()
	if err != nil {
		return nil, err
	}
	if !p.isKeyword(kw) {
		return []E{e}, nil
	}
	var ops []E
	for {
		if inner, ok := flatten(e); ok {
			ops = append(ops, inner...)
		} else {
			ops = append(ops, e)
		}
		if !p.isKeyword(kw) {
			return ops, nil
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		if e, err = sub(); err != nil {
			return nil, err
		}
	}
}

// first returns the first element of s, or the zero value when s is empty.
func first[E any](s []E) E {
	var zero E
	if len(s) == 0 {
		return zero
	}
	return s[0]
}

// parseObsUnary parses "[ comparisons ]" or "( observations )" and the
// qualifiers that follow it.
func (p *parser) parseObsUnary() (ObservationExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	var e ObservationExpr
	switch p.tok.kind {
	case tLBrack:
		if err := p.advance(); err != nil {
			return nil, err
		}
		c, err := p.parseCompOr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRBrack {
			return nil, p.expected("AND, OR or \"]\" to close the observation expression")
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		e = &ObservationSimple{Expr: c}
	case tLParen:
		if err := p.advance(); err != nil {
			return nil, err
		}
		inner, err := p.parseFollowedBy()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRParen {
			return nil, p.expected("AND, OR, FOLLOWEDBY, a qualifier or \")\"")
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		e = inner
	default:
		return nil, p.expected("an observation expression: \"[\" or \"(\"")
	}
	return p.parseQualifiers(e)
}

// parseQualifiers parses the qualifiers after one bracket or parenthesised
// group and appends them to e, in order. The grammar's observation
// expression takes its qualifiers recursively (STIXPattern.g4:
// observationExpression withinQualifier, and so on) and section 9 lets an
// observation expression carry one or more; nothing in the text forbids
// repeating a type, so [x] REPEATS 2 TIMES REPEATS 2 TIMES is valid: each
// qualifier applies to the result of those before it.
func (p *parser) parseQualifiers(e ObservationExpr) (ObservationExpr, error) {
	for {
		start := p.tok.off
		var q Qualifier
		var err error
		switch {
		case p.isKeyword("WITHIN"):
			q, err = p.parseWithin()
		case p.isKeyword("REPEATS"):
			q, err = p.parseRepeats()
		case p.isKeyword("START"):
			q, err = p.parseStartStop()
		case p.isKeyword("STOP"):
			return nil, &Error{Offset: start, Msg: "STOP must follow START t'...'"}
		default:
			return e, nil
		}
		if err != nil {
			return nil, err
		}
		switch x := e.(type) {
		case *ObservationSimple:
			x.Qualifiers = append(x.Qualifiers, q)
		case *ObservationCompound:
			x.Qualifiers = append(x.Qualifiers, q)
		}
	}
}

func (p *parser) parseWithin() (Qualifier, error) {
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	t := p.tok
	if t.kind != tInt && t.kind != tFloat {
		return Qualifier{}, p.expected("a positive number of seconds after WITHIN")
	}
	f, err := strconv.ParseFloat(t.text, 64)
	if err != nil || f <= 0 || t.text[0] == '-' {
		return Qualifier{}, &Error{Offset: t.off, Expected: "a positive number of seconds after WITHIN", Msg: "found " + t.describe()}
	}
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	if !p.isKeyword("SECONDS") {
		return Qualifier{}, p.expected("SECONDS (the only unit of WITHIN)")
	}
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	return Qualifier{Kind: QualWithin, Seconds: f}, nil
}

func (p *parser) parseRepeats() (Qualifier, error) {
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	t := p.tok
	if t.kind != tInt {
		return Qualifier{}, p.expected("a positive whole number after REPEATS")
	}
	n, err := strconv.ParseInt(t.text, 10, 32)
	if err != nil || n <= 0 || t.text[0] == '-' {
		return Qualifier{}, &Error{Offset: t.off, Expected: "a positive whole number (at most 2147483647) after REPEATS", Msg: "found " + t.describe()}
	}
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	if !p.isKeyword("TIMES") {
		return Qualifier{}, p.expected("TIMES after REPEATS n")
	}
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	return Qualifier{Kind: QualRepeats, Times: int(n)}, nil
}

func (p *parser) parseStartStop() (Qualifier, error) {
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	if p.tok.kind != tTimestamp {
		return Qualifier{}, p.expected("a timestamp t'YYYY-MM-DDThh:mm:ssZ' after START")
	}
	start, err := timestampLiteral(p.tok)
	if err != nil {
		return Qualifier{}, err
	}
	startOff := p.tok.off
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	if !p.isKeyword("STOP") {
		return Qualifier{}, p.expected("STOP after START t'...'")
	}
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	if p.tok.kind != tTimestamp {
		return Qualifier{}, p.expected("a timestamp t'YYYY-MM-DDThh:mm:ssZ' after STOP")
	}
	stop, err := timestampLiteral(p.tok)
	if err != nil {
		return Qualifier{}, err
	}
	if !start.Time.Before(stop.Time) {
		return Qualifier{}, &Error{Offset: startOff, Msg: "the START time must be before the STOP time"}
	}
	if err := p.advance(); err != nil {
		return Qualifier{}, err
	}
	return Qualifier{Kind: QualStartStop, Start: start.Time, Stop: stop.Time}, nil
}
