package pattern

import (
	"encoding/base64"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"
)

// String returns the canonical text of the pattern: single spaces around
// operators, "=" and "!=" for equality, keys quoted only when they must be,
// parentheses only where the grouping needs them, timestamps in UTC with
// the shortest fraction. Parsing the result gives an equal Pattern.
func (p *Pattern) String() string {
	var b strings.Builder
	writeObs(&b, p.Root, 0)
	return b.String()
}

// precedence of the observation operators: FOLLOWEDBY binds loosest.
func precedence(op Logic) int {
	switch op {
	case FollowedBy:
		return 1
	case Or:
		return 2
	}
	return 3
}

// writeObs writes e; parent is the precedence of the enclosing operator (0
// at the top).
func writeObs(b *strings.Builder, e ObservationExpr, parent int) {
	var body string
	var quals []Qualifier
	switch e := e.(type) {
	case *ObservationSimple:
		var sb strings.Builder
		sb.WriteByte('[')
		writeComp(&sb, e.Expr, 0)
		sb.WriteByte(']')
		body, quals = sb.String(), e.Qualifiers
	case *ObservationCompound:
		var sb strings.Builder
		prec := precedence(e.Op)
		for i, o := range e.Operands {
			if i > 0 {
				sb.WriteString(" " + e.Op.String() + " ")
			}
			// An operand with the same operator needs parentheses: the
			// parser flattens AND and OR chains, so only FOLLOWEDBY groups
			// (not associative) arrive here.
			writeObs(&sb, o, prec+1)
		}
		body, quals = sb.String(), e.Qualifiers
		if len(quals) > 0 || prec < parent {
			body = "(" + body + ")"
		}
	default:
		return
	}
	// Qualifiers stack: each applies to the result of those before it.
	for _, q := range quals {
		body += " " + q.String()
	}
	b.WriteString(body)
}

// String returns the qualifier's canonical text.
func (q Qualifier) String() string {
	switch q.Kind {
	case QualWithin:
		return "WITHIN " + formatNumber(q.Seconds) + " SECONDS"
	case QualRepeats:
		return "REPEATS " + strconv.Itoa(q.Times) + " TIMES"
	case QualStartStop:
		return "START " + formatTime(q.Start) + " STOP " + formatTime(q.Stop)
	}
	return ""
}

// formatNumber writes a float so that it lexes back as the same value: an
// integer when it is whole, otherwise with a decimal point and no exponent.
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return formatFloat(f)
}

// formatFloat writes a float literal, which the grammar requires to have a
// decimal point and no exponent.
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func formatTime(t time.Time) string {
	return "t'" + t.UTC().Format("2006-01-02T15:04:05.999999999Z") + "'"
}

func writeComp(b *strings.Builder, e ComparisonExpr, parent int) {
	switch e := e.(type) {
	case *Comparison:
		writeComparison(b, e)
	case *ComparisonCompound:
		prec := precedence(e.Op)
		paren := prec <= parent
		if paren {
			b.WriteByte('(')
		}
		for i, o := range e.Operands {
			if i > 0 {
				b.WriteString(" " + e.Op.String() + " ")
			}
			writeComp(b, o, prec)
		}
		if paren {
			b.WriteByte(')')
		}
	}
}

// String returns the comparison's canonical text.
func (c *Comparison) String() string {
	var b strings.Builder
	writeComparison(&b, c)
	return b.String()
}

func writeComparison(b *strings.Builder, c *Comparison) {
	if c.Op == OpExists {
		if c.Negated {
			b.WriteString("NOT ")
		}
		b.WriteString("EXISTS ")
		b.WriteString(c.Path.String())
		return
	}
	b.WriteString(c.Path.String())
	if c.Negated {
		b.WriteString(" NOT")
	}
	b.WriteString(" " + c.Op.String() + " ")
	if c.Op == OpIn {
		b.WriteByte('(')
		for i, v := range c.Set {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(v.String())
		}
		b.WriteByte(')')
		return
	}
	b.WriteString(c.Value.String())
}

// String returns the path's canonical text, for example
// file:hashes.'SHA-256' or email-message:to_refs[*].value.
func (p ObjectPath) String() string {
	var b strings.Builder
	b.WriteString(p.ObjectType)
	b.WriteByte(':')
	for i, s := range p.Steps {
		switch s.Kind {
		case StepKey:
			if i > 0 {
				b.WriteByte('.')
			}
			if isPlainKey(s.Key) {
				b.WriteString(s.Key)
			} else {
				b.WriteString(QuoteString(s.Key))
			}
		case StepIndex:
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
		case StepAny:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

// isPlainKey reports whether k can be written without quotes: an
// identifier without hyphen that is not a keyword.
func isPlainKey(k string) bool {
	if k == "" || !isIdentStart(k[0]) || keywords[k] || k == "true" || k == "false" {
		return false
	}
	if k == "h" || k == "b" || k == "t" {
		return true
	}
	for i := 1; i < len(k); i++ {
		if !isIdentPart(k[i]) {
			return false
		}
	}
	return true
}

// QuoteString returns s as a pattern string literal (STIX 2.1 section
// 9.4): in single quotes, a quote and a backslash escaped with a
// backslash, nothing else. The converters build patterns with it.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
	return b.String()
}

// String returns the literal's canonical text.
func (l Literal) String() string {
	switch l.Kind {
	case KindString:
		return QuoteString(l.Str)
	case KindInt:
		return strconv.FormatInt(l.Int, 10)
	case KindFloat:
		return formatFloat(l.Float)
	case KindBool:
		return strconv.FormatBool(l.Bool)
	case KindHex:
		return "h'" + hex.EncodeToString(l.Bytes) + "'"
	case KindBinary:
		return "b'" + base64.StdEncoding.EncodeToString(l.Bytes) + "'"
	case KindTimestamp:
		return formatTime(l.Time)
	}
	return ""
}
