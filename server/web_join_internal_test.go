package server

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/isachub/isachub"
)

// FuzzMembershipRequest: whatever the public form sends, the request is
// either valid, with every field within its bound, or refused with a
// message; never a panic.
func FuzzMembershipRequest(f *testing.F) {
	f.Add("Initech Air", "Ada Lovelace", "ada@initech.example", "aviation", "We run airports.")
	f.Add("", "x", "not an address", "", "")
	f.Add("a\x00b", "Ada <ada@x.example>", "Ada <ada@x.example>", "\xff", strings.Repeat("w", 5000))
	f.Fuzz(func(t *testing.T, org, contact, email, sector, reason string) {
		r := &isachub.MembershipRequest{OrgName: org, Contact: contact, Email: email, Sector: sector, Reason: reason}
		err := r.Validate()
		if err != nil {
			if isachub.ErrorCode(err) != isachub.EINVALID || isachub.ErrorMessage(err) == "" {
				t.Fatalf("Validate = %v: want an EINVALID with a message", err)
			}
			return
		}
		for _, s := range []string{org, contact, email, sector, reason} {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 4000 {
				t.Fatalf("accepted a field that is not bounded UTF-8 text: %q", s)
			}
		}
		if strings.TrimSpace(org) == "" || !strings.Contains(email, "@") {
			t.Fatalf("accepted a request without an organisation or an address: %+v", r)
		}
	})
}

// FuzzNewAccount: a username chosen through an invitation has the plain
// form, and a slug proposed from any name is one the store takes.
func FuzzNewAccount(f *testing.F) {
	f.Add("ada", "Initech Air")
	f.Add("Ada Lovelace!", "  --Ümlaut & Co. (Europe)--  ")
	f.Add("a", strings.Repeat("long name ", 20))
	f.Fuzz(func(t *testing.T, username, name string) {
		if validNewUsername(username) {
			if len(username) < 2 || len(username) > 64 || strings.ToLower(username) != username || strings.ContainsAny(username, " \t\n/\\<>\"'") {
				t.Fatalf("accepted the username %q", username)
			}
		}
		slug := slugFrom(name)
		if slug == "" {
			return
		}
		o := &isachub.Org{CommunityID: 1, Slug: slug, Name: "x"}
		if err := o.Validate(); err != nil {
			t.Fatalf("slugFrom(%q) = %q, which the store refuses: %v", name, slug, err)
		}
	})
}

func TestSlugFrom(t *testing.T) {
	for name, want := range map[string]string{
		"Initech Air": "initech-air", "  --Acme & Co. (Europe)--  ": "acme-co-europe", "Ümlaut GmbH": "mlaut-gmbh", "!!!": "",
		strings.Repeat("ab ", 40): strings.TrimSuffix(strings.Repeat("ab-", 21), "-"),
	} {
		if got := slugFrom(name); got != want {
			t.Errorf("slugFrom(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestLoggedPath: an invitation's secret never reaches the log.
func TestLoggedPath(t *testing.T) {
	secret := strings.Repeat("s", 43)
	if got := loggedPath(invitePath + secret); strings.Contains(got, secret) {
		t.Fatalf("loggedPath kept the secret: %q", got)
	}
	if got := loggedPath("/ui/search"); got != "/ui/search" {
		t.Fatalf("loggedPath(/ui/search) = %q", got)
	}
}

// TestRequestLimiter: the hub-wide budget holds across addresses.
func TestRequestLimiter(t *testing.T) {
	now := time.Now()
	l := newRequestLimiter(func() time.Time { return now })
	n := 0
	for i := range 200 {
		if ok, _ := l.spend("192.0.2." + string(rune('0'+i%10)) + string(rune('0'+i/10%10))); ok {
			n++
		}
	}
	if n != int(joinHubRule.burst) {
		t.Fatalf("%d requests from 100 addresses passed, want the hub's %v", n, joinHubRule.burst)
	}
	if ok, retry := l.spend("198.51.100.1"); ok || retry <= 0 {
		t.Fatalf("a new address passed the empty hub budget: %v, %v", ok, retry)
	}
}
