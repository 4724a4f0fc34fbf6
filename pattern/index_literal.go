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

// Unicode normalisation: the matcher may compare LIKE and MATCHES in NFC
// (as the OASIS reference matcher does) or as given. Both are covered by
// taking required text only from patterns written in ASCII, using only its
// ASCII characters, and by looking it up in the observed value after
// ixNFCASCII: NFC never turns ASCII text into something else, and never
// makes ASCII text out of non-ASCII except for three characters.

// ixASCII reports whether s is all ASCII.
func ixASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ixNFCASCII replaces the only three characters whose NFC form is ASCII
// (U+037E GREEK QUESTION MARK, U+1FEF GREEK VARIA, U+212A KELVIN SIGN) by
// that form, so that ASCII text found in the NFC form of s is found in the
// result. It returns s itself when it holds none of them.
func ixNFCASCII(s string) string {
	if ixASCII(s) || !strings.ContainsAny(s, "\u037e\u1fef\u212a") {
		return s
	}
	return ixNFCReplacer.Replace(s)
}

var ixNFCReplacer = strings.NewReplacer("\u037e", ";", "\u1fef", "`", "\u212a", "K")

// ixLikeLiteral returns the longest run of literal text in a LIKE pattern
// (between % and _ wildcards), or "" for a pattern that is not all ASCII.
// Every value the pattern matches contains it.
func ixLikeLiteral(like string) string {
	if !ixASCII(like) {
		return ""
	}
	best := ""
	for _, run := range strings.FieldsFunc(like, func(r rune) bool { return r == '%' || r == '_' }) {
		if len(run) > len(best) {
			best = run
		}
	}
	return best
}

// ixRegexpLiteral returns a string that every text the regular expression
// (Go RE2 syntax, as MATCHES uses) matches must contain, the longest it
// can find; "" when there is none, the expression does not parse or is not
// written in ASCII. Case-insensitive parts give nothing, since their text
// varies; so do non-ASCII characters written as escapes.
func ixRegexpLiteral(expr string) string {
	if !ixASCII(expr) {
		return ""
	}
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

// ixLongestRun returns the longest piece of ASCII runes.
func ixLongestRun(runes []rune) string {
	best, start := "", 0
	for i := 0; i <= len(runes); i++ {
		if i == len(runes) || runes[i] >= utf8.RuneSelf {
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
