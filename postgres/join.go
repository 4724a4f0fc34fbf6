package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// CreateMembershipRequest stores r as pending.
func (db *DB) CreateMembershipRequest(ctx context.Context, r *isachub.MembershipRequest) error {
	if err := r.Validate(); err != nil {
		return err
	}
	at := now()
	err := db.pool.QueryRow(ctx, `INSERT INTO membership_requests
		(community_id, org_name, contact, email, sector, reason, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		r.CommunityID, r.OrgName, r.Contact, r.Email, r.Sector, r.Reason, isachub.RequestPending, at).Scan(&r.ID)
	if isForeignKey(err) {
		return isachub.Errorf(isachub.ENOTFOUND, "Community %d not found.", r.CommunityID)
	} else if err != nil {
		return dbError(err, "create membership request", "Membership request")
	}
	r.Status, r.CreatedAt = isachub.RequestPending, at
	return nil
}

const requestColumns = `id, community_id, org_name, contact, email, sector, reason, status, decision,
	COALESCE(decided_by, 0), COALESCE(org_id, 0), created_at, decided_at`

func scanRequest(row pgx.CollectableRow) (*isachub.MembershipRequest, error) {
	var r isachub.MembershipRequest
	var decided *time.Time
	err := row.Scan(&r.ID, &r.CommunityID, &r.OrgName, &r.Contact, &r.Email, &r.Sector, &r.Reason, &r.Status,
		&r.Decision, &r.DecidedBy, &r.OrgID, &r.CreatedAt, &decided)
	r.CreatedAt = r.CreatedAt.UTC()
	if decided != nil {
		r.DecidedAt = decided.UTC()
	}
	return &r, err
}

// MembershipRequest returns the request with the id in the community.
func (db *DB) MembershipRequest(ctx context.Context, communityID, id int64) (*isachub.MembershipRequest, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+requestColumns+` FROM membership_requests
		WHERE community_id = $1 AND id = $2`, communityID, id)
	r, err := pgx.CollectExactlyOneRow(rows, scanRequest)
	return r, dbError(err, "membership request", "Membership request")
}

// MembershipRequests returns the community's requests in the status, the
// oldest first.
func (db *DB) MembershipRequests(ctx context.Context, communityID int64, status string, limit int) ([]*isachub.MembershipRequest, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+requestColumns+` FROM membership_requests
		WHERE community_id = $1 AND ($2 = '' OR status = $2) ORDER BY id LIMIT $3`, communityID, status, limit)
	out, err := pgx.CollectRows(rows, scanRequest)
	return out, dbError(err, "list membership requests", "Membership requests")
}

// CountMembershipRequests returns how many of the community's requests
// are in the status.
func (db *DB) CountMembershipRequests(ctx context.Context, communityID int64, status string) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM membership_requests WHERE community_id = $1 AND status = $2`,
		communityID, status).Scan(&n)
	return n, dbError(err, "count membership requests", "Membership requests")
}

