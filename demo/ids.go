package demo

import (
	"crypto/sha256"
	"fmt"
	"time"
)

// uuid returns a deterministic UUID in version 4 form from a name, so that
// every run generates the same ids and re-seeding is idempotent.
func uuid(name string) string {
	h := sha256.Sum256([]byte("isachub-demo/" + name))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// stixID returns a deterministic STIX id of the type.
func stixID(typ, name string) string { return typ + "--" + uuid(typ+"/"+name) }

// epoch is the base of every generated timestamp.
var epoch = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

// ts formats the time h hours after epoch as a STIX timestamp with
// millisecond precision (STIX 2.1 section 3.2).
func ts(h int) string {
	return epoch.Add(time.Duration(h) * time.Hour).Format("2006-01-02T15:04:05.000Z")
}

// hexOf returns n deterministic hex digits derived from name.
func hexOf(name string, n int) string {
	var out []byte
	for i := 0; len(out) < n; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", name, i)))
		out = fmt.Appendf(out, "%x", h[:])
	}
	return string(out[:n])
}
