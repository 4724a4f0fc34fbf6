package sqlite_test

import (
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/storetest"
)

// TestSearchTokens pins the SQLite tokenizer's handling of dots: an IP
// address or a domain is one token, a full stop is not part of a word.
func TestSearchTokens(t *testing.T) {
	ctx := t.Context()
	db := openTemp(t)
	org, coll := benchTenant(t, ctx, db)
	note := storetest.Parse(t, `{"type":"note","spec_version":"2.1","id":"note--`+storetest.UUID(4, 1)+`",
		"created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z",
		"content":"Seen in the wild. Beacons to 203.0.113.9 and evil-cdn.example.net, then stops.",
		"object_refs":["indicator--`+storetest.UUID(1, 1)+`"]}`)
	ingest(t, ctx, db, coll, org, append(storetest.Indicators(0, 3), note), 10)
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"wild", 1},
		{"wild.", 1},
		{"stops", 1},
		{"203.0.113.9", 1},
		{"203.0.113.9.", 1},
		{"203.0.113", 0}, // a prefix of an address is another token
		{"evil-cdn.example.net", 1},
		{"cdn.example.net", 1},
		{"198.51.0.2", 1},
		{"198.51.0.2 wild", 0},
	} {
		t.Run(tc.query, func(t *testing.T) {
			got, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll), isachub.SearchQuery{Text: tc.query, Limit: 10}))
			if err != nil || len(got) != tc.want {
				t.Fatalf("search %q: %d results (%v), want %d", tc.query, len(got), err, tc.want)
			}
		})
	}
}
