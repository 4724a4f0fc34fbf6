package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/isachub/isachub"
)

// testSessions holds web UI sessions: stored by the hash of their secret,
// touched, signed out, swept when expired or idle, and gone with their
// user.
func testSessions(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	u := &isachub.User{OrgID: f.orgA.ID, Username: "browser", Role: isachub.RoleAnalyst}
	mustOK(t, s.CreateUser(ctx, u))
	expires := time.Now().Add(12 * time.Hour).UTC().Truncate(time.Microsecond)
	s1 := &isachub.Session{UserID: u.ID, Hash: []byte{4, 0, 4, 255}, CSRFToken: "csrf-1", ExpiresAt: expires}
	mustOK(t, s.CreateSession(ctx, s1))
	t.Run("OK", func(t *testing.T) {
		got, err := s.SessionByHash(ctx, []byte{4, 0, 4, 255})
		mustOK(t, err)
		if got.ID != s1.ID || got.UserID != u.ID || got.CSRFToken != "csrf-1" || !bytes.Equal(got.Hash, s1.Hash) ||
			!got.ExpiresAt.Equal(expires) || !got.CreatedAt.Equal(s1.CreatedAt) || !got.LastSeenAt.Equal(s1.CreatedAt) {
			t.Fatalf("SessionByHash = %+v, want %+v", got, s1)
		}
		later := s1.CreatedAt.Add(time.Minute)
		mustOK(t, s.TouchSession(ctx, s1.ID, later))
		got, err = s.SessionByHash(ctx, s1.Hash)
		mustOK(t, err)
		if !got.LastSeenAt.Equal(later) {
			t.Fatalf("LastSeenAt = %v after touching at %v", got.LastSeenAt, later)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := s.SessionByHash(ctx, []byte{4, 0, 4})
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.CreateSession(ctx, &isachub.Session{UserID: 987654, Hash: []byte{8}, CSRFToken: "x", ExpiresAt: expires}), isachub.ENOTFOUND)
		wantCode(t, s.CreateSession(ctx, &isachub.Session{UserID: u.ID, Hash: s1.Hash, CSRFToken: "x", ExpiresAt: expires}), isachub.ECONFLICT)
		wantCode(t, s.CreateSession(ctx, &isachub.Session{UserID: u.ID, Hash: []byte{9}}), isachub.EINVALID)
		wantCode(t, s.TouchSession(ctx, 987654, time.Now()), isachub.ENOTFOUND)
		wantCode(t, s.DeleteSession(ctx, 987654), isachub.ENOTFOUND)
	})
	t.Run("Sweep", func(t *testing.T) {
		old := &isachub.Session{UserID: u.ID, Hash: []byte{5}, CSRFToken: "c", ExpiresAt: time.Now().Add(-time.Minute)}
		idle := &isachub.Session{UserID: u.ID, Hash: []byte{6}, CSRFToken: "c", ExpiresAt: expires}
		mustOK(t, s.CreateSession(ctx, old))
		mustOK(t, s.CreateSession(ctx, idle))
		mustOK(t, s.TouchSession(ctx, idle.ID, time.Now().Add(-2*time.Hour)))
		mustOK(t, s.TouchSession(ctx, s1.ID, time.Now()))
		n, err := s.DeleteSessions(ctx, time.Now(), time.Now().Add(-time.Hour))
		mustOK(t, err)
		if n != 2 {
			t.Fatalf("DeleteSessions removed %d, want the expired and the idle one", n)
		}
		if _, err := s.SessionByHash(ctx, s1.Hash); err != nil {
			t.Fatalf("the live session was swept: %v", err)
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		mustOK(t, s.DeleteSession(ctx, s1.ID))
		_, err := s.SessionByHash(ctx, s1.Hash)
		wantCode(t, err, isachub.ENOTFOUND)
	})
	t.Run("GoneWithUser", func(t *testing.T) {
		s2 := &isachub.Session{UserID: u.ID, Hash: []byte{7}, CSRFToken: "c", ExpiresAt: expires}
		mustOK(t, s.CreateSession(ctx, s2))
		mustOK(t, s.DeleteUser(ctx, u.Username))
		_, err := s.SessionByHash(ctx, s2.Hash)
		wantCode(t, err, isachub.ENOTFOUND)
	})
}

// testUpdateUser holds UpdateUser: role, operator flag and password hash
// change, username and organisation stay, and a new password hash ends
// the user's sessions (a reset signs out everywhere) while a role change
// does not.
func testUpdateUser(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	u := &isachub.User{OrgID: f.orgA.ID, Username: "frank", Role: isachub.RoleReader, PasswordHash: "old-hash"}
	mustOK(t, s.CreateUser(ctx, u))
	sess := &isachub.Session{UserID: u.ID, Hash: []byte{3, 1}, CSRFToken: "c", ExpiresAt: time.Now().Add(time.Hour)}
	mustOK(t, s.CreateSession(ctx, sess))
	u.Role, u.HubAdmin = isachub.RoleAnalyst, true
	mustOK(t, s.UpdateUser(ctx, u))
	got, err := s.User(ctx, "frank")
	mustOK(t, err)
	if got.Role != isachub.RoleAnalyst || !got.HubAdmin || got.PasswordHash != "old-hash" || got.OrgID != f.orgA.ID {
		t.Fatalf("after UpdateUser: %+v", got)
	}
	if _, err := s.SessionByHash(ctx, sess.Hash); err != nil {
		t.Fatalf("a role change ended the session: %v", err)
	}
	u.PasswordHash = "new-hash"
	mustOK(t, s.UpdateUser(ctx, u))
	if got, _ := s.User(ctx, "frank"); got.PasswordHash != "new-hash" {
		t.Fatalf("the password hash was not stored: %+v", got)
	}
	_, err = s.SessionByHash(ctx, sess.Hash)
	wantCode(t, err, isachub.ENOTFOUND)
	wantCode(t, s.UpdateUser(ctx, &isachub.User{ID: 987654, OrgID: f.orgA.ID, Username: "ghost", Role: isachub.RoleReader}), isachub.ENOTFOUND)
	wantCode(t, s.UpdateUser(ctx, &isachub.User{ID: u.ID, OrgID: f.orgA.ID, Username: "frank", Role: "boss"}), isachub.EINVALID)
}
