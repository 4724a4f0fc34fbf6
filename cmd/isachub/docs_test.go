package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub/taxii"
)

// TestREADMEAnonymousExample runs the anonymous-publishing example of
// README.md ("Anonymous publishing and moderation") against serve --demo:
// preview, publish --anonymous and withdraw of docs/examples/sighting.json
// as bob.
func TestREADMEAnonymousExample(t *testing.T) {
	base, stop := startServe(t, filepath.Join(t.TempDir(), "demo.db"))
	defer stop()
	env := map[string]string{"ISACHUB_USER": "bob", "ISACHUB_PASSWORD": "bob-demo-password"}
	r := base + "/demo-isac"
	const example = "../../docs/examples/sighting.json"
	// What the README promises is redacted: the name, the declared domain,
	// address, IP range and pattern of Skyways, and its identity.
	tells := []string{"Skyways", "skyways.example", "SKY-INC-2291", "192.0.2.17", "ee29a3cd-efb4-4b28-b29b-60ba7cc3b91a"}

	code, out, errOut := runCLI(t, "", env, "preview", "--url", r, "--collection", "shared", example)
	if code != exitOK || !strings.Contains(out, `"type": "bundle"`) || !strings.Contains(out, "[REDACTED]") {
		t.Fatalf("preview: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	for _, tell := range tells {
		if strings.Contains(out, tell) {
			t.Errorf("the preview holds %q:\n%s", tell, out)
		}
	}
	code, out, errOut = runCLI(t, "", env, "publish", "--url", r, "--collection", "shared", "--anonymous", example)
	if code != exitOK || !strings.Contains(out, "2 stored, 0 pending, 0 refused") {
		t.Fatalf("publish: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	handle := withdrawalHandle(t, errOut)
	code, out, errOut = runCLI(t, "", env, "withdraw", "--url", r, "--handle", handle)
	if code != exitOK || strings.Count(out, "revoked\t") != 2 {
		t.Errorf("withdraw: exit %d, stderr %q:\n%s", code, errOut, out)
	}
}

// TestREADMEImportExample runs the examples of README.md's "Bringing in
// STIX 1.x and MISP" that use a hub, against serve --demo: publish --from
// misp as bob, and the import endpoint with curl's request.
func TestREADMEImportExample(t *testing.T) {
	base, stop := startServe(t, filepath.Join(t.TempDir(), "demo.db"))
	defer stop()
	env := map[string]string{"ISACHUB_USER": "bob", "ISACHUB_PASSWORD": "bob-demo-password"}
	code, out, errOut := runCLI(t, "", env, "publish", "--url", base+"/demo-isac/", "--collection", "shared",
		"--from", "misp", "../../convert/misp/testdata/list.json")
	if code != exitOK || !strings.Contains(out, "pending, 0 refused") || !strings.Contains(errOut, "list.json (misp):") {
		t.Fatalf("publish --from misp: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	body, err := os.ReadFile("../../convert/stix1/testdata/indicators.xml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := http.NewRequest(http.MethodPost, base+"/demo-isac/collections/shared/import?format=stix1", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.SetBasicAuth("bob", "bob-demo-password")
	r.Header.Set("Content-Type", "application/xml")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st taxii.ImportStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("the import endpoint: %d, %v", resp.StatusCode, err)
	}
	if st.Report == nil || st.SuccessCount == 0 || st.FailureCount != 0 {
		t.Errorf("status %+v, report %+v", st.Status, st.Report)
	}
}

// TestREADMEExamples runs the offline examples of README.md on the files
// in docs/examples, so that the README keeps telling the truth.
func TestREADMEExamples(t *testing.T) {
	t.Run("Match", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", nil, "match", "--indicators", "../../docs/examples/indicators.json", "../../docs/examples/events.jsonl")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		want := []string{
			"events.jsonl:1\tindicator--d81f86b9-975b-4c0b-875e-810c5ad45a4f\tRunway phishing domain",
			"events.jsonl:2\tindicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\tRunwayRAT command-and-control network",
			"events.jsonl:4\tindicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2\tRunwayRAT dropper",
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != len(want) {
			t.Fatalf("%d hits, want %d:\n%s", len(lines), len(want), out)
		}
		for i, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("hit %d = %q, want it to contain %q", i, lines[i], w)
			}
		}
		if !strings.Contains(errOut, "events.jsonl:5: skipped") {
			t.Errorf("the malformed line 5 is not reported: %s", errOut)
		}
	})
	t.Run("Convert", func(t *testing.T) {
		dst := filepath.Join(t.TempDir(), "bundle.json")
		if code, _, errOut := runCLI(t, "", nil, "convert", "--from", "stix1", "../../convert/stix1/testdata/indicators.xml", "-o", dst); code != exitOK {
			t.Fatalf("convert: exit %d: %s", code, errOut)
		}
		if code, out, _ := runCLI(t, "", nil, "stix", "validate", dst); code != exitOK || !strings.Contains(out, "0 invalid, 0 warnings") {
			t.Errorf("the converted bundle: exit %d, %s", code, out)
		}
		if code, _, errOut := runCLI(t, "", nil, "convert", "--from", "misp", "../../convert/misp/testdata/list.json", "-o", dst); code != exitOK {
			t.Fatalf("convert --from misp: exit %d: %s", code, errOut)
		}
		if code, out, _ := runCLI(t, "", nil, "stix", "validate", dst); code != exitOK || !strings.Contains(out, "0 invalid, 0 warnings") {
			t.Errorf("the converted events: exit %d, %s", code, out)
		}
	})
	t.Run("Validate", func(t *testing.T) {
		for _, f := range []string{"../../docs/examples/indicators.json", "testdata/aviation-bundle.json"} {
			if code, out, _ := runCLI(t, "", nil, "stix", "validate", f); code != exitOK || !strings.Contains(out, "0 invalid, 0 warnings") {
				t.Errorf("%s: exit %d, %s", f, code, out)
			}
		}
	})
	t.Run("PatternCheck", func(t *testing.T) {
		code, out, _ := runCLI(t, "", nil, "pattern", "check", "[ipv4-addr:value ISSUBSET '203.0.113.0/24'] WITHIN 600 SECONDS")
		if code != exitOK || strings.TrimSpace(out) != "[ipv4-addr:value ISSUBSET '203.0.113.0/24'] WITHIN 600 SECONDS" {
			t.Errorf("exit %d, %q", code, out)
		}
	})
}
