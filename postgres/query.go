package postgres

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// selectVersion lists the columns scanVersion reads.
const selectVersion = `SELECT collection_id, date_added, id, type, spec_version, created, modified,
	revoked, created_by_ref, markings, submitter_org_id, raw, tlp FROM object_versions o`

// Objects returns one page of the collection's object versions in date_added
// order (TAXII 2.1 section 5.4), in one query: the filters and the keyset
// bound (added_after, or the cursor's date_added) are all in its WHERE
// clause, and limit+1 rows tell whether there are more. The query walks an
// index on (collection_id, date_added) or (collection_id, type, date_added)
// from the bound, so a page deep in the collection costs what the first does.
func (db *DB) Objects(ctx context.Context, collectionID string, see isachub.Visibility, f isachub.ObjectFilter) (*isachub.ObjectPage, error) {
	q, err := objectsQuery(collectionID, f, see.Hidden())
	if err != nil {
		return nil, err
	}
	rows, _ := db.pool.Query(ctx, q.sql, q.args...)
	vs, err := pgx.CollectRows(rows, scanVersion)
	if err != nil {
		return nil, dbError(err, "objects", "Objects")
	}
	page := &isachub.ObjectPage{Objects: vs}
	if len(vs) > q.limit {
		page.Objects, page.More = vs[:q.limit], true
		page.Next = encodeCursor(q.hash, vs[q.limit-1].DateAdded.UnixMicro())
	}
	return page, nil
}

// pageQuery is the SQL of one page of Objects.
type pageQuery struct {
	sql   string
	args  []any
	limit int     // the page size; the query fetches one more row
	hash  [8]byte // identifies the query in its cursors
}

// objectsQuery builds the page query of f in the collection.
func objectsQuery(collectionID string, f isachub.ObjectFilter, hidden isachub.TLPSet) (*pageQuery, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = isachub.DefaultPageSize
	}
	limit = min(limit, isachub.MaxPageSize)
	qh := queryHash(collectionID, &f)
	after := int64(math.MinInt64)
	if !f.AddedAfter.IsZero() {
		after = f.AddedAfter.UnixMicro()
	}
	if f.Next != "" {
		da, err := decodeCursor(f.Next, qh)
		if err != nil {
			return nil, err
		}
		after = max(after, da)
	}
	w := &where{hidden: hidden}
	w.add("collection_id = %s", collectionID)
	w.add("date_added > %s", after)
	if hidden != 0 {
		w.conds = append(w.conds, "tlp <> ALL("+tlpArray(hidden)+")")
	}
	if err := w.filters(f.IDs, f.Types, f.Versions, f.SpecVersions, true); err != nil {
		return nil, err
	}
	return &pageQuery{
		sql:   selectVersion + w.sql() + fmt.Sprintf(" ORDER BY date_added LIMIT %d", limit+1),
		args:  w.args,
		limit: limit,
		hash:  qh,
	}, nil
}

// where builds a parameterised WHERE clause.
type where struct {
	conds  []string
	args   []any
	hidden isachub.TLPSet // the TLP levels the caller may not see (isachub.Visibility.Hidden)
}

// add appends a condition whose %s verbs are replaced by placeholders for
// args, in order.
func (w *where) add(cond string, args ...any) {
	ph := make([]any, len(args))
	for i, a := range args {
		w.args = append(w.args, a)
		ph[i] = fmt.Sprintf("$%d", len(w.args))
	}
	w.conds = append(w.conds, fmt.Sprintf(cond, ph...))
}

// in adds "column = value" for one value, "column = ANY(values)" for more:
// the planner can walk an index in order for the former only.
func (w *where) in(column string, values []string) {
	if len(values) == 1 {
		w.add(column+" = %s", values[0])
	} else if len(values) > 1 {
		w.add(column+" = ANY(%s)", values)
	}
}

// filters adds the match[id], match[type], match[version] and
// match[spec_version] conditions (TAXII 2.1 section 3.4.2). With defaults,
// empty versions mean "last" and empty specVersions each object's highest
// spec_version, as on the objects endpoint; without, they select every
// version, as DeleteObject wants.
func (w *where) filters(ids, types, versions, specVersions []string, defaults bool) error {
	w.in("id", ids)
	w.in("type", types)
	if len(versions) == 0 && defaults {
		versions = []string{"last"}
	}
	var ors []string
	var stamps []time.Time
	all := len(versions) == 0
	for _, v := range versions {
		switch v {
		case "all":
			all = true
		case "first":
			ors = append(ors, w.visibleFlag("is_first", "(o2.version_ts, o2.date_added) < (o.version_ts, o.date_added)"))
		case "last":
			ors = append(ors, w.visibleFlag("is_latest", "(o2.version_ts, o2.date_added) > (o.version_ts, o.date_added)"))
		default:
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return isachub.Errorf(isachub.EINVALID, "The version %q is not first, last, all or an RFC 3339 timestamp.", v)
			}
			stamps = append(stamps, t.UTC().Truncate(time.Microsecond))
		}
	}
	if !all {
		if len(stamps) > 0 {
			ors = append(ors, fmt.Sprintf("version_ts = ANY($%d)", len(w.args)+1))
			w.args = append(w.args, stamps)
		}
		w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
	}
	if len(specVersions) == 0 && defaults {
		w.conds = append(w.conds, w.visibleFlag("spec_latest", "o2.spec_version > o.spec_version"))
	} else {
		w.in("spec_version", specVersions)
	}
	return nil
}

// sql returns the clause with its leading " WHERE ".
func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func scanVersion(row pgx.CollectableRow) (*isachub.ObjectVersion, error) {
	var v isachub.ObjectVersion
	var da int64
	var raw []byte
	err := row.Scan(&v.CollectionID, &da, &v.ID, &v.Type, &v.SpecVersion, &v.Created, &v.Modified,
		&v.Revoked, &v.CreatedByRef, &v.Markings, &v.SubmitterOrgID, &raw, &v.TLP)
	v.DateAdded = time.UnixMicro(da).UTC()
	v.Raw = raw
	if len(v.Markings) == 0 {
		v.Markings = nil
	}
	return &v, err
}

// visibleFlag returns flag, a per-version flag computed over all versions
// of an id (is_latest, is_first, spec_latest), made to hold over the
// versions the caller may see: with hidden TLP levels, a version without
// the flag still qualifies when no visible version of the id beats it
// (beats compares o2 with o). The subquery reads the (collection_id, id,
// vkey) index, the few versions of one id, and runs only for rows without
// the flag.
func (w *where) visibleFlag(flag, beats string) string {
	if w.hidden == 0 {
		return flag
	}
	return "(o." + flag + " OR NOT EXISTS (SELECT 1 FROM object_versions o2 WHERE o2.collection_id = o.collection_id" +
		" AND o2.id = o.id AND o2.tlp <> ALL(" + tlpArray(w.hidden) + ") AND " + beats + "))"
}

// tlpArray returns the SQL array of the levels in s, for example
// "'{0,5}'::smallint[]". The levels are small integers from a fixed set: no
// argument is needed.
func tlpArray(s isachub.TLPSet) string {
	var b strings.Builder
	b.WriteString("'{")
	for i, l := range s.Levels() {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d", int(l))
	}
	b.WriteString("}'::smallint[]")
	return b.String()
}
