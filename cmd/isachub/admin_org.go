package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// staffUsage explains --staff.
const staffUsage = "the ISAC's own organisation: its analysts and admins moderate the community's moderated collections"

// identityUsage explains --identity-id.
const identityUsage = "the STIX identity id the organisation publishes as (identity--UUID); its anonymous submissions drop it"

// checkIdentityID reports an EINVALID error when id is neither empty nor
// the id of a STIX identity.
func checkIdentityID(id string) error {
	if id != "" && (!taxii.ValidSTIXID(id) || !strings.HasPrefix(id, "identity--")) {
		return isachub.Errorf(isachub.EINVALID, "--identity-id %q is not the id of a STIX identity (identity--UUID).", id)
	}
	return nil
}

// runAdminOrgAdd implements "isachub admin org add".
func runAdminOrgAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin org add", "--community S --org O --name N [--staff] [--identity-id ID]")
	comm := a.fs.String("community", "", "slug of the community the organisation joins")
	slug := a.fs.String("org", "", "slug of the new organisation: its short name, unique in the community")
	a.alias("org", "slug")
	name := a.fs.String("name", "", "full name of the organisation")
	staff := a.fs.Bool("staff", false, staffUsage)
	identity := a.fs.String("identity-id", "", identityUsage)
	return a.run(ctx, args, []string{"community", "org", "name"}, func(store isachub.Store) error {
		if err := checkIdentityID(*identity); err != nil {
			return err
		}
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		o := &isachub.Org{CommunityID: c.ID, Slug: *slug, Name: *name, Staff: *staff, IdentityID: *identity}
		if err := store.CreateOrg(ctx, o); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, o.ID)
		return nil
	})
}

// runAdminOrgSet implements "isachub admin org set": only the flags given
// change.
func runAdminOrgSet(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin org set", "--community S --org O [--name N] [--staff=true|false] [--identity-id ID]")
	comm := a.fs.String("community", "", "slug of the community")
	slug := a.fs.String("org", "", "slug of the organisation to change")
	name := a.fs.String("name", "", "new full name")
	staff := a.fs.Bool("staff", false, staffUsage+" (--staff=false to stop)")
	identity := a.fs.String("identity-id", "", identityUsage+" (\"\" for none)")
	return a.run(ctx, args, []string{"community", "org"}, func(store isachub.Store) error {
		if err := checkIdentityID(*identity); err != nil {
			return err
		}
		o, err := communityOrg(ctx, store, *comm, *slug)
		if err != nil {
			return err
		}
		if a.given("name") {
			o.Name = *name
		}
		if a.given("staff") {
			o.Staff = *staff
		}
		if a.given("identity-id") {
			o.IdentityID = *identity
		}
		return store.UpdateOrg(ctx, o)
	})
}

// communityOrg returns the organisation with the slug in the community with
// the slug.
func communityOrg(ctx context.Context, store isachub.Store, commSlug, orgSlug string) (*isachub.Org, error) {
	c, err := store.Community(ctx, commSlug)
	if err != nil {
		return nil, err
	}
	return store.Org(ctx, c.ID, orgSlug)
}

// runAdminOrgList implements "isachub admin org list".
func runAdminOrgList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin org list", "--community S")
	comm := a.fs.String("community", "", "slug of the community")
	return a.run(ctx, args, []string{"community"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		orgs, err := store.Orgs(ctx, c.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSLUG\tNAME\tIDENTITY\tSTAFF\tREDACTION RULES")
		for _, o := range orgs {
			r := o.Redaction
			identity := o.IdentityID
			if identity == "" {
				identity = "-"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\n", o.ID, o.Slug, o.Name, identity, yesNo(o.Staff), len(r.Domains)+len(r.Emails)+len(r.IPRanges)+len(r.Patterns))
		}
		return tw.Flush()
	})
}

// runAdminOrgRemove implements "isachub admin org remove".
func runAdminOrgRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin org remove", "--community S --org O")
	comm := a.fs.String("community", "", "slug of the community")
	slug := a.fs.String("org", "", "the organisation to remove, with its users and tokens")
	a.alias("org", "slug")
	return a.run(ctx, args, []string{"community", "org"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		return store.DeleteOrg(ctx, c.ID, *slug)
	})
}