// decide marks the pending request decided within tx; the row lock of
// the UPDATE lets only one decision win.
func decide(ctx context.Context, tx pgx.Tx, communityID, id, decidedBy int64, status, reason string, at time.Time) error {
	tag, err := tx.Exec(ctx, `UPDATE membership_requests SET status = $1, decision = $2, decided_by = $3, decided_at = $4
		WHERE community_id = $5 AND id = $6 AND status = 'pending'`, status, reason, nullID(decidedBy), at, communityID, id)
	if err != nil {
		return dbError(err, "decide membership request", "Membership request")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var current string
	err = tx.QueryRow(ctx, `SELECT status FROM membership_requests WHERE community_id = $1 AND id = $2`, communityID, id).Scan(&current)
	if err != nil {
		return dbError(err, "decide membership request", "Membership request")
	}
	return isachub.Errorf(isachub.ECONFLICT, "Membership request %d was already %s.", id, current)
}

// nullID is id as a nullable column value: NULL for 0.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
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
		return dbError(err, "encode redaction", "Organisation "+quote(o.Slug))
	}
	at := now()
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := decide(ctx, tx, communityID, id, decidedBy, isachub.RequestApproved, reason, at); err != nil {
			return err
		}
		if err := insertOrg(ctx, tx, o, string(redaction), at); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE membership_requests SET org_id = $1 WHERE id = $2`, o.ID, id); err != nil {
			return dbError(err, "decide membership request", "Membership request")
		}
		inv.OrgID = o.ID
		return insertInvitation(ctx, tx, inv, at)
	})
}

// DeclineMembershipRequest marks the pending request declined.
func (db *DB) DeclineMembershipRequest(ctx context.Context, communityID, id, decidedBy int64, reason string) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		return decide(ctx, tx, communityID, id, decidedBy, isachub.RequestDeclined, reason, now())
	})
}

// CreateInvitation stores inv, setting inv.ID and inv.CreatedAt.
func (db *DB) CreateInvitation(ctx context.Context, inv *isachub.Invitation) error {
	if err := inv.Validate(); err != nil {
		return err
	}
	return insertInvitation(ctx, db.pool, inv, now())
}

func insertInvitation(ctx context.Context, q queryRower, inv *isachub.Invitation, at time.Time) error {
	err := q.QueryRow(ctx, `INSERT INTO invitations (org_id, role, hash, created_by, note, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		inv.OrgID, string(inv.Role), inv.Hash, nullID(inv.CreatedBy), inv.Note, at, inv.ExpiresAt.UTC()).Scan(&inv.ID)
	if isForeignKey(err) {
		return isachub.Errorf(isachub.ENOTFOUND, "Organisation %d not found.", inv.OrgID)
	} else if isUnique(err) {
		return isachub.Errorf(isachub.ECONFLICT, "An invitation with the same secret already exists.")
	} else if err != nil {
		return dbError(err, "create invitation", "Invitation")
	}
	inv.CreatedAt = at
	return nil
}

const invitationColumns = `id, org_id, role, hash, COALESCE(created_by, 0), note, created_at, expires_at,
	used_at, COALESCE(user_id, 0)`

func scanInvitation(row pgx.CollectableRow) (*isachub.Invitation, error) {
	var i isachub.Invitation
	var role string
	var used *time.Time
	err := row.Scan(&i.ID, &i.OrgID, &role, &i.Hash, &i.CreatedBy, &i.Note, &i.CreatedAt, &i.ExpiresAt, &used, &i.UserID)
	i.Role, i.CreatedAt, i.ExpiresAt = isachub.Role(role), i.CreatedAt.UTC(), i.ExpiresAt.UTC()
	if used != nil {
		i.UsedAt = used.UTC()
	}
	return &i, err
}

// InvitationByHash returns the invitation whose hash is hash.
func (db *DB) InvitationByHash(ctx context.Context, hash []byte) (*isachub.Invitation, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE hash = $1`, hash)
	i, err := pgx.CollectExactlyOneRow(rows, scanInvitation)
	return i, dbError(err, "invitation by hash", "Invitation")
}

// Invitations returns the organisation's invitations, newest first.
func (db *DB) Invitations(ctx context.Context, orgID int64) ([]*isachub.Invitation, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE org_id = $1 ORDER BY id DESC`, orgID)
	out, err := pgx.CollectRows(rows, scanInvitation)
	return out, dbError(err, "list invitations", "Invitations")
}

// AcceptInvitation uses the invitation: it creates the user and marks the
// invitation used, in one transaction. The invitation's row is locked
// (FOR UPDATE), so that two concurrent uses cannot both succeed.
func (db *DB) AcceptInvitation(ctx context.Context, hash []byte, at time.Time, u *isachub.User) (*isachub.Invitation, error) {
	var inv *isachub.Invitation
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE hash = $1 FOR UPDATE`, hash)
		var err error
		inv, err = pgx.CollectExactlyOneRow(rows, scanInvitation)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !inv.Usable(at)) {
			return isachub.Errorf(isachub.ENOTFOUND, "This invitation is unknown, was already used, or has expired.")
		} else if err != nil {
			return dbError(err, "accept invitation", "Invitation")
		}
		u.OrgID, u.Role, u.HubAdmin = inv.OrgID, inv.Role, false
		if err := u.Validate(); err != nil {
			return err
		}
		used := now()
		if err := insertUser(ctx, tx, u, used); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE invitations SET used_at = $1, user_id = $2 WHERE id = $3`, used, u.ID, inv.ID); err != nil {
			return dbError(err, "accept invitation", "Invitation")
		}
		inv.UsedAt, inv.UserID = used, u.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}
