package sqlite

import (
	"context"
	"errors"
	"io/fs"
	"os"

	"github.com/isachub/isachub"
)

// Backup writes a consistent copy of the whole database to the new file
// dst with VACUUM INTO, online: readers and the writer carry on meanwhile
// (the copy is one read snapshot). dst must not exist.
func (db *DB) Backup(ctx context.Context, dst string) error {
	if dst == "" {
		return isachub.Errorf(isachub.EINVALID, "The backup file name is empty.")
	}
	if _, err := os.Stat(dst); err == nil {
		return isachub.Errorf(isachub.ECONFLICT, "The backup file %s already exists; choose a new name.", dst)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return isachub.Errorf(isachub.EINVALID, "The backup file %s cannot be used: %v.", dst, err)
	}
	conn, err := db.rd.Conn(ctx)
	if err != nil {
		return internal("backup", err)
	}
	defer conn.Close()
	// VACUUM INTO is a read of the source; query_only forbids it on reader
	// connections, so lift it for this statement only.
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = 0`); err != nil {
		return internal("backup", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA query_only = 1`)
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		os.Remove(dst)
		return internal("backup to "+dst, err)
	}
	return nil
}
