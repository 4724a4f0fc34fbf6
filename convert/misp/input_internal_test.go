package misp

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/isachub/isachub/convert"
)

// TestMaxInput checks the input bound with a small one: reading 512 MiB in
// a unit test would cost the machine half a gigabyte. (An internal test:
// the bound is a package variable only tests change.)
func TestMaxInput(t *testing.T) {
	defer func(n int) { maxInput = n }(maxInput)
	maxInput = 1024
	event := `{"Event": {"uuid": "f5000000-0000-4000-8000-000000000001", "info": "` + strings.Repeat("x", 900) + `"}}`
	sink := func(json.RawMessage) error { return nil }
	if _, err := Convert(strings.NewReader(event), "ok", convert.Options{}, sink); err != nil {
		t.Fatalf("an input under the bound: %v", err)
	}
	_, err := Convert(strings.NewReader(event+strings.Repeat(" ", 200)), "big", convert.Options{}, sink)
	var fe *convert.FormatError
	if !errors.As(err, &fe) || fe.Path != "$" || !strings.Contains(err.Error(), "larger than 1024 bytes") {
		t.Errorf("an input over the bound: %v", err)
	}
}
