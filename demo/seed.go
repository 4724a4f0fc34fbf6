package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// The demo community and its collections' aliases.
const (
	CommunitySlug = "demo-isac"
	Shared        = "shared"     // read and written by every member
	Circle        = "ops-circle" // restricted to the airline and the airport
	Tips          = "tips"       // anonymous and moderated: every member's tips, approved by the ISAC's analysts
)

// Staff is the ISAC's own organisation, whose analysts moderate the tips
// collection. It publishes no demo objects.
var Staff = Org{Slug: "isac-staff", Name: "Demo Aviation ISAC", Description: "The ISAC's own analysts."}

// redaction is what each demo organisation declared about itself for its
// anonymous submissions.
var redaction = map[string]isachub.Redaction{
	"skyways": {Domains: []string{"skyways.example"}, Emails: []string{"soc@skyways.example"},
		IPRanges: []string{"192.0.2.0/26"}, Patterns: []string{`SKY-INC-[0-9]+`}},
	"aerotech":           {Domains: []string{"aerotech.example"}},
	"northfield-airport": {Domains: []string{"northfield-airport.example"}, IPRanges: []string{"198.18.0.0/15"}},
}

// Org is a demo member organisation.
type Org struct {
	Slug, Name, Description string
	Sectors                 []string
}

// Orgs returns the three demo member organisations.
func Orgs() []Org {
	return []Org{
		{"skyways", "Skyways Airlines", "A passenger airline flying short and medium haul.", []string{"transportation"}},
		{"aerotech", "AeroTech Maintenance", "A maintenance, repair and overhaul provider.", []string{"aerospace", "manufacturing"}},
		{"northfield-airport", "Northfield International Airport", "An international airport operator.", []string{"transportation", "infrastructure"}},
	}
}

// User is a demo login with its known password.
type User struct {
	Username, Org, Password string
	Role                    isachub.Role
	HubAdmin                bool
}

// Users returns the demo users: every role in the airline, an analyst in
// each other organisation, the ISAC's analyst and the hub operator.
func Users() []User {
	return []User{
		{"alice", "skyways", "alice-demo-password", isachub.RoleAdmin, false},
		{"bob", "skyways", "bob-demo-password", isachub.RoleAnalyst, false},
		{"carol", "skyways", "carol-demo-password", isachub.RoleReader, false},
		{"dave", "aerotech", "dave-demo-password", isachub.RoleAnalyst, false},
		{"erin", "northfield-airport", "erin-demo-password", isachub.RoleAnalyst, false},
		{"sam", Staff.Slug, "sam-demo-password", isachub.RoleAnalyst, false},
		{"operator", "skyways", "operator-demo-password", isachub.RoleAdmin, true},
	}
}

// Result says what Seed created and where the demo lives.
type Result struct {
	Community   *isachub.Community
	Collections map[string]*isachub.Collection // by alias
	Created     int                            // records created by this call (0 when all existed)
	Objects     int                            // objects offered to the store
}

