package sqlite

import (
	"context"
	"database/sql"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/isachub/isachub"
)

// SearchObjects runs a full-text query (SQLite FTS5) over the latest
// versions in the given collections only, newest first, with the query's
// filters. Every word of q.Text must occur; each is quoted, so no input
// can break FTS syntax.
//
// It walks the matches that the scope lets the caller see (the levels
// hidden in each collection are left out) in descending rowid order, the
// order of arrival, which FTS5 reads without sorting: in chunks of growing
// size, each row with whether it passes the filters, until the page is
// full or SearchScanLimit matches have been examined. Only then are the
// page's rows read whole. So a search costs what its page needs, and a
// narrow filter at most SearchScanLimit index entries. One read
// transaction holds the walk and the reads to one snapshot.
func (db *DB) SearchObjects(ctx context.Context, scope map[string]isachub.Visibility, q isachub.SearchQuery) (*isachub.SearchPage, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	match := ftsQuery(q.Text)
	if match == "" {
		return nil, isachub.Errorf(isachub.EINVALID, "The search query %q has no words to search for.", q.Text)
	}
	page := &isachub.SearchPage{Versions: []*isachub.ObjectVersion{}}
	if len(collectionIDs) == 0 {
		return page, nil
	}
	tx, err := db.rd.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, internal("search objects", err)
	}
	defer tx.Rollback()
	want := pageLimit(q.Limit) + 1
	skip := max(q.Offset, 0)
	walk, args := searchWalkSQL(match, collectionIDs, hidden, q)
	var pks []any
	cursor, examined, exhausted := int64(math.MaxInt64), 0, false
	for chunk := 64; len(pks) < want && examined < isachub.SearchScanLimit && !exhausted; chunk *= 4 {
		n := min(chunk, isachub.SearchScanLimit-examined)
		rows, err := tx.QueryContext(ctx, walk, append(args, cursor, n)...)
		if err != nil {
			return nil, internal("search objects", err)
		}
		got := 0
		for rows.Next() {
			var pk int64
			var ok bool
			if err := rows.Scan(&pk, &ok); err != nil {
				rows.Close()
				return nil, internal("search objects", err)
			}
			got++
			cursor = pk
			switch {
			case !ok || len(pks) == want:
			case skip > 0:
				skip--
			default:
				pks = append(pks, pk)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal("search objects", err)
		}
		examined += got
		exhausted = got < n
	}
	if len(pks) < want && !exhausted {
		// The walk stopped at SearchScanLimit: is there more to see?
		rows, err := tx.QueryContext(ctx, walk, append(args, cursor, 1)...)
		if err != nil {
			return nil, internal("search objects", err)
		}
		page.Partial = rows.Next()
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal("search objects", err)
		}
	}
	if len(pks) == 0 {
		return page, nil
	}
	vs, err := collectionVersions(ctx, tx, "search objects", `SELECT `+versionCols+`, c.id
		FROM objects o CROSS JOIN collections c ON c.pk = o.coll
		WHERE o.pk IN (?`+strings.Repeat(`, ?`, len(pks)-1)+`) ORDER BY o.pk DESC`, pks...)
	if err != nil {
		return nil, err
	}
	if len(vs) == want {
		vs, page.More = vs[:want-1], true
	}
	page.Versions = vs
	return page, nil
}

// searchWalkSQL returns the statement of one chunk of SearchObjects' walk
// and its arguments but the last two (the rowid to continue below, and
// the chunk's size): the full-text matches in scope, most recent first, each
// pk with whether it passes q's filters. CROSS JOIN fixes the join order:
// with statistics the planner would otherwise walk the collections'
// objects and probe the index.
func searchWalkSQL(match string, collectionIDs []string, hidden map[string]isachub.TLPSet, q isachub.SearchQuery) (string, []any) {
	var b strings.Builder
	b.WriteString(`SELECT o.pk, coalesce((true`)
	args := searchFilters(&b, nil, q)
	b.WriteString(`), false) FROM objects_fts CROSS JOIN objects o ON o.pk = objects_fts.rowid
		WHERE objects_fts MATCH ? AND `)
	args = scopeCond(&b, append(args, match), collectionIDs, hidden)
	b.WriteString(` AND objects_fts.rowid < ? ORDER BY objects_fts.rowid DESC LIMIT ?`)
	return b.String(), args
}

// searchFilters writes the conditions of q's filters on o, cheapest first,
// and appends their arguments.
func searchFilters(b *strings.Builder, args []any, q isachub.SearchQuery) []any {
	if len(q.Types) > 0 {
		b.WriteString(` AND o.type`)
		args = inList(b, args, q.Types)
	}
	if q.SubmitterOrgID != 0 {
		b.WriteString(` AND o.submitter = ?`)
		args = append(args, q.SubmitterOrgID)
	}
	if from, until, ok := isachub.DayRange(q.AddedFrom, q.AddedUntil); ok {
		b.WriteString(` AND o.date_added >= ? AND o.date_added < ?`)
		args = append(args, from.UnixMicro(), until.UnixMicro())
	}
	if from, until, ok := isachub.DayRange(q.CreatedFrom, q.CreatedUntil); ok {
		// created is the text as received, RFC 3339 in UTC: a day's
		// timestamps sort between the day and the next one, whatever
		// their fraction of a second.
		b.WriteString(` AND o.created >= ? AND o.created < ?`)
		args = append(args, from.Format(time.DateOnly), until.Format(time.DateOnly))
	}
	if q.MinConfidence > 0 {
		b.WriteString(` AND json_extract(CAST(o.raw AS TEXT), '$.confidence') >= ?`)
		args = append(args, q.MinConfidence)
	}
	if q.Label != "" {
		b.WriteString(` AND EXISTS (SELECT 1 FROM json_each(CAST(o.raw AS TEXT), '$.labels') WHERE value = ?)`)
		args = append(args, q.Label)
	}
	return args
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
