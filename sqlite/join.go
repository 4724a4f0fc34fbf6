package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/isachub/isachub"
)

// CreateMembershipRequest stores r as pending.
func (db *DB) CreateMembershipRequest(ctx context.Context, r *isachub.MembershipRequest) error {
	if err := r.Validate(); err != nil {
		return err
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO membership_requests
			(community_id, org_name, contact, email, sector, reason, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			r.CommunityID, r.OrgName, r.Contact, r.Email, r.Sector, r.Reason, isachub.RequestPending, now)
		switch {
		case isForeignKey(err):
			return notFound("Community %d not found.", r.CommunityID)
		case err != nil:
			return internal("insert membership request", err)
		}
		r.ID, err = res.LastInsertId()
		r.Status, r.CreatedAt = isachub.RequestPending, fromMicros(now)
		return internal("insert membership request", err)
	})
}

const requestColumns = `id, community_id, org_name, contact, email, sector, reason, status, decision,
	COALESCE(decided_by, 0), COALESCE(org_id, 0), created_at, COALESCE(decided_at, 0)`

func scanRequest(sc interface{ Scan(...any) error }) (*isachub.MembershipRequest, error) {
	var r isachub.MembershipRequest
	var created, decided int64
	if err := sc.Scan(&r.ID, &r.CommunityID, &r.OrgName, &r.Contact, &r.Email, &r.Sector, &r.Reason, &r.Status,
		&r.Decision, &r.DecidedBy, &r.OrgID, &created, &decided); err != nil {
		return nil, err
	}
	r.CreatedAt = fromMicros(created)
	if decided != 0 {
		r.DecidedAt = fromMicros(decided)
	}
	return &r, nil
}