// Seed creates what is missing of the demo community in store: the
// community, its organisations, users (passwords hashed with hash), the
// shared and the restricted collection, and the demo objects. Everything is
// looked up first and every object is deterministic, so a second call
// creates nothing.
func Seed(ctx context.Context, store isachub.Store, hash func(string) (string, error)) (*Result, error) {
	res := &Result{Collections: map[string]*isachub.Collection{}}
	comm, err := store.Community(ctx, CommunitySlug)
	fresh := isachub.ErrorCode(err) == isachub.ENOTFOUND
	if fresh {
		comm = &isachub.Community{
			Slug:        CommunitySlug,
			Title:       "Demo Aviation ISAC",
			Description: "A demonstration community of airlines, airports and their suppliers.",
			Sector:      "aviation",
			IdentityID:  stixID("identity", "community/"+CommunitySlug),
		}
		if err := store.CreateCommunity(ctx, comm); err != nil {
			return nil, fmt.Errorf("creating the demo community: %w", err)
		}
		res.Created++
	} else if err != nil {
		return nil, err
	}
	res.Community = comm

	orgs := map[string]*isachub.Org{}
	for _, o := range append(Orgs(), Staff) {
		org, err := store.Org(ctx, comm.ID, o.Slug)
		if isachub.ErrorCode(err) == isachub.ENOTFOUND {
			org = &isachub.Org{CommunityID: comm.ID, Slug: o.Slug, Name: o.Name, IdentityID: OrgIdentityID(o.Slug),
				Staff: o.Slug == Staff.Slug, Redaction: redaction[o.Slug]}
			if err := store.CreateOrg(ctx, org); err != nil {
				return nil, fmt.Errorf("creating organisation %s: %w", o.Slug, err)
			}
			res.Created++
		} else if err != nil {
			return nil, err
		}
		orgs[o.Slug] = org
	}
	for _, u := range Users() {
		_, err := store.User(ctx, u.Username)
		if err == nil {
			continue
		} else if isachub.ErrorCode(err) != isachub.ENOTFOUND {
			return nil, err
		}
		h, err := hash(u.Password)
		if err != nil {
			return nil, err
		}
		nu := &isachub.User{OrgID: orgs[u.Org].ID, Username: u.Username, Role: u.Role, HubAdmin: u.HubAdmin, PasswordHash: h}
		if err := store.CreateUser(ctx, nu); err != nil {
			return nil, fmt.Errorf("creating user %s: %w", u.Username, err)
		}
		res.Created++
	}
	colls := []*isachub.Collection{
		{ID: uuid("collection/shared"), Alias: Shared, Title: "Shared aviation threat intelligence",
			Description: "Indicators, malware, actors and reports shared with every member.", ReadAll: true, WriteAll: true, DefaultTLP: "green"},
		{ID: uuid("collection/circle"), Alias: Circle, Title: "Airline and airport operations circle",
			Description: "Restricted to Skyways Airlines and Northfield International Airport.",
			Readers:     []int64{orgs["skyways"].ID, orgs["northfield-airport"].ID},
			Writers:     []int64{orgs["skyways"].ID, orgs["northfield-airport"].ID}, DefaultTLP: "amber"},
		{ID: uuid("collection/tips"), Alias: Tips, Title: "Anonymous tips",
			Description: "Every submission is re-issued under the ISAC's identity, and published once an ISAC analyst approves it.",
			ReadAll:     true, WriteAll: true, Anonymous: true, Moderated: true, DefaultTLP: "green"},
	}
	for _, c := range colls {
		got, err := store.Collection(ctx, comm.ID, c.Alias)
		if isachub.ErrorCode(err) == isachub.ENOTFOUND {
			c.CommunityID = comm.ID
			if err := store.CreateCollection(ctx, c); err != nil {
				return nil, fmt.Errorf("creating collection %s: %w", c.Alias, err)
			}
			res.Created++
			got = c
		} else if err != nil {
			return nil, err
		}
		res.Collections[c.Alias] = got
	}
	if fresh {
		for _, r := range Requests() {
			r.CommunityID = comm.ID
			if err := store.CreateMembershipRequest(ctx, r); err != nil {
				return nil, fmt.Errorf("creating the membership request of %s: %w", r.OrgName, err)
			}
			res.Created++
		}
	}
	return res, addObjects(ctx, store, res, orgs)
}

// Requests are the membership requests waiting in a new demo community,
// for the staff's review page.
func Requests() []*isachub.MembershipRequest {
	return []*isachub.MembershipRequest{
		{OrgName: "Northwind Regional Airport", Contact: "Priya Raman", Email: "priya.raman@northwind-airport.example",
			Sector: "aviation", Reason: "We operate a regional airport (1.2 M passengers a year) and our SOC sees phishing aimed at ground handling.\nWe would share what we see and read what the airlines see."},
		{OrgName: "Skylark Avionics", Contact: "Tom Becker", Email: "t.becker@skylark-avionics.example",
			Sector: "aerospace manufacturing", Reason: "Supplier of in-flight entertainment systems to three member airlines."},
	}
}

// Clocked is a store whose clock can be set (sqlite.DB): on one, the demo
// spreads its objects' date_added evenly over the last History, in the
// order of their modified times, so that the dashboard shows trends on the first
// start. On another store they are all added now.
type Clocked interface {
	SetClock(now func() time.Time)
}

// History is how far back the demo's objects were added on a Clocked store.
const History = 89 * 24 * time.Hour

// addObjects publishes the demo objects in the order of their modified
// times, grouped by organisation and collection. Objects already stored
// are successes that store nothing.
func addObjects(ctx context.Context, store isachub.Store, res *Result, orgs map[string]*isachub.Org) error {
	objs, err := Objects()
	if err != nil {
		return err
	}
	res.Objects = len(objs)
	slices.SortStableFunc(objs, func(a, b Published) int { return strings.Compare(a.Object.Modified(), b.Object.Modified()) })
	added := func(int) time.Time { return time.Now() }
	if c, ok := store.(Clocked); ok {
		// Evenly by rank: the generator's timestamps bunch (the reports
		// come weeks after the indicators), an ISAC's days do less.
		start := time.Now().Add(-time.Hour - History)
		added = func(i int) time.Time {
			return start.Add(time.Duration(float64(i) / float64(len(objs)) * float64(History)))
		}
		defer c.SetClock(nil)
	}
	type key struct{ org, coll string }
	for i := 0; i < len(objs); {
		k := key{objs[i].Org, objs[i].Collection}
		if c, ok := store.(Clocked); ok {
			at := added(i)
			c.SetClock(func() time.Time { return at })
		}
		var batch []*stix.Object
		for ; i < len(objs) && (key{objs[i].Org, objs[i].Collection}) == k; i++ {
			batch = append(batch, objs[i].Object)
		}
		results, err := store.AddObjects(ctx, res.Collections[k.coll].ID, orgs[k.org].ID, batch)
		if err != nil {
			return fmt.Errorf("adding demo objects: %w", err)
		}
		for _, r := range results {
			if r.Err != nil {
				return fmt.Errorf("adding demo object %s: %w", r.ID, r.Err)
			}
		}
	}
	return nil
}
