package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
)

// insertChunk is the number of rows of the cached multi-row INSERT: fewer
// statements per batch, within SQLite's limit of 32766 bound parameters.
const insertChunk = 64

// objectCols are the columns of an objects row, in insert order.
const objectCols = `pk, coll, date_added, id, type, spec_version, created, modified,
	vts, vkey, revoked, created_by_ref, markings, submitter, is_latest, is_first, spec_latest, raw, tlp`

const objectColCount = 19

// insertObjectsSQL returns the INSERT of n objects rows.
func insertObjectsSQL(n int) string {
	row := `(?` + strings.Repeat(`, ?`, objectColCount-1) + `)`
	return `INSERT INTO objects (` + objectCols + `) VALUES ` + row + strings.Repeat(`, `+row, n-1)
}

// ftsInsertSQL indexes every [pk, body] pair of a JSON array in one
// statement: FTS5 flushes its pending terms to a new segment at each
// statement of a transaction, so one statement per transaction keeps
// segments few and large.
const ftsInsertSQL = `INSERT INTO objects_fts (rowid, body) SELECT value ->> 0, value ->> 1 FROM json_each(?)`

// refsInsertSQL adds every [pk, prop, ref] triple of a JSON array to the
// reference index in one statement.
const refsInsertSQL = `INSERT INTO object_refs (pk, prop, ref) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`

// countsAddSQL adds every [day, type, tlp, n] of a JSON array to the
// collection's daily counts in one statement.
const countsAddSQL = `INSERT INTO daily_counts (coll, day, type, tlp, n)
	SELECT ?, value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?) WHERE true
	ON CONFLICT (coll, day, type, tlp) DO UPDATE SET n = n + excluded.n`

// microsPerDay turns a date_added into its day.
const microsPerDay = 86400000000

// dayCount is a key of the daily counts of a batch.
type dayCount struct {
	day int64
	typ string
	tlp int
}

// writerStmts are the statements AddObjects runs, prepared once on the
// writer connection.
type writerStmts struct {
	insertChunk, insertOne, fts, refs, counts *sql.Stmt
}

func prepareWriterStmts(ctx context.Context, wr *sql.DB) (*writerStmts, error) {
	var ws writerStmts
	var err error
	if ws.insertChunk, err = wr.PrepareContext(ctx, insertObjectsSQL(insertChunk)); err != nil {
		return nil, internal("prepare", err)
	}
	if ws.insertOne, err = wr.PrepareContext(ctx, insertObjectsSQL(1)); err != nil {
		return nil, internal("prepare", err)
	}
	if ws.fts, err = wr.PrepareContext(ctx, ftsInsertSQL); err != nil {
		return nil, internal("prepare", err)
	}
	if ws.refs, err = wr.PrepareContext(ctx, refsInsertSQL); err != nil {
		return nil, internal("prepare", err)
	}
	if ws.counts, err = wr.PrepareContext(ctx, countsAddSQL); err != nil {
		return nil, internal("prepare", err)
	}
	return &ws, nil
}

func (ws *writerStmts) close() {
	for _, s := range []*sql.Stmt{ws.insertChunk, ws.insertOne, ws.fts, ws.refs, ws.counts} {
		if s != nil {
			s.Close()
		}
	}
}

// versionWriter writes the outcome of a transaction's changes to one
// collection's versions: it inserts the new versions (pk != 0, stored
// false) with their final flags in multi-row statements, updates the flags
// of stored versions that changed, and keeps the full-text index on the
// latest version of each id.
type versionWriter struct {
	ctx  context.Context
	tx   *sql.Tx
	st   *writerStmts
	coll int64
	ids  []*idVersions // the ids touched, in the order first touched
	seen map[*idVersions]bool
	pk   int64 // the last pk assigned
}

