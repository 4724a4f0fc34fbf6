package sqlite_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/storetest"
)

// TestDriverErrorsDoNotLeak breaks the database under the store and checks
// that the failures surface as internal errors whose user-facing message
// says nothing of SQLite, while the error itself keeps the detail for the
// log.
func TestDriverErrorsDoNotLeak(t *testing.T) {
	for _, tc := range []struct {
		name     string
		breakSQL string
		call     func(t *testing.T, db isachub.Store, coll string, org int64) error
	}{
		{"AddObjects", "DROP TABLE objects_fts", func(t *testing.T, db isachub.Store, coll string, org int64) error {
			_, err := db.AddObjects(t.Context(), coll, org, storetest.Indicators(0, 3))
			return err
		}},
		{"Objects", "ALTER TABLE objects RENAME COLUMN raw TO body", func(t *testing.T, db isachub.Store, coll string, org int64) error {
			_, err := db.Objects(t.Context(), coll, isachub.Unrestricted(), isachub.ObjectFilter{})
			return err
		}},
		{"Search", "DROP TABLE objects_fts", func(t *testing.T, db isachub.Store, coll string, org int64) error {
			_, err := storetest.Searched(db.SearchObjects(t.Context(), isachub.UnrestrictedScope(coll), isachub.SearchQuery{Text: "malicious", Limit: 10}))
			return err
		}},
		{"Audit", "DROP TABLE audit_log", func(t *testing.T, db isachub.Store, coll string, org int64) error {
			return db.AppendAudit(t.Context(), &isachub.AuditEntry{Action: "x"})
		}},
		{"Closed", "", func(t *testing.T, db isachub.Store, coll string, org int64) error {
			db.Close()
			_, err := db.Communities(t.Context())
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTemp(t)
			org, coll := benchTenant(t, t.Context(), db)
			if tc.breakSQL != "" {
				if err := db.Exec(t.Context(), tc.breakSQL); err != nil {
					t.Fatal(err)
				}
			}
			err := tc.call(t, db, coll, org)
			if err == nil {
				t.Fatal("no error from a broken database")
			}
			if code := isachub.ErrorCode(err); code != isachub.EINTERNAL {
				t.Fatalf("code %q for %v, want internal", code, err)
			}
			if msg := isachub.ErrorMessage(err); strings.Contains(strings.ToLower(msg), "sql") {
				t.Fatalf("user message %q leaks the driver", msg)
			}
			if !strings.Contains(err.Error(), "sqlite") {
				t.Fatalf("the logged error %q lost its detail", err)
			}
		})
	}
}
