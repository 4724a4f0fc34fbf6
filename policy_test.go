package isachub_test

import (
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// TestMaySee holds the TLP table of the package documentation: one row per
// reader and collection, the levels the reader sees.
func TestMaySee(t *testing.T) {
	const comm, other = 1, 2
	const a, b, x = 10, 11, 20 // a and b are members of comm, x of other
	open := &isachub.Collection{CommunityID: comm, ReadAll: true, WriteAll: true}
	named := &isachub.Collection{CommunityID: comm, Readers: []int64{a}, Writers: []int64{a}}
	group := &isachub.Collection{CommunityID: comm, GroupID: 7, Readers: []int64{a}, Writers: []int64{a}}
	memberA := isachub.Reader{OrgID: a, CommunityID: comm}
	memberB := isachub.Reader{OrgID: b, CommunityID: comm}
	outsider := isachub.Reader{OrgID: x, CommunityID: other}
	opInComm := isachub.Reader{OrgID: b, CommunityID: comm, HubOperator: true}
	opOutside := isachub.Reader{OrgID: x, CommunityID: other, HubOperator: true}
	const C, G, A, S, R = stix.TLPClear, stix.TLPGreen, stix.TLPAmber, stix.TLPAmberStrict, stix.TLPRed
	for _, tc := range []struct {
		name string
		r    isachub.Reader
		c    *isachub.Collection
		want []stix.TLP
	}{
		{"MemberOpen", memberA, open, []stix.TLP{C, G, A, S}}, // RED is never in an open collection
		{"MemberNamed", memberA, named, []stix.TLP{C, G, A, S, R}},
		{"MemberGroup", memberA, group, []stix.TLP{C, G, A, S, R}},
		{"NonReaderNamed", memberB, named, nil},
		{"NonMemberGroup", memberB, group, nil},
		{"OtherCommunityOpen", outsider, open, nil},
		{"OperatorInCommunityOpen", opInComm, open, []stix.TLP{C, G, A, S}},
		{"OperatorInCommunityNotReader", opInComm, group, []stix.TLP{C, G}},
		{"OperatorOutside", opOutside, open, []stix.TLP{C}},
		{"OperatorOutsideGroup", opOutside, group, []stix.TLP{C}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []stix.TLP
			for l := C; l <= R; l++ {
				if tc.r.MaySee(tc.c, l) {
					got = append(got, l)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("sees %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("sees %v, want %v", got, tc.want)
				}
			}
			if tc.r.MaySee(tc.c, stix.TLPNone) {
				t.Error("sees TLPNone: the collection default must be applied first")
			}
			// Hidden is the complement of MaySee over the stored levels.
			hidden := tc.r.Hidden(tc.c)
			for l := C; l <= R; l++ {
				if hidden.Has(l) == tc.r.MaySee(tc.c, l) {
					t.Errorf("Hidden has %v = %v, MaySee = %v", l, hidden.Has(l), tc.r.MaySee(tc.c, l))
				}
			}
			if hidden.Has(stix.TLPNone) == tc.r.MaySee(tc.c, stix.TLPAmber) {
				t.Errorf("unmarked versions (default AMBER) hidden = %v", hidden.Has(stix.TLPNone))
			}
		})
	}
}

func TestCollectionTLP(t *testing.T) {
	for _, tc := range []struct {
		def   string
		level stix.TLP
		want  stix.TLP
	}{
		{"", stix.TLPNone, stix.TLPAmber},
		{"clear", stix.TLPNone, stix.TLPClear},
		{"red", stix.TLPNone, stix.TLPRed},
		{"red", stix.TLPGreen, stix.TLPGreen}, // a marking wins over the default
		{"amber+strict", stix.TLPNone, stix.TLPAmberStrict},
	} {
		if got := isachub.CollectionTLP(&isachub.Collection{DefaultTLP: tc.def}, tc.level); got != tc.want {
			t.Errorf("CollectionTLP(default %q, %v) = %v, want %v", tc.def, tc.level, got, tc.want)
		}
	}
}

func TestAcceptTLP(t *testing.T) {
	open := &isachub.Collection{ReadAll: true}
	named := &isachub.Collection{Readers: []int64{1}}
	group := &isachub.Collection{GroupID: 3}
	if err := isachub.AcceptTLP(open, stix.TLPRed); isachub.ErrorCode(err) != isachub.EINVALID {
		t.Errorf("RED in an open collection: %v", err)
	} else if msg := isachub.ErrorMessage(err); msg != "TLP:RED objects may only be shared in a collection restricted to named organisations (a sharing group); this collection is open to every member." {
		t.Errorf("message %q", msg)
	}
	for _, c := range []*isachub.Collection{named, group} {
		if err := isachub.AcceptTLP(c, stix.TLPRed); err != nil {
			t.Errorf("RED in %+v: %v", c, err)
		}
	}
	for l := stix.TLPClear; l < stix.TLPRed; l++ {
		if err := isachub.AcceptTLP(open, l); err != nil {
			t.Errorf("%v in an open collection: %v", l, err)
		}
	}
}

func TestLeaveAndCount(t *testing.T) {
	for l := stix.TLPNone; l <= stix.TLPRed; l++ {
		if got, want := isachub.MayLeaveCommunity(l), l == stix.TLPClear; got != want {
			t.Errorf("MayLeaveCommunity(%v) = %v", l, got)
		}
		if got, want := isachub.CountsInStatistics(l), l != stix.TLPRed && l != stix.TLPNone; got != want {
			t.Errorf("CountsInStatistics(%v) = %v", l, got)
		}
	}
}

func TestVisible(t *testing.T) {
	named := &isachub.Collection{ID: "n", CommunityID: 1, Readers: []int64{10}}
	vs := []*isachub.ObjectVersion{
		{CollectionID: "n", ID: "red", TLP: stix.TLPRed},
		{CollectionID: "n", ID: "clear", TLP: stix.TLPClear},
		{CollectionID: "unknown", ID: "elsewhere", TLP: stix.TLPClear},
	}
	colls := map[string]*isachub.Collection{"n": named}
	if got := (isachub.Reader{OrgID: 10, CommunityID: 1}).Visible(colls, vs); len(got) != 2 || got[0].ID != "red" {
		t.Errorf("member: %d visible", len(got))
	}
	if got := (isachub.Reader{OrgID: 99, CommunityID: 2, HubOperator: true}).Visible(colls, vs); len(got) != 1 || got[0].ID != "clear" {
		t.Errorf("operator: %d visible", len(got))
	}
}

// TestVisibility holds the rule that a read hides by default: the zero
// Visibility hides every level, a reader's follows Reader.Hidden, and only
// Unrestricted hides nothing.
func TestVisibility(t *testing.T) {
	var zero isachub.Visibility
	if !zero.Nothing() {
		t.Fatalf("the zero Visibility hides %v, want every level", zero.Hidden())
	}
	if u := isachub.Unrestricted(); u.Hidden() != 0 || u.Nothing() {
		t.Fatalf("Unrestricted hides %v, want nothing", u.Hidden())
	}
	open := &isachub.Collection{CommunityID: 1, ReadAll: true, WriteAll: true}
	member := isachub.Reader{OrgID: 10, CommunityID: 1}
	if got, want := member.Visibility(open).Hidden(), member.Hidden(open); got != want {
		t.Fatalf("member's Visibility hides %v, Reader.Hidden says %v", got, want)
	}
	outsider := isachub.Reader{OrgID: 20, CommunityID: 2}
	if !outsider.Visibility(&isachub.Collection{CommunityID: 1, Readers: []int64{10}}).Nothing() {
		t.Fatal("an outsider's Visibility of a named collection hides less than everything")
	}
	ids, hidden := isachub.SearchScope(map[string]isachub.Visibility{"b": member.Visibility(open), "a": isachub.Unrestricted(), "z": zero})
	if len(ids) != 2 || ids[0] != "a" || ids[1] != "b" {
		t.Fatalf("SearchScope ids = %v, want [a b] (z hides everything)", ids)
	}
	if _, ok := hidden["a"]; ok || hidden["b"] != member.Hidden(open) {
		t.Fatalf("SearchScope hidden = %v", hidden)
	}
}

// TestWriteRules holds who may write a collection, read a status and see a
// collection at all.
func TestWriteRules(t *testing.T) {
	const comm = 1
	open := &isachub.Collection{CommunityID: comm, ReadAll: true, WriteAll: true}
	named := &isachub.Collection{CommunityID: comm, Readers: []int64{10}, Writers: []int64{10}}
	analyst := isachub.Reader{OrgID: 10, CommunityID: comm, Role: isachub.RoleAnalyst}
	reader := isachub.Reader{OrgID: 10, CommunityID: comm, Role: isachub.RoleReader}
	other := isachub.Reader{OrgID: 11, CommunityID: comm, Role: isachub.RoleAdmin}
	outsider := isachub.Reader{OrgID: 20, CommunityID: 2, Role: isachub.RoleAdmin}
	operator := isachub.Reader{OrgID: 20, CommunityID: 2, HubOperator: true}
	for _, tc := range []struct {
		name string
		r    isachub.Reader
		c    *isachub.Collection
		want bool
	}{
		{"analyst/open", analyst, open, true},
		{"reader-role/open", reader, open, false},
		{"other-org/named", other, named, false},
		{"outsider/open", outsider, open, false},
		{"operator/named", operator, named, true},
	} {
		if got := tc.r.MayWrite(tc.c); got != tc.want {
			t.Errorf("%s: MayWrite = %v, want %v", tc.name, got, tc.want)
		}
	}
	if other.MaySeeCollection(named) || !analyst.MaySeeCollection(named) {
		t.Error("MaySeeCollection: a named collection must appear to its members only")
	}
	st := &isachub.Status{OrgID: 10, CommunityID: comm}
	if !analyst.MaySeeStatus(st) || other.MaySeeStatus(st) || operator.MaySeeStatus(st) {
		t.Error("MaySeeStatus: only the submitting organisation may read a status")
	}
	anon := &isachub.Status{CommunityID: comm}
	if !other.MaySeeStatus(anon) || outsider.MaySeeStatus(anon) {
		t.Error("MaySeeStatus: an anonymous status is read by members of its community only")
	}
}

// TestStatisticsVisibility: a chart counts what the reader may see and
// never TLP:RED, even for a reader who may see it.
func TestStatisticsVisibility(t *testing.T) {
	group := &isachub.Collection{ID: "g", CommunityID: 1, GroupID: 7, Readers: []int64{10}, DefaultTLP: "red"}
	member := isachub.Reader{OrgID: 10, CommunityID: 1}
	if member.Visibility(group).Hidden().Has(stix.TLPRed) {
		t.Fatal("the member may not see RED in their group's collection")
	}
	h := member.StatisticsVisibility(group).Hidden()
	if !h.Has(stix.TLPRed) || !h.Has(stix.TLPNone) {
		t.Errorf("statistics hide %v; want RED and unmarked (RED by this collection's default) hidden", h.Levels())
	}
	if h.Has(stix.TLPAmber) || h.Has(stix.TLPClear) {
		t.Errorf("statistics hide %v; want AMBER and CLEAR counted", h.Levels())
	}
	outsider := isachub.Reader{OrgID: 11, CommunityID: 1}
	if !outsider.StatisticsVisibility(group).Nothing() {
		t.Error("an outsider of the group counts some of its collection")
	}
}

// staffRuleCase is a case of a rule on what a user of an organisation may
// do in a community (MayAdminister, MayWatchPeers).
type staffRuleCase struct {
	name string
	u    *isachub.User
	org  *isachub.Org
	comm int64
	want bool
}

// Organisations of community 1 for staffRuleCase tables.
var (
	ruleStaff  = &isachub.Org{CommunityID: 1, Staff: true}
	ruleMember = &isachub.Org{CommunityID: 1}
)

func checkStaffRule(t *testing.T, name string, rule func(*isachub.User, *isachub.Org, int64) bool, cases []staffRuleCase) {
	t.Helper()
	for _, tt := range cases {
		if got := rule(tt.u, tt.org, tt.comm); got != tt.want {
			t.Errorf("%s: %s = %v, want %v", tt.name, name, got, tt.want)
		}
	}
}

// TestMayAdminister: the hub operator administers every community; a
// staff organisation's admin only theirs; nobody else.
func TestMayAdminister(t *testing.T) {
	checkStaffRule(t, "MayAdminister", isachub.MayAdminister, []staffRuleCase{
		{"staff admin, own community", &isachub.User{Role: isachub.RoleAdmin}, ruleStaff, 1, true},
		{"staff admin, other community", &isachub.User{Role: isachub.RoleAdmin}, ruleStaff, 2, false},
		{"staff analyst", &isachub.User{Role: isachub.RoleAnalyst}, ruleStaff, 1, false},
		{"member admin", &isachub.User{Role: isachub.RoleAdmin}, ruleMember, 1, false},
		{"hub operator of a member", &isachub.User{Role: isachub.RoleReader, HubAdmin: true}, ruleMember, 2, true},
	})
}

// TestMayWatchPeers: the community's staff, whatever their role, and the
// hub operator see its peers; a member's people and another community's
// staff do not.
func TestMayWatchPeers(t *testing.T) {
	checkStaffRule(t, "MayWatchPeers", isachub.MayWatchPeers, []staffRuleCase{
		{"staff reader, own community", &isachub.User{Role: isachub.RoleReader}, ruleStaff, 1, true},
		{"staff admin, own community", &isachub.User{Role: isachub.RoleAdmin}, ruleStaff, 1, true},
		{"staff admin, other community", &isachub.User{Role: isachub.RoleAdmin}, ruleStaff, 2, false},
		{"member admin", &isachub.User{Role: isachub.RoleAdmin}, ruleMember, 1, false},
		{"hub operator of a member", &isachub.User{Role: isachub.RoleReader, HubAdmin: true}, ruleMember, 2, true},
	})
}

// TestMayReadWebhook: the receiving organisation and its community's
// staff read a webhook; another member, another community's staff and a
// hub operator's organisation do not.
func TestMayReadWebhook(t *testing.T) {
	w := &isachub.Webhook{ID: 7, CommunityID: 1, OrgID: 10}
	for _, tt := range []struct {
		name string
		org  *isachub.Org
		want bool
	}{
		{"the receiving organisation", &isachub.Org{ID: 10, CommunityID: 1}, true},
		{"the community's staff", &isachub.Org{ID: 11, CommunityID: 1, Staff: true}, true},
		{"another member", &isachub.Org{ID: 12, CommunityID: 1}, false},
		{"another community's staff", &isachub.Org{ID: 20, CommunityID: 2, Staff: true}, false},
		{"the same id in another community", &isachub.Org{ID: 10, CommunityID: 2}, false},
	} {
		if got := isachub.MayReadWebhook(tt.org, w); got != tt.want {
			t.Errorf("%s: MayReadWebhook = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestVisibilityOnly: narrowing to some levels hides the rest and never
// shows what the Visibility hid, nor anything of a collection it may not
// open.
func TestVisibilityOnly(t *testing.T) {
	var none isachub.TLPSet
	amberRed := none.With(stix.TLPAmber).With(stix.TLPRed)
	v := isachub.Hiding(none.With(stix.TLPRed)).Only(amberRed)
	for l := stix.TLPNone; l <= stix.TLPRed; l++ {
		if want := l != stix.TLPAmber; v.Hidden().Has(l) != want {
			t.Errorf("level %v hidden = %v, want %v", l, v.Hidden().Has(l), want)
		}
	}
	if !(isachub.Visibility{}).Only(amberRed).Nothing() {
		t.Error("narrowing a closed collection opened it")
	}
}
