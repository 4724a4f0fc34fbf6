package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

var _ isachub.PeerStore = (*DB)(nil)

const peerColumns = `id, community_id, name, url, org_id, username, credential, trusted, created_at`

func scanPeer(row pgx.CollectableRow) (*isachub.Peer, error) {
	var p isachub.Peer
	err := row.Scan(&p.ID, &p.CommunityID, &p.Name, &p.URL, &p.OrgID, &p.User, &p.Credential, &p.Trusted, &p.CreatedAt)
	p.CreatedAt = p.CreatedAt.UTC()
	return &p, err
}

// CreatePeer stores p, setting p.ID (when empty) and p.CreatedAt.
func (db *DB) CreatePeer(ctx context.Context, p *isachub.Peer) error {
	if err := p.Validate(); err != nil {
		return err
	}
	id := p.ID
	if id == "" {
		id = newUUID()
	}
	at := now()
	cred := p.Credential
	if cred == nil {
		cred = []byte{}
	}
	tag, err := db.pool.Exec(ctx, `INSERT INTO peers (`+peerColumns+`)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM orgs WHERE id = $5 AND community_id = $2)`,
		id, p.CommunityID, p.Name, p.URL, p.OrgID, p.User, cred, p.Trusted, at)
	switch {
	case isUnique(err):
		return isachub.Errorf(isachub.ECONFLICT, "This community has a peer named %q already.", p.Name)
	case err != nil:
		return dbError(err, "insert peer", "Peer "+quote(p.Name))
	case tag.RowsAffected() == 0:
		return isachub.Errorf(isachub.ENOTFOUND, "Organisation %d is not a member of this community.", p.OrgID)
	}
	p.ID, p.CreatedAt = id, at
	return nil
}

// Peer returns the peer with the id, or ENOTFOUND.
func (db *DB) Peer(ctx context.Context, id string) (*isachub.Peer, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+peerColumns+` FROM peers WHERE id = $1`, id)
	p, err := pgx.CollectOneRow(rows, scanPeer)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, isachub.Errorf(isachub.ENOTFOUND, "Peer %q not found.", id)
	}
	return p, dbError(err, "read peer", "Peer "+quote(id))
}

// Peers returns the community's peers, by name.
func (db *DB) Peers(ctx context.Context, communityID int64) ([]*isachub.Peer, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+peerColumns+` FROM peers WHERE community_id = $1 ORDER BY name`, communityID)
	ps, err := pgx.CollectRows(rows, scanPeer)
	if ps == nil && err == nil {
		ps = []*isachub.Peer{}
	}
	return ps, dbError(err, "list peers", "Peers")
}

// DeletePeer removes the peer and, by the foreign key, its subscriptions.
func (db *DB) DeletePeer(ctx context.Context, id string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM peers WHERE id = $1`, id)
	if err != nil {
		return dbError(err, "delete peer", "Peer "+quote(id))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Peer %q not found.", id)
	}
	return nil
}

const subscriptionColumns = `id, peer_id, community_id, direction, remote, local_id, interval_us, checkpoint, next_run,
	last_run, last_success, last_error, moved, refused, created_at`

func scanSubscription(row pgx.CollectableRow) (*isachub.Subscription, error) {
	var s isachub.Subscription
	var interval int64
	err := row.Scan(&s.ID, &s.PeerID, &s.CommunityID, &s.Direction, &s.Remote, &s.Local, &interval, &s.Checkpoint, &s.NextRun,
		&s.LastRun, &s.LastSuccess, &s.LastError, &s.Moved, &s.Refused, &s.CreatedAt)
	s.Interval = time.Duration(interval) * time.Microsecond
	for _, t := range []*time.Time{&s.NextRun, &s.LastRun, &s.LastSuccess, &s.CreatedAt} {
		if *t = t.UTC(); t.Year() == 1 {
			*t = time.Time{}
		}
	}
	return &s, err
}

// CreateSubscription stores s, setting s.ID (when empty), its community
// and s.CreatedAt.
func (db *DB) CreateSubscription(ctx context.Context, s *isachub.Subscription) error {
	if err := s.Validate(); err != nil {
		return err
	}
	id := s.ID
	if id == "" {
		id = newUUID()
	}
	at := now()
	var community int64
	err := db.pool.QueryRow(ctx, `INSERT INTO peer_subscriptions (`+subscriptionColumns+`)
		SELECT $1, p.id, p.community_id, $3, $4, c.id, $6, $7, $8, $9, $10, $11, $12, $13, $14
		FROM peers p JOIN collections c ON c.community_id = p.community_id WHERE p.id = $2 AND c.id = $5
		RETURNING community_id`,
		id, s.PeerID, string(s.Direction), s.Remote, s.Local, s.Interval.Microseconds(), s.Checkpoint,
		s.NextRun.Truncate(time.Microsecond), s.LastRun, s.LastSuccess, s.LastError, s.Moved, s.Refused, at).Scan(&community)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return isachub.Errorf(isachub.ENOTFOUND, "Peer %q or collection %q not found in one community.", s.PeerID, s.Local)
	case isUnique(err):
		return isachub.Errorf(isachub.ECONFLICT, "Subscription %q exists already.", id)
	case err != nil:
		return dbError(err, "insert subscription", "Subscription")
	}
	s.ID, s.CommunityID, s.CreatedAt = id, community, at
	return nil
}

func (db *DB) querySubscriptions(ctx context.Context, op, where string, args ...any) ([]*isachub.Subscription, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+subscriptionColumns+` FROM peer_subscriptions `+where, args...)
	out, err := pgx.CollectRows(rows, scanSubscription)
	if out == nil && err == nil {
		out = []*isachub.Subscription{}
	}
	return out, dbError(err, op, "Subscriptions")
}

// Subscriptions returns the peer's subscriptions, oldest first.
func (db *DB) Subscriptions(ctx context.Context, peerID string) ([]*isachub.Subscription, error) {
	return db.querySubscriptions(ctx, "list subscriptions", `WHERE peer_id = $1 ORDER BY created_at, id`, peerID)
}

// DueSubscriptions returns the subscriptions due at now, soonest first.
func (db *DB) DueSubscriptions(ctx context.Context, at time.Time, limit int) ([]*isachub.Subscription, error) {
	return db.querySubscriptions(ctx, "list due subscriptions", `WHERE next_run <= $1 ORDER BY next_run, id LIMIT $2`,
		at, max(limit, 1))
}

// ClaimSubscription moves s's NextRun to until if no one moved it first.
func (db *DB) ClaimSubscription(ctx context.Context, s *isachub.Subscription, until time.Time) error {
	until = until.Truncate(time.Microsecond)
	tag, err := db.pool.Exec(ctx, `UPDATE peer_subscriptions SET next_run = $1 WHERE id = $2 AND next_run = $3`,
		until, s.ID, s.NextRun.Truncate(time.Microsecond))
	if err != nil {
		return dbError(err, "claim subscription", "Subscription "+quote(s.ID))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ECONFLICT, "Subscription %q was claimed by another replica, or is gone.", s.ID)
	}
	s.NextRun = until
	return nil
}

const recordSyncSQL = `UPDATE peer_subscriptions SET checkpoint = $2, next_run = $3, last_run = $4,
	last_success = $5, last_error = $6, moved = $7, refused = $8 WHERE id = $1`

func recordSyncArgs(s *isachub.Subscription) []any {
	return []any{s.ID, s.Checkpoint, s.NextRun.Truncate(time.Microsecond), s.LastRun.Truncate(time.Microsecond),
		s.LastSuccess.Truncate(time.Microsecond), s.LastError, s.Moved, s.Refused}
}

// RecordSync stores the outcome of a run of s.
func (db *DB) RecordSync(ctx context.Context, s *isachub.Subscription) error {
	tag, err := db.pool.Exec(ctx, recordSyncSQL, recordSyncArgs(s)...)
	if err != nil {
		return dbError(err, "record sync", "Subscription "+quote(s.ID))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Subscription %q not found.", s.ID)
	}
	return nil
}

// AddPulled adds objs to the pull's local collection on behalf of orgID,
// records their origin and stores s, in one transaction.
func (db *DB) AddPulled(ctx context.Context, s *isachub.Subscription, orgID int64, objs []*stix.Object, receivedAt time.Time) ([]isachub.AddResult, error) {
	return db.addObjects(ctx, s.Local, orgID, objs, func(b *pgx.Batch, _ int64, results []isachub.AddResult) error {
		var ids, versions []string
		for _, r := range results {
			if r.Err == nil {
				ids, versions = append(ids, r.ID), append(versions, r.Version)
			}
		}
		if len(ids) > 0 {
			b.Queue(`INSERT INTO object_origins (collection_id, object_id, version, peer_id, received_at)
				SELECT $1, i, v, $4, $5 FROM unnest($2::text[], $3::text[]) AS u (i, v) ON CONFLICT DO NOTHING`,
				s.Local, ids, versions, s.PeerID, receivedAt.Truncate(time.Microsecond))
		}
		// A subscription removed meanwhile updates nothing: the objects
		// stay, as they would had the pull ended just before.
		counted := *s
		counted.CountPulled(results)
		b.Queue(recordSyncSQL, recordSyncArgs(&counted)...)
		return nil
	})
}

// Origins returns the origins recorded for the ids in the collection.
func (db *DB) Origins(ctx context.Context, collectionID string, ids []string) (map[string][]isachub.Origin, error) {
	out := map[string][]isachub.Origin{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.pool.Query(ctx, `SELECT object_id, peer_id, min(received_at) FROM object_origins
		WHERE collection_id = $1 AND object_id = ANY ($2) GROUP BY object_id, peer_id`, collectionID, ids)
	if err != nil {
		return nil, dbError(err, "read origins", "Origins")
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var o isachub.Origin
		if err := rows.Scan(&id, &o.PeerID, &o.ReceivedAt); err != nil {
			return nil, dbError(err, "read origins", "Origins")
		}
		o.ReceivedAt = o.ReceivedAt.UTC()
		out[id] = append(out[id], o)
	}
	return out, dbError(rows.Err(), "read origins", "Origins")
}

// ObjectOrigins returns the origins recorded for each version of the
// object in the collection.
func (db *DB) ObjectOrigins(ctx context.Context, collectionID, id string) (map[string][]isachub.Origin, error) {
	rows, err := db.pool.Query(ctx, `SELECT version, peer_id, received_at FROM object_origins
		WHERE collection_id = $1 AND object_id = $2 ORDER BY version, received_at, peer_id`, collectionID, id)
	if err != nil {
		return nil, dbError(err, "read origins", "ObjectOrigins")
	}
	defer rows.Close()
	out := map[string][]isachub.Origin{}
	for rows.Next() {
		var version string
		var o isachub.Origin
		if err := rows.Scan(&version, &o.PeerID, &o.ReceivedAt); err != nil {
			return nil, dbError(err, "read origins", "ObjectOrigins")
		}
		o.ReceivedAt = o.ReceivedAt.UTC()
		out[version] = append(out[version], o)
	}
	return out, dbError(rows.Err(), "read origins", "ObjectOrigins")
}
