package sqlite

import (
	"context"
	"database/sql"

	"github.com/isachub/isachub"
)

// AppendAudit stores e, setting e.ID and, when zero, e.At.
func (db *DB) AppendAudit(ctx context.Context, e *isachub.AuditEntry) error {
	if e.Action == "" {
		return isachub.Errorf(isachub.EINVALID, "The audit entry has no action.")
	}
	if e.At.IsZero() {
		e.At = fromMicros(db.nowMicros())
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, community_id, user_id, action, target, detail)
			VALUES (?, ?, ?, ?, ?, ?)`, micros(e.At), e.CommunityID, e.UserID, e.Action, e.Target, e.Detail)
		if err != nil {
			return internal("append audit entry", err)
		}
		e.ID, err = res.LastInsertId()
		return internal("append audit entry", err)
	})
}

// AuditEntries returns the newest entries first, at most limit of them
// (a non-positive limit means 100), of one community (0: every community).
func (db *DB) AuditEntries(ctx context.Context, communityID int64, limit int) ([]*isachub.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	q := `SELECT id, at, community_id, user_id, action, target, detail FROM audit_log`
	args := []any{}
	if communityID != 0 {
		q += ` WHERE community_id = ?`
		args = append(args, communityID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := db.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, internal("read audit log", err)
	}
	defer rows.Close()
	es := []*isachub.AuditEntry{}
	for rows.Next() {
		var e isachub.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.CommunityID, &e.UserID, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, internal("read audit log", err)
		}
		e.At = fromMicros(at)
		es = append(es, &e)
	}
	return es, internal("read audit log", rows.Err())
}
