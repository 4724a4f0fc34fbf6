package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestMatchAPIAgreesWithCLI publishes the example indicators to a hub and
// sends the example events to POST /{community}/match: the hits must be
// those isachub match finds on the same files, line for line.
func TestMatchAPIAgreesWithCLI(t *testing.T) { forBackends(t, testMatchAPIAgreesWithCLI) }

func testMatchAPIAgreesWithCLI(t *testing.T, db testDB) {
	const indicators, events = "../../docs/examples/indicators.json", "../../docs/examples/events.jsonl"
	h := startHub(t, db)
	if code, _, errOut := h.client(t, "bob", "", nil, "publish", "--url", h.root("aviation-isac"), "--collection", "shared", indicators); code != exitOK {
		t.Fatalf("publish: %s", errOut)
	}
	code, out, errOut := runCLI(t, "", nil, "match", "--json", "--indicators", indicators, events)
	if code != exitOK {
		t.Fatalf("match: exit %d: %s", code, errOut)
	}
	var want []string
	for line := range strings.Lines(out) {
		var hit struct {
			Line      int    `json:"line"`
			Indicator string `json:"indicator_id"`
		}
		if err := json.Unmarshal([]byte(line), &hit); err != nil {
			t.Fatal(err)
		}
		want = append(want, fmt.Sprintf("%d %s", hit.Line, hit.Indicator))
	}
	body, err := os.ReadFile(events)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, h.root("aviation-isac")+"match", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+h.tokens["sam"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Hits []struct {
			Event                         int
			Indicator, Name, Pattern, TLP string
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	var got []string
	for _, hit := range res.Hits {
		got = append(got, fmt.Sprintf("%d %s", hit.Event, hit.Indicator))
		if hit.Name == "" || hit.Pattern == "" || hit.TLP == "" {
			t.Errorf("hit without name, pattern or TLP: %+v", hit)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("the API's hits %q, isachub match's %q", got, want)
	}
	// isachub match --url says the same, line for line.
	code, out, errOut = h.client(t, "sam", "", nil, "match", "--json", "--url", h.root("aviation-isac"), events)
	if code != exitOK {
		t.Fatalf("match --url: exit %d: %s", code, errOut)
	}
	var remote []string
	for line := range strings.Lines(out) {
		var hit struct {
			Line      int    `json:"line"`
			Indicator string `json:"indicator_id"`
			TLP       string `json:"tlp"`
		}
		if err := json.Unmarshal([]byte(line), &hit); err != nil || hit.TLP == "" {
			t.Fatalf("%q: %v", line, err)
		}
		remote = append(remote, fmt.Sprintf("%d %s", hit.Line, hit.Indicator))
	}
	slices.Sort(remote)
	if !slices.Equal(remote, want) {
		t.Errorf("match --url %q, isachub match %q", remote, want)
	}
	if code, _, _ := h.client(t, "sam", "", nil, "match", "--url", h.root("aviation-isac"), "--indicators", indicators, events); code != exitUsage {
		t.Errorf("--url with --indicators: exit %d", code)
	}
}
