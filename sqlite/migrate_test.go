package sqlite_test

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/isachub/isachub/sqlite"
)

func TestMigrate(t *testing.T) {
	want := make([]int, sqlite.SchemaVersion())
	for i := range want {
		want[i] = i + 1
	}
	if len(want) == 0 {
		t.Fatal("no embedded migrations")
	}
	t.Run("OK", func(t *testing.T) {
		db := openTemp(t)
		got, err := db.AppliedMigrations(t.Context())
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("AppliedMigrations = %v, %v; want %v", got, err, want)
		}
		// Idempotent.
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		got, _ = db.AppliedMigrations(t.Context())
		if !slices.Equal(got, want) {
			t.Fatalf("after a second Migrate: %v", got)
		}
	})
	t.Run("ConcurrentOpen", func(t *testing.T) {
		// Several processes (here: handles) starting at once on a new file
		// apply each migration exactly once.
		path := filepath.Join(t.TempDir(), "race.db")
		var wg sync.WaitGroup
		errs := make([]error, 4)
		dbs := make([]*sqlite.DB, 4)
		for i := range dbs {
			wg.Go(func() { dbs[i], errs[i] = sqlite.Open(t.Context(), path) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("handle %d: %v", i, err)
			}
			defer dbs[i].Close()
		}
		got, err := dbs[0].AppliedMigrations(t.Context())
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("AppliedMigrations = %v, %v; want %v", got, err, want)
		}
	})
	t.Run("ErrNotADatabase", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.txt")
		if err := os.WriteFile(path, []byte("this is not an SQLite database, just some text that is long enough to have a header\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if db, err := sqlite.Open(t.Context(), path); err == nil {
			db.Close()
			t.Fatal("Open accepted a text file")
		}
	})
	t.Run("ErrNoDirectory", func(t *testing.T) {
		if db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "missing", "dir", "x.db")); err == nil {
			db.Close()
			t.Fatal("Open created a database in a missing directory")
		}
	})
	t.Run("ErrEmptyPath", func(t *testing.T) {
		if _, err := sqlite.Open(t.Context(), ""); err == nil {
			t.Fatal("Open accepted an empty path")
		}
	})
}