func (db *DB) newVersionWriter(ctx context.Context, tx *sql.Tx, coll int64) (*versionWriter, error) {
	w := &versionWriter{ctx: ctx, tx: tx, st: db.stmts, coll: coll, seen: map[*idVersions]bool{}}
	// One writer: the next primary keys are ours to assign, which lets the
	// objects and their index entries go in multi-row statements.
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(pk), 0) FROM objects`).Scan(&w.pk); err != nil {
		return nil, internal("read max pk", err)
	}
	return w, nil
}

// add records a new version of iv, to be inserted by flush.
func (w *versionWriter) add(iv *idVersions, v *version) {
	w.pk++
	v.pk = w.pk
	iv.vers = append(iv.vers, v)
	w.touch(iv)
}

// touch marks iv for flush.
func (w *versionWriter) touch(iv *idVersions) {
	if !w.seen[iv] {
		w.seen[iv] = true
		w.ids = append(w.ids, iv)
	}
}

// ftsRow is one row for the full-text index: [pk, body] in JSON.
type ftsRow [2]any

// flush computes the final flags of every touched id and writes them.
func (w *versionWriter) flush(submitter int64) error {
	var inserts []*version
	var ftsAdd []ftsRow
	var refsAdd [][3]any
	counts := map[dayCount]int64{}
	for _, iv := range w.ids {
		computeFlags(iv.vers)
		for _, v := range iv.vers {
			switch {
			case !v.stored:
				inserts = append(inserts, v)
				counts[dayCount{v.dateAdded / microsPerDay, v.in.obj.Type(), int(v.in.tlp)}]++
				for _, r := range v.in.refs {
					refsAdd = append(refsAdd, [3]any{v.pk, r.Property, r.Ref})
				}
				if v.wantLatest {
					ftsAdd = append(ftsAdd, ftsRow{v.pk, v.in.fts})
				}
			case v.isLatest != v.wantLatest || v.isFirst != v.wantFirst || v.isSpecLatest != v.wantSpecL:
				if _, err := w.tx.ExecContext(w.ctx, `UPDATE objects SET is_latest = ?, is_first = ?, spec_latest = ? WHERE pk = ?`,
					boolInt(v.wantLatest), boolInt(v.wantFirst), boolInt(v.wantSpecL), v.pk); err != nil {
					return internal("update object flags", err)
				}
				if v.isLatest && !v.wantLatest {
					if _, err := w.tx.ExecContext(w.ctx, `DELETE FROM objects_fts WHERE rowid = ?`, v.pk); err != nil {
						return internal("unindex object", err)
					}
				} else if !v.isLatest && v.wantLatest {
					if v.in == nil {
						return internal("index object", errors.New("raw bytes of the new latest version not loaded"))
					}
					ftsAdd = append(ftsAdd, ftsRow{v.pk, ftsText(v.in.obj)})
				}
			}
		}
	}
	for len(inserts) >= insertChunk {
		if err := w.insert(w.st.insertChunk, inserts[:insertChunk], submitter); err != nil {
			return err
		}
		inserts = inserts[insertChunk:]
	}
	for i := range inserts {
		if err := w.insert(w.st.insertOne, inserts[i:i+1], submitter); err != nil {
			return err
		}
	}
	if len(ftsAdd) > 0 {
		list, err := json.Marshal(ftsAdd)
		if err != nil {
			return internal("encode index rows", err)
		}
		if _, err := w.tx.StmtContext(w.ctx, w.st.fts).ExecContext(w.ctx, list); err != nil {
			return internal("index objects", err)
		}
	}
	if len(refsAdd) > 0 {
		list, err := json.Marshal(refsAdd)
		if err != nil {
			return internal("encode reference rows", err)
		}
		if _, err := w.tx.StmtContext(w.ctx, w.st.refs).ExecContext(w.ctx, list); err != nil {
			return internal("index references", err)
		}
	}
	if len(counts) > 0 {
		rows := make([][4]any, 0, len(counts))
		for k, n := range counts {
			rows = append(rows, [4]any{k.day, k.typ, k.tlp, n})
		}
		list, err := json.Marshal(rows)
		if err != nil {
			return internal("encode daily counts", err)
		}
		if _, err := w.tx.StmtContext(w.ctx, w.st.counts).ExecContext(w.ctx, w.coll, list); err != nil {
			return internal("count objects", err)
		}
	}
	for _, iv := range w.ids {
		for _, v := range iv.vers {
			v.stored, v.isLatest, v.isFirst, v.isSpecLatest = true, v.wantLatest, v.wantFirst, v.wantSpecL
		}
	}
	w.ids, w.seen = nil, map[*idVersions]bool{}
	return nil
}

// insert writes new versions with stmt, an INSERT of len(vs) rows.
func (w *versionWriter) insert(stmt *sql.Stmt, vs []*version, submitter int64) error {
	args := make([]any, 0, objectColCount*len(vs))
	for _, v := range vs {
		o := v.in.obj
		args = append(args, v.pk, w.coll, v.dateAdded, o.ID(), o.Type(), v.spec, o.Created(), o.Modified(),
			v.vts, v.vkey, boolInt(o.Revoked()), o.CreatedByRef(), v.in.markings, submitter,
			boolInt(v.wantLatest), boolInt(v.wantFirst), boolInt(v.wantSpecL), []byte(o.Raw()), int(v.in.tlp))
	}
	if _, err := w.tx.StmtContext(w.ctx, stmt).ExecContext(w.ctx, args...); err != nil {
		return internal("insert objects", err)
	}
	return nil
}
