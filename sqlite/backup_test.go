package sqlite_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/storetest"
)

// TestBackupWhileWriting takes a backup while another goroutine writes,
// and checks that the copy is a consistent database holding every batch
// that had committed before the backup began.
func TestBackupWhileWriting(t *testing.T) {
	ctx := t.Context()
	db := openTemp(t)
	org, coll := benchTenant(t, ctx, db)
	ingest(t, ctx, db, coll, org, storetest.Indicators(0, 2000), 500)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 2000; ; i += 100 {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.AddObjects(ctx, coll, org, storetest.Indicators(i, i+100)); err != nil {
				t.Error(err)
				return
			}
		}
	})
	dst := filepath.Join(t.TempDir(), "backup.db")
	err := db.Backup(ctx, dst)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	cp, err := sqlite.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if res, err := cp.QueryString(ctx, "PRAGMA integrity_check"); err != nil || res != "ok" {
		t.Fatalf("integrity_check of the backup = %q, %v", res, err)
	}
	n := 0
	f := isachub.ObjectFilter{Limit: 1000}
	for {
		page, err := cp.Objects(ctx, coll, isachub.Unrestricted(), f)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Objects)
		if !page.More {
			break
		}
		f.Next = page.Next
	}
	if n < 2000 || n%100 != 0 {
		t.Fatalf("the backup holds %d objects: want at least 2000, in whole batches of 100", n)
	}
	found, err := storetest.Searched(cp.SearchObjects(ctx, isachub.UnrestrictedScope(coll), isachub.SearchQuery{Text: "198.51.0.7", Limit: 10}))
	if err != nil || len(found) != 1 {
		t.Fatalf("search in the backup: %v, %d results", err, len(found))
	}
	t.Run("ErrExists", func(t *testing.T) {
		if err := db.Backup(ctx, dst); isachub.ErrorCode(err) != isachub.ECONFLICT {
			t.Fatalf("backup over an existing file: %v", err)
		}
	})
	t.Run("ErrNoDirectory", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "missing", "b.db")
		if err := db.Backup(ctx, bad); err == nil {
			t.Fatal("backup into a missing directory succeeded")
		}
		if _, err := os.Stat(bad); err == nil {
			t.Fatal("a failed backup left a file")
		}
	})
}
