package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// idVersions is what the store knows of one id in a collection during a
// write transaction.
type idVersions struct {
	owner int64 // the submitter of the first published version
	vers  []*version
}

// AddObjects adds objs to the collection in one transaction (TAXII 2.1
// section 5.4), assigning each new version a date_added.
func (db *DB) AddObjects(ctx context.Context, collectionID string, submitterOrgID int64, objs []*stix.Object) ([]isachub.AddResult, error) {
	return db.addObjects(ctx, collectionID, submitterOrgID, objs, nil)
}

// addHook runs in AddObjects' transaction after the objects are written
// (or found stored already), with the collection's community and the
// outcome of each object; an error rolls everything back.
type addHook func(tx *sql.Tx, communityID int64, results []isachub.AddResult) error

// addObjects is AddObjects with a hook (nil for none) run in the same
// transaction.
func (db *DB) addObjects(ctx context.Context, collectionID string, submitterOrgID int64, objs []*stix.Object, hook addHook) ([]isachub.AddResult, error) {
	results := make([]isachub.AddResult, len(objs))
	ins := make([]*incoming, len(objs))
	ids := make([]string, 0, len(objs))
	for i, o := range objs {
		results[i] = isachub.AddResult{ID: o.ID(), Version: o.Version()}
		in, err := prepare(o)
		if err != nil {
			results[i].Err = err
			continue
		}
		ins[i] = in
		ids = append(ids, o.ID())
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		var coll, community, last int64
		err := tx.QueryRowContext(ctx, `SELECT pk, community_id, last_date_added FROM collections WHERE id = ?`,
			collectionID).Scan(&coll, &community, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Collection %q not found.", collectionID)
		} else if err != nil {
			return internal("read collection", err)
		}
		known, err := loadVersions(ctx, tx, coll, ids, false)
		if err != nil {
			return err
		}
		w, err := db.newVersionWriter(ctx, tx, coll)
		if err != nil {
			return err
		}
		now := db.nowMicros()
		stored := 0
		for i, in := range ins {
			if in == nil {
				continue
			}
			id := in.obj.ID()
			iv := known[id]
			if iv == nil {
				iv = &idVersions{owner: submitterOrgID}
				known[id] = iv
			}
			if len(iv.vers) > 0 && iv.owner != submitterOrgID {
				results[i].Err = isachub.ErrNotOwner(id)
				continue
			}
			if v := findVersion(iv.vers, in.vkey); v != nil {
				results[i].Existed = true
				if !in.versioned {
					results[i].Version = isachub.FormatTimestamp(fromMicros(v.dateAdded))
				}
				// Already stored: success, nothing to do but say whether
				// the content sent differs from what is kept.
				if v.in != nil {
					results[i].Note = isachub.DuplicateNote(v.in.obj.Raw(), in.obj.Raw())
				} else {
					var stored []byte
					if err := tx.QueryRowContext(ctx, `SELECT raw FROM objects WHERE pk = ?`, v.pk).Scan(&stored); err != nil {
						return internal("read a stored version", err)
					}
					results[i].Note = isachub.DuplicateNote(stored, in.obj.Raw())
				}
				continue
			}
			last = max(now, last+1)
			v := &version{vkey: in.vkey, vts: in.vts, spec: in.spec, dateAdded: last, in: in}
			if !in.versioned {
				v.vts = vtsOfDateAdded(last)
				results[i].Version = isachub.FormatTimestamp(fromMicros(last))
			}
			w.add(iv, v)
			stored++
		}
		if stored > 0 {
			if err := w.flush(submitterOrgID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE collections SET last_date_added = ? WHERE pk = ?`, last, coll); err != nil {
				return internal("update collection", err)
			}
		}
		if hook != nil {
			return hook(tx, community, results)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

func findVersion(vs []*version, vkey string) *version {
	for _, v := range vs {
		if v.vkey == vkey {
			return v
		}
	}
	return nil
}

// loadVersions returns the stored versions of the ids in the collection,
// by id. withRaw also loads the raw bytes (for the delete path).
func loadVersions(ctx context.Context, tx *sql.Tx, coll int64, ids []string, withRaw bool) (map[string]*idVersions, error) {
	known := make(map[string]*idVersions, len(ids))
	if len(ids) == 0 {
		return known, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, internal("encode ids", err)
	}
	rawCol := "NULL"
	if withRaw {
		rawCol = "raw"
	}
	rows, err := tx.QueryContext(ctx, `SELECT pk, id, vkey, vts, spec_version, date_added, submitter,
			is_latest, is_first, spec_latest, `+rawCol+`
		FROM objects WHERE coll = ? AND id IN (SELECT value FROM json_each(?))`, coll, string(list))
	if err != nil {
		return nil, internal("read versions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v version
		var id string
		var submitter int64
		var raw []byte
		if err := rows.Scan(&v.pk, &id, &v.vkey, &v.vts, &v.spec, &v.dateAdded, &submitter,
			&v.isLatest, &v.isFirst, &v.isSpecLatest, &raw); err != nil {
			return nil, internal("read versions", err)
		}
		if raw != nil {
			o, err := stix.ParseObject(raw)
			if err != nil {
				return nil, internal("parse stored object", err)
			}
			v.in = &incoming{obj: o}
		}
		iv := known[id]
		if iv == nil {
			iv = &idVersions{owner: submitter}
			known[id] = iv
		}
		v.stored = true
		iv.vers = append(iv.vers, &v)
	}
	return known, internal("read versions", rows.Err())
}
