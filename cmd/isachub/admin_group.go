package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/isachub/isachub"
)

// runAdminGroupAdd implements "isachub admin group add".
func runAdminGroupAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin group add", "--community S --group G --name N --members O1,O2")
	comm := a.fs.String("community", "", "slug of the community")
	slug := a.fs.String("group", "", "slug of the new sharing group, unique in the community")
	a.alias("group", "slug")
	name := a.fs.String("name", "", "name of the sharing group (shown only to its members)")
	members := a.fs.String("members", "", "member organisations: slugs separated by commas")
	return a.run(ctx, args, []string{"community", "group", "name", "members"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		all, ids, err := orgList(ctx, store, c.ID, "members", *members)
		if err != nil {
			return err
		}
		if all {
			return isachub.Errorf(isachub.EINVALID, "--members: a sharing group names its organisations; \"all\" is what a collection open to all members is for")
		}
		g := &isachub.SharingGroup{CommunityID: c.ID, Slug: *slug, Name: *name, Members: ids}
		if err := store.CreateGroup(ctx, g); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, g.ID)
		return nil
	})
}

// runAdminGroupList implements "isachub admin group list": every group of
// the community with its members (the hub operator's view).
func runAdminGroupList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin group list", "--community S")
	comm := a.fs.String("community", "", "slug of the community")
	return a.run(ctx, args, []string{"community"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		slugs, err := orgSlugNames(ctx, store, c.ID)
		if err != nil {
			return err
		}
		groups, err := store.Groups(ctx, c.ID, isachub.Reader{HubOperator: true})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SLUG\tNAME\tMEMBERS")
		for _, g := range groups {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", g.Slug, g.Name, slugs(g.Members))
		}
		return tw.Flush()
	})
}

// runAdminGroupRemove implements "isachub admin group remove".
func runAdminGroupRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin group remove", "--community S --group G")
	comm := a.fs.String("community", "", "slug of the community")
	slug := a.fs.String("group", "", "slug of the sharing group; its collections and their objects are removed too")
	a.alias("group", "slug")
	return a.run(ctx, args, []string{"community", "group"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		return store.DeleteGroup(ctx, c.ID, *slug)
	})
}

// runAdminGroupMemberAdd implements "isachub admin group member add".
func runAdminGroupMemberAdd(ctx context.Context, env *Env, args []string) int {
	return groupMember(ctx, env, args, "add")
}

// runAdminGroupMemberRemove implements "isachub admin group member remove".
func runAdminGroupMemberRemove(ctx context.Context, env *Env, args []string) int {
	return groupMember(ctx, env, args, "remove")
}

// groupMember adds or removes one member organisation of a group.
func groupMember(ctx context.Context, env *Env, args []string, verb string) int {
	a := newAdminCmd(env, "admin group member "+verb, "--community S --group G --org O")
	comm := a.fs.String("community", "", "slug of the community")
	group := a.fs.String("group", "", "slug of the sharing group")
	org := a.fs.String("org", "", "slug of the member organisation")
	return a.run(ctx, args, []string{"community", "group", "org"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		o, err := store.Org(ctx, c.ID, *org)
		if err != nil {
			return err
		}
		if verb == "add" {
			return store.AddGroupMember(ctx, c.ID, *group, o.ID)
		}
		return store.RemoveGroupMember(ctx, c.ID, *group, o.ID)
	})
}
