package pattern

import (
	"fmt"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token of STIXPattern.g4.
type tokKind int

const (
	tEOF tokKind = iota
	tLBrack
	tRBrack
	tLParen
	tRParen
	tColon
	tDot
	tComma
	tStar
	tEQ
	tNEQ
	tLT
	tLE
	tGT
	tGE
	tInt   // IntPosLiteral or IntNegLiteral
	tFloat // FloatPosLiteral or FloatNegLiteral
	tString
	tHex
	tBinary
	tTimestamp
	tBool
	tIdent // IdentifierWithoutHyphen or IdentifierWithHyphen
	tKeyword
	tOther // a character the grammar has a token for but never uses (+ - ^ /)
)

// token is one lexical token. For literals, text is the exact source text;
// for strings, str is the unescaped value.
type token struct {
	kind   tokKind
	off    int    // byte offset of the first character
	text   string // source text of the token
	str    string // unescaped string value (tString)
	hyphen bool   // tIdent contains a hyphen
}

// keywords are the reserved words of the grammar; they are case-sensitive.
var keywords = map[string]bool{
	"AND": true, "OR": true, "NOT": true, "FOLLOWEDBY": true, "LIKE": true,
	"MATCHES": true, "ISSUPERSET": true, "ISSUBSET": true, "EXISTS": true,
	"LAST": true, "IN": true, "START": true, "STOP": true, "SECONDS": true,
	"WITHIN": true, "REPEATS": true, "TIMES": true,
}

// lexer splits a pattern into tokens. Errors are *Error with the offset.
type lexer struct {
	src string
	pos int
}

// describe renders a token for "found ..." in error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "the end of the pattern"
	case tString:
		return "the string " + quoteForMsg(t.text)
	}
	return quoteForMsg(t.text)
}

func quoteForMsg(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return fmt.Sprintf("%q", s)
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\r', '\n', '\v', '\f', 0x85, 0xa0, 0x1680, 0x2028, 0x2029,
		0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || isDigit(c)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// skip moves past whitespace and comments.
func (l *lexer) skip() error {
	for l.pos < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		switch {
		case isSpace(r):
			l.pos += n
		case r == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '*':
			end := indexFrom(l.src, "*/", l.pos+2)
			if end < 0 {
				return &Error{Offset: l.pos, Msg: "comment \"/*\" is never closed with \"*/\""}
			}
			l.pos = end + 2
		case r == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '/':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' && l.src[l.pos] != '\r' {
				l.pos++
			}
		default:
			return nil
		}
	}
	return nil
}

func indexFrom(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// next returns the next token.
func (l *lexer) next() (token, error) {
	if err := l.skip(); err != nil {
		return token{}, err
	}
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tEOF, off: start}, nil
	}
	c := l.src[l.pos]
	one := func(k tokKind) (token, error) {
		l.pos++
		return token{kind: k, off: start, text: l.src[start:l.pos]}, nil
	}
	two := func(k tokKind) (token, error) {
		l.pos += 2
		return token{kind: k, off: start, text: l.src[start:l.pos]}, nil
	}
	peek := byte(0)
	if l.pos+1 < len(l.src) {
		peek = l.src[l.pos+1]
	}
	switch {
	case c == '[':
		return one(tLBrack)
	case c == ']':
		return one(tRBrack)
	case c == '(':
		return one(tLParen)
	case c == ')':
		return one(tRParen)
	case c == ':':
		return one(tColon)
	case c == ',':
		return one(tComma)
	case c == '*':
		return one(tStar)
	case c == '=' && peek == '=':
		return two(tEQ)
	case c == '=':
		return one(tEQ)
	case c == '!' && peek == '=':
		return two(tNEQ)
	case c == '<' && peek == '>':
		return two(tNEQ)
	case c == '<' && peek == '=':
		return two(tLE)
	case c == '<':
		return one(tLT)
	case c == '>' && peek == '=':
		return two(tGE)
	case c == '>':
		return one(tGT)
	case c == '\'':
		return l.lexString(start)
	case c == '.' && isDigit(peek):
		return l.lexNumber(start)
	case c == '.':
		return one(tDot)
	case isDigit(c) || ((c == '+' || c == '-') && (isDigit(peek) || (peek == '.' && l.pos+2 < len(l.src) && isDigit(l.src[l.pos+2])))):
		return l.lexNumber(start)
	case c == '+' || c == '-' || c == '^' || c == '/':
		return one(tOther)
	case isIdentStart(c):
		return l.lexWord(start)
	}
	r, n := utf8.DecodeRuneInString(l.src[l.pos:])
	if r == utf8.RuneError && n <= 1 {
		return token{}, &Error{Offset: start, Msg: "the pattern is not valid UTF-8"}
	}
	return token{}, &Error{Offset: start, Msg: fmt.Sprintf("unexpected character %q", r)}
}

