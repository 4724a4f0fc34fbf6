package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/isachub/isachub"
)

// DeleteObject removes the versions of the object that f.Versions and
// f.SpecVersions select (TAXII 2.1 section 5.7); empty lists select every
// version. The first publisher alone may delete: ENOTFOUND when the object
// is not in the collection, EFORBIDDEN when orgID is not its publisher.
func (db *DB) DeleteObject(ctx context.Context, collectionID, id string, orgID int64, f isachub.ObjectFilter) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var coll int64
		err := tx.QueryRowContext(ctx, `SELECT pk FROM collections WHERE id = ?`, collectionID).Scan(&coll)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Collection %q not found.", collectionID)
		} else if err != nil {
			return internal("read collection", err)
		}
		known, err := loadVersions(ctx, tx, coll, []string{id}, true)
		if err != nil {
			return err
		}
		iv := known[id]
		if iv == nil {
			return notFound("Object %s not found in this collection.", id)
		}
		if iv.owner != orgID {
			return isachub.Errorf(isachub.EFORBIDDEN, "Only the organisation that first published %s may delete it.", id)
		}
		match, err := versionMatcher(f.Versions)
		if err != nil {
			return err
		}
		var gone, keep []*version
		for _, v := range iv.vers {
			if match(v) && (len(f.SpecVersions) == 0 || slices.Contains(f.SpecVersions, v.spec)) {
				gone = append(gone, v)
			} else {
				keep = append(keep, v)
			}
		}
		if len(gone) == 0 {
			return notFound("No version of %s matches the version and spec_version filters.", id)
		}
		args := make([]any, len(gone))
		for i, v := range gone {
			args[i] = v.pk
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM objects WHERE pk IN (?`+strings.Repeat(`, ?`, len(gone)-1)+`)`, args...); err != nil {
			return internal("delete object", err)
		}
		if len(keep) == 0 {
			return nil
		}
		iv.vers = keep
		w, err := db.newVersionWriter(ctx, tx, coll)
		if err != nil {
			return err
		}
		w.touch(iv)
		return w.flush(orgID)
	})
}

// versionMatcher returns the predicate of match[version] over stored
// versions; an empty list matches every version.
func versionMatcher(versions []string) (func(*version) bool, error) {
	if len(versions) == 0 {
		return func(*version) bool { return true }, nil
	}
	var preds []func(*version) bool
	for _, s := range versions {
		switch s {
		case "all":
			return func(*version) bool { return true }, nil
		case "last":
			preds = append(preds, func(v *version) bool { return v.isLatest })
		case "first":
			preds = append(preds, func(v *version) bool { return v.isFirst })
		default:
			vts, ok := parseTimestamp(s)
			if !ok {
				return nil, isachub.Errorf(isachub.EINVALID, "The version %q is not first, last, all or an RFC 3339 timestamp.", s)
			}
			preds = append(preds, func(v *version) bool { return v.vts == vts })
		}
	}
	return func(v *version) bool {
		for _, p := range preds {
			if p(v) {
				return true
			}
		}
		return false
	}, nil
}
