package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// Full-text search limits: PostgreSQL rejects lexemes of 2 KB or more and
// tsvectors of 1 MB or more; longer words are not searchable anyway.
const (
	maxLexeme     = 256
	maxSearchSize = 256 << 10
)

// SearchObjects runs a full-text query over the latest versions in the
// given collections only, newest first, with the query's filters. The
// store computes the words of objects and queries itself (searchWords): a
// document's tsvector holds its lower-cased words, and the query is the
// AND of the query's words, built as a tsquery value, never parsed as
// tsquery syntax, so that no input can break it and both sides split text
// the same way (the way SQLite's unicode61 tokenizer does: on every
// character that is not a letter or a digit). As on SQLite, the filters
// and the page apply to the SearchScanLimit most recent matches that the
// scope lets the caller see.
func (db *DB) SearchObjects(ctx context.Context, scope map[string]isachub.Visibility, sq isachub.SearchQuery) (*isachub.SearchPage, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	words := searchWords(sq.Text)
	if len(words) == 0 {
		return nil, isachub.Errorf(isachub.EINVALID, "The search query %q has no words to search for.", sq.Text)
	}
	page := &isachub.SearchPage{Versions: []*isachub.ObjectVersion{}}
	if len(collectionIDs) == 0 {
		return page, nil
	}
	limit := pageSize(sq.Limit)
	// Index what writers committed before this search, so that it finds it.
	if err := db.indexPending(ctx, collectionIDs, false); err != nil {
		return nil, err
	}
	// Words are letters and digits only, so quoting them is safe.
	q := "'" + strings.Join(words, "' & '") + "'"
	args := []any{collectionIDs, q, isachub.SearchScanLimit}
	cand := searchCandidates(&args, collectionIDs, hidden)
	filters := searchFilters(&args, sq)
	args = append(args, limit+1, max(sq.Offset, 0))
	rows, _ := db.pool.Query(ctx, `WITH cand AS (`+cand+` LIMIT $3)
		SELECT v.collection_id, v.date_added, v.id, v.type, v.spec_version, v.created, v.modified,
			v.revoked, v.created_by_ref, v.markings, v.submitter_org_id, v.raw, v.tlp
		FROM cand JOIN object_versions v ON v.collection_id = cand.collection_id AND v.date_added = cand.date_added
		WHERE true`+filters+fmt.Sprintf(`
		ORDER BY v.date_added DESC, v.collection_id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	vs, err := pgx.CollectRows(rows, scanVersion)
	if err != nil {
		return nil, dbError(err, "search objects", "The search")
	}
	if len(vs) > limit {
		page.Versions, page.More = vs[:limit], true
		return page, nil
	}
	page.Versions = vs
	// The page ran out: because the matches did, or because only the
	// first SearchScanLimit of them were examined?
	args = []any{collectionIDs, q, isachub.SearchScanLimit}
	cand = searchCandidates(&args, collectionIDs, hidden)
	var more bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (`+cand+` OFFSET $3)`, args...).Scan(&more); err != nil {
		return nil, dbError(err, "search objects", "The search")
	}
	page.Partial = more
	return page, nil
}

// searchCandidates returns the query of the matches of the tsquery $2 in
// the collections $1 that the scope lets the caller see, most recent
// first, appending the arguments of the hidden levels.
func searchCandidates(args *[]any, collectionIDs []string, hidden map[string]isachub.TLPSet) string {
	return `SELECT s.collection_id, s.date_added FROM object_search s
		JOIN object_versions v ON v.collection_id = s.collection_id AND v.date_added = s.date_added
		WHERE s.collection_id = ANY($1) AND v.is_latest AND s.search @@ CAST($2 AS tsquery)` + hideCond(args, collectionIDs, hidden) + `
		ORDER BY s.date_added DESC, s.collection_id DESC`
}

// rawJSON is the stored bytes of the version v as SQL's json, for the
// filters that read a property: json, not jsonb, which refuses what a
// valid stored object may hold in a property no filter reads (a number
// beyond its range, an escaped NUL), and with every escaped NUL made an
// escaped space first, which json's operators refuse too. (The six
// characters \u0000 become \u0020 even where the backslash is itself
// escaped: still valid JSON, and only in text that no filter reads, as
// confidence and labels are checked properties that hold no NUL.)
const rawJSON = `replace(convert_from(v.raw, 'UTF8'), '\u0000', '\u0020')::json`

// searchFilters returns the conditions of q's filters on v, appending
// their arguments.
func searchFilters(args *[]any, q isachub.SearchQuery) string {
	var cond strings.Builder
	arg := func(v any) string {
		*args = append(*args, v)
		return fmt.Sprintf("$%d", len(*args))
	}
	if len(q.Types) > 0 {
		cond.WriteString(` AND v.type = ANY(` + arg(q.Types) + `)`)
	}
	if q.SubmitterOrgID != 0 {
		cond.WriteString(` AND v.submitter_org_id = ` + arg(q.SubmitterOrgID))
	}
	if from, until, ok := isachub.DayRange(q.AddedFrom, q.AddedUntil); ok {
		cond.WriteString(` AND v.date_added >= ` + arg(from.UnixMicro()) + ` AND v.date_added < ` + arg(until.UnixMicro()))
	}
	if from, until, ok := isachub.DayRange(q.CreatedFrom, q.CreatedUntil); ok {
		// created is the text as received, RFC 3339 in UTC: a day's
		// timestamps sort between the day and the next one, whatever
		// their fraction of a second (COLLATE "C": byte order).
		cond.WriteString(` AND v.created COLLATE "C" >= ` + arg(from.Format(time.DateOnly)) +
			` AND v.created COLLATE "C" < ` + arg(until.Format(time.DateOnly)))
	}
	if q.MinConfidence > 0 {
		cond.WriteString(` AND json_typeof(` + rawJSON + ` -> 'confidence') = 'number'
			AND (` + rawJSON + ` ->> 'confidence')::numeric >= ` + arg(q.MinConfidence))
	}
	if q.Label != "" {
		cond.WriteString(` AND json_typeof(` + rawJSON + ` -> 'labels') = 'array'
			AND (` + rawJSON + ` -> 'labels')::jsonb @> jsonb_build_array(CAST(` + arg(q.Label) + ` AS text))`)
	}
	return cond.String()
}

// searchVector returns the tsvector of o: the distinct words of its
// searchable properties and of its hashes' values.
func searchVector(o *stix.Object) pgtype.TSVector {
	words := searchWords(isachub.SearchText(o))
	v := pgtype.TSVector{Lexemes: make([]pgtype.TSVectorLexeme, 0, len(words)), Valid: true}
	size := 0
	for _, w := range words {
		if size += len(w) + 8; size > maxSearchSize {
			break
		}
		v.Lexemes = append(v.Lexemes, pgtype.TSVectorLexeme{Word: w})
	}
	return v
}

// searchWords splits s on every character that is not a letter or a digit
// and returns the distinct lower-cased words, sorted, without those longer
// than maxLexeme bytes.
func searchWords(s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	words = slices.DeleteFunc(words, func(w string) bool { return len(w) > maxLexeme })
	slices.Sort(words)
	return slices.Compact(words)
}

// CountAdded counts the versions each collection of scope received per day
// and type after since, from the (collection_id, date_added) primary key.
func (db *DB) CountAdded(ctx context.Context, scope map[string]isachub.Visibility, since time.Time) ([]isachub.DailyCount, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	out := []isachub.DailyCount{}
	for _, id := range collectionIDs {
		q := `SELECT date_added / 86400000000, type, count(*) FROM object_versions
			WHERE collection_id = $1 AND date_added >= $2`
		if h := hidden[id]; h != 0 {
			q += ` AND tlp <> ALL(` + tlpArray(h) + `)`
		}
		rows, _ := db.pool.Query(ctx, q+` GROUP BY 1, 2`, id, isachub.FirstDayAfter(since))
		var day int64
		c := isachub.DailyCount{CollectionID: id}
		_, err := pgx.ForEachRow(rows, []any{&day, &c.Type, &c.Count}, func() error {
			c.Day = isachub.DayOf(day * 86400000000)
			out = append(out, c)
			return nil
		})
		if err != nil {
			return nil, dbError(err, "count objects added", "The count")
		}
	}
	return out, nil
}
