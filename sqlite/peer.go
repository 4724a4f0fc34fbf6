package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

var _ isachub.PeerStore = (*DB)(nil)

const peerCols = `id, community_id, name, url, org_id, user, credential, trusted, created_at`

func scanPeer(row interface{ Scan(...any) error }) (*isachub.Peer, error) {
	var p isachub.Peer
	var created int64
	if err := row.Scan(&p.ID, &p.CommunityID, &p.Name, &p.URL, &p.OrgID, &p.User, &p.Credential, &p.Trusted, &created); err != nil {
		return nil, err
	}
	p.CreatedAt = fromMicros(created)
	return &p, nil
}

// CreatePeer stores p, setting p.ID (when empty) and p.CreatedAt.
func (db *DB) CreatePeer(ctx context.Context, p *isachub.Peer) error {
	if err := p.Validate(); err != nil {
		return err
	}
	id := p.ID
	if id == "" {
		id = uuid.NewString()
	}
	now := db.nowMicros()
	cred := p.Credential
	if cred == nil {
		cred = []byte{}
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM orgs WHERE id = ? AND community_id = ?`, p.OrgID, p.CommunityID).Scan(&n); err != nil {
			return internal("read peer organisation", err)
		}
		if n == 0 {
			return notFound("Organisation %d is not a member of this community.", p.OrgID)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO peers (`+peerCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, p.CommunityID, p.Name, p.URL, p.OrgID, p.User, cred, boolInt(p.Trusted), now)
		switch {
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "This community has a peer named %q already.", p.Name)
		case isForeignKey(err):
			return notFound("Community %d not found.", p.CommunityID)
		}
		return internal("insert peer", err)
	})
	if err != nil {
		return err
	}
	p.ID, p.CreatedAt = id, fromMicros(now)
	return nil
}

// Peer returns the peer with the id, or ENOTFOUND.
func (db *DB) Peer(ctx context.Context, id string) (*isachub.Peer, error) {
	p, err := scanPeer(db.rd.QueryRowContext(ctx, `SELECT `+peerCols+` FROM peers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Peer %q not found.", id)
	}
	return p, internal("read peer", err)
}

// Peers returns the community's peers, by name.
func (db *DB) Peers(ctx context.Context, communityID int64) ([]*isachub.Peer, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+peerCols+` FROM peers WHERE community_id = ? ORDER BY name`, communityID)
	if err != nil {
		return nil, internal("list peers", err)
	}
	defer rows.Close()
	ps := []*isachub.Peer{}
	for rows.Next() {
		p, err := scanPeer(rows)
		if err != nil {
			return nil, internal("list peers", err)
		}
		ps = append(ps, p)
	}
	return ps, internal("list peers", rows.Err())
}

// DeletePeer removes the peer and, by the foreign key, its subscriptions.
func (db *DB) DeletePeer(ctx context.Context, id string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM peers WHERE id = ?`, id)
		if err != nil {
			return internal("delete peer", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Peer %q not found.", id)
		}
		return nil
	})
}

const subscriptionCols = `id, peer_id, community_id, direction, remote, local_id, interval_us, checkpoint, next_run,
	last_run, last_success, last_error, moved, refused, created_at`

func scanSubscription(row interface{ Scan(...any) error }) (*isachub.Subscription, error) {
	var s isachub.Subscription
	var interval, next, last, success, created int64
	err := row.Scan(&s.ID, &s.PeerID, &s.CommunityID, &s.Direction, &s.Remote, &s.Local, &interval, &s.Checkpoint, &next,
		&last, &success, &s.LastError, &s.Moved, &s.Refused, &created)
	if err != nil {
		return nil, err
	}
	s.Interval = time.Duration(interval) * time.Microsecond
	s.NextRun, s.LastRun, s.LastSuccess, s.CreatedAt = fromMicros(next), fromMicros(last), fromMicros(success), fromMicros(created)
	return &s, nil
}

// CreateSubscription stores s, setting s.ID (when empty), its community
// and s.CreatedAt.
func (db *DB) CreateSubscription(ctx context.Context, s *isachub.Subscription) error {
	if err := s.Validate(); err != nil {
		return err
	}
	id := s.ID
	if id == "" {
		id = uuid.NewString()
	}
	now := db.nowMicros()
	var community int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT p.community_id FROM peers p JOIN collections c ON c.community_id = p.community_id
			WHERE p.id = ? AND c.id = ?`, s.PeerID, s.Local).Scan(&community)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Peer %q or collection %q not found in one community.", s.PeerID, s.Local)
		} else if err != nil {
			return internal("read subscription peer", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO peer_subscriptions (`+subscriptionCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, s.PeerID, community, string(s.Direction), s.Remote, s.Local, s.Interval.Microseconds(), s.Checkpoint,
			micros(s.NextRun), micros(s.LastRun), micros(s.LastSuccess), s.LastError, s.Moved, s.Refused, now)
		if isUnique(err) {
			return isachub.Errorf(isachub.ECONFLICT, "Subscription %q exists already.", id)
		}
		return internal("insert subscription", err)
	})
	if err != nil {
		return err
	}
	s.ID, s.CommunityID, s.CreatedAt = id, community, fromMicros(now)
	return nil
}

func (db *DB) querySubscriptions(ctx context.Context, op, where string, args ...any) ([]*isachub.Subscription, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+subscriptionCols+` FROM peer_subscriptions `+where, args...)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	out := []*isachub.Subscription{}
	for rows.Next() {
		s, err := scanSubscription(rows)
		if err != nil {
			return nil, internal(op, err)
		}
		out = append(out, s)
	}
	return out, internal(op, rows.Err())
}

