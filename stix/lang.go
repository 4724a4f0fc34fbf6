package stix

import (
	"strings"

	"golang.org/x/text/language"
)

// tLang checks a language tag: the lang property (section 3.2, and of
// granular markings, section 7.2.3) "MUST be a valid RFC 5646 language
// code", as must the keys of a language-content's contents (section 7.1).
func tLang(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "an RFC 5646 language tag", v)
		return
	}
	if msg := langIssue(s); msg != "" {
		c.errorf(path, "%s %s", quote(s), msg)
	}
}

// langIssue says why s is not an RFC 5646 language tag, "" when it is.
// golang.org/x/text/language parses BCP 47 (RFC 5646); it also takes "_"
// for "-", which RFC 5646 does not.
func langIssue(s string) string {
	if s == "" || strings.ContainsRune(s, '_') {
		return "is not an RFC 5646 language tag (such as en, fr-CA or zh-Hant)"
	}
	if _, err := language.Parse(s); err != nil {
		return "is not an RFC 5646 language tag (such as en, fr-CA or zh-Hant): " + err.Error()
	}
	return ""
}

// tLangDict checks a dictionary keyed by language tags (language-content's
// contents, section 7.1) whose values are checked by each.
func tLangDict(each check) check {
	return func(c *checker, path string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			c.wrongType(path, "a dictionary keyed by language tags", v)
			return
		}
		for _, k := range sortedKeys(m) {
			if msg := langIssue(k); msg != "" {
				c.errorf(join(path, k), "the key %s %s (section 7.1)", quote(k), msg)
				continue
			}
			each(c, join(path, k), m[k])
		}
	}
}
