package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// Referring returns the latest versions, in the collections of scope, of
// the objects whose references (the object_refs index, migration 0007)
// include f.ID, newest first, without revoked versions or the levels each
// collection's Visibility hides. Like SearchObjects, it first indexes what
// writers committed before it.
func (db *DB) Referring(ctx context.Context, scope map[string]isachub.Visibility, f isachub.ReferenceFilter) ([]*isachub.ObjectVersion, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	if len(collectionIDs) == 0 || f.ID == "" {
		return []*isachub.ObjectVersion{}, nil
	}
	if err := db.indexPending(ctx, collectionIDs, false); err != nil {
		return nil, err
	}
	args := []any{f.ID, collectionIDs}
	cond := hideCond(&args, collectionIDs, hidden)
	if len(f.Types) > 0 {
		args = append(args, f.Types)
		cond += fmt.Sprintf(" AND v.type = ANY($%d)", len(args))
	}
	args = append(args, pageSize(f.Limit))
	rows, _ := db.pool.Query(ctx, `SELECT v.collection_id, v.date_added, v.id, v.type, v.spec_version, v.created, v.modified,
			v.revoked, v.created_by_ref, v.markings, v.submitter_org_id, v.raw, v.tlp
		FROM object_versions v
		WHERE (v.collection_id, v.date_added) IN
			(SELECT collection_id, date_added FROM object_refs WHERE ref = $1 AND collection_id = ANY($2))
		AND v.is_latest AND NOT v.revoked`+cond+fmt.Sprintf(`
		ORDER BY v.date_added DESC LIMIT $%d`, len(args)), args...)
	vs, err := pgx.CollectRows(rows, scanVersion)
	if err != nil {
		return nil, dbError(err, "read referring objects", "The references")
	}
	return vs, nil
}

// MostReferenced ranks the ids of the given types by the latest versions
// added on the days after since that refer to them, walking the reference
// index over each type's range of ids ("malware--" up to "malware-.").
func (db *DB) MostReferenced(ctx context.Context, scope map[string]isachub.Visibility, types []string, since time.Time, limit int) ([]isachub.ReferenceCount, error) {
	if err := isachub.CheckRankedTypes(types); err != nil {
		return nil, err
	}
	collectionIDs, hidden := isachub.SearchScope(scope)
	out := []isachub.ReferenceCount{}
	if len(collectionIDs) == 0 || len(types) == 0 {
		return out, nil
	}
	if err := db.indexPending(ctx, collectionIDs, false); err != nil {
		return nil, err
	}
	args := []any{collectionIDs, isachub.FirstDayAfter(since)}
	ranges := ""
	for i, t := range types {
		if i > 0 {
			ranges += " OR "
		}
		args = append(args, t+"--", t+"-.")
		ranges += fmt.Sprintf("(r.ref >= $%d AND r.ref < $%d)", len(args)-1, len(args))
	}
	cond := hideCond(&args, collectionIDs, hidden)
	args = append(args, pageSize(limit))
	rows, _ := db.pool.Query(ctx, `SELECT r.ref, count(DISTINCT (r.collection_id, r.date_added)) FROM object_refs r
		JOIN object_versions v ON v.collection_id = r.collection_id AND v.date_added = r.date_added
		WHERE (`+ranges+`) AND r.collection_id = ANY($1) AND r.date_added >= $2
		AND v.is_latest AND NOT v.revoked`+cond+fmt.Sprintf(`
		GROUP BY r.ref ORDER BY 2 DESC, r.ref LIMIT $%d`, len(args)), args...)
	var c isachub.ReferenceCount
	_, err := pgx.ForEachRow(rows, []any{&c.ID, &c.Count}, func() error {
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, dbError(err, "rank referenced objects", "The references")
	}
	return out, nil
}

// hideCond returns the condition that leaves out of v the levels hidden in
// each collection, appending its arguments.
func hideCond(args *[]any, collectionIDs []string, hidden map[string]isachub.TLPSet) string {
	cond := ""
	for _, id := range collectionIDs {
		if h := hidden[id]; h != 0 {
			*args = append(*args, id)
			cond += fmt.Sprintf(" AND NOT (v.collection_id = $%d AND v.tlp = ANY(%s))", len(*args), tlpArray(h))
		}
	}
	return cond
}

// pageSize applies the default and the cap to a requested number of rows.
func pageSize(n int) int {
	if n <= 0 {
		return isachub.DefaultPageSize
	}
	return min(n, isachub.MaxPageSize)
}

// Submitted returns the latest versions in scope that the organisation
// submitted under its name, newest first (the object_versions_submitter
// index, migration 0007).
func (db *DB) Submitted(ctx context.Context, scope map[string]isachub.Visibility, orgID int64, limit int) ([]*isachub.ObjectVersion, error) {
	collectionIDs, hidden := isachub.SearchScope(scope)
	if len(collectionIDs) == 0 || orgID == 0 {
		return []*isachub.ObjectVersion{}, nil
	}
	args := []any{orgID, collectionIDs}
	cond := hideCond(&args, collectionIDs, hidden)
	args = append(args, pageSize(limit))
	rows, _ := db.pool.Query(ctx, `SELECT v.collection_id, v.date_added, v.id, v.type, v.spec_version, v.created, v.modified,
			v.revoked, v.created_by_ref, v.markings, v.submitter_org_id, v.raw, v.tlp
		FROM object_versions v
		WHERE v.submitter_org_id = $1 AND v.collection_id = ANY($2) AND v.is_latest AND NOT v.revoked`+cond+fmt.Sprintf(`
		ORDER BY v.date_added DESC LIMIT $%d`, len(args)), args...)
	vs, err := pgx.CollectRows(rows, scanVersion)
	if err != nil {
		return nil, dbError(err, "read submitted objects", "The submitted objects")
	}
	return vs, nil
}
