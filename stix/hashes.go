package stix

import (
	"regexp"
	"strconv"
	"strings"
)

// hashHexLengths gives the hex length of the fixed-size algorithms of the
// hash-algorithm-ov vocabulary (section 10.6).
var hashHexLengths = map[string]int{
	"MD5": 32, "SHA-1": 40, "SHA-256": 64, "SHA-512": 128, "SHA3-256": 64, "SHA3-512": 128,
}

var (
	ssdeepRe = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9/+]+:[A-Za-z0-9/+]+(,"[^"]*")?$`)
	// TLSH: 70 hex digits, or 72 with the "T1" version prefix.
	tlshRe = regexp.MustCompile(`^(T1)?[0-9A-Fa-f]{70}$`)
)

// canonicalHashName maps a hash algorithm name written in another case or
// without the dash ("sha256", "Sha-1") to its vocabulary spelling.
func canonicalHashName(name string) (string, bool) {
	norm := strings.ToUpper(strings.ReplaceAll(name, "-", ""))
	for _, v := range vocabularies["hash-algorithm-ov"] {
		if strings.ReplaceAll(v, "-", "") == norm {
			return v, true
		}
	}
	return "", false
}

// CheckHash reports what is wrong with value as a hash of the named
// algorithm, or "" when it fits (or the algorithm is not one we know).
func CheckHash(algorithm, value string) string {
	name, ok := canonicalHashName(algorithm)
	if !ok {
		return ""
	}
	if n, fixed := hashHexLengths[name]; fixed {
		if len(value) != n || !allHex(value) {
			return "a " + name + " hash must be exactly " + strconv.Itoa(n) + " hex digits"
		}
		return ""
	}
	switch name {
	case "SSDEEP":
		if !ssdeepRe.MatchString(value) {
			return "an SSDEEP hash must look like blocksize:hash:hash"
		}
	case "TLSH":
		if !tlshRe.MatchString(value) {
			return "a TLSH hash must be 70 hex digits, optionally prefixed with T1"
		}
	}
	return ""
}

// tHashes checks a hashes dictionary (section 2.7): at least one entry,
// algorithm names from hash-algorithm-ov (others are warnings), and values
// that fit their algorithm.
func tHashes(c *checker, path string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		c.wrongType(path, "a hashes dictionary", v)
		return
	}
	if len(m) == 0 {
		c.errorf(path, "must contain at least one hash (omit the property instead)")
		return
	}
	for _, k := range sortedKeys(m) {
		p := join(path, k)
		s, ok := m[k].(string)
		if !ok {
			c.wrongType(p, "a hash string", m[k])
			continue
		}
		if len(k) > 250 {
			c.errorf(p, "hash algorithm names must be at most 250 characters")
			continue
		}
		name, known := canonicalHashName(k)
		switch {
		case !known:
			c.warnf(p, "%s is not in the hash-algorithm-ov vocabulary (MD5, SHA-1, SHA-256, SHA-512, SHA3-256, SHA3-512, SSDEEP, TLSH)", quote(k))
		case name != k:
			c.warnf(p, "write the algorithm name as %s, the spelling of hash-algorithm-ov", quote(name))
		}
		if msg := CheckHash(k, s); msg != "" {
			c.errorf(p, "%s: %s", quote(s), msg)
		}
	}
}
