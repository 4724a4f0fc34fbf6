package pattern

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// This file finds, for LIKE and MATCHES comparisons, a piece of text that
// every matching value must contain, and the trigrams the index files such
// comparisons under.

// ixMinLiteral is the shortest required text worth indexing: one trigram.
const ixMinLiteral = 3

// ixLikeLiteral returns the longest run of literal text in a LIKE pattern
// (between % and _ wildcards). Every value the pattern matches contains it.
func ixLikeLiteral(like string) string {
	best := ""
	// The matcher compares rune by rune and decodes an invalid byte as
	// U+FFFD, so U+FFFD (or an invalid byte) in the pattern is no literal
	// text: it may stand for other bytes in the value.
	cut := func(r rune) bool { return r == '%' || r == '_' || r == utf8.RuneError }
	for _, run := range strings.FieldsFunc(like, cut) {
		if len(run) > len(best) {
			best = run
		}
	}
	return best
}

// ixRegexpLiteral returns a string that every text the regular expression
// (Go RE2 syntax, as MATCHES uses) matches must contain, the longest it
// can find; "" when there is none or the expression does not parse.
// Case-insensitive parts give nothing, since their text varies.
func ixRegexpLiteral(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	return ixRequired(re.Simplify(), 0)
}

// ixRequired walks a regexp syntax tree for required text.
func ixRequired(re *syntax.Regexp, depth int) string {
	if depth > 100 {
		return ""
	}
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return ""
		}
		return ixLongestRun(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return ixRequired(re.Sub[0], depth+1)
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return ixRequired(re.Sub[0], depth+1)
		}
	case syntax.OpConcat:
		// Adjacent literal children join into one run; any child's
		// required text is required of the whole.
		best, run := "", []rune(nil)
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral && sub.Flags&syntax.FoldCase == 0 {
				run = append(run, sub.Rune...)
				if s := ixLongestRun(run); len(s) > len(best) {
					best = s
				}
				continue
			}
			run = nil
			if s := ixRequired(sub, depth+1); len(s) > len(best) {
				best = s
			}
		}
		return best
	}
	return ""
}

// ixLongestRun returns the longest piece of runes between U+FFFD runes:
// regexp matches U+FFFD against any invalid byte, so it is no literal.
func ixLongestRun(runes []rune) string {
	best, start := "", 0
	for i := 0; i <= len(runes); i++ {
		if i == len(runes) || runes[i] == utf8.RuneError {
			if s := string(runes[start:i]); len(s) > len(best) {
				best = s
			}
			start = i + 1
		}
	}
	return best
}

// ixTrigram packs three bytes into a key.
func ixTrigram(s string, i int) uint32 {
	return uint32(s[i])<<16 | uint32(s[i+1])<<8 | uint32(s[i+2])
}

// ixTrigramScore rates how rare a trigram is likely to be in observed
// values: digits, upper case and uncommon punctuation score high; the
// trigrams of common domain and URL parts ("www", ".co", "com", "htt",
// "ttp", "://") score lowest.
func ixTrigramScore(s string, i int) int {
	t := s[i : i+3]
	switch t {
	case "www", "ww.", "w.w", ".co", "com", "om/", "htt", "ttp", "tp:", "p:/", "://", "tps", "ps:", ".ne", "net", ".or", "org", "exe", ".ex":
		return 0
	}
	score := 1
	for j := 0; j < 3; j++ {
		c := t[j]
		switch {
		case '0' <= c && c <= '9', 'A' <= c && c <= 'Z':
			score += 3
		case c == '-' || c == '_' || c == '\\' || c == '%' || c == '=' || c == '?' || c == '&':
			score += 2
		case c >= utf8.RuneSelf:
			score += 2
		case 'a' <= c && c <= 'z':
			score += 1
		}
	}
	return score
}
