package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// DeleteObject removes the versions of the object that f.Versions and
// f.SpecVersions select (TAXII 2.1 section 5.7; empty lists select every
// version) under the
// collection lock, then recomputes the id's first, latest and spec_latest
// flags. Ownership is that of the remaining versions: when none is left,
// the id is free again.
func (db *DB) DeleteObject(ctx context.Context, collectionID, id string, orgID int64, f isachub.ObjectFilter) error {
	w := &where{}
	w.add("collection_id = %s", collectionID)
	w.add("id = %s", id)
	if err := w.filters(nil, nil, f.Versions, f.SpecVersions, false); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM collections WHERE id = $1 FOR UPDATE`, collectionID).Scan(&one)
		if err != nil {
			return dbError(err, "lock collection", "Collection "+quote(collectionID))
		}
		var owner int64
		err = tx.QueryRow(ctx, `SELECT submitter_org_id FROM object_versions WHERE collection_id = $1 AND id = $2 LIMIT 1`,
			collectionID, id).Scan(&owner)
		if errors.Is(err, pgx.ErrNoRows) {
			return isachub.Errorf(isachub.ENOTFOUND, "Object %s not found in this collection.", id)
		} else if err != nil {
			return dbError(err, "object owner", "Object "+id)
		}
		if owner != orgID {
			return isachub.Errorf(isachub.EFORBIDDEN, "Only the organisation that first published %s may delete it.", id)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM object_versions`+w.sql(), w.args...)
		if err != nil {
			return dbError(err, "delete object", "Object "+id)
		}
		if tag.RowsAffected() == 0 {
			return isachub.Errorf(isachub.ENOTFOUND, "No version of %s matches the version and spec_version filters.", id)
		}
		return reflag(ctx, tx, collectionID, id)
	})
}

// reflag recomputes the first, latest and spec_latest flags of the id's
// remaining versions.
func reflag(ctx context.Context, tx pgx.Tx, collectionID, id string) error {
	_, err := tx.Exec(ctx, `WITH vs AS (
			SELECT date_added, spec_version,
				row_number() OVER (ORDER BY version_ts, date_added) = 1 AS first,
				row_number() OVER (ORDER BY version_ts DESC, date_added DESC) = 1 AS latest,
				spec_version = max(spec_version) OVER () AS spec_latest
			FROM object_versions WHERE collection_id = $1 AND id = $2)
		UPDATE object_versions v SET is_first = vs.first, is_latest = vs.latest, spec_latest = vs.spec_latest
		FROM vs WHERE v.collection_id = $1 AND v.date_added = vs.date_added
			AND (v.is_first, v.is_latest, v.spec_latest) IS DISTINCT FROM (vs.first, vs.latest, vs.spec_latest)`,
		collectionID, id)
	return dbError(err, "reflag object", "Object "+id)
}
