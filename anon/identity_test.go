package anon_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/stix"
)

func TestIdentities(t *testing.T) {
	for name, c := range map[string]*isachub.Community{
		"Full":    community(),
		"Minimal": {Slug: "x-isac"},
		"OwnID": {Slug: "fin", Title: "Finance ISAC", Sector: "financial-services",
			IdentityID: "identity--7b2a6c1e-3f4d-4e5a-8b9c-0d1e2f3a4b5c", CreatedAt: time.Date(2025, 5, 6, 7, 8, 9, 123456789, time.FixedZone("x", 3600))},
		"BadOwnID": {Slug: "bad", Title: "Bad", IdentityID: "not-an-id"},
	} {
		t.Run(name, func(t *testing.T) {
			comm, sect := anon.CommunityIdentity(c), anon.SectorIdentity(c)
			for _, o := range []*stix.Object{comm, sect} {
				if r := stix.Validate(o); !r.Valid() {
					t.Errorf("%s: %v", o.Raw(), r.Errors)
				}
				if o.Type() != "identity" || o.ObjectMarkingRefs()[0] != stix.TLP2Clear {
					t.Errorf("%s", o.Raw())
				}
			}
			if !bytes.Equal(anon.CommunityIdentity(c).Raw(), comm.Raw()) || !bytes.Equal(anon.SectorIdentity(c).Raw(), sect.Raw()) {
				t.Error("a second call gives other bytes")
			}
			if c.IdentityID != "" && c.IdentityID != "not-an-id" && comm.ID() != c.IdentityID {
				t.Errorf("community identity id %s, want %s", comm.ID(), c.IdentityID)
			}
			if sect.CreatedByRef() != comm.ID() || comm.ID() == sect.ID() {
				t.Errorf("sector identity %s", sect.Raw())
			}
			if !strings.HasPrefix(sect.String("name"), "a member of ") || sect.String("identity_class") != "class" {
				t.Errorf("sector identity %s", sect.Raw())
			}
			if comm.String("identity_class") != "organization" || comm.Created() != comm.Modified() || comm.Created() != sect.Created() {
				t.Errorf("community identity %s", comm.Raw())
			}
			if c.Sector != "" && sect.Strings("sectors")[0] != c.Sector {
				t.Errorf("sectors of %s", sect.Raw())
			}
		})
	}
	t.Run("ByCommunity", func(t *testing.T) {
		a, b := community(), community()
		b.Slug = "other-isac"
		if anon.CommunityIdentity(a).ID() == anon.CommunityIdentity(b).ID() || anon.SectorIdentity(a).ID() == anon.SectorIdentity(b).ID() {
			t.Error("two communities share an identity id")
		}
		if got := anon.CommunityIdentity(a).Created(); got != "2026-01-02T03:04:05.678Z" {
			t.Errorf("created = %s", got)
		}
	})
}
