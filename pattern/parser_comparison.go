package pattern

import (
	"fmt"
	"strconv"
)

// This file parses what is inside the brackets of an observation
// expression: comparison expressions, object paths and literals (STIX 2.1
// sections 9.3 to 9.5).

// parseCompOr parses comparisons joined by OR.
func (p *parser) parseCompOr() (ComparisonExpr, error) {
	return p.parseCompChain(Or, "OR", p.parseCompAnd)
}

// parseCompAnd parses comparisons joined by AND.
func (p *parser) parseCompAnd() (ComparisonExpr, error) {
	return p.parseCompChain(And, "AND", p.parseCompUnary)
}

func (p *parser) parseCompChain(op Logic, kw string, sub func() (ComparisonExpr, error)) (ComparisonExpr, error) {
	ops, err := parseChain(p, kw, sub, func(e ComparisonExpr) ([]ComparisonExpr, bool) {
		if c, ok := e.(*ComparisonCompound); ok && c.Op == op {
			return c.Operands, true
		}
		return nil, false
	})
	if err != nil || len(ops) == 1 {
		return first(ops), err
	}
	return &ComparisonCompound{Op: op, Operands: ops}, nil
}

// parseCompUnary parses a parenthesised comparison expression, an EXISTS
// test, or one comparison.
func (p *parser) parseCompUnary() (ComparisonExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	if p.tok.kind == tLParen {
		if err := p.advance(); err != nil {
			return nil, err
		}
		e, err := p.parseCompOr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRParen {
			return nil, p.expected("AND, OR or \")\"")
		}
		return e, p.advance()
	}
	negated := false
	if p.isKeyword("NOT") {
		negated = true
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.isKeyword("EXISTS") {
			return nil, p.expected("EXISTS after a leading NOT (elsewhere NOT goes between the object path and the operator)")
		}
	}
	if p.isKeyword("EXISTS") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		path, err := p.parseObjectPath()
		if err != nil {
			return nil, err
		}
		return &Comparison{Path: path, Op: OpExists, Negated: negated}, nil
	}
	return p.parseComparison()
}

var compOps = map[tokKind]Operator{tEQ: OpEqual, tNEQ: OpNotEqual, tLT: OpLess, tLE: OpLessEqual, tGT: OpGreater, tGE: OpGreaterEqual}

var wordOps = map[string]Operator{"IN": OpIn, "LIKE": OpLike, "MATCHES": OpMatches, "ISSUBSET": OpIsSubset, "ISSUPERSET": OpIsSuperset}

