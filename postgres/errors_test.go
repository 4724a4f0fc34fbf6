package postgres_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub"
)

// TestDriverErrors checks that input PostgreSQL itself rejects (text with a
// NUL character or invalid UTF-8, SQLSTATE class 22) comes back as EINVALID
// with a message of ours, and that nothing of the driver reaches the user.
func TestDriverErrors(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	tests := []struct {
		name  string
		title string
	}{
		{"ErrNUL", "Aviation\x00ISAC"},
		{"ErrInvalidUTF8", "Aviation \xff ISAC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.CreateCommunity(ctx, &isachub.Community{Slug: "aviation", Title: tt.title})
			if code := isachub.ErrorCode(err); code != isachub.EINVALID {
				t.Fatalf("CreateCommunity error code %q (%v), want %q", code, err, isachub.EINVALID)
			}
			msg := strings.ToLower(isachub.ErrorMessage(err))
			for _, leak := range []string{"sqlstate", "pgx", "encoding", "byte sequence", "utf8", "0x"} {
				if strings.Contains(msg, leak) {
					t.Fatalf("message %q leaks driver detail %q", msg, leak)
				}
			}
		})
	}
	t.Run("ErrInternalIsGeneric", func(t *testing.T) {
		db.Close()
		_, err := db.Communities(ctx)
		if code := isachub.ErrorCode(err); code != isachub.EINTERNAL {
			t.Fatalf("error code on a closed pool %q (%v), want %q", code, err, isachub.EINTERNAL)
		}
		if msg := isachub.ErrorMessage(err); msg != "Internal error." {
			t.Fatalf("internal error message %q, want the generic one", msg)
		}
	})
}
