package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// AppendAudit stores e, setting e.ID and, when zero, e.At.
func (db *DB) AppendAudit(ctx context.Context, e *isachub.AuditEntry) error {
	if e.Action == "" {
		return isachub.Errorf(isachub.EINVALID, "The audit entry has no action.")
	}
	if e.At.IsZero() {
		e.At = now()
	}
	err := db.pool.QueryRow(ctx, `INSERT INTO audit_log (at, community_id, user_id, action, target, detail)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		e.At, e.CommunityID, e.UserID, e.Action, e.Target, e.Detail).Scan(&e.ID)
	return dbError(err, "append audit", "Audit entry")
}

// AuditEntries returns the newest entries first, at most limit of them, of
// one community (0: every community).
func (db *DB) AuditEntries(ctx context.Context, communityID int64, limit int) ([]*isachub.AuditEntry, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, _ := db.pool.Query(ctx, `SELECT id, at, community_id, user_id, action, target, detail
		FROM audit_log WHERE $1 = 0 OR community_id = $1
		ORDER BY id DESC LIMIT $2`, communityID, limit)
	es, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*isachub.AuditEntry, error) {
		var e isachub.AuditEntry
		err := row.Scan(&e.ID, &e.At, &e.CommunityID, &e.UserID, &e.Action, &e.Target, &e.Detail)
		e.At = e.At.UTC()
		return &e, err
	})
	return es, dbError(err, "audit entries", "Audit entries")
}
