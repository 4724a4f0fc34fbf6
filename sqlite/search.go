package sqlite

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/isachub/isachub"
)

// searchCandidates bounds the matches that SearchObjects ranks: the most
// recent ones. Ranking every match of a word that most objects contain
// costs seconds on a collection of a million objects; a rare term (an IP
// address, a hash) has fewer matches than this and is ranked in full.
const searchCandidates = 1000

// SearchObjects runs a full-text query (SQLite FTS5) over the latest
// versions in the given collections only, best match (BM25) first among
// the 1,000 most recently indexed matches. Every word of query must occur;
// each is quoted, so no input can break FTS syntax. Versions of the TLP
// levels hidden in their collection are left out among the candidates.
func (db *DB) SearchObjects(ctx context.Context, scope map[string]isachub.Visibility, query string, limit int) ([]*isachub.ObjectVersion, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	match := ftsQuery(query)
	if match == "" {
		return nil, isachub.Errorf(isachub.EINVALID, "The search query %q has no words to search for.", query)
	}
	out := []*isachub.ObjectVersion{}
	if len(collectionIDs) == 0 {
		return out, nil
	}
	q, args := searchQuery(collectionIDs, match, limit, hidden)
	rows, err := db.rd.QueryContext(ctx, q, args...)
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

// searchQuery returns the statement of SearchObjects: the most recent
// searchCandidates matches in the collections, read from the full-text
// index in descending rowid order (no sort), ranked by their keys alone,
// and only the best limit of them read whole. CROSS JOIN fixes the join
// order: with statistics the planner would otherwise walk the collections'
// objects and probe the candidates.
func searchQuery(collectionIDs []string, match string, limit int, hidden map[string]isachub.TLPSet) (string, []any) {
	var b strings.Builder
	b.WriteString(`WITH cand AS (
			SELECT objects_fts.rowid AS pk, bm25(objects_fts) AS score, o.date_added AS added
			FROM objects_fts CROSS JOIN objects o ON o.pk = objects_fts.rowid
			WHERE objects_fts MATCH ? AND `)
	args := scopeCond(&b, []any{match}, collectionIDs, hidden)
	b.WriteString(`
			ORDER BY objects_fts.rowid DESC LIMIT ?),
		best AS (SELECT pk, score, added FROM cand ORDER BY score, added DESC LIMIT ?)
		SELECT ` + versionCols + `, c.id
		FROM best CROSS JOIN objects o ON o.pk = best.pk CROSS JOIN collections c ON c.pk = o.coll
		ORDER BY best.score, best.added DESC`)
	return b.String(), append(args, searchCandidates, pageLimit(limit))
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
	for _, w := range strings.Fields(joinedDots(q)) {
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		phrases = append(phrases, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	return strings.Join(phrases, " ")
}

// CountAdded counts the versions each collection of scope received per day
// and type, on the days that begin after since, from the daily counts kept
// as objects arrive (daily_counts).
func (db *DB) CountAdded(ctx context.Context, scope map[string]isachub.Visibility, since time.Time) ([]isachub.DailyCount, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	out := []isachub.DailyCount{}
	first := isachub.FirstDayAfter(since) / microsPerDay
	for _, id := range collectionIDs {
		q := `SELECT day, type, sum(n) FROM daily_counts
			WHERE coll = (SELECT pk FROM collections WHERE id = ?) AND day >= ? AND n > 0`
		if h := hidden[id]; h != 0 {
			q += ` AND tlp NOT IN ` + tlpList(h)
		}
		rows, err := db.rd.QueryContext(ctx, q+` GROUP BY 1, 2`, id, first)
		if err != nil {
			return nil, internal("count objects added", err)
		}
		for rows.Next() {
			c := isachub.DailyCount{CollectionID: id}
			var day int64
			if err := rows.Scan(&day, &c.Type, &c.Count); err != nil {
				rows.Close()
				return nil, internal("count objects added", err)
			}
			c.Day = isachub.DayOf(day * microsPerDay)
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal("count objects added", err)
		}
	}
	return out, nil
}
