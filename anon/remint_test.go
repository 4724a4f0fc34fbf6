package anon_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"regexp"
	"testing"

	"github.com/isachub/isachub/anon"
)

var uuidV4 = regexp.MustCompile(`^indicator--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestRemint(t *testing.T) {
	const id = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
	k1, k2 := []byte("key one"), []byte("key two")
	a, b := anon.Remint(k1, id), anon.Remint(k2, id)
	for _, got := range []string{a, b} {
		if !uuidV4.MatchString(got) {
			t.Errorf("Remint = %q, not indicator--<UUIDv4>", got)
		}
	}
	if a == b {
		t.Error("two keys give the same id")
	}
	if anon.Remint(k1, id) != a {
		t.Error("the same key gives another id")
	}
	if anon.Remint(k1, "indicator--00000000-0000-4000-8000-000000000000") == a {
		t.Error("two ids give the same id")
	}
	if got := anon.Remint(k1, "no-prefix"); len(got) != 36 {
		t.Errorf("Remint of an id without a type = %q, want a bare UUID", got)
	}
}

func TestOrgKey(t *testing.T) {
	secret := []byte("community secret")
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("org:42"))
	if got := anon.OrgKey(secret, 42); !bytes.Equal(got, mac.Sum(nil)) {
		t.Errorf("OrgKey = %x", got)
	}
	if bytes.Equal(anon.OrgKey(secret, 42), anon.OrgKey(secret, 43)) {
		t.Error("two organisations share a key")
	}
	if bytes.Equal(anon.OrgKey(secret, 42), anon.OrgKey([]byte("other"), 42)) {
		t.Error("two communities give an organisation the same key")
	}
}
