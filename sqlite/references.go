package sqlite

import (
	"context"
	"database/sql"
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
	return collectionVersions(ctx, db.rd, "read referring objects", b.String(), append(args, pageLimit(f.Limit))...)
}

// MostReferenced ranks the ids of the given types by the latest versions
// added on the days after since that refer to them, from ref_totals and
// ref_cum (migration 0009): per key of the scope, the count now minus the
// count up to the last day before the period, so its cost follows the
// number of ids referred to, not the references or the period's length.
func (db *DB) MostReferenced(ctx context.Context, scope map[string]isachub.Visibility, types []string, since time.Time, limit int) ([]isachub.ReferenceCount, error) {
	if err := isachub.CheckRankedTypes(types); err != nil {
		return nil, err
	}
	collectionIDs, hidden := isachub.SearchScope(scope)
	out := []isachub.ReferenceCount{}
	if len(collectionIDs) == 0 || len(types) == 0 {
		return out, nil
	}
	var b strings.Builder
	b.WriteString(`SELECT o.ref, sum(o.n - coalesce((SELECT c.cum FROM ref_cum c
			WHERE c.coll = o.coll AND c.tlp = o.tlp AND c.ref = o.ref AND c.day < ? ORDER BY c.day DESC LIMIT 1), 0)) AS k
		FROM ref_totals o WHERE (`)
	args := []any{isachub.FirstDayAfter(since) / microsPerDay}
	for i, t := range types {
		if i > 0 {
			b.WriteString(` OR `)
		}
		b.WriteString(`(o.ref >= ? AND o.ref < ?)`)
		args = append(args, t+"--", t+"-.")
	}
	b.WriteString(`) AND `)
	args = scopeCond(&b, args, collectionIDs, hidden)
	b.WriteString(` GROUP BY o.ref HAVING k > 0 ORDER BY k DESC, o.ref LIMIT ?`)
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

// Submitted returns the latest versions in scope that the organisation
// submitted under its name, newest first, walking the objects_submitter
// partial index (migration 0005) backwards: the literal submitter <> 0
// lets the planner use it.
func (db *DB) Submitted(ctx context.Context, scope map[string]isachub.Visibility, orgID int64, limit int) ([]*isachub.ObjectVersion, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	out := []*isachub.ObjectVersion{}
	if len(collectionIDs) == 0 || orgID == 0 {
		return out, nil
	}
	var b strings.Builder
	b.WriteString(`SELECT ` + versionCols + `, c.id FROM objects o CROSS JOIN collections c ON c.pk = o.coll
		WHERE o.submitter = ? AND o.submitter <> 0 AND o.is_latest = 1 AND o.revoked = 0 AND `)
	args := scopeCond(&b, []any{orgID}, collectionIDs, hidden)
	b.WriteString(` ORDER BY o.date_added DESC LIMIT ?`)
	return collectionVersions(ctx, db.rd, "read submitted objects", b.String(), append(args, pageLimit(limit))...)
}

// querier is a connection pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// collectionVersions runs a query of versionCols and the collection's id.
func collectionVersions(ctx context.Context, q querier, what, query string, args ...any) ([]*isachub.ObjectVersion, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal(what, err)
	}
	defer rows.Close()
	out := []*isachub.ObjectVersion{}
	for rows.Next() {
		var collID string
		v, err := scanVersion(scanTail{rows, &collID}, "")
		if err != nil {
			return nil, internal(what, err)
		}
		v.CollectionID = collID
		out = append(out, v)
	}
	return out, internal(what, rows.Err())
}
