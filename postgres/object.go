package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// newVersion is an object version that AddObjects is about to insert.
type newVersion struct {
	obj                           *stix.Object
	id, typ, spec                 string
	vts                           time.Time
	vkey                          string
	dateAdded                     int64
	isFirst, isLatest, specLatest bool
}

// idState is what AddObjects knows of one STIX id in the collection: who
// owns it, its highest spec_version, and its current first and latest
// versions (stored ones by date_added, or new ones by index).
type idState struct {
	owner      int64  // the submitter of its versions: only the owner adds versions
	maxSpec    string // the highest spec_version of its versions
	storedSpec string // maxSpec before this batch, to detect a change
	first      versionRef
	latest     versionRef
}

// versionRef points to the first or latest version of an id: a stored row
// (dateAdded set, index -1) or a new one (index into the new versions).
type versionRef struct {
	ok        bool
	vts       time.Time
	dateAdded int64
	index     int
}

// before reports whether version (vts, da) sorts before r: by version
// timestamp, ties broken by date_added.
func (r versionRef) before(vts time.Time, da int64) bool {
	return r.vts.Before(vts) || r.vts.Equal(vts) && r.dateAdded < da
}

// AddObjects adds every object to the collection in one transaction. It
// first locks the collection's row, which serialises the collection's
// writers so that date_added values commit in increasing order (see the
// package documentation), then reads the ownership and first/latest state of
// the batch's ids, and writes the new versions with COPY.
func (db *DB) AddObjects(ctx context.Context, collectionID string, submitterOrgID int64, objs []*stix.Object) ([]isachub.AddResult, error) {
	return db.addObjects(ctx, collectionID, submitterOrgID, objs, nil)
}

// addHook queues statements that AddObjects' transaction runs after the
// objects are written (or found stored already) and before it commits,
// given the collection's community and the outcome of each object. An
// error, its own or a queued statement's, rolls everything back.
type addHook func(b *pgx.Batch, communityID int64, results []isachub.AddResult) error

