package sqlite

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/isachub/isachub"
)

// Objects returns one page of the collection's object versions in
// date_added order (TAXII 2.1 sections 3.4 and 5.3), in one SQL statement
// that walks the (coll, date_added) or (coll, type, date_added) index from
// the cursor: no OFFSET, so every page costs the same. An unknown
// collection reads as empty (callers load the collection first, to check
// access).
func (db *DB) Objects(ctx context.Context, collectionID string, see isachub.Visibility, f isachub.ObjectFilter) (*isachub.ObjectPage, error) {
	q, args, limit, err := objectQuery(collectionID, f, see.Hidden())
	if err != nil {
		return nil, err
	}
	rows, err := db.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, internal("query objects", err)
	}
	defer rows.Close()
	page := &isachub.ObjectPage{Objects: make([]*isachub.ObjectVersion, 0, min(limit, 128))}
	for rows.Next() {
		if len(page.Objects) == limit {
			page.More = true
			break
		}
		v, err := scanVersion(rows, collectionID)
		if err != nil {
			return nil, internal("read objects", err)
		}
		page.Objects = append(page.Objects, v)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read objects", err)
	}
	if page.More {
		page.Next = EncodeCursor(f, micros(page.Objects[len(page.Objects)-1].DateAdded))
	}
	return page, nil
}

// versionCols are the columns scanVersion reads.
const versionCols = `o.date_added, o.id, o.type, o.spec_version, o.created, o.modified, o.revoked,
	o.created_by_ref, o.markings, o.submitter, o.raw, o.tlp`

