package isachub

import (
	"testing"
	"time"
)

// FuzzFeedCursor feeds arbitrary next parameters to the feeds' cursor
// parser: it must never panic, must answer EINVALID for what it refuses,
// and a cursor it takes must print back to itself.
func FuzzFeedCursor(f *testing.F) {
	f.Add(feedPosition{at: time.UnixMicro(1767225600123456).UTC(), coll: "0b3e7c52-8f7a-4d8e-9a51-2f1c4b6d7e80"}.cursor())
	f.Add(feedPosition{at: time.UnixMicro(-5).UTC(), coll: positionAll}.cursor())
	f.Add("")
	f.Add("bm90IGEgY3Vyc29y")
	f.Add("MTIzIA")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseFeedCursor(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("%q: %v is not EINVALID", s, err)
			}
			return
		}
		again, err := parseFeedCursor(p.cursor())
		if err != nil || !again.at.Equal(p.at) || again.coll != p.coll {
			t.Fatalf("%q: %+v prints as a cursor that reads back as %+v, %v", s, p, again, err)
		}
	})
}