// parseComparison parses "path [NOT] op value".
func (p *parser) parseComparison() (ComparisonExpr, error) {
	path, err := p.parseObjectPath()
	if err != nil {
		return nil, err
	}
	c := &Comparison{Path: path}
	if p.isKeyword("NOT") {
		c.Negated = true
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	opTok := p.tok
	if op, ok := compOps[opTok.kind]; ok {
		c.Op = op
	} else if op, ok := wordOps[opTok.text]; ok && opTok.kind == tKeyword {
		c.Op = op
	} else {
		return nil, p.expected("a comparison operator such as = or IN")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	valOff := p.tok.off
	if c.Op == OpIn {
		set, err := p.parseSet()
		if err != nil {
			return nil, err
		}
		c.Set = set
	} else {
		valTok := p.tok
		lit, err := p.parseLiteral()
		if err != nil {
			return nil, err
		}
		if err := checkOperand(c.Op, lit, opTok, valTok); err != nil {
			return nil, err
		}
		c.Value = lit
	}
	if err := checkComparison(c, valOff); err != nil {
		return nil, err
	}
	return c, nil
}

// parseSet parses "( literal, ... )" after IN.
func (p *parser) parseSet() ([]Literal, error) {
	if p.tok.kind != tLParen {
		return nil, p.expected("\"(\" to open the set of values after IN")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	set := []Literal{}
	var first token
	for p.tok.kind != tRParen {
		if len(set) > 0 {
			if p.tok.kind != tComma {
				return nil, p.expected("\",\" or \")\" in the set of values")
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		t := p.tok
		lit, err := p.parseLiteral()
		if err != nil {
			return nil, err
		}
		if len(set) == 0 {
			first = t
		} else if !sameSetKind(set[0].Kind, lit.Kind) {
			return nil, &Error{Offset: t.off, Msg: fmt.Sprintf("the values of a set must all have one type: %s is a %s but %s is a %s", first.describe(), set[0].Kind, t.describe(), lit.Kind)}
		}
		set = append(set, lit)
	}
	return set, p.advance()
}

func sameSetKind(a, b LiteralKind) bool {
	num := func(k LiteralKind) bool { return k == KindInt || k == KindFloat }
	return a == b || (num(a) && num(b))
}

// parseObjectPath parses "type:property(.key|[n]|[*])*".
func (p *parser) parseObjectPath() (ObjectPath, error) {
	t := p.tok
	if t.kind != tIdent {
		if t.kind == tKeyword || t.kind == tBool {
			return ObjectPath{}, &Error{Offset: t.off, Expected: "an object path such as file:name", Msg: fmt.Sprintf("found the keyword %s", t.describe())}
		}
		return ObjectPath{}, p.expected("an object path such as file:name")
	}
	if err := checkObjectType(t); err != nil {
		return ObjectPath{}, err
	}
	path := ObjectPath{ObjectType: t.text}
	if err := p.advance(); err != nil {
		return ObjectPath{}, err
	}
	if p.tok.kind != tColon {
		return ObjectPath{}, p.expected(fmt.Sprintf("\":\" after the object type %q", path.ObjectType))
	}
	if err := p.advance(); err != nil {
		return ObjectPath{}, err
	}
	key, err := p.parseKey()
	if err != nil {
		return ObjectPath{}, err
	}
	path.Steps = append(path.Steps, PathStep{Kind: StepKey, Key: key})
	for {
		switch p.tok.kind {
		case tDot:
			if err := p.advance(); err != nil {
				return ObjectPath{}, err
			}
			key, err := p.parseKey()
			if err != nil {
				return ObjectPath{}, err
			}
			path.Steps = append(path.Steps, PathStep{Kind: StepKey, Key: key})
		case tLBrack:
			if err := p.advance(); err != nil {
				return ObjectPath{}, err
			}
			step := PathStep{Kind: StepAny}
			switch p.tok.kind {
			case tStar:
			case tInt:
				n, err := strconv.ParseInt(p.tok.text, 10, 32)
				if err != nil {
					return ObjectPath{}, &Error{Offset: p.tok.off, Msg: fmt.Sprintf("list index %s is too large", p.tok.text)}
				}
				step = PathStep{Kind: StepIndex, Index: int(n)}
			default:
				return ObjectPath{}, p.expected("a list index (a whole number or *)")
			}
			if err := p.advance(); err != nil {
				return ObjectPath{}, err
			}
			if p.tok.kind != tRBrack {
				return ObjectPath{}, p.expected("\"]\" after the list index")
			}
			if err := p.advance(); err != nil {
				return ObjectPath{}, err
			}
			path.Steps = append(path.Steps, step)
		default:
			return path, nil
		}
	}
}

// parseKey parses a property name: an identifier without hyphen or a
// quoted string.
func (p *parser) parseKey() (string, error) {
	t := p.tok
	switch t.kind {
	case tIdent:
		if t.hyphen {
			return "", &Error{Offset: t.off, Msg: fmt.Sprintf("property name %s contains a hyphen and must be quoted: '%s'", t.describe(), t.text)}
		}
	case tString:
		if err := checkKey(t); err != nil {
			return "", err
		}
		return t.str, p.advance()
	case tKeyword, tBool:
		// Keywords are reserved; quote them to use them as names.
		return "", &Error{Offset: t.off, Expected: "a property name", Msg: fmt.Sprintf("found the keyword %s (quote it to use it as a name: '%s')", t.describe(), t.text)}
	default:
		return "", p.expected("a property name")
	}
	return t.text, p.advance()
}

// parseLiteral parses one literal constant.
func (p *parser) parseLiteral() (Literal, error) {
	t := p.tok
	var lit Literal
	var err error
	switch t.kind {
	case tString:
		lit = Literal{Kind: KindString, Str: t.str}
	case tInt:
		var n int64
		n, err = strconv.ParseInt(t.text, 10, 64)
		if err != nil {
			return Literal{}, &Error{Offset: t.off, Msg: fmt.Sprintf("integer %s does not fit in 64 bits", t.text)}
		}
		lit = Literal{Kind: KindInt, Int: n}
	case tFloat:
		var f float64
		f, err = strconv.ParseFloat(t.text, 64)
		if err != nil {
			return Literal{}, &Error{Offset: t.off, Msg: fmt.Sprintf("number %s is out of range", t.text)}
		}
		lit = Literal{Kind: KindFloat, Float: f}
	case tBool:
		lit = Literal{Kind: KindBool, Bool: t.text == "true"}
	case tHex:
		lit, err = hexLiteral(t)
	case tBinary:
		lit, err = binaryLiteral(t)
	case tTimestamp:
		lit, err = timestampLiteral(t)
	default:
		return Literal{}, p.expected("a value: a 'string', a number, true, false, h'hex', b'base64' or t'timestamp'")
	}
	if err != nil {
		return Literal{}, err
	}
	return lit, p.advance()
}