// addObjects is AddObjects with a hook (nil for none) whose statements run
// in the same transaction.
func (db *DB) addObjects(ctx context.Context, collectionID string, submitterOrgID int64, objs []*stix.Object, hook addHook) ([]isachub.AddResult, error) {
	results := make([]isachub.AddResult, len(objs))
	var ids []string
	seen := map[string]bool{}
	prepared := make([]*newVersion, len(objs))
	for i, o := range objs {
		results[i] = isachub.AddResult{ID: o.ID(), Version: o.Version()}
		nv, err := prepare(o)
		if err != nil {
			results[i].Err = err
			continue
		}
		prepared[i] = nv
		if !seen[nv.id] {
			seen[nv.id] = true
			ids = append(ids, nv.id)
		}
	}
	if len(ids) == 0 && hook == nil { // nothing to store, but an unknown collection is still an error
		var one int
		err := db.pool.QueryRow(ctx, `SELECT 1 FROM collections WHERE id = $1`, collectionID).Scan(&one)
		if err != nil {
			return nil, dbError(err, "read collection", "Collection "+quote(collectionID))
		}
		return results, nil
	}

	// The transaction is driven by hand on one connection so that BEGIN
	// travels with the first statements and COMMIT with the last ones: four
	// round trips for a batch of new objects (BEGIN + lock + owners, the
	// two halves of COPY, the updates + COMMIT), which matters more than
	// server time when the machine is busy.
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, dbError(err, "acquire connection", "Objects")
	}
	defer conn.Release() // the pool discards a connection left in a transaction
	err = func(tx *pgxpool.Conn) error {
		// The first statement locks the collection's row: see the package
		// documentation for why date_added is assigned under that lock.
		next, community, states, existing, err := loadStates(ctx, tx, collectionID, ids)
		if err != nil {
			return err
		}
		var fresh []*newVersion
		var clearFirst, clearLatest []int64
		// A version sent again is compared with the stored one
		// (isachub.DuplicateNote): batchRaw holds those of this batch,
		// dups the indexes of the others, read below.
		batchRaw := map[string][]byte{}
		var dups []int
		for i, nv := range prepared {
			if nv == nil {
				continue
			}
			st := states[nv.id]
			if st == nil {
				st = &idState{owner: submitterOrgID, first: versionRef{index: -1}, latest: versionRef{index: -1}}
				states[nv.id] = st
			}
			if st.owner != submitterOrgID {
				results[i].Err = isachub.ErrNotOwner(nv.id)
				continue
			}
			key := nv.id + "\x00" + nv.vkey
			if v, ok := existing[key]; ok {
				results[i].Version = v // already stored: success, nothing written
				results[i].Existed = true
				if raw, ok := batchRaw[key]; ok {
					results[i].Note = isachub.DuplicateNote(raw, nv.obj.Raw())
				} else {
					dups = append(dups, i)
				}
				continue
			}
			nv.dateAdded = next
			next++
			if nv.vts.IsZero() { // no created/modified: the version is date_added
				nv.vts = time.UnixMicro(nv.dateAdded).UTC()
			}
			results[i].Version = versionString(nv.obj, nv.dateAdded)
			existing[key] = results[i].Version
			batchRaw[key] = nv.obj.Raw()
			idx := len(fresh)
			fresh = append(fresh, nv)
			if !st.latest.ok || st.latest.before(nv.vts, nv.dateAdded) {
				if st.latest.ok && st.latest.index >= 0 {
					fresh[st.latest.index].isLatest = false
				} else if st.latest.ok {
					clearLatest = append(clearLatest, st.latest.dateAdded)
				}
				st.latest = versionRef{ok: true, vts: nv.vts, dateAdded: nv.dateAdded, index: idx}
				nv.isLatest = true
			}
			if !st.first.ok || !st.first.before(nv.vts, nv.dateAdded) {
				if st.first.ok && st.first.index >= 0 {
					fresh[st.first.index].isFirst = false
				} else if st.first.ok {
					clearFirst = append(clearFirst, st.first.dateAdded)
				}
				st.first = versionRef{ok: true, vts: nv.vts, dateAdded: nv.dateAdded, index: idx}
				nv.isFirst = true
			}
			if nv.spec > st.maxSpec {
				st.maxSpec = nv.spec
			}
		}
		if err := noteDuplicates(ctx, tx, collectionID, prepared, dups, results); err != nil {
			return err
		}
		finish := func(b *pgx.Batch) error {
			if hook != nil {
				return hook(b, community, results)
			}
			return nil
		}
		if len(fresh) == 0 {
			if hook == nil {
				_, err := tx.Exec(ctx, "ROLLBACK") // nothing to write
				return dbError(err, "end transaction", "Objects")
			}
			b := &pgx.Batch{}
			if err := finish(b); err != nil {
				return err
			}
			b.Queue("COMMIT")
			return dbError(tx.SendBatch(ctx, b).Close(), "commit", "Objects")
		}
		for _, nv := range fresh {
			nv.specLatest = nv.spec == states[nv.id].maxSpec
		}
		return writeVersions(ctx, tx, collectionID, submitterOrgID, next-1, fresh, states, clearFirst, clearLatest, finish)
	}(conn)
	if err != nil {
		if conn.Conn().PgConn().TxStatus() != 'I' {
			conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
		return nil, err
	}
	return results, nil
}

// prepare checks what the store needs of o and extracts its version.
func prepare(o *stix.Object) (*newVersion, error) {
	st, err := isachub.CheckStorable(o)
	if err != nil {
		return nil, err
	}
	nv := &newVersion{obj: o, id: o.ID(), typ: o.Type(), spec: st.SpecVersion}
	if st.Versioned {
		nv.vts = st.Version.Truncate(time.Microsecond)
		nv.vkey = isachub.FormatTimestamp(nv.vts)
	} else {
		sum := sha256.Sum256(o.Raw())
		nv.vkey = "sha256:" + hex.EncodeToString(sum[:])
	}
	return nv, nil
}

