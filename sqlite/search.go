package sqlite

import (
	"context"
	"strings"
	"unicode"

	"github.com/isachub/isachub"
)

// SearchObjects runs a full-text query (SQLite FTS5) over the latest
// versions in the given collections only, best match first. Every word of
// query must occur; each is quoted, so no input can break FTS syntax.
func (db *DB) SearchObjects(ctx context.Context, collectionIDs []string, query string, limit int) ([]*isachub.ObjectVersion, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, isachub.Errorf(isachub.EINVALID, "The search query %q has no words to search for.", query)
	}
	out := []*isachub.ObjectVersion{}
	if len(collectionIDs) == 0 {
		return out, nil
	}
	var b strings.Builder
	b.WriteString(`SELECT ` + versionCols + `, c.id
		FROM objects_fts JOIN objects o ON o.pk = objects_fts.rowid JOIN collections c ON c.pk = o.coll
		WHERE objects_fts MATCH ? AND c.id`)
	args := inList(&b, []any{match}, collectionIDs)
	b.WriteString(` ORDER BY objects_fts.rank, o.date_added LIMIT ?`)
	args = append(args, pageLimit(limit))
	rows, err := db.rd.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, internal("search objects", err)
	}
	defer rows.Close()
	for rows.Next() {
		var collID string
		v, err := scanVersion(scanTail{rows, &collID}, "")
		if err != nil {
			return nil, internal("search objects", err)
		}
		v.CollectionID = collID
		out = append(out, v)
	}
	return out, internal("search objects", rows.Err())
}

// scanTail scans a row that has one extra column after versionCols.
type scanTail struct {
	row  interface{ Scan(...any) error }
	tail *string
}

// Scan scans the row into dest and the extra column.
func (s scanTail) Scan(dest ...any) error { return s.row.Scan(append(dest, s.tail)...) }

// ftsQuery turns user input into an FTS5 query: every whitespace-separated
// word that has a letter or digit becomes a quoted phrase (so operators,
// parentheses, column filters and stray quotes are plain text), and the
// phrases are ANDed. It returns "" when nothing is left to search.
func ftsQuery(q string) string {
	var phrases []string
	// Control characters (NUL ends an FTS5 string early) separate words.
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	for _, w := range strings.Fields(q) {
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		phrases = append(phrases, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	return strings.Join(phrases, " ")
}
