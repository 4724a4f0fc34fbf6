package isachub_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub"
)

func TestCheckSchema(t *testing.T) {
	for _, tt := range []struct {
		name           string
		applied, known []int
		want           string
	}{
		{"OK", []int{1, 2, 3}, []int{1, 2, 3}, ""},
		{"ErrMissing", []int{1, 3}, []int{1, 2, 3}, "lacks migration 2"},
		{"ErrEmpty", nil, []int{1}, "lacks migration 1"},
		{"ErrNewer", []int{1, 2, 3, 4}, []int{1, 2, 3}, "has migration 4, which this binary does not know"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := isachub.CheckSchema(tt.applied, tt.known)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(isachub.ErrorMessage(err), tt.want) {
				t.Fatalf("CheckSchema = %v, want %q", err, tt.want)
			}
		})
	}
}
