package isachub_test

import (
	"testing"

	"github.com/isachub/isachub"
)

// TestMayWatchPeers: the community's staff, whatever their role, and the
// hub operator see its peers; a member's people and another community's
// staff do not.
func TestMayWatchPeers(t *testing.T) {
	staff := &isachub.Org{CommunityID: 1, Staff: true}
	member := &isachub.Org{CommunityID: 1}
	for _, tt := range []struct {
		name string
		u    *isachub.User
		org  *isachub.Org
		comm int64
		want bool
	}{
		{"staff reader, own community", &isachub.User{Role: isachub.RoleReader}, staff, 1, true},
		{"staff admin, own community", &isachub.User{Role: isachub.RoleAdmin}, staff, 1, true},
		{"staff admin, other community", &isachub.User{Role: isachub.RoleAdmin}, staff, 2, false},
		{"member admin", &isachub.User{Role: isachub.RoleAdmin}, member, 1, false},
		{"hub operator of a member", &isachub.User{Role: isachub.RoleReader, HubAdmin: true}, member, 2, true},
	} {
		if got := isachub.MayWatchPeers(tt.u, tt.org, tt.comm); got != tt.want {
			t.Errorf("%s: MayWatchPeers = %v, want %v", tt.name, got, tt.want)
		}
	}
}
