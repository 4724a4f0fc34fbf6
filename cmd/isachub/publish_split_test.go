package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/isachub/isachub/storetest"
	"github.com/isachub/isachub/taxii"
)

// TestPublishSplits: content larger than the API root's max_content_length
// goes in several envelopes that each fit, every object arrives once, the
// summary adds them up, progress goes to stderr, an anonymous publish
// prints one withdrawal handle per envelope, and an object too large for
// any envelope is reported, not silently dropped.
func TestPublishSplits(t *testing.T) { forBackends(t, testPublishSplits) }

func testPublishSplits(t *testing.T, db testDB) {
	h := startHub(t, db)
	const limit = 4096
	h.admin(t, "admin", "community", "set", "--community", "aviation-isac", "--max-content-length", fmt.Sprint(limit))
	objs := storetest.Indicators(0, 40)
	raws := make([][]byte, len(objs))
	for i, o := range objs {
		raws[i] = o.Raw()
	}
	file := string(envelopeOf(raws))
	if len(file) <= 3*limit {
		t.Fatalf("the test file is only %d bytes: it would not be split", len(file))
	}

	t.Run("OKNamed", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", file, nil, "publish", "--json", "--url", h.root("aviation-isac"), "--collection", "shared")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		seen := map[string]int{}
		n := 0
		for line := range strings.Lines(out) {
			var st taxii.Status
			if err := json.Unmarshal([]byte(line), &st); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			n++
			for _, s := range st.Successes {
				seen[s.ID]++
			}
		}
		if n < 4 || len(seen) != len(objs) {
			t.Fatalf("%d status resources for %d distinct objects; want at least 4 envelopes and %d objects", n, len(seen), len(objs))
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("%s sent %d times", id, k)
			}
		}
		if !strings.Contains(errOut, fmt.Sprintf("%d of %d envelopes sent (40 of 40 objects)", n, n)) {
			t.Errorf("no progress on stderr: %q", errOut)
		}
	})
	t.Run("OKAnonymousHandleEach", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", file, nil, "publish", "--url", h.root("aviation-isac"), "--collection", "shared", "--anonymous")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		m := regexp.MustCompile(`^40 objects in (\d+) envelopes: 40 stored, 0 pending, 0 refused\.\n`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("summary:\n%s", out)
		}
		handles := regexp.MustCompile(`(?m)^Withdrawal handle \(envelope \d+, objects \d+ to \d+\): (\S+)$`).FindAllStringSubmatch(errOut, -1)
		if fmt.Sprint(len(handles)) != m[1] || !strings.Contains(errOut, "Keep them secret") {
			t.Fatalf("%d handles for %s envelopes:\n%s", len(handles), m[1], errOut)
		}
		// One handle withdraws its own envelope only.
		code, wout, werr := h.client(t, "bob", "", nil, "withdraw", "--url", h.root("aviation-isac"), "--handle", handles[0][1])
		if code != exitOK || strings.Count(wout, "revoked\t") == 0 || strings.Count(wout, "revoked\t") == len(objs) {
			t.Errorf("withdraw of the first envelope: exit %d, %q %q", code, wout, werr)
		}
	})
	t.Run("ErrObjectTooLarge", func(t *testing.T) {
		big := bytes.Replace(raws[0], []byte(`"type"`), []byte(`"description":"`+strings.Repeat("x", limit)+`","type"`), 1)
		code, out, errOut := h.client(t, "bob", string(envelopeOf([][]byte{big, raws[1]})), nil, "publish", "--url", h.root("aviation-isac"), "--collection", "shared")
		if code != exitNegative || !strings.Contains(out, "2 objects in 1 envelope: 1 stored, 0 pending, 1 refused.") ||
			!strings.Contains(out, "refused\t-\t-\tobject 1 is ") || !strings.Contains(out, fmt.Sprintf("max_content_length of %d: not sent", limit)) ||
			!strings.Contains(errOut, "1 of 2 objects were refused") {
			t.Errorf("exit %d, out %q, stderr %q", code, out, errOut)
		}
	})
}
