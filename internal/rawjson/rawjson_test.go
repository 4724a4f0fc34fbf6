package rawjson_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/internal/rawjson"
)

// FuzzJoinSplit checks the encoding of the moderation queue's raw
// objects, which holds what clients submitted: the parts of the input
// (split at NUL bytes) that are valid JSON come back byte for byte, the
// invalid ones are EINVALID, and decoding any bytes returns an error or a
// list, never a panic.
func FuzzJoinSplit(f *testing.F) {
	for _, seed := range []string{
		`{"type":"indicator","name":"caf\u00e9"}`,
		" \n{\"a\":[1,2,{\"b\":\"],\"}]}\t\r\n\x00[]\x00\"x\"",
		`{"n":12345678901234567890,"e":1E+2,"s":"<b>&amp;</b>"}` + "\x00  true  ",
		`[{"a":1},`,
		"\x00\x00",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rawjson.Split(data) // must not panic
		var objs []json.RawMessage
		valid := true
		for part := range bytes.SplitSeq(data, []byte{0}) {
			objs = append(objs, json.RawMessage(part))
			valid = valid && json.Valid(part)
		}
		enc, err := rawjson.Join(objs)
		if !valid {
			if isachub.ErrorCode(err) != isachub.EINVALID {
				t.Fatalf("Join(%q) = %v, want EINVALID", objs, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Join(%q): %v", objs, err)
		}
		if !json.Valid(enc) {
			t.Fatalf("Join(%q) = %q, not JSON", objs, enc)
		}
		got, err := rawjson.Split(enc)
		if err != nil {
			t.Fatalf("Split(%q): %v", enc, err)
		}
		if len(got) != len(objs) {
			t.Fatalf("%q came back as %d objects, want %d", enc, len(got), len(objs))
		}
		for i := range objs {
			if !bytes.Equal(got[i], objs[i]) {
				t.Fatalf("object %d came back as %q, want %q", i, got[i], objs[i])
			}
		}
	})
}
