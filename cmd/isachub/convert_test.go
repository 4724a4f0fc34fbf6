package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// TestConvert holds isachub convert to issue 11's Contract: one STIX 2.1
// bundle on standard output, the report on standard error, exit 0 when the
// input converted (even with constructs reported), 1 when it cannot be
// read as the format, and then no bundle at all.
func TestConvert(t *testing.T) {
	const dir = "../../convert/stix1/testdata/"
	code, out, errOut := runCLI(t, "", nil, "convert", "--from", "stix1", dir+"indicators.xml", dir+"markings.xml")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := stix.ParseDocument([]byte(out)); err != nil {
		t.Fatalf("the output is not a bundle: %v\n%s", err, out)
	}
	objs, err := stix.Parse([]byte(out))
	if err != nil || len(objs) == 0 {
		t.Fatalf("%d objects, %v", len(objs), err)
	}
	for _, o := range objs {
		if res := pattern.Validate(o); !res.Valid() {
			t.Errorf("%s does not validate: %+v", o.ID(), res.Errors)
		}
	}
	for _, want := range []string{dir + "indicators.xml (stix1):", dir + "markings.xml (stix1):", "constructs converted"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the report lacks %q:\n%s", want, errOut)
		}
	}

	t.Run("File", func(t *testing.T) {
		dst := filepath.Join(t.TempDir(), "out.json")
		if code, _, errOut := runCLI(t, "", nil, "convert", "--from", "stix1", "-o", dst, "--json", dir+"indicators.xml"); code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		} else if !strings.HasPrefix(errOut, `{"input":`) {
			t.Errorf("--json report: %s", errOut)
		}
		data, err := os.ReadFile(dst)
		if err != nil || !strings.HasPrefix(string(data), `{"type":"bundle"`) {
			t.Fatalf("-o wrote %q, %v", data, err)
		}
	})
	t.Run("ErrFormat", func(t *testing.T) {
		dst := filepath.Join(t.TempDir(), "out.json")
		code, out, errOut := runCLI(t, "", nil, "convert", "--from", "stix1", "-o", dst, dir+"indicators.xml", dir+"not-xml.txt")
		if code != exitFailure || out != "" || !strings.Contains(errOut, "not-xml.txt") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if _, err := os.Stat(dst); !os.IsNotExist(err) {
			t.Error("a failed conversion left a bundle behind")
		}
		if entries, _ := os.ReadDir(filepath.Dir(dst)); len(entries) != 0 {
			t.Errorf("a failed conversion left %d files behind", len(entries))
		}
	})
	t.Run("MISP", func(t *testing.T) {
		const dir = "../../convert/misp/testdata/"
		code, out, errOut := runCLI(t, "", nil, "convert", "--from", "misp", dir+"event.json", dir+"list.json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		objs, err := stix.Parse([]byte(out))
		if err != nil || len(objs) == 0 {
			t.Fatalf("%d objects, %v", len(objs), err)
		}
		reports := 0
		for _, o := range objs {
			if res := pattern.Validate(o); !res.Valid() {
				t.Errorf("%s does not validate: %+v", o.ID(), res.Errors)
			}
			if o.Type() == "report" {
				reports++
			}
		}
		if reports != 3 { // one event, then a list of two
			t.Errorf("%d reports, want one per event", reports)
		}
		for _, want := range []string{dir + "event.json (misp):", dir + "list.json (misp):", "not-converted attribute:btc at $.Event.Attribute["} {
			if !strings.Contains(errOut, want) {
				t.Errorf("the report lacks %q:\n%s", want, errOut)
			}
		}
		if code, out, errOut := runCLI(t, "", nil, "convert", "--from", "misp", dir+"hostile/truncated.json"); code != exitFailure || out != "" || !strings.Contains(errOut, "not a misp document") {
			t.Errorf("a truncated event: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{{"convert", "x.xml"}, {"convert", "--from", "openioc", "x.xml"}, {"convert", "--from", "stix1"}} {
			if code, _, errOut := runCLI(t, "", nil, args...); code != exitUsage || errOut == "" {
				t.Errorf("%v: exit %d, %q", args, code, errOut)
			}
		}
	})
}
