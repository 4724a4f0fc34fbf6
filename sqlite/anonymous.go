package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// AddAnonymous adds objs to the collection as AddObjects does, on behalf of
// submitter 0 (the community), and stores rec in the same transaction,
// setting rec.ID when empty, rec.CommunityID and rec.CollectionID from the
// collection, rec.CreatedAt, and rec.ObjectIDs, when empty, to the ids of
// the objects stored (or found stored) without error. A rec.ID that is
// already stored is kept as it is (rec.CreatedAt is then the stored one),
// while the objects are still added. A rec.CommunityID other than the
// collection's is ENOTFOUND, as if the collection did not exist. When the
// community's policy, read in the transaction, is isachub.RecordNone, the
// record is stored with OrgID 0 whatever rec.OrgID says, and rec.OrgID is
// set to 0.
func (db *DB) AddAnonymous(ctx context.Context, collectionID string, objs []*stix.Object, rec *isachub.AnonymousSubmission) ([]isachub.AddResult, error) {
	if rec.ID == "" {
		rec.ID = uuid.NewString()
	}
	// The record is filled in on a copy and handed back only on commit.
	r := *rec
	r.CollectionID = collectionID
	now := db.nowMicros()
	results, err := db.addObjects(ctx, collectionID, 0, objs, func(tx *sql.Tx, community int64, results []isachub.AddResult) error {
		if r.CommunityID != 0 && r.CommunityID != community {
			return notFound("Collection %q not found.", collectionID)
		}
		r.CommunityID = community
		if none, err := keepsNone(ctx, tx, community); err != nil {
			return err
		} else if none {
			r.OrgID = 0 // the community keeps no record of who submitted
		}
		if len(r.ObjectIDs) == 0 {
			r.ObjectIDs = publishedIDs(results)
		}
		var hash any
		if len(r.HandleHash) > 0 {
			hash = r.HandleHash
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO anonymous_submissions
			(id, community_id, collection_id, handle_hash, org_id, created_at, withdrawn_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			r.ID, r.CommunityID, r.CollectionID, hash, r.OrgID, now, micros(r.WithdrawnAt))
		if isUnique(err) {
			return isachub.Errorf(isachub.ECONFLICT, "The withdrawal handle is already in use in this community.")
		} else if err != nil {
			return internal("insert anonymous submission", err)
		}
		if n, _ := res.RowsAffected(); n == 0 { // stored before: keep it as it is
			var created int64
			if err := tx.QueryRowContext(ctx, `SELECT created_at FROM anonymous_submissions WHERE id = ?`, r.ID).Scan(&created); err != nil {
				return internal("read anonymous submission", err)
			}
			r.CreatedAt = fromMicros(created)
			return nil
		}
		for i, id := range r.ObjectIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO anonymous_objects (submission_id, seq, community_id, object_id)
				VALUES (?, ?, ?, ?)`, r.ID, i+1, r.CommunityID, id); err != nil {
				return internal("insert anonymous object", err)
			}
		}
		r.CreatedAt = fromMicros(now)
		return nil
	})
	if err != nil {
		return nil, err
	}
	*rec = r
	return results, nil
}

// publishedIDs returns the distinct ids of the results without error, in
// order: the objects a submission published.
func publishedIDs(results []isachub.AddResult) []string {
	seen := make(map[string]bool, len(results))
	var ids []string
	for _, r := range results {
		if r.Err == nil && !seen[r.ID] {
			seen[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// anonCols are the columns scanAnonymous reads, from anonymous_submissions
// s: the object ids come as one JSON array, in order.
const anonCols = `id, community_id, collection_id, coalesce(handle_hash, x''), org_id, created_at, withdrawn_at,
	(SELECT json_group_array(object_id ORDER BY seq) FROM anonymous_objects WHERE submission_id = s.id)`

func scanAnonymous(row interface{ Scan(...any) error }) (*isachub.AnonymousSubmission, error) {
	var a isachub.AnonymousSubmission
	var created, withdrawn int64
	var objects string
	if err := row.Scan(&a.ID, &a.CommunityID, &a.CollectionID, &a.HandleHash, &a.OrgID, &created, &withdrawn, &objects); err != nil {
		return nil, err
	}
	a.CreatedAt, a.WithdrawnAt = fromMicros(created), fromMicros(withdrawn)
	if len(a.HandleHash) == 0 {
		a.HandleHash = nil
	}
	if err := json.Unmarshal([]byte(objects), &a.ObjectIDs); err != nil {
		return nil, internal("decode anonymous objects", err)
	}
	if len(a.ObjectIDs) == 0 {
		a.ObjectIDs = nil
	}
	return &a, nil
}

// AnonymousByHandle returns the community's submission whose HandleHash is
// hash, or ENOTFOUND.
func (db *DB) AnonymousByHandle(ctx context.Context, communityID int64, hash []byte) (*isachub.AnonymousSubmission, error) {
	if len(hash) == 0 {
		return nil, notFound("No anonymous submission has this withdrawal handle.")
	}
	a, err := scanAnonymous(db.rd.QueryRowContext(ctx, `SELECT `+anonCols+` FROM anonymous_submissions s
		WHERE community_id = ? AND handle_hash = ?`, communityID, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("No anonymous submission has this withdrawal handle.")
	}
	return a, internal("read anonymous submission", err)
}

// AnonymousSubmissions returns the community's submissions that published
// the object id, oldest first.
func (db *DB) AnonymousSubmissions(ctx context.Context, communityID int64, objectID string) ([]*isachub.AnonymousSubmission, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+anonCols+` FROM anonymous_submissions s
		WHERE id IN (SELECT submission_id FROM anonymous_objects WHERE community_id = ? AND object_id = ?)
		ORDER BY created_at, id`, communityID, objectID)
	if err != nil {
		return nil, internal("list anonymous submissions", err)
	}
	defer rows.Close()
	as := []*isachub.AnonymousSubmission{}
	for rows.Next() {
		a, err := scanAnonymous(rows)
		if err != nil {
			return nil, internal("list anonymous submissions", err)
		}
		as = append(as, a)
	}
	return as, internal("list anonymous submissions", rows.Err())
}

// MarkWithdrawn sets the submission's WithdrawnAt (the current time when at
// is zero), or returns ENOTFOUND.
func (db *DB) MarkWithdrawn(ctx context.Context, communityID int64, id string, at time.Time) error {
	if at.IsZero() {
		at = db.now()
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE anonymous_submissions SET withdrawn_at = ? WHERE community_id = ? AND id = ?`,
			micros(at), communityID, id)
		if err != nil {
			return internal("withdraw anonymous submission", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Anonymous submission %q not found.", id)
		}
		return nil
	})
}
