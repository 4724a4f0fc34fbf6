package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
)

// runAdminFeedAdd implements "isachub admin feed add": it prints the new
// feed's id, which is also the id of its TAXII collection.
func runAdminFeedAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin feed add", "--community S --org O --title T [--preset "+strings.Join(isachub.FeedPresetNames, "|")+"] [--collections ID,...] [--warninglists flag|drop] [--min-score N] [--description D]")
	comm := a.fs.String("community", "", "slug of the community")
	org := a.fs.String("org", "", "slug of the organisation whose members read the feed (the staff organisation: every member)")
	title := a.fs.String("title", "", "title of the feed")
	desc := a.fs.String("description", "", "description of the feed")
	preset := a.fs.String("preset", "", "the filter: one of "+strings.Join(isachub.FeedPresetNames, ", ")+" (none: everything the readers may see)")
	colls := a.fs.String("collections", "", "ids or aliases of the collections read, separated by commas (default: all)")
	warn := a.fs.String("warninglists", "", "known false positives (private ranges, public resolvers...) in exports: flag (report them) or drop (leave them out)")
	minScore := a.fs.Int("min-score", 0, "keep only indicators whose decay score is at least this, 1 to 100 (confidence halved by age per half-life, restored by sightings; go doc github.com/isachub/isachub DecayScore)")
	return a.run(ctx, args, []string{"community", "org", "title"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		o, err := store.Org(ctx, c.ID, *org)
		if err != nil {
			return err
		}
		fd := &isachub.Feed{CommunityID: c.ID, OrgID: o.ID, Title: *title, Description: *desc, Preset: *preset}
		if *preset != "" {
			f, ok := isachub.FeedPresets[*preset]
			if !ok {
				return isachub.Errorf(isachub.EINVALID, "--preset %q is not one of %s", *preset, strings.Join(isachub.FeedPresetNames, ", "))
			}
			fd.Filter = f
		}
		fd.Filter.Warninglists, fd.Filter.MinScore = *warn, *minScore
		for _, id := range strings.Split(*colls, ",") {
			if id = strings.TrimSpace(id); id == "" {
				continue
			}
			coll, err := store.Collection(ctx, c.ID, id)
			if err != nil {
				return err
			}
			fd.Filter.Collections = append(fd.Filter.Collections, coll.ID)
		}
		if err := store.CreateFeed(ctx, fd); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, fd.ID)
		return nil
	})
}

// runAdminFeedList implements "isachub admin feed list".
func runAdminFeedList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin feed list", "--community S")
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
		feeds, err := store.Feeds(ctx, c.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTITLE\tORG\tREADERS\tPRESET\tCOLLECTIONS")
		for _, fd := range feeds {
			readers := "org"
			if fd.Everyone {
				readers = "all"
			}
			colls := "all"
			if len(fd.Filter.Collections) > 0 {
				colls = strings.Join(fd.Filter.Collections, ",")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", fd.ID, fd.Title, slugs([]int64{fd.OrgID}), readers, fd.Preset, colls)
		}
		return tw.Flush()
	})
}

// runAdminFeedRemove implements "isachub admin feed remove": the feed's
// tokens go with it.
func runAdminFeedRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin feed remove", "--community S --id ID")
	comm := a.fs.String("community", "", "slug of the community")
	id := a.fs.String("id", "", "the feed's id")
	return a.run(ctx, args, []string{"community", "id"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		return store.DeleteFeed(ctx, c.ID, *id)
	})
}

// runAdminFeedToken implements "isachub admin feed token": a token bound
// to one feed, for use outside the community (a partner, a provider's
// tools). It reads that feed only, and of it only TLP:CLEAR.
func runAdminFeedToken(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin feed token", "--community S --id FEED --username U [--name N]")
	comm := a.fs.String("community", "", "slug of the community")
	id := a.fs.String("id", "", "the feed's id")
	username := a.fs.String("username", "", "the user, of the community, who answers for the token")
	name := a.fs.String("name", "", "what the token is for, for example \"partner CERT\"")
	return a.run(ctx, args, []string{"community", "id", "username"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		fd, err := store.Feed(ctx, c.ID, *id)
		if err != nil {
			return err
		}
		u, err := store.User(ctx, *username)
		if err != nil {
			return err
		}
		if o, err := store.OrgByID(ctx, u.OrgID); err != nil || o.CommunityID != c.ID {
			return isachub.Errorf(isachub.EINVALID, "user %q is not a member of community %q", u.Username, c.Slug)
		}
		secret, hash, err := server.NewToken()
		if err != nil {
			return err
		}
		t := &isachub.Token{UserID: u.ID, Name: *name, Hash: hash, FeedID: fd.ID}
		if err := store.CreateToken(ctx, t); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, secret)
		fmt.Fprintf(env.Stderr, "Feed token %d for feed %s created (it reads that feed's TLP:CLEAR objects only). It is shown only this once.\n", t.ID, fd.ID)
		return nil
	})
}
