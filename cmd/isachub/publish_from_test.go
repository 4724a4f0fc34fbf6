package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPublishFrom sends a STIX 1.x package and a MISP event with isachub
// publish --from: the hub converts and publishes them (issue 11), the
// conversion report goes to standard error under the file's name, the
// summary to standard output; a refused object is exit 1, a file that is
// not of the format is the hub's 422.
func TestPublishFrom(t *testing.T) { forBackends(t, testPublishFrom) }

func testPublishFrom(t *testing.T, db testDB) {
	h := startHub(t, db)
	const stix1File = "../../convert/stix1/testdata/indicators.xml"
	t.Run("STIX1", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", "", nil, "publish", "--url", h.root("aviation-isac"), "--collection", "shared", "--from", "stix1", stix1File)
		if code != exitOK {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		if !strings.Contains(errOut, stix1File+" (stix1):") || !strings.Contains(out, "stored, 0 pending, 0 refused") {
			t.Errorf("stdout %q\nstderr %q", out, errOut)
		}
	})
	t.Run("MISPJSON", func(t *testing.T) {
		// the fixture's TLP:RED attribute may not go to a collection that
		// every member reads: its objects are refused, the rest stored
		code, out, errOut := h.client(t, "bob", "", nil, "publish", "--json", "--url", h.root("aviation-isac"), "--collection", "shared", "--from", "misp", "../../convert/misp/testdata/event.json")
		if code != exitNegative || !strings.Contains(errOut, "converted objects were refused") {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		var rep struct {
			Input, Format string
			Objects       int
		}
		if err := json.Unmarshal([]byte(strings.SplitN(errOut, "\n", 3)[1]), &rep); err != nil || rep.Format != "misp" || rep.Objects == 0 {
			t.Errorf("the --json report: %v\n%s", err, errOut)
		}
		st := parseStatus(t, out)
		if st.SuccessCount == 0 || st.FailureCount == 0 || st.TotalCount != rep.Objects {
			t.Errorf("status %+v for %d objects", st, rep.Objects)
		}
	})
	t.Run("Anonymous", func(t *testing.T) {
		event := `{"Event": {"uuid": "5e1f0000-0000-4000-8000-000000000101", "info": "Skyways saw this", "date": "2026-12-01",
			"Orgc": {"name": "Skyways Airlines"}, "Tag": [{"name": "tlp:green"}],
			"Attribute": [{"uuid": "5e1f0000-0000-4000-8000-000000000102", "type": "ip-dst", "value": "192.0.2.91", "to_ids": true, "timestamp": "1796000000"}]}}`
		code, out, errOut := h.client(t, "bob", event, nil, "publish", "--url", h.root("aviation-isac"), "--collection", "anon", "--from", "misp", "--anonymous", "-")
		if code != exitOK {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		withdrawalHandle(t, errOut)
		if strings.Contains(out, "Skyways") {
			t.Errorf("the summary names the submitter: %s", out)
		}
	})
	t.Run("NotTheFormat", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", "", nil, "publish", "--url", h.root("aviation-isac"), "--collection", "shared", "--from", "misp", stix1File)
		if code != exitFailure || !strings.Contains(errOut, "not a misp document") {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		if code, _, errOut := h.client(t, "bob", "", nil, "publish", "--url", h.root("aviation-isac"), "--collection", "shared", "--from", "openioc", stix1File); code != exitUsage {
			t.Fatalf("--from openioc: exit %d: %s", code, errOut)
		}
	})
}