// MembershipRequest returns the request with the id in the community.
func (db *DB) MembershipRequest(ctx context.Context, communityID, id int64) (*isachub.MembershipRequest, error) {
	r, err := scanRequest(db.rd.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM membership_requests
		WHERE community_id = ? AND id = ?`, communityID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Membership request %d not found.", id)
	}
	return r, internal("read membership request", err)
}

// MembershipRequests returns the community's requests in the status, the
// oldest first.
func (db *DB) MembershipRequests(ctx context.Context, communityID int64, status string, limit int) ([]*isachub.MembershipRequest, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+requestColumns+` FROM membership_requests
		WHERE community_id = ? AND (? = '' OR status = ?) ORDER BY id LIMIT ?`, communityID, status, status, limit)
	if err != nil {
		return nil, internal("list membership requests", err)
	}
	defer rows.Close()
	var out []*isachub.MembershipRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, internal("list membership requests", err)
		}
		out = append(out, r)
	}
	return out, internal("list membership requests", rows.Err())
}

// CountMembershipRequests returns how many of the community's requests
// are in the status.
func (db *DB) CountMembershipRequests(ctx context.Context, communityID int64, status string) (int, error) {
	var n int
	err := db.rd.QueryRowContext(ctx, `SELECT count(*) FROM membership_requests WHERE community_id = ? AND status = ?`,
		communityID, status).Scan(&n)
	return n, internal("count membership requests", err)
}

// decide marks the pending request decided within tx.
func decide(ctx context.Context, tx *sql.Tx, communityID, id, decidedBy int64, status, reason string, now int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE membership_requests SET status = ?, decision = ?, decided_by = ?, decided_at = ?
		WHERE community_id = ? AND id = ? AND status = 'pending'`, status, reason, nullID(decidedBy), now, communityID, id)
	if err != nil {
		return internal("decide membership request", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var current string
	err = tx.QueryRowContext(ctx, `SELECT status FROM membership_requests WHERE community_id = ? AND id = ?`, communityID, id).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("Membership request %d not found.", id)
	} else if err != nil {
		return internal("decide membership request", err)
	}
	return isachub.Errorf(isachub.ECONFLICT, "Membership request %d was already %s.", id, current)
}

// nullID is id as a nullable column value: NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// ApproveMembershipRequest creates the organisation and its invitation and
// marks the request approved, in one transaction.
func (db *DB) ApproveMembershipRequest(ctx context.Context, communityID, id, decidedBy int64, reason string, o *isachub.Org, inv *isachub.Invitation) error {
	o.CommunityID = communityID
	if err := o.Validate(); err != nil {
		return err
	}
	if err := inv.Validate(); err != nil {
		return err
	}
	redaction, err := json.Marshal(o.Redaction)
	if err != nil {
		return internal("encode redaction", err)
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error {
		// The request first: a decided one must not leave an organisation
		// behind, and the write transaction holds the lock throughout.
		if err := decide(ctx, tx, communityID, id, decidedBy, isachub.RequestApproved, reason, now); err != nil {
			return err
		}
		if err := insertOrg(ctx, tx, o, string(redaction), now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE membership_requests SET org_id = ? WHERE id = ?`, o.ID, id); err != nil {
			return internal("decide membership request", err)
		}
		inv.OrgID = o.ID
		return insertInvitation(ctx, tx, inv, now)
	})
}

// DeclineMembershipRequest marks the pending request declined.
func (db *DB) DeclineMembershipRequest(ctx context.Context, communityID, id, decidedBy int64, reason string) error {
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error {
		return decide(ctx, tx, communityID, id, decidedBy, isachub.RequestDeclined, reason, now)
	})
}

// CreateInvitation stores inv, setting inv.ID and inv.CreatedAt.
func (db *DB) CreateInvitation(ctx context.Context, inv *isachub.Invitation) error {
	if err := inv.Validate(); err != nil {
		return err
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error { return insertInvitation(ctx, tx, inv, now) })
}

func insertInvitation(ctx context.Context, tx *sql.Tx, inv *isachub.Invitation, now int64) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO invitations (org_id, role, hash, created_by, note, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, inv.OrgID, string(inv.Role), inv.Hash, nullID(inv.CreatedBy), inv.Note, now, micros(inv.ExpiresAt))
	switch {
	case isUnique(err):
		return isachub.Errorf(isachub.ECONFLICT, "An invitation with the same secret already exists.")
	case isForeignKey(err):
		return notFound("Organisation %d not found.", inv.OrgID)
	case err != nil:
		return internal("insert invitation", err)
	}
	inv.ID, err = res.LastInsertId()
	inv.CreatedAt = fromMicros(now)
	return internal("insert invitation", err)
}

const invitationColumns = `id, org_id, role, hash, COALESCE(created_by, 0), note, created_at, expires_at,
	COALESCE(used_at, 0), COALESCE(user_id, 0)`

func scanInvitation(sc interface{ Scan(...any) error }) (*isachub.Invitation, error) {
	var i isachub.Invitation
	var role string
	var created, expires, used int64
	if err := sc.Scan(&i.ID, &i.OrgID, &role, &i.Hash, &i.CreatedBy, &i.Note, &created, &expires, &used, &i.UserID); err != nil {
		return nil, err
	}
	i.Role, i.CreatedAt, i.ExpiresAt = isachub.Role(role), fromMicros(created), fromMicros(expires)
	if used != 0 {
		i.UsedAt = fromMicros(used)
	}
	return &i, nil
}

// InvitationByHash returns the invitation whose hash is hash.
func (db *DB) InvitationByHash(ctx context.Context, hash []byte) (*isachub.Invitation, error) {
	i, err := scanInvitation(db.rd.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Invitation not found.")
	}
	return i, internal("read invitation", err)
}

// Invitations returns the organisation's invitations, newest first.
func (db *DB) Invitations(ctx context.Context, orgID int64) ([]*isachub.Invitation, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE org_id = ? ORDER BY id DESC`, orgID)
	if err != nil {
		return nil, internal("list invitations", err)
	}
	defer rows.Close()
	var out []*isachub.Invitation
	for rows.Next() {
		i, err := scanInvitation(rows)
		if err != nil {
			return nil, internal("list invitations", err)
		}
		out = append(out, i)
	}
	return out, internal("list invitations", rows.Err())
}

// AcceptInvitation uses the invitation: it creates the user and marks the
// invitation used, in one transaction.
func (db *DB) AcceptInvitation(ctx context.Context, hash []byte, now time.Time, u *isachub.User) (*isachub.Invitation, error) {
	var inv *isachub.Invitation
	at := db.nowMicros()
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		inv, err = scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE hash = ?`, hash))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !inv.Usable(now)) {
			return notFound("This invitation is unknown, was already used, or has expired.")
		} else if err != nil {
			return internal("read invitation", err)
		}
		u.OrgID, u.Role, u.HubAdmin = inv.OrgID, inv.Role, false
		if err := u.Validate(); err != nil {
			return err
		}
		if err := insertUser(ctx, tx, u, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET used_at = ?, user_id = ? WHERE id = ?`, at, u.ID, inv.ID); err != nil {
			return internal("use invitation", err)
		}
		inv.UsedAt, inv.UserID = fromMicros(at), u.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}
