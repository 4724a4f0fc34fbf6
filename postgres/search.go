package postgres

import (
	"context"
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

// SearchObjects runs a full-text query over the latest versions in the given
// collections only, best match first. The store computes the words of
// objects and queries itself (searchWords): a document's tsvector holds its
// lower-cased words, and the query is the AND of the query's words, built
// as a tsquery value, never parsed as tsquery syntax, so that no input can
// break it and both sides split text the same way (the way SQLite's
// unicode61 tokenizer does: on every character that is not a letter or a
// digit).
func (db *DB) SearchObjects(ctx context.Context, scope map[string]isachub.Visibility, query string, limit int) ([]*isachub.ObjectVersion, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	words := searchWords(query)
	if len(words) == 0 {
		return nil, isachub.Errorf(isachub.EINVALID, "The search query %q has no words to search for.", query)
	}
	if len(collectionIDs) == 0 {
		return []*isachub.ObjectVersion{}, nil
	}
	limit = pageSize(limit)
	// Index what writers committed before this search, so that it finds it.
	if err := db.indexPending(ctx, collectionIDs, false); err != nil {
		return nil, err
	}
	// Words are letters and digits only, so quoting them is safe.
	q := "'" + strings.Join(words, "' & '") + "'"
	// Versions of the TLP levels hidden in their collection are left out
	// before the limit (the Visibility of each collection in scope).
	args := []any{collectionIDs, q, limit}
	hide := hideCond(&args, collectionIDs, hidden)
	rows, _ := db.pool.Query(ctx, `SELECT v.collection_id, v.date_added, v.id, v.type, v.spec_version, v.created, v.modified,
			v.revoked, v.created_by_ref, v.markings, v.submitter_org_id, v.raw, v.tlp
		FROM object_search s
		JOIN object_versions v ON v.collection_id = s.collection_id AND v.date_added = s.date_added,
		CAST($2 AS tsquery) AS q
		WHERE s.collection_id = ANY($1) AND v.is_latest AND s.search @@ q`+hide+`
		ORDER BY ts_rank(s.search, q) DESC, s.collection_id, s.date_added LIMIT $3`, args...)
	vs, err := pgx.CollectRows(rows, scanVersion)
	if err != nil {
		return nil, dbError(err, "search objects", "The search")
	}
	return vs, nil
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
