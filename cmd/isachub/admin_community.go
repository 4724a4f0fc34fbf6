package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/isachub/isachub"
)

// runAdminCommunityAdd implements "isachub admin community add".
func runAdminCommunityAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin community add", "--slug S --title T [--sector X] [--description D]")
	slug := a.fs.String("slug", "", "URL path segment of the community's TAXII API root: [a-z0-9-]")
	title := a.fs.String("title", "", "title, for example \"Aviation ISAC\"")
	sector := a.fs.String("sector", "", "sector, for example aviation")
	desc := a.fs.String("description", "", "description of the API root")
	return a.run(ctx, args, []string{"slug", "title"}, func(store isachub.Store) error {
		c := &isachub.Community{Slug: *slug, Title: *title, Sector: *sector, Description: *desc}
		if err := store.CreateCommunity(ctx, c); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, c.ID)
		return nil
	})
}

// runAdminCommunityList implements "isachub admin community list".
func runAdminCommunityList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin community list", "")
	return a.run(ctx, args, nil, func(store isachub.Store) error {
		comms, err := store.Communities(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSLUG\tTITLE\tSECTOR")
		for _, c := range comms {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", c.ID, c.Slug, c.Title, c.Sector)
		}
		return tw.Flush()
	})
}

// runAdminCommunityRemove implements "isachub admin community remove".
func runAdminCommunityRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin community remove", "--slug S")
	slug := a.fs.String("slug", "", "the community to remove, with everything in it")
	return a.run(ctx, args, []string{"slug"}, func(store isachub.Store) error {
		return store.DeleteCommunity(ctx, *slug)
	})
}
