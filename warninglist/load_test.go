package warninglist_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/isachub/isachub/warninglist"
)

func TestLoad(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		l := MustLoad(t, "mixed", "\uFEFF# header\n\n  \t\n"+
			"192.0.2.1\r\n"+
			"2001:DB8::1  # upper case, compressed\n"+
			"198.51.100.0/24\n"+
			"Example.COM.\n"+
			".Corp.Example\t#\ttree\n"+
			"HTTP://Example.com\n"+
			"Alice@Example.com\n"+
			"D41D8CD98F00B204E9800998ECF8427E\n"+
			"_dmarc.example.com\n")
		type entry struct{ Value, Kind, Note string }
		var got []entry
		for _, e := range l.Entries() {
			got = append(got, entry{e.Value, e.Kind, e.Note})
		}
		want := []entry{
			{"192.0.2.1", "ipv4", ""},
			{"2001:db8::1", "ipv6", "upper case, compressed"},
			{"198.51.100.0/24", "ipv4", ""},
			{"example.com", "domain", ""},
			{".corp.example", "domain", "tree"},
			{"http://example.com/", "url", ""},
			{"alice@example.com", "email", ""},
			{"d41d8cd98f00b204e9800998ecf8427e", "md5", ""},
			{"_dmarc.example.com", "domain", ""},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("entries (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"ipv4", "ipv6", "domain", "url", "email", "md5"}, l.Kinds()); diff != "" {
			t.Errorf("Kinds (-want +got):\n%s", diff)
		}
		if l.Name != "mixed" || l.Source != "file" {
			t.Errorf("Name, Source = %q, %q", l.Name, l.Source)
		}
	})
	t.Run("OKTopSites", func(t *testing.T) {
		f, err := os.Open("testdata/top-sites.txt")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		l, err := warninglist.Load("top-sites", f)
		if err != nil {
			t.Fatal(err)
		}
		s := MustSet(t, l)
		for v, want := range map[string]bool{
			"google.com": true, "mail.google.com": true, "wikipedia.org": true,
			"en.wikipedia.org": false, "blogspot.com": true, "attacker.blogspot.com": false,
			"google.com.evil.net": false, "notgoogle.com": false,
		} {
			if got := len(s.Match("domain", v)) > 0; got != want {
				t.Errorf("Match(%q) hit = %v, want %v", v, got, want)
			}
		}
	})
	t.Run("OKEmpty", func(t *testing.T) {
		if l := MustLoad(t, "empty", "# nothing\n\n"); l.Len() != 0 {
			t.Errorf("Len = %d", l.Len())
		}
	})
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		msg        string // part of the error
	}{
		{"ErrNotAValue", "example.com\nnot a value\n", 2, `unexpected "a value"`},
		{"ErrBadIPv4", "# c\n10.0.0.256\n", 2, "neither a valid IP address nor a domain name"},
		{"ErrShortIPv4", "1.2.3\n", 1, "neither a valid IP address nor a domain name"},
		{"ErrHostBits", "\n\n10.1.2.3/8\n", 3, "host bits set (the range is 10.0.0.0/8)"},
		{"ErrBadPrefixLen", "10.0.0.0/33\n", 1, "not a CIDR range"},
		{"ErrZone", "fe80::1%eth0\n", 1, "has a zone"},
		{"ErrWildcard", "*.example.com\n", 1, `write ".example.com"`},
		{"ErrBadChar", "exa$mple.com\n", 1, "character '$'"},
		{"ErrEmptyLabel", "example..com\n", 1, "empty or over-long label"},
		{"ErrHyphen", "-example.com\n", 1, "starts or ends with '-'"},
		{"ErrLongLabel", strings.Repeat("a", 64) + ".com\n", 1, "empty or over-long label"},
		{"ErrLongName", strings.Repeat("abcdefghi.", 26) + "com\n", 1, "longer than 253"},
		{"ErrURLNoHost", "http:///path\n", 1, "no scheme or host"},
		{"ErrURLBadHost", "http://exa mple.com/\n", 1, "unexpected"},
		{"ErrURLBadHostChar", "http://ex!ample.com/\n", 1, "URL"},
		{"ErrEmailLocal", "@example.com\n", 1, "local part"},
		{"ErrEmailDomain", "a@exa_mple..com\n", 1, "email address"},
		{"ErrEmailLiteral", "a@[300.1.1.1]\n", 1, "bad address literal"},
		{"ErrHashLength", strings.Repeat("a", 128) + "\n", 1, "empty or over-long label"},
		{"ErrLongLine", "example.com\n" + strings.Repeat("a", warninglist.MaxLineBytes+1) + "\n", 2, "longer than"},
		{"ErrDotOnly", ".\n", 1, "not a domain name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := warninglist.Load("ops", strings.NewReader(tt.text))
			var le *warninglist.LineError
			if !errors.As(err, &le) {
				t.Fatalf("Load: error %v, want a *LineError", err)
			}
			if le.Line != tt.line || le.List != "ops" {
				t.Errorf("LineError at %q line %d, want line %d", le.List, le.Line, tt.line)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
			if want := "warninglist \"ops\": line "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
		})
	}
	t.Run("ErrNoName", func(t *testing.T) {
		if _, err := warninglist.Load("", strings.NewReader("example.com\n")); err == nil {
			t.Error("Load with no name: no error")
		}
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		line := "# " + strings.Repeat("a", 1000) + "\n"
		r := strings.NewReader(strings.Repeat(line, warninglist.MaxFileBytes/len(line)+1))
		if _, err := warninglist.Load("big", r); err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Errorf("Load of a file over MaxFileBytes: error %v", err)
		}
	})
	t.Run("ErrRead", func(t *testing.T) {
		r := errReader{}
		if _, err := warninglist.Load("broken", r); err == nil {
			t.Error("Load from a failing reader: no error")
		}
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }
