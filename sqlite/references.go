package sqlite

import (
	"context"
	"strings"
	"time"

	"github.com/isachub/isachub"
)

// Referring returns the latest versions, in the collections of scope, of
// the objects whose references (the object_refs index, migration 0005)
// include f.ID, newest first, without revoked versions or the levels each
// collection's Visibility hides.
func (db *DB) Referring(ctx context.Context, scope map[string]isachub.Visibility, f isachub.ReferenceFilter) ([]*isachub.ObjectVersion, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	out := []*isachub.ObjectVersion{}
	if len(collectionIDs) == 0 || f.ID == "" {
		return out, nil
	}
	var b strings.Builder
	b.WriteString(`SELECT ` + versionCols + `, c.id FROM objects o CROSS JOIN collections c ON c.pk = o.coll
		WHERE o.pk IN (SELECT pk FROM object_refs WHERE ref = ?) AND o.is_latest = 1 AND o.revoked = 0 AND `)
	args := scopeCond(&b, []any{f.ID}, collectionIDs, hidden)
	if len(f.Types) > 0 {
		b.WriteString(` AND o.type`)
		args = inList(&b, args, f.Types)
	}
	b.WriteString(` ORDER BY o.date_added DESC LIMIT ?`)
	rows, err := db.rd.QueryContext(ctx, b.String(), append(args, pageLimit(f.Limit))...)
	if err != nil {
		return nil, internal("read referring objects", err)
	}
	defer rows.Close()
	for rows.Next() {
		var collID string
		v, err := scanVersion(scanTail{rows, &collID}, "")
		if err != nil {
			return nil, internal("read referring objects", err)
		}
		v.CollectionID = collID
		out = append(out, v)
	}
	return out, internal("read referring objects", rows.Err())
}

// MostReferenced ranks the ids of the given types by the latest versions
// added after since that refer to them. It walks the reference index over
// each type's range of ids ("malware--" up to "malware-."), so its cost
// follows the references to those types, not the size of the collections.
func (db *DB) MostReferenced(ctx context.Context, scope map[string]isachub.Visibility, types []string, since time.Time, limit int) ([]isachub.ReferenceCount, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	out := []isachub.ReferenceCount{}
	if len(collectionIDs) == 0 || len(types) == 0 {
		return out, nil
	}
	var b strings.Builder
	b.WriteString(`SELECT r.ref, count(DISTINCT o.pk) FROM object_refs r CROSS JOIN objects o ON o.pk = r.pk WHERE (`)
	var args []any
	for i, t := range types {
		if i > 0 {
			b.WriteString(` OR `)
		}
		b.WriteString(`(r.ref >= ? AND r.ref < ?)`)
		args = append(args, t+"--", t+"-.")
	}
	b.WriteString(`) AND o.date_added > ? AND o.is_latest = 1 AND o.revoked = 0 AND `)
	args = scopeCond(&b, append(args, since.UnixMicro()), collectionIDs, hidden)
	b.WriteString(` GROUP BY r.ref ORDER BY 2 DESC, r.ref LIMIT ?`)
	rows, err := db.rd.QueryContext(ctx, b.String(), append(args, pageLimit(limit))...)
	if err != nil {
		return nil, internal("rank referenced objects", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c isachub.ReferenceCount
		if err := rows.Scan(&c.ID, &c.Count); err != nil {
			return nil, internal("rank referenced objects", err)
		}
		out = append(out, c)
	}
	return out, internal("rank referenced objects", rows.Err())
}

// scopeCond writes the condition that o is in one of the collections and
// not of a level hidden in its collection, and appends its arguments.
func scopeCond(b *strings.Builder, args []any, collectionIDs []string, hidden map[string]isachub.TLPSet) []any {
	b.WriteString(`o.coll IN (SELECT pk FROM collections WHERE id`)
	args = inList(b, args, collectionIDs)
	b.WriteString(`)`)
	for _, id := range collectionIDs {
		if h := hidden[id]; h != 0 {
			b.WriteString(` AND NOT (o.coll = (SELECT pk FROM collections WHERE id = ?) AND o.tlp IN ` + tlpList(h) + `)`)
			args = append(args, id)
		}
	}
	return args
}