// Subscriptions returns the peer's subscriptions, oldest first.
func (db *DB) Subscriptions(ctx context.Context, peerID string) ([]*isachub.Subscription, error) {
	return db.querySubscriptions(ctx, "list subscriptions", `WHERE peer_id = ? ORDER BY created_at, id`, peerID)
}

// DueSubscriptions returns the subscriptions due at now, soonest first.
func (db *DB) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]*isachub.Subscription, error) {
	return db.querySubscriptions(ctx, "list due subscriptions", `WHERE next_run <= ? ORDER BY next_run, id LIMIT ?`,
		now.UnixMicro(), max(limit, 1))
}

// ClaimSubscription moves s's NextRun to until if no one moved it first.
func (db *DB) ClaimSubscription(ctx context.Context, s *isachub.Subscription, until time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE peer_subscriptions SET next_run = ? WHERE id = ? AND next_run = ?`,
			micros(until), s.ID, micros(s.NextRun))
		if err != nil {
			return internal("claim subscription", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return isachub.Errorf(isachub.ECONFLICT, "Subscription %q was claimed by another replica, or is gone.", s.ID)
		}
		return nil
	})
	if err == nil {
		s.NextRun = fromMicros(micros(until))
	}
	return err
}

// RecordSync stores the outcome of a run of s.
func (db *DB) RecordSync(ctx context.Context, s *isachub.Subscription) error {
	return db.write(ctx, func(tx *sql.Tx) error { return recordSync(ctx, tx, s, true) })
}

// recordSync stores s's outcome; a subscription that is gone is ENOTFOUND
// when mustExist.
func recordSync(ctx context.Context, tx *sql.Tx, s *isachub.Subscription, mustExist bool) error {
	res, err := tx.ExecContext(ctx, `UPDATE peer_subscriptions SET checkpoint = ?, next_run = ?, last_run = ?,
		last_success = ?, last_error = ?, moved = ?, refused = ? WHERE id = ?`,
		s.Checkpoint, micros(s.NextRun), micros(s.LastRun), micros(s.LastSuccess), s.LastError, s.Moved, s.Refused, s.ID)
	if err != nil {
		return internal("record sync", err)
	}
	if n, _ := res.RowsAffected(); n == 0 && mustExist {
		return notFound("Subscription %q not found.", s.ID)
	}
	return nil
}

// AddPulled adds objs to the pull's local collection on behalf of orgID,
// records their origin and stores s, in one transaction.
func (db *DB) AddPulled(ctx context.Context, s *isachub.Subscription, orgID int64, objs []*stix.Object, receivedAt time.Time) ([]isachub.AddResult, error) {
	return db.addObjects(ctx, s.Local, orgID, objs, func(tx *sql.Tx, _ int64, results []isachub.AddResult) error {
		for _, r := range results {
			if r.Err != nil {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO object_origins (collection_id, object_id, version, peer_id, received_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, s.Local, r.ID, r.Version, s.PeerID, micros(receivedAt)); err != nil {
				return internal("insert origin", err)
			}
		}
		// A subscription removed meanwhile updates nothing: the objects
		// stay, as they would had the pull ended just before.
		counted := *s
		counted.CountPulled(results)
		return recordSync(ctx, tx, &counted, false)
	})
}

// Origins returns the origins recorded for the ids in the collection.
func (db *DB) Origins(ctx context.Context, collectionID string, ids []string) (map[string][]isachub.Origin, error) {
	out := map[string][]isachub.Origin{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		batch := ids[:n]
		ids = ids[n:]
		args := make([]any, 0, n+1)
		args = append(args, collectionID)
		for _, id := range batch {
			args = append(args, id)
		}
		rows, err := db.rd.QueryContext(ctx, `SELECT DISTINCT object_id, peer_id, min(received_at) FROM object_origins
			WHERE collection_id = ? AND object_id IN (?`+strings.Repeat(", ?", n-1)+`) GROUP BY object_id, peer_id`, args...)
		if err != nil {
			return nil, internal("read origins", err)
		}
		for rows.Next() {
			var id string
			var o isachub.Origin
			var at int64
			if err := rows.Scan(&id, &o.PeerID, &at); err != nil {
				rows.Close()
				return nil, internal("read origins", err)
			}
			o.ReceivedAt = fromMicros(at)
			out[id] = append(out[id], o)
		}
		if err := rows.Close(); err != nil {
			return nil, internal("read origins", err)
		}
	}
	return out, nil
}

// ObjectOrigins returns the origins recorded for each version of the
// object in the collection.
func (db *DB) ObjectOrigins(ctx context.Context, collectionID, id string) (map[string][]isachub.Origin, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT version, peer_id, received_at FROM object_origins
		WHERE collection_id = ? AND object_id = ? ORDER BY version, received_at, peer_id`, collectionID, id)
	if err != nil {
		return nil, internal("read origins", err)
	}
	defer rows.Close()
	out := map[string][]isachub.Origin{}
	for rows.Next() {
		var version string
		var o isachub.Origin
		var at int64
		if err := rows.Scan(&version, &o.PeerID, &at); err != nil {
			return nil, internal("read origins", err)
		}
		o.ReceivedAt = fromMicros(at)
		out[version] = append(out[version], o)
	}
	return out, internal("read origins", rows.Err())
}
