// Package oasistest finds the OASIS STIX 2.1 JSON schemas and examples
// (github.com/oasis-open/cti-stix2-json-schemas) that some tests read. They
// are not part of the project: on the project's machines they are in
// ../shared/oasis beside the module, and a plain clone has no such folder.
// Tests then skip, saying what they need; when CI is set they fail, since
// CI must never skip them. It is imported by tests only.
package oasistest

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names an environment variable that may point at a checkout of
// cti-stix2-json-schemas elsewhere.
const EnvVar = "ISACHUB_OASIS_SCHEMAS"

// Find returns the cti-stix2-json-schemas folder and whether it exists:
// $ISACHUB_OASIS_SCHEMAS, else ../shared/oasis/cti-stix2-json-schemas
// beside the module root (the folder holding go.mod, found from the
// working directory up).
func Find() (string, bool) {
	if dir := os.Getenv(EnvVar); dir != "" {
		return dir, isDir(dir)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			oasis := filepath.Join(dir, "..", "shared", "oasis", "cti-stix2-json-schemas")
			return oasis, isDir(oasis)
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

// Dir returns the folder sub (such as "examples" or "schemas") of the
// OASIS checkout. Without it the test is skipped with the reason, or fails
// when CI is set.
func Dir(tb testing.TB, sub string) string {
	tb.Helper()
	root, ok := Find()
	dir := filepath.Join(root, sub)
	if !ok || !isDir(dir) {
		why := "this test reads the OASIS STIX 2.1 " + sub + " (github.com/oasis-open/cti-stix2-json-schemas), " +
			"which the project does not copy: put a checkout at ../shared/oasis/cti-stix2-json-schemas beside the module, or set " + EnvVar
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI is set but the OASIS folder is missing (%s): %s", dir, why)
		}
		tb.Skip(why)
	}
	return dir
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
