package postgres_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/postgres"
	"github.com/isachub/isachub/stix"
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

// TestOpenErrors checks that a bad or unreachable DSN fails with a message
// that does not repeat the password.
func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name, dsn, code string
	}{
		{"ErrMalformed", "postgres://isachub:s3cret-pw@127.0.0.1:notaport/test", isachub.EINVALID},
		{"ErrUnknownSSLMode", "postgres://isachub:s3cret-pw@127.0.0.1:5432/test?sslmode=sometimes", isachub.EINVALID},
		{"ErrUnreachable", "postgres://isachub:s3cret-pw@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", isachub.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := postgres.Open(t.Context(), tt.dsn)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if code := isachub.ErrorCode(err); code != tt.code {
				t.Fatalf("Open error code %q (%v), want %q", code, err, tt.code)
			}
			if strings.Contains(err.Error(), "s3cret") || strings.Contains(isachub.ErrorMessage(err), "s3cret") {
				t.Fatalf("Open error %q repeats the password", err)
			}
		})
	}
}

// TestAddObjectsUnknownCollection checks that AddObjects to a collection
// that does not exist is ENOTFOUND whatever the batch holds.
func TestAddObjectsUnknownCollection(t *testing.T) {
	db := openDB(t)
	org, _ := setup(t, db)
	const missing = "00000000-0000-4000-8000-00000000dead"
	tests := []struct {
		name string
		objs []*stix.Object
	}{
		{"ErrValid", []*stix.Object{indicator(t, 1)}},
		{"ErrOnlyInvalid", []*stix.Object{mustParse(t, `{"type":"indicator","id":"malware--x"}`)}},
		{"ErrEmpty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.AddObjects(t.Context(), missing, org.ID, tt.objs)
			if code := isachub.ErrorCode(err); code != isachub.ENOTFOUND {
				t.Fatalf("AddObjects error code %q (%v), want %q", code, err, isachub.ENOTFOUND)
			}
		})
	}
}
