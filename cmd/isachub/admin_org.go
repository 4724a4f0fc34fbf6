package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/isachub/isachub"
)

// staffUsage explains --staff.
const staffUsage = "the ISAC's own organisation: its analysts and admins moderate the community's moderated collections"

// runAdminOrgAdd implements "isachub admin org add".
func runAdminOrgAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin org add", "--community S --slug O --name N [--staff]")
	comm := a.fs.String("community", "", "slug of the community the organisation joins")
	slug := a.fs.String("slug", "", "short name of the organisation, unique in the community")
	name := a.fs.String("name", "", "full name of the organisation")
	staff := a.fs.Bool("staff", false, staffUsage)
	return a.run(ctx, args, []string{"community", "slug", "name"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		o := &isachub.Org{CommunityID: c.ID, Slug: *slug, Name: *name, Staff: *staff}
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
	a := newAdminCmd(env, "admin org set", "--community S --org O [--name N] [--staff=true|false]")
	comm := a.fs.String("community", "", "slug of the community")
	slug := a.fs.String("org", "", "slug of the organisation to change")
	name := a.fs.String("name", "", "new full name")
	staff := a.fs.Bool("staff", false, staffUsage+" (--staff=false to stop)")
	return a.run(ctx, args, []string{"community", "org"}, func(store isachub.Store) error {
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
		fmt.Fprintln(tw, "ID\tSLUG\tNAME\tSTAFF\tREDACTION RULES")
		for _, o := range orgs {
			r := o.Redaction
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\n", o.ID, o.Slug, o.Name, yesNo(o.Staff), len(r.Domains)+len(r.Emails)+len(r.IPRanges)+len(r.Patterns))
		}
		return tw.Flush()
	})
}

// runAdminOrgRemove implements "isachub admin org remove".
func runAdminOrgRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin org remove", "--community S --slug O")
	comm := a.fs.String("community", "", "slug of the community")
	slug := a.fs.String("slug", "", "the organisation to remove, with its users and tokens")
	return a.run(ctx, args, []string{"community", "slug"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		return store.DeleteOrg(ctx, c.ID, *slug)
	})
}
