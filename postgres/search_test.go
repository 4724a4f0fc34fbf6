package postgres_test

import (
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/storetest"
)

// FuzzSearch sends arbitrary user queries to SearchObjects on a real
// database: whatever the input (tsquery operators, quotes, backslashes,
// NUL, invalid UTF-8), the answer is results or EINVALID, never a syntax or
// internal error.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"malicious", "Malicious IP 203.0.0.7", `'a' & !b | c:*`, `\'`, "(", "a <-> b",
		"\x00", "\xff\xfe", "ÉCOLE", "203.0.0.7", "-", "OR", `"quoted phrase"`, "a:*B", "🙂 x"} {
		f.Add(s)
	}
	// One store for every input (each fuzzing worker process makes its own).
	db := openDB(f)
	org, coll := setup(f, db)
	ingest(f, db, coll.ID, org.ID, 0, 50, 50)
	f.Fuzz(func(t *testing.T, q string) {
		vs, err := storetest.Searched(db.SearchObjects(t.Context(), isachub.UnrestrictedScope(coll.ID), isachub.SearchQuery{Text: q, Limit: 10}))
		if code := isachub.ErrorCode(err); code != "" && code != isachub.EINVALID {
			t.Fatalf("SearchObjects(%q): error code %q: %v", q, code, err)
		}
		if len(vs) > 10 {
			t.Fatalf("SearchObjects(%q) returned %d results, limit 10", q, len(vs))
		}
	})
}