func scanVersion(row interface{ Scan(...any) error }, collectionID string) (*isachub.ObjectVersion, error) {
	v := &isachub.ObjectVersion{CollectionID: collectionID}
	var added int64
	var markings string
	var raw []byte
	if err := row.Scan(&added, &v.ID, &v.Type, &v.SpecVersion, &v.Created, &v.Modified, &v.Revoked,
		&v.CreatedByRef, &markings, &v.SubmitterOrgID, &raw, &v.TLP); err != nil {
		return nil, err
	}
	v.DateAdded = fromMicros(added)
	v.Raw = raw
	if markings != "[]" {
		if err := json.Unmarshal([]byte(markings), &v.Markings); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// pageLimit applies the default and the cap to a requested page size.
func pageLimit(n int) int {
	switch {
	case n <= 0:
		return isachub.DefaultPageSize
	case n > isachub.MaxPageSize:
		return isachub.MaxPageSize
	}
	return n
}

// objectQuery builds the page query of f: the statement, its arguments and
// the page size. It fetches one row more than the page to compute More.
//
// Each shape reads an index in date_added order from the cursor, so a page
// costs the same wherever it starts:
//   - no type: objects_added (coll, date_added);
//   - one type: objects_type (coll, type, date_added);
//   - several types: one objects_type range per type, each limited to the
//     page, merged (at most types x page rows are sorted);
//   - ids: objects_id (coll, id) and a sort of those ids' versions only.
func objectQuery(collectionID string, f isachub.ObjectFilter, hidden isachub.TLPSet) (string, []any, int, error) {
	limit := pageLimit(f.Limit)
	after := micros(f.AddedAfter)
	if f.Next != "" {
		c, err := DecodeCursor(f, f.Next)
		if err != nil {
			return "", nil, 0, err
		}
		after = max(after, c)
	}
	// The conditions every arm shares, after coll and date_added.
	var cond strings.Builder
	var condArgs []any
	if len(f.IDs) > 0 {
		cond.WriteString(` AND o.id`)
		condArgs = inList(&cond, condArgs, f.IDs)
	}
	vcond, vargs, err := versionCond(f.Versions, hidden)
	if err != nil {
		return "", nil, 0, err
	}
	cond.WriteString(vcond)
	condArgs = append(condArgs, vargs...)
	if hidden != 0 {
		cond.WriteString(` AND o.tlp NOT IN ` + tlpList(hidden))
	}
	if len(f.SpecVersions) == 0 {
		cond.WriteString(` AND ` + hiddenAware(`o.spec_latest = 1`, `o2.spec_version > o.spec_version`, hidden))
	} else {
		cond.WriteString(` AND o.spec_version`)
		condArgs = inList(&cond, condArgs, f.SpecVersions)
	}
	index := ""
	if len(f.IDs) > 0 {
		index = ` INDEXED BY objects_id`
	}
	// arm is the query of one index range; types, when not empty, are
	// filtered in it.
	arm := func(types []string) (string, []any) {
		var b strings.Builder
		args := []any{collectionID, after}
		b.WriteString(`SELECT ` + versionCols + ` FROM objects o` + index + `
			WHERE o.coll = (SELECT pk FROM collections WHERE id = ?) AND o.date_added > ?`)
		b.WriteString(cond.String())
		args = append(args, condArgs...)
		if len(types) > 0 {
			b.WriteString(` AND o.type`)
			args = inList(&b, args, types)
		}
		b.WriteString(` ORDER BY o.date_added LIMIT ?`)
		return b.String(), append(args, limit+1)
	}
	types := slices.Compact(slices.Sorted(slices.Values(f.Types)))
	if len(types) <= 1 || len(f.IDs) > 0 {
		q, args := arm(types)
		return q, args, limit, nil
	}
	var b strings.Builder
	var args []any
	for i, typ := range types {
		if i > 0 {
			b.WriteString(` UNION ALL `)
		}
		q, a := arm([]string{typ})
		b.WriteString(`SELECT * FROM (` + q + `)`)
		args = append(args, a...)
	}
	b.WriteString(` ORDER BY date_added LIMIT ?`)
	return b.String(), append(args, limit+1), limit, nil
}

// inList writes " = ?" or " IN (?, ?, ...)" for vals and appends them to
// args.
func inList(b *strings.Builder, args []any, vals []string) []any {
	vals = slices.Compact(slices.Sorted(slices.Values(vals)))
	if len(vals) == 1 {
		b.WriteString(` = ?`)
		return append(args, vals[0])
	}
	b.WriteString(` IN (?` + strings.Repeat(`, ?`, len(vals)-1) + `)`)
	for _, v := range vals {
		args = append(args, v)
	}
	return args
}

// versionCond returns the SQL condition of match[version] (TAXII 2.1
// section 3.4.2): "last" (the default), "first", "all" or timestamps, ORed.
//
// With hidden levels, "last" and "first" are the last and first versions
// the caller may see (hiddenAware).
func versionCond(versions []string, hidden isachub.TLPSet) (string, []any, error) {
	last := hiddenAware(`o.is_latest = 1`, `(o2.vts > o.vts OR o2.vts = o.vts AND o2.date_added > o.date_added)`, hidden)
	first := hiddenAware(`o.is_first = 1`, `(o2.vts < o.vts OR o2.vts = o.vts AND o2.date_added < o.date_added)`, hidden)
	if len(versions) == 0 {
		return ` AND ` + last, nil, nil
	}
	var ors []string
	var args []any
	var stamps []string
	for _, v := range versions {
		switch v {
		case "all":
			return "", nil, nil
		case "last":
			ors = append(ors, last)
		case "first":
			ors = append(ors, first)
		default:
			vts, ok := parseTimestamp(v)
			if !ok {
				return "", nil, isachub.Errorf(isachub.EINVALID,
					"The version %q is not first, last, all or an RFC 3339 timestamp.", v)
			}
			stamps = append(stamps, vts)
		}
	}
	if len(stamps) > 0 {
		var b strings.Builder
		b.WriteString(`o.vts`)
		args = inList(&b, args, stamps)
		ors = append(ors, b.String())
	}
	ors = slices.Compact(slices.Sorted(slices.Values(ors)))
	if len(ors) == 1 {
		return ` AND ` + ors[0], args, nil
	}
	return ` AND (` + strings.Join(ors, ` OR `) + `)`, args, nil
}

// hiddenAware returns flag, a per-version flag computed over all versions
// of an id (is_latest, is_first, spec_latest), made to hold over the
// versions the caller may see: with hidden levels, a version that lacks
// the flag still qualifies when no visible version of the id beats it
// (beats compares o2 with o). The subquery reads objects_id (coll, id),
// the few versions of one id, and runs only for rows without the flag.
func hiddenAware(flag, beats string, hidden isachub.TLPSet) string {
	if hidden == 0 {
		return flag
	}
	return `(` + flag + ` OR NOT EXISTS (SELECT 1 FROM objects o2 INDEXED BY objects_id
		WHERE o2.coll = o.coll AND o2.id = o.id AND o2.tlp NOT IN ` + tlpList(hidden) + ` AND ` + beats + `))`
}

// tlpList returns the SQL list of the levels in s, for example "(0, 5)".
// The levels are small integers from a fixed set: no argument is needed.
func tlpList(s isachub.TLPSet) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, l := range s.Levels() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(int(l)))
	}
	b.WriteByte(')')
	return b.String()
}