// lexString reads 'text' where only \' and \\ are escapes.
func (l *lexer) lexString(start int) (token, error) {
	buf := make([]byte, 0, 16)
	i := start + 1
	for i < len(l.src) {
		c := l.src[i]
		switch c {
		case '\'':
			l.pos = i + 1
			return token{kind: tString, off: start, text: l.src[start:l.pos], str: string(buf)}, nil
		case '\\':
			if i+1 < len(l.src) && (l.src[i+1] == '\'' || l.src[i+1] == '\\') {
				buf = append(buf, l.src[i+1])
				i += 2
				continue
			}
			return token{}, &Error{Offset: i, Msg: `a backslash in a string must be followed by ' or \ (write \\ for a backslash)`}
		}
		buf = append(buf, c)
		i++
	}
	return token{}, &Error{Offset: start, Msg: "string is never closed with a quote (')"}
}

// lexNumber reads an integer or float with an optional sign.
func (l *lexer) lexNumber(start int) (token, error) {
	i := start
	if l.src[i] == '+' || l.src[i] == '-' {
		i++
	}
	digits := i
	for i < len(l.src) && isDigit(l.src[i]) {
		i++
	}
	intPart := l.src[digits:i]
	kind := tInt
	if i+1 < len(l.src) && l.src[i] == '.' && isDigit(l.src[i+1]) {
		kind = tFloat
		i++
		for i < len(l.src) && isDigit(l.src[i]) {
			i++
		}
	}
	if kind == tInt && len(intPart) > 1 && intPart[0] == '0' {
		return token{}, &Error{Offset: start, Msg: fmt.Sprintf("integer %s has a leading zero", l.src[start:i])}
	}
	if i < len(l.src) && isIdentStart(l.src[i]) {
		return token{}, &Error{Offset: start, Msg: fmt.Sprintf("malformed number %q", l.src[start:i+1])}
	}
	l.pos = i
	return token{kind: kind, off: start, text: l.src[start:i]}, nil
}

// lexWord reads an identifier, keyword, boolean, or a h”, b” or t”
// literal.
func (l *lexer) lexWord(start int) (token, error) {
	i := start
	hyphen := false
	for i < len(l.src) && (isIdentPart(l.src[i]) || l.src[i] == '-') {
		if l.src[i] == '-' {
			hyphen = true
		}
		i++
	}
	word := l.src[start:i]
	if (word == "h" || word == "b" || word == "t") && i < len(l.src) && l.src[i] == '\'' {
		end := i + 1
		for end < len(l.src) && l.src[end] != '\'' {
			end++
		}
		if end >= len(l.src) {
			return token{}, &Error{Offset: start, Msg: fmt.Sprintf("%s'...' literal is never closed with a quote (')", word)}
		}
		l.pos = end + 1
		k := map[string]tokKind{"h": tHex, "b": tBinary, "t": tTimestamp}[word]
		return token{kind: k, off: start, text: l.src[start:l.pos], str: l.src[i+1 : end]}, nil
	}
	l.pos = i
	switch {
	case word == "true" || word == "false":
		return token{kind: tBool, off: start, text: word}, nil
	case keywords[word]:
		return token{kind: tKeyword, off: start, text: word}, nil
	}
	return token{kind: tIdent, off: start, text: word, hyphen: hyphen}, nil
}
