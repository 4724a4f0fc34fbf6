package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/isachub/isachub"
)

// runAdminOrgAdd implements "isachub admin org add".
func runAdminOrgAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin org add", "--community S --slug O --name N")
	comm := a.fs.String("community", "", "slug of the community the organisation joins")
	slug := a.fs.String("slug", "", "short name of the organisation, unique in the community")
	name := a.fs.String("name", "", "full name of the organisation")
	return a.run(ctx, args, []string{"community", "slug", "name"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		o := &isachub.Org{CommunityID: c.ID, Slug: *slug, Name: *name}
		if err := store.CreateOrg(ctx, o); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, o.ID)
		return nil
	})
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
		fmt.Fprintln(tw, "ID\tSLUG\tNAME")
		for _, o := range orgs {
			fmt.Fprintf(tw, "%d\t%s\t%s\n", o.ID, o.Slug, o.Name)
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
