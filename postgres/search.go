package postgres

import (
	"context"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// maxSearchText bounds the text indexed per object version, well below
// PostgreSQL's 1 MB tsvector limit.
const maxSearchText = 256 << 10

// searchProps are the properties whose text is searchable: names,
// descriptions, patterns and the values of SCOs.
var searchProps = []string{"name", "description", "pattern", "value", "display_name",
	"subject", "body", "path", "key", "abstract", "content", "explanation", "url", "aliases", "labels"}

// SearchObjects runs a full-text query over the latest versions in the given
// collections only, best match first. The query is reduced to its words
// (letters and digits) and searched with plainto_tsquery, which ANDs them:
// no operator of user input can break the query syntax.
func (db *DB) SearchObjects(ctx context.Context, collectionIDs []string, query string, limit int) ([]*isachub.ObjectVersion, error) {
	q := words(query)
	if q == "" {
		return nil, isachub.Errorf(isachub.EINVALID, "The search query %q has no words to search for.", query)
	}
	if len(collectionIDs) == 0 {
		return []*isachub.ObjectVersion{}, nil
	}
	if limit <= 0 {
		limit = isachub.DefaultPageSize
	}
	limit = min(limit, isachub.MaxPageSize)
	rows, _ := db.pool.Query(ctx, `SELECT collection_id, date_added, id, type, spec_version, created, modified,
			revoked, created_by_ref, markings, submitter_org_id, raw
		FROM object_versions, plainto_tsquery('simple', $2) AS q
		WHERE collection_id = ANY($1) AND is_latest AND search @@ q
		ORDER BY ts_rank(search, q) DESC, collection_id, date_added LIMIT $3`, collectionIDs, q, limit)
	vs, err := pgx.CollectRows(rows, scanVersion)
	return vs, dbError(err, "search objects", "Search")
}

// searchText is the text indexed for o: the searchable properties, and the
// values of its hashes, reduced to words.
func searchText(o *stix.Object) string {
	var b strings.Builder
	for _, p := range searchProps {
		if s := o.String(p); s != "" {
			b.WriteString(s)
			b.WriteByte(' ')
		}
		for _, s := range o.Strings(p) {
			b.WriteString(s)
			b.WriteByte(' ')
		}
	}
	var hashes map[string]string
	if raw, ok := o.Property("hashes"); ok && json.Unmarshal(raw, &hashes) == nil {
		for _, h := range hashes {
			b.WriteString(h)
			b.WriteByte(' ')
		}
	}
	s := words(b.String())
	if len(s) > maxSearchText {
		s = s[:maxSearchText]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// words replaces every character that is not a letter or a digit with a
// space, so that "evil.example.com" is searchable as its parts, the way
// SQLite's unicode61 tokenizer splits it, and a query has no operators.
func words(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
