package isachub_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneValidationEntry holds the rule of docs/ARCHITECTURE.md: whether
// an object may be stored is pattern.Validate, everywhere. stix.Validate
// (which does not parse patterns) is called by pattern.Validate alone.
func TestOneValidationEntry(t *testing.T) {
	var callers []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(src), "stix.Validate(") && filepath.ToSlash(path) != "pattern/validate.go" {
			callers = append(callers, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(callers) > 0 {
		t.Fatalf("stix.Validate is called outside pattern.Validate, in %v: use pattern.Validate, the one rule of what may be stored", callers)
	}
}
