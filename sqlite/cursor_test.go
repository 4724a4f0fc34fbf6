package sqlite_test

import (
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/sqlite"
)

func TestCursor(t *testing.T) {
	f := isachub.ObjectFilter{Types: []string{"indicator", "malware"}, Versions: []string{"all"}, AddedAfter: time.Unix(1700000000, 0)}
	c := sqlite.EncodeCursor(f, 1763880000123456)
	t.Run("OK", func(t *testing.T) {
		got, err := sqlite.DecodeCursor(f, c)
		if err != nil || got != 1763880000123456 {
			t.Fatalf("DecodeCursor = %d, %v", got, err)
		}
		// Limit and Next are not part of the query; the order of values is not either.
		g := f
		g.Limit, g.Next, g.Types = 7, "x", []string{"malware", "indicator", "malware"}
		if _, err := sqlite.DecodeCursor(g, c); err != nil {
			t.Fatalf("DecodeCursor with another limit and value order: %v", err)
		}
	})
	for _, tc := range []struct {
		name string
		f    isachub.ObjectFilter
		s    string
	}{
		{"ErrEmpty", f, ""},
		{"ErrOtherQuery", isachub.ObjectFilter{}, c},
		{"ErrOtherSpec", isachub.ObjectFilter{Types: f.Types, Versions: f.Versions, AddedAfter: f.AddedAfter, SpecVersions: []string{"2.0"}}, c},
		{"ErrPadded", f, c + "="},
		{"ErrStdAlphabet", f, "+/" + c[2:]},
		{"ErrFormat", f, "Ag" + c[2:]},
		{"ErrNegative", f, "Af" + c[2:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sqlite.DecodeCursor(tc.f, tc.s)
			if isachub.ErrorCode(err) != isachub.EINVALID {
				t.Fatalf("DecodeCursor(%q) = %v, want invalid", tc.s, err)
			}
		})
	}
}

// FuzzCursor feeds DecodeCursor arbitrary next values (they come from
// clients): it must never panic, must reject what it did not issue with
// EINVALID, and must round-trip what it accepts.
func FuzzCursor(f *testing.F) {
	q := isachub.ObjectFilter{Types: []string{"indicator"}}
	f.Add(sqlite.EncodeCursor(q, 1763880000123456))
	f.Add(sqlite.EncodeCursor(isachub.ObjectFilter{}, 0))
	f.Add("")
	f.Add("AQAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, s string) {
		us, err := sqlite.DecodeCursor(q, s)
		if err != nil {
			if isachub.ErrorCode(err) != isachub.EINVALID {
				t.Fatalf("DecodeCursor(%q) error %v is not invalid", s, err)
			}
			return
		}
		if us < 0 {
			t.Fatalf("DecodeCursor(%q) = %d, a negative date_added", s, us)
		}
		if again := sqlite.EncodeCursor(q, us); again != s {
			t.Fatalf("DecodeCursor(%q) accepted a cursor that encodes as %q", s, again)
		}
	})
}
