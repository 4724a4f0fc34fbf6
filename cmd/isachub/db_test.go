package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/storetest"
)

// runDBCLI runs the command line with the given ISACHUB_DB value and
// returns the exit code, stdout and stderr.
func runDBCLI(t *testing.T, envDB string, args ...string) (int, string, string) {
	t.Helper()
	return runCLI(t, "", map[string]string{"ISACHUB_DB": envDB}, args...)
}

func TestSqlitePath(t *testing.T) {
	for _, tc := range []struct {
		dsn, want string
		ok        bool
	}{
		{"sqlite:./isachub.db", "./isachub.db", true},
		{"sqlite:/var/lib/isachub/hub.db", "/var/lib/isachub/hub.db", true},
		{"sqlite:///var/lib/hub.db", "/var/lib/hub.db", true},
		{"hub.db", "hub.db", true},
		{"/tmp/a b/hub.db", "/tmp/a b/hub.db", true},
		{"./dir.with.dots://x", "./dir.with.dots://x", true},
		{"sqlite:", "", false},
		{"", "", false},
		{"mysql://root@localhost/hub", "", false},
	} {
		t.Run(tc.dsn, func(t *testing.T) {
			got, err := sqlitePath(tc.dsn)
			if tc.ok != (err == nil) || got != tc.want {
				t.Fatalf("sqlitePath(%q) = %q, %v; want %q, ok=%v", tc.dsn, got, err, tc.want, tc.ok)
			}
			if err != nil && isachub.ErrorCode(err) != isachub.EINVALID {
				t.Fatalf("error code %q, want invalid", isachub.ErrorCode(err))
			}
		})
	}
}

func TestResolveDSN(t *testing.T) {
	env := func(v string) *Env { return &Env{Getenv: func(string) string { return v }} }
	if got := resolveDSN(env("sqlite:env.db"), "sqlite:flag.db"); got != "sqlite:flag.db" {
		t.Fatalf("the flag does not win: %q", got)
	}
	if got := resolveDSN(env("sqlite:env.db"), ""); got != "sqlite:env.db" {
		t.Fatalf("ISACHUB_DB is not used: %q", got)
	}
	if got := resolveDSN(env(""), ""); got != defaultDB {
		t.Fatalf("default = %q, want %q", got, defaultDB)
	}
	for _, dsn := range []string{"postgres://u@h/db", "postgresql://h/db?sslmode=disable"} {
		if !isPostgresDSN(dsn) {
			t.Fatalf("%q is not recognised as PostgreSQL", dsn)
		}
	}
}

func TestMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	t.Run("OK", func(t *testing.T) {
		for range 2 { // idempotent
			code, out, errs := runDBCLI(t, "", "migrate", "--db", "sqlite:"+path)
			if code != exitOK || !strings.Contains(out, "up to date") {
				t.Fatalf("code %d, out %q, err %q", code, out, errs)
			}
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("migrate did not create the database: %v", err)
		}
	})
	t.Run("FromEnv", func(t *testing.T) {
		envPath := filepath.Join(t.TempDir(), "env.db")
		code, _, errs := runDBCLI(t, "sqlite:"+envPath, "migrate")
		if code != exitOK {
			t.Fatalf("code %d, err %q", code, errs)
		}
		if _, err := os.Stat(envPath); err != nil {
			t.Fatalf("migrate ignored ISACHUB_DB: %v", err)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{{"migrate", "extra"}, {"migrate", "--nope"}, {"migrate", "--db", "mysql://x/y"}} {
			if code, _, _ := runDBCLI(t, "", args...); code != exitUsage {
				t.Fatalf("%v: code %d, want %d", args, code, exitUsage)
			}
		}
	})
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hub.db")
	ctx := t.Context()
	s, err := openStore(ctx, "sqlite:"+path, true)
	if err != nil {
		t.Fatal(err)
	}
	comm := &isachub.Community{Slug: "aviation", Title: "Aviation ISAC"}
	mustDB(t, s.CreateCommunity(ctx, comm))
	org := &isachub.Org{CommunityID: comm.ID, Slug: "acme", Name: "Acme"}
	mustDB(t, s.CreateOrg(ctx, org))
	coll := &isachub.Collection{CommunityID: comm.ID, Title: "Shared", ReadAll: true, WriteAll: true}
	mustDB(t, s.CreateCollection(ctx, coll))
	_, err = s.AddObjects(ctx, coll.ID, org.ID, storetest.Indicators(0, 250))
	mustDB(t, err)
	// The store stays open: the backup is online.
	defer s.Close()

	t.Run("OK", func(t *testing.T) {
		dst := filepath.Join(dir, "copy.db")
		code, out, errs := runDBCLI(t, "", "backup", "--db", "sqlite:"+path, dst)
		if code != exitOK || !strings.Contains(out, dst) {
			t.Fatalf("code %d, out %q, err %q", code, out, errs)
		}
		cp, err := openStore(context.Background(), "sqlite:"+dst, false)
		mustDB(t, err)
		defer cp.Close()
		page, err := cp.Objects(ctx, coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Limit: 1000})
		mustDB(t, err)
		if len(page.Objects) != 250 {
			t.Fatalf("the backup holds %d objects, want 250", len(page.Objects))
		}
		// The store still works after the backup.
		_, err = s.AddObjects(ctx, coll.ID, org.ID, storetest.Indicators(250, 251))
		mustDB(t, err)
	})
	t.Run("ErrExists", func(t *testing.T) {
		dst := filepath.Join(dir, "exists.db")
		mustDB(t, os.WriteFile(dst, []byte("keep me"), 0o600))
		code, _, errs := runDBCLI(t, "", "backup", "--db", path, dst)
		if code != exitFailure || !strings.Contains(errs, "already exists") {
			t.Fatalf("code %d, err %q", code, errs)
		}
		if b, _ := os.ReadFile(dst); string(b) != "keep me" {
			t.Fatal("backup overwrote an existing file")
		}
	})
	t.Run("ErrPostgres", func(t *testing.T) {
		code, _, errs := runDBCLI(t, "postgres://u@127.0.0.1/test", "backup", filepath.Join(dir, "pg.dump"))
		if code != exitUsage || !strings.Contains(errs, "pg_dump") {
			t.Fatalf("code %d, err %q", code, errs)
		}
	})
	t.Run("ErrNoDatabase", func(t *testing.T) {
		missing := filepath.Join(dir, "missing.db")
		code, _, errs := runDBCLI(t, "", "backup", "--db", missing, filepath.Join(dir, "x.db"))
		if code != exitFailure || !strings.Contains(errs, "cannot be read") {
			t.Fatalf("code %d, err %q", code, errs)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatal("backup created the missing source database")
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		if code, _, _ := runDBCLI(t, "", "backup"); code != exitUsage {
			t.Fatalf("code %d without FILE", code)
		}
	})
}

func mustDB(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