// noteDuplicates sets the Note of the results at dups, versions stored
// before this batch, by comparing their content with the stored one
// (isachub.DuplicateNote), in one query.
func noteDuplicates(ctx context.Context, tx pipeline, coll string, prepared []*newVersion, dups []int, results []isachub.AddResult) error {
	if len(dups) == 0 {
		return nil
	}
	ids, vkeys := make([]string, len(dups)), make([]string, len(dups))
	for j, i := range dups {
		ids[j], vkeys[j] = prepared[i].id, prepared[i].vkey
	}
	rows, err := tx.Query(ctx, `SELECT v.id, v.vkey, v.raw FROM object_versions v
		JOIN unnest($2::text[], $3::text[]) AS d(id, vkey) ON v.id = d.id AND v.vkey = d.vkey
		WHERE v.collection_id = $1`, coll, ids, vkeys)
	if err != nil {
		return dbError(err, "read stored versions", "Objects")
	}
	stored := map[string][]byte{}
	var id, vkey string
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &vkey, &raw}, func() error {
		stored[id+"\x00"+vkey] = bytes.Clone(raw)
		return nil
	})
	if err != nil {
		return dbError(err, "read stored versions", "Objects")
	}
	for _, i := range dups {
		if raw, ok := stored[prepared[i].id+"\x00"+prepared[i].vkey]; ok {
			results[i].Note = isachub.DuplicateNote(raw, prepared[i].obj.Raw())
		}
	}
	return nil
}

// defaultSpec is the spec_version of an object without the property: STIX
// 2.1 SCOs may omit it (they are 2.1), STIX 2.0 objects lack it.
func defaultSpec(o *stix.Object) string {
	if o.Created() == "" && o.Modified() == "" {
		return "2.1"
	}
	return "2.0"
}

// versionString is the TAXII version of a stored version: modified, else
// created, else date_added (isachub.ObjectVersion.Version).
func versionString(o *stix.Object, dateAdded int64) string {
	if v := o.Version(); v != "" {
		return v
	}
	return isachub.FormatTimestamp(time.UnixMicro(dateAdded))
}

// pipeline is what AddObjects needs of its connection.
type pipeline interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Conn() *pgx.Conn
}

// loadStates begins the transaction, locks the collection's row and returns
// the next date_added to assign and the collection's community, then reads every stored version of the batch's ids:
// their owner, highest spec_version, first and latest versions, and which
// (id, vkey) pairs are stored already (keyed id+"\x00"+vkey, with the
// stored version string). All in one round trip; ids new to the
// collection, the common case of bulk ingest, have no rows.
func loadStates(ctx context.Context, tx pipeline, coll string, ids []string) (int64, int64, map[string]*idState, map[string]string, error) {
	states := make(map[string]*idState, len(ids))
	existing := map[string]string{}
	var next, community int64
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	// date_added comes from the database server's clock, so that replicas
	// with skewed clocks still agree; max(now, last+1) keeps it increasing.
	b.Queue(`SELECT greatest(last_date_added + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint), community_id
		FROM collections WHERE id = $1 FOR UPDATE`, coll).QueryRow(func(row pgx.Row) error {
		return row.Scan(&next, &community)
	})
	b.Queue(`SELECT id, submitter_org_id, vkey, created, modified, date_added, version_ts, is_first, is_latest, spec_version
		FROM object_versions WHERE collection_id = $1 AND id = ANY($2)`, coll, ids).
		Query(func(rows pgx.Rows) error {
			var id, vkey, created, modified, spec string
			var owner, da int64
			var vts time.Time
			var first, latest bool
			_, err := pgx.ForEachRow(rows, []any{&id, &owner, &vkey, &created, &modified, &da, &vts, &first, &latest, &spec}, func() error {
				st := states[id]
				if st == nil {
					st = &idState{owner: owner, first: versionRef{index: -1}, latest: versionRef{index: -1}}
					states[id] = st
				}
				st.maxSpec = max(st.maxSpec, spec)
				st.storedSpec = st.maxSpec
				ref := versionRef{ok: true, vts: vts.UTC(), dateAdded: da, index: -1}
				if first {
					st.first = ref
				}
				if latest {
					st.latest = ref
				}
				v := modified
				if v == "" {
					v = created
				}
				if v == "" {
					v = isachub.FormatTimestamp(time.UnixMicro(da))
				}
				existing[id+"\x00"+vkey] = v
				return nil
			})
			return err
		})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, 0, nil, nil, dbError(err, "load object state", "Collection "+quote(coll))
	}
	return next, community, states, existing, nil
}

