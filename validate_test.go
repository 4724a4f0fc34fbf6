package isachub_test

import (
	"testing"

	"github.com/isachub/isachub"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		v    interface{ Validate() error }
		ok   bool
	}{
		{"OKCommunity", &isachub.Community{Slug: "aviation-isac", Title: "Aviation ISAC"}, true},
		{"ErrCommunitySlug", &isachub.Community{Slug: "Aviation ISAC", Title: "x"}, false},
		{"ErrCommunitySlugHyphen", &isachub.Community{Slug: "-a", Title: "x"}, false},
		{"ErrCommunityTitle", &isachub.Community{Slug: "a"}, false},
		{"ErrCommunitySlugReservedUI", &isachub.Community{Slug: "ui", Title: "x"}, false},
		{"ErrCommunitySlugReservedTAXII", &isachub.Community{Slug: "taxii2", Title: "x"}, false},
		{"OKOrg", &isachub.Org{Slug: "skyways", Name: "Skyways"}, true},
		{"ErrOrgName", &isachub.Org{Slug: "skyways"}, false},
		{"OKUser", &isachub.User{Username: "bob", Role: isachub.RoleAnalyst}, true},
		{"ErrUserRole", &isachub.User{Username: "bob", Role: "root"}, false},
		{"OKCollection", &isachub.Collection{Title: "Shared", DefaultTLP: "amber+strict"}, true},
		{"ErrCollectionID", &isachub.Collection{ID: "../etc", Title: "x"}, false},
		{"ErrCollectionTLP", &isachub.Collection{Title: "x", DefaultTLP: "white"}, false},
		{"OKCollectionRedNamed", &isachub.Collection{Title: "x", Readers: []int64{1}, DefaultTLP: "red"}, true},
		{"OKCollectionRedGroup", &isachub.Collection{Title: "x", GroupID: 1, DefaultTLP: "red"}, true},
		{"ErrCollectionRedOpen", &isachub.Collection{Title: "x", ReadAll: true, DefaultTLP: "red"}, false},
		{"ErrCollectionGroupReadAll", &isachub.Collection{Title: "x", GroupID: 1, ReadAll: true}, false},
		{"ErrCollectionGroupWriters", &isachub.Collection{Title: "x", GroupID: 1, Writers: []int64{1}}, false},
		{"OKGroup", &isachub.SharingGroup{Slug: "hub-airports", Name: "Hub airports"}, true},
		{"ErrGroupSlug", &isachub.SharingGroup{Slug: "Hub Airports", Name: "x"}, false},
		{"ErrGroupName", &isachub.SharingGroup{Slug: "g"}, false},
		{"OKStatus", &isachub.Status{Status: isachub.StatusPending}, true},
		{"ErrStatus", &isachub.Status{Status: "done"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.v.Validate()
			if tt.ok != (err == nil) {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && isachub.ErrorCode(err) != isachub.EINVALID {
				t.Errorf("code %q, want %q", isachub.ErrorCode(err), isachub.EINVALID)
			}
		})
	}
}

func TestCollectionAccess(t *testing.T) {
	open := &isachub.Collection{ReadAll: true, Writers: []int64{1}}
	group := &isachub.Collection{Readers: []int64{1, 2}, Writers: []int64{2}}
	for _, tt := range []struct {
		c                 *isachub.Collection
		org               int64
		canRead, canWrite bool
	}{
		{open, 3, true, false}, {open, 1, true, true},
		{group, 1, true, false}, {group, 2, true, true}, {group, 3, false, false},
	} {
		if tt.c.CanRead(tt.org) != tt.canRead || tt.c.CanWrite(tt.org) != tt.canWrite {
			t.Errorf("org %d: CanRead %v CanWrite %v, want %v %v", tt.org, tt.c.CanRead(tt.org), tt.c.CanWrite(tt.org), tt.canRead, tt.canWrite)
		}
	}
}

func TestErrorHelpers(t *testing.T) {
	err := isachub.Errorf(isachub.ENOTFOUND, "Collection %s not found.", "x")
	if isachub.ErrorCode(err) != isachub.ENOTFOUND || isachub.ErrorMessage(err) != "Collection x not found." {
		t.Errorf("code %q message %q", isachub.ErrorCode(err), isachub.ErrorMessage(err))
	}
	other := errTest("driver: secret detail")
	if isachub.ErrorCode(other) != isachub.EINTERNAL || isachub.ErrorMessage(other) != "Internal error." {
		t.Errorf("a foreign error leaks: %q", isachub.ErrorMessage(other))
	}
	if isachub.ErrorCode(nil) != "" {
		t.Error("nil has a code")
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }
