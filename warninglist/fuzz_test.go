package warninglist_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/warninglist"
)

// FuzzLoad checks that Load never panics, that its errors are line
// errors, and that every accepted value is on the list it was loaded into.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"10.0.0.0/8\n192.0.2.1 # doc\n",
		"::ffff:10.0.0.0/104\nfe80::/10\n2001:db8::1\n",
		".example.com\nexample.org.\nxn--bcher-kva.example\n",
		"https://Example.com\nhttp://[2001:db8::1]:8080/a?b#c\nftp://u:p@h.example/\n",
		"Alice@Example.com\nx@[192.0.2.1]\ny@[IPv6:2001:db8::1]\n",
		"D41D8CD98F00B204E9800998ECF8427E\nda39a3ee5e6b4b0d3255bfef95601890afd80709\n",
		"# comment\n\n\t\n*.bad\n",
		"\uFEFFexample.com\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		l, err := warninglist.Load("fuzz", strings.NewReader(text))
		if err != nil {
			var le *warninglist.LineError
			if !errors.As(err, &le) && !strings.Contains(err.Error(), "larger than") {
				t.Fatalf("Load: error %v is not a *LineError", err)
			}
			return
		}
		s, err := warninglist.NewSet(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range l.Entries() {
			kind, value := e.Kind, e.Value
			switch kind {
			case warninglist.KindIPv4, warninglist.KindIPv6:
				kind = warninglist.KindCIDR
			case warninglist.KindDomain:
				value = strings.TrimPrefix(value, ".")
			}
			hits := s.Match(kind, value)
			if !slices.ContainsFunc(hits, func(h warninglist.Hit) bool { return h.Entry == e.Value }) {
				t.Errorf("entry %q (%s): Match(%q, %q) = %v, want a hit on it", e.Value, e.Kind, kind, value, hits)
			}
		}
	})
}

// FuzzMatch checks that Match never panics on any kind and value.
func FuzzMatch(f *testing.F) {
	for _, k := range []string{"ipv4", "ipv6", "cidr", "domain", "url", "email", "md5", "sha1", "sha256"} {
		f.Add(k, "10.0.0.1")
		f.Add(k, "http://[::ffff:10.0.0.1%25x]:1/")
		f.Add(k, "a@[IPv6:::1]")
		f.Add(k, "WWW.EXAMPLE.COM.")
	}
	s := warninglist.Default()
	f.Fuzz(func(t *testing.T, kind, value string) {
		for _, h := range s.Match(kind, value) {
			if s.List(h.List) == nil {
				t.Errorf("hit on unknown list %q", h.List)
			}
		}
	})
}
