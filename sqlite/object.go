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
		var coll, last int64
		err := tx.QueryRowContext(ctx, `SELECT pk, last_date_added FROM collections WHERE id = ?`, collectionID).Scan(&coll, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Collection %q not found.", collectionID)
		} else if err != nil {
			return internal("read collection", err)
		}
		known, err := loadVersions(ctx, tx, coll, ids, false)
		if err != nil {
			return err
		}
		w, err := newVersionWriter(ctx, tx, coll)
		if err != nil {
			return err
		}
		defer w.close()
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
				results[i].Err = isachub.Errorf(isachub.ECONFLICT,
					"The object %s was first published in this collection by another organisation; only that organisation may add versions of it.", id)
				continue
			}
			if v := findVersion(iv.vers, in.vkey); v != nil {
				if !in.versioned {
					results[i].Version = isachub.FormatTimestamp(fromMicros(v.dateAdded))
				}
				continue // already stored: success, nothing to do
			}
			last = max(now, last+1)
			v := &version{vkey: in.vkey, vts: in.vts, spec: in.spec, dateAdded: last, in: in}
			if !in.versioned {
				v.vts = vtsOfDateAdded(last)
				results[i].Version = isachub.FormatTimestamp(fromMicros(last))
			}
			iv.vers = append(iv.vers, v)
			if err := w.apply(iv.vers, submitterOrgID); err != nil {
				return err
			}
			stored++
		}
		if stored == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE collections SET last_date_added = ? WHERE pk = ?`, last, coll); err != nil {
			return internal("update collection", err)
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
		iv.vers = append(iv.vers, &v)
	}
	return known, internal("read versions", rows.Err())
}

// versionWriter holds the prepared statements of a write transaction that
// inserts versions and maintains their flags and the full-text index.
type versionWriter struct {
	ctx                                 context.Context
	coll                                int64
	insert, flags, ftsInsert, ftsDelete *sql.Stmt
}

func newVersionWriter(ctx context.Context, tx *sql.Tx, coll int64) (*versionWriter, error) {
	w := &versionWriter{ctx: ctx, coll: coll}
	var err error
	for _, s := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.insert, `INSERT INTO objects (coll, date_added, id, type, spec_version, created, modified,
			vts, vkey, revoked, created_by_ref, markings, submitter, is_latest, is_first, spec_latest, raw)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.flags, `UPDATE objects SET is_latest = ?, is_first = ?, spec_latest = ? WHERE pk = ?`},
		{&w.ftsInsert, `INSERT INTO objects_fts (rowid, body) VALUES (?, ?)`},
		{&w.ftsDelete, `DELETE FROM objects_fts WHERE rowid = ?`},
	} {
		if *s.stmt, err = tx.PrepareContext(ctx, s.sql); err != nil {
			w.close()
			return nil, internal("prepare", err)
		}
	}
	return w, nil
}

func (w *versionWriter) close() {
	for _, s := range []*sql.Stmt{w.insert, w.flags, w.ftsInsert, w.ftsDelete} {
		if s != nil {
			s.Close()
		}
	}
}

// apply recomputes the flags of one id's versions, inserts the versions
// not yet stored (pk 0), updates the stored ones whose flags changed, and
// keeps the full-text index on the latest version.
func (w *versionWriter) apply(vs []*version, submitter int64) error {
	computeFlags(vs)
	for _, v := range vs {
		if v.pk != 0 {
			continue
		}
		o := v.in.obj
		res, err := w.insert.ExecContext(w.ctx, w.coll, v.dateAdded, o.ID(), o.Type(), v.spec, o.Created(), o.Modified(),
			v.vts, v.vkey, boolInt(o.Revoked()), o.CreatedByRef(), v.in.markings, submitter,
			boolInt(v.wantLatest), boolInt(v.wantFirst), boolInt(v.wantSpecL), []byte(o.Raw()))
		if err != nil {
			return internal("insert object", err)
		}
		if v.pk, err = res.LastInsertId(); err != nil {
			return internal("insert object", err)
		}
		v.isLatest, v.isFirst, v.isSpecLatest = v.wantLatest, v.wantFirst, v.wantSpecL
		if v.isLatest {
			if _, err := w.ftsInsert.ExecContext(w.ctx, v.pk, ftsText(o)); err != nil {
				return internal("index object", err)
			}
		}
	}
	for _, v := range vs {
		if v.isLatest == v.wantLatest && v.isFirst == v.wantFirst && v.isSpecLatest == v.wantSpecL {
			continue
		}
		if _, err := w.flags.ExecContext(w.ctx, boolInt(v.wantLatest), boolInt(v.wantFirst), boolInt(v.wantSpecL), v.pk); err != nil {
			return internal("update object flags", err)
		}
		switch {
		case v.isLatest && !v.wantLatest:
			if _, err := w.ftsDelete.ExecContext(w.ctx, v.pk); err != nil {
				return internal("unindex object", err)
			}
		case !v.isLatest && v.wantLatest:
			if v.in == nil {
				return internal("index object", errors.New("raw bytes of the new latest version not loaded"))
			}
			if _, err := w.ftsInsert.ExecContext(w.ctx, v.pk, ftsText(v.in.obj)); err != nil {
				return internal("index object", err)
			}
		}
		v.isLatest, v.isFirst, v.isSpecLatest = v.wantLatest, v.wantFirst, v.wantSpecL
	}
	return nil
}
