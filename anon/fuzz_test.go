package anon_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/internal/oasistest"
	"github.com/isachub/isachub/stix"
)

// FuzzAnonymise feeds arbitrary STIX documents to Anonymise: it must not
// panic; when it succeeds, every output object whose input was valid is
// valid, the output never holds the submitter's id, and a second run gives
// the same bytes.
func FuzzAnonymise(f *testing.F) {
	seeds := []string{"testdata/submission.json", "../stix/testdata/valid-every-type.json"}
	// The OASIS examples, where the machine has them (internal/oasistest),
	// are more seeds; without them the fuzzer starts from ours alone.
	oasis, _ := oasistest.Find()
	examples, _ := filepath.Glob(filepath.Join(oasis, "examples", "*.json"))
	more, _ := filepath.Glob(filepath.Join(oasis, "examples", "*", "*.json"))
	seeds = append(seeds, examples...)
	seeds = append(seeds, more...)
	// Seeds of at most 8 objects each keep the fuzzer's minimisation of
	// new inputs quick.
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		objs, err := stix.Parse(data)
		if err != nil {
			f.Fatalf("%s: %v", path, err)
		}
		for i := 0; i < len(objs); i += 8 {
			var b bytes.Buffer
			b.WriteByte('[')
			for j, o := range objs[i:min(i+8, len(objs))] {
				if j > 0 {
					b.WriteByte(',')
				}
				b.Write(o.Raw())
			}
			b.WriteByte(']')
			f.Add(b.Bytes())
		}
	}
	f.Add([]byte(`{"type":"note","spec_version":"2.1","id":"note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2026-11-20T09:15:00.000Z","modified":"2026-11-20T09:15:00.000Z","content":"IDENTITY--2F7E5C3A-9B1D-4E8F-A6C2-1D3B5E7F9A0C wrote it","object_refs":["` + acmeID + `"],"x_by":{"` + acmeID + `":"` + acmeID + `x"}}`))
	cfg := acmeConfig(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := stix.Parse(data)
		if err != nil || len(objs) > 2000 {
			return
		}
		res, err := anon.Anonymise(objs, cfg)
		if err != nil {
			if code := isachub.ErrorCode(err); code != isachub.EINVALID {
				t.Fatalf("error code %s: %v", code, err)
			}
			return
		}
		var kept []*stix.Object
		for _, o := range objs {
			if slices.Contains(res.Dropped, o.ID()) && (o.Type() == "identity" || o.Type() == "location") {
				continue
			}
			kept = append(kept, o)
		}
		if len(kept) != len(res.Objects) {
			t.Fatalf("%d objects in, %d dropped, %d out", len(objs), len(res.Dropped), len(res.Objects))
		}
		lowerSubmitter := []byte(strings.ToLower(acmeID))
		for i, out := range res.Objects {
			if in := stix.Validate(kept[i]); in.Valid() {
				if r := stix.Validate(out); !r.Valid() {
					t.Fatalf("%s was valid, its output %s is not: %v", kept[i].Raw(), out.Raw(), r.Errors)
				}
			}
			if bytes.Contains(bytes.ToLower(out.Raw()), lowerSubmitter) {
				t.Fatalf("the output holds the submitter's id: %s", out.Raw())
			}
		}
		again, err := anon.Anonymise(objs, cfg)
		if err != nil || !bytes.Equal(rawOf(again.Objects), rawOf(res.Objects)) {
			t.Fatalf("a second run differs (%v)", err)
		}
	})
}