// writeVersions copies the new versions in, clears the first/latest flags
// that they take over, records new ids and changed spec versions, advances
// the collection's last_date_added, queues what finish adds and commits.
func writeVersions(ctx context.Context, tx pipeline, coll string, submitter, last int64, fresh []*newVersion,
	states map[string]*idState, clearFirst, clearLatest []int64, finish func(*pgx.Batch) error) error {
	var upIDs, upSpecs []string
	for id, st := range states {
		if st.storedSpec != "" && st.maxSpec != st.storedSpec {
			upIDs, upSpecs = append(upIDs, id), append(upSpecs, st.maxSpec)
		}
	}
	rows := newCopyRows(len(fresh) * 768)
	for _, nv := range fresh {
		o := nv.obj
		rows.row(len(versionColumns))
		rows.text(coll)
		rows.int8(nv.dateAdded)
		rows.text(nv.id)
		rows.text(nv.typ)
		rows.text(nv.spec)
		rows.text(o.Created())
		rows.text(o.Modified())
		rows.timestamptz(nv.vts)
		rows.text(nv.vkey)
		rows.bool(o.Revoked())
		rows.text(o.CreatedByRef())
		rows.textArray(o.ObjectMarkingRefs())
		rows.int8(submitter)
		rows.bool(nv.isFirst)
		rows.bool(nv.isLatest)
		rows.bool(nv.specLatest)
		rows.bytea(o.Raw())
		rows.int2(int16(stix.EffectiveTLP(o)))
	}
	_, err := tx.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(rows.end()), copyVersions)
	if err != nil {
		return dbError(err, "copy object versions", "Object")
	}
	b := &pgx.Batch{}
	if len(clearLatest) > 0 {
		b.Queue(`UPDATE object_versions SET is_latest = false WHERE collection_id = $1 AND date_added = ANY($2)`, coll, clearLatest)
	}
	if len(clearFirst) > 0 {
		b.Queue(`UPDATE object_versions SET is_first = false WHERE collection_id = $1 AND date_added = ANY($2)`, coll, clearFirst)
	}
	if len(upIDs) > 0 {
		b.Queue(`UPDATE object_versions v SET spec_latest = false FROM unnest($2::text[], $3::text[]) AS k(id, spec)
			WHERE v.collection_id = $1 AND v.id = k.id AND v.spec_latest AND v.spec_version <> k.spec`, coll, upIDs, upSpecs)
	}
	b.Queue(`UPDATE collections SET last_date_added = $2 WHERE id = $1`, coll, last)
	if err := finish(b); err != nil {
		return err
	}
	b.Queue("COMMIT")
	return dbError(tx.SendBatch(ctx, b).Close(), "update object state and commit", "Objects")
}

var versionColumns = []string{"collection_id", "date_added", "id", "type", "spec_version", "created", "modified",
	"version_ts", "vkey", "revoked", "created_by_ref", "markings", "submitter_org_id",
	"is_first", "is_latest", "spec_latest", "raw", "tlp"}

// copyVersions is the COPY statement of writeVersions: its rows have the
// versionColumns, in order.
var copyVersions = "COPY object_versions (" + strings.Join(versionColumns, ", ") + ") FROM STDIN (FORMAT binary)"
