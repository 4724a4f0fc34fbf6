package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

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
		rec.ID = newUUID()
	}
	// The record is filled in on a copy and handed back only on commit.
	r := *rec
	r.CollectionID = collectionID
	at := now()
	var stored *time.Time // the created_at of a record stored before
	results, err := db.addObjects(ctx, collectionID, 0, objs, func(b *pgx.Batch, community int64, results []isachub.AddResult) error {
		if r.CommunityID != 0 && r.CommunityID != community {
			return isachub.Errorf(isachub.ENOTFOUND, "Collection %q not found.", collectionID)
		}
		r.CommunityID = community
		if len(r.ObjectIDs) == 0 {
			r.ObjectIDs = publishedIDs(results)
		}
		var hash, withdrawn any
		if len(r.HandleHash) > 0 {
			hash = r.HandleHash
		}
		if !r.WithdrawnAt.IsZero() {
			withdrawn = r.WithdrawnAt
		}
		// The final SELECT sees the table as it was before the statement:
		// it finds a record stored before, whose id the insert left alone.
		// The policy is read FOR SHARE, which waits for an UpdateCommunity
		// of the community in progress: under none, no organisation is
		// stored, whatever rec.OrgID says.
		b.Queue(`WITH pol AS (
				SELECT CASE WHEN submitter_record = 'none' THEN 0 ELSE $5::bigint END AS org_id
				FROM communities WHERE id = $2 FOR SHARE
			), ins AS (
				INSERT INTO anonymous_submissions (id, community_id, collection_id, handle_hash, org_id, created_at, withdrawn_at)
				SELECT $1, $2, $3, $4, pol.org_id, $6, $7 FROM pol ON CONFLICT (id) DO NOTHING
				RETURNING id, community_id
			), objs AS (
				INSERT INTO anonymous_objects (submission_id, seq, community_id, object_id)
				SELECT ins.id, o.seq, ins.community_id, o.id FROM ins, unnest($8::text[]) WITH ORDINALITY AS o (id, seq)
			)
			SELECT (SELECT created_at FROM anonymous_submissions WHERE id = $1), (SELECT org_id FROM pol)`,
			r.ID, r.CommunityID, r.CollectionID, hash, r.OrgID, at, withdrawn, r.ObjectIDs).
			QueryRow(func(row pgx.Row) error {
				err := row.Scan(&stored, &r.OrgID)
				if isUnique(err) {
					return isachub.Errorf(isachub.ECONFLICT, "The withdrawal handle is already in use in this community.")
				}
				return err
			})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.CreatedAt = at
	if stored != nil {
		r.CreatedAt = stored.UTC()
	}
	*rec = r
	return results, nil
}

// publishedIDs returns the distinct ids of the results without error, in
// order: the objects a submission published.
func publishedIDs(results []isachub.AddResult) []string {
	seen := make(map[string]bool, len(results))
	ids := []string{}
	for _, r := range results {
		if r.Err == nil && !seen[r.ID] {
			seen[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// anonColumns are the columns scanAnonymous reads, from
// anonymous_submissions s.
const anonColumns = `id, community_id, collection_id, handle_hash, org_id, created_at, withdrawn_at,
	ARRAY(SELECT object_id FROM anonymous_objects o WHERE o.submission_id = s.id ORDER BY seq)`

func scanAnonymous(row pgx.CollectableRow) (*isachub.AnonymousSubmission, error) {
	var a isachub.AnonymousSubmission
	var withdrawn *time.Time
	if err := row.Scan(&a.ID, &a.CommunityID, &a.CollectionID, &a.HandleHash, &a.OrgID, &a.CreatedAt, &withdrawn, &a.ObjectIDs); err != nil {
		return nil, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	if withdrawn != nil {
		a.WithdrawnAt = withdrawn.UTC()
	}
	if len(a.HandleHash) == 0 {
		a.HandleHash = nil
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
		return nil, isachub.Errorf(isachub.ENOTFOUND, "No anonymous submission has this withdrawal handle.")
	}
	rows, _ := db.pool.Query(ctx, `SELECT `+anonColumns+` FROM anonymous_submissions s
		WHERE community_id = $1 AND handle_hash = $2`, communityID, hash)
	a, err := pgx.CollectExactlyOneRow(rows, scanAnonymous)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, isachub.Errorf(isachub.ENOTFOUND, "No anonymous submission has this withdrawal handle.")
	}
	return a, dbError(err, "anonymous by handle", "Anonymous submission")
}

// AnonymousSubmissions returns the community's submissions that published
// the object id, oldest first.
func (db *DB) AnonymousSubmissions(ctx context.Context, communityID int64, objectID string) ([]*isachub.AnonymousSubmission, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+anonColumns+` FROM anonymous_submissions s
		WHERE id IN (SELECT submission_id FROM anonymous_objects WHERE community_id = $1 AND object_id = $2)
		ORDER BY created_at, id`, communityID, objectID)
	as, err := pgx.CollectRows(rows, scanAnonymous)
	if err != nil {
		return nil, dbError(err, "anonymous submissions", "Anonymous submissions")
	}
	if as == nil {
		as = []*isachub.AnonymousSubmission{}
	}
	return as, nil
}

// MarkWithdrawn sets the submission's WithdrawnAt (the current time when at
// is zero), or returns ENOTFOUND.
func (db *DB) MarkWithdrawn(ctx context.Context, communityID int64, id string, at time.Time) error {
	if at.IsZero() {
		at = now()
	}
	tag, err := db.pool.Exec(ctx, `UPDATE anonymous_submissions SET withdrawn_at = $3 WHERE community_id = $1 AND id = $2`,
		communityID, id, at)
	if err != nil {
		return dbError(err, "withdraw anonymous submission", "Anonymous submission "+quote(id))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Anonymous submission %q not found.", id)
	}
	return nil
}
