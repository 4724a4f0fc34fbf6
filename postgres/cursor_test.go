package postgres_test

import (
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/postgres"
)

func TestCursor(t *testing.T) {
	f := isachub.ObjectFilter{Types: []string{"indicator", "malware"}, Versions: []string{"all"}}
	good := postgres.EncodeCursor("c1", f, 1_763_880_000_000_001)
	tests := []struct {
		name, cursor, coll string
		f                  isachub.ObjectFilter
		want               int64
		wantCode           string
	}{
		{"OK", good, "c1", f, 1_763_880_000_000_001, ""},
		{"OKListOrder", good, "c1", isachub.ObjectFilter{Types: []string{"malware", "indicator"}, Versions: []string{"all"}}, 1_763_880_000_000_001, ""},
		{"OKOtherLimit", good, "c1", isachub.ObjectFilter{Types: f.Types, Versions: f.Versions, Limit: 7}, 1_763_880_000_000_001, ""},
		{"ErrOtherCollection", good, "c2", f, 0, isachub.EINVALID},
		{"ErrOtherFilter", good, "c1", isachub.ObjectFilter{Types: []string{"indicator"}}, 0, isachub.EINVALID},
		{"ErrOtherAddedAfter", good, "c1", isachub.ObjectFilter{Types: f.Types, Versions: f.Versions, AddedAfter: time.Unix(1, 0)}, 0, isachub.EINVALID},
		{"ErrEmpty", "", "c1", f, 0, isachub.EINVALID},
		{"ErrGarbage", "not a cursor!", "c1", f, 0, isachub.EINVALID},
		{"ErrPadded", good + "=", "c1", f, 0, isachub.EINVALID},
		{"ErrTruncated", good[:len(good)-1], "c1", f, 0, isachub.EINVALID},
		{"ErrNegative", postgres.EncodeCursor("c1", f, -5), "c1", f, 0, isachub.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := postgres.DecodeCursor(tt.cursor, tt.coll, tt.f)
			if code := isachub.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("DecodeCursor error code %q (%v), want %q", code, err, tt.wantCode)
			}
			if got != tt.want {
				t.Errorf("DecodeCursor = %d, want %d", got, tt.want)
			}
		})
	}
}

// FuzzCursor feeds arbitrary next values to the decoder: it must never
// panic, must fail with EINVALID (never an internal error), and whatever it
// accepts must re-encode to the same cursor.
func FuzzCursor(f *testing.F) {
	filter := isachub.ObjectFilter{Types: []string{"indicator"}}
	f.Add(postgres.EncodeCursor("c1", filter, 1_763_880_000_000_001))
	f.Add("")
	f.Add("AQAAAAAAAAAA")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, s string) {
		da, err := postgres.DecodeCursor(s, "c1", filter)
		if err != nil {
			if code := isachub.ErrorCode(err); code != isachub.EINVALID {
				t.Fatalf("DecodeCursor(%q) error code %q, want %q", s, code, isachub.EINVALID)
			}
			return
		}
		if again := postgres.EncodeCursor("c1", filter, da); again != s {
			t.Fatalf("DecodeCursor(%q) = %d, which encodes to %q", s, da, again)
		}
	})
}
