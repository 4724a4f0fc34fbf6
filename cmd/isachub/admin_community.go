package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/isachub/isachub"
)

// submitterRecordUsage explains --submitter-record.
const submitterRecordUsage = "who submitted an anonymous object: sealed (kept in a record only the hub operator reads, through the audited \"admin anonymous reveal\") or none (kept nowhere)"

// maxContentLengthUsage explains --max-content-length.
const maxContentLengthUsage = "the largest request body the API root accepts, in bytes (its TAXII max_content_length); 0: the server's default (serve --max-content-length)"

// runAdminCommunityAdd implements "isachub admin community add".
func runAdminCommunityAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin community add", "--community S --title T [--sector X] [--description D] [--submitter-record sealed|none] [--max-content-length BYTES]")
	slug := a.fs.String("community", "", "slug of the new community: the URL path segment of its TAXII API root, [a-z0-9-]")
	a.alias("community", "slug")
	title := a.fs.String("title", "", "title, for example \"Aviation ISAC\"")
	sector := a.fs.String("sector", "", "sector, for example aviation")
	desc := a.fs.String("description", "", "description of the API root")
	record := a.fs.String("submitter-record", isachub.RecordSealed, submitterRecordUsage)
	maxLen := a.fs.Int64("max-content-length", 0, maxContentLengthUsage)
	return a.run(ctx, args, []string{"community", "title"}, func(store isachub.Store) error {
		if *maxLen < 0 {
			return isachub.Errorf(isachub.EINVALID, "--max-content-length %d is negative", *maxLen)
		}
		c := &isachub.Community{Slug: *slug, Title: *title, Sector: *sector, Description: *desc, SubmitterRecord: *record,
			MaxContentLength: *maxLen}
		if err := store.CreateCommunity(ctx, c); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, c.ID)
		return nil
	})
}

// runAdminCommunitySet implements "isachub admin community set": only the
// flags given change. Switching --submitter-record to none erases, for
// good, the organisations already sealed and the secret their ids were
// re-minted with; switching to sealed applies to later submissions.
func runAdminCommunitySet(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin community set", "--community S [--title T] [--description D] [--sector X] [--submitter-record sealed|none] [--max-content-length BYTES] [--sighting-k K]")
	slug := a.fs.String("community", "", "slug of the community to change")
	title := a.fs.String("title", "", "new title")
	desc := a.fs.String("description", "", "new description of the API root")
	sector := a.fs.String("sector", "", "new sector")
	record := a.fs.String("submitter-record", "", submitterRecordUsage+"; switching to none erases the records already sealed, for good")
	maxLen := a.fs.Int64("max-content-length", 0, maxContentLengthUsage)
	k := a.fs.Int("sighting-k", 0, fmt.Sprintf("organisations that must have sighted an object before the web UI shows its sighting counts (%d to %d; 0 for the default, %d)",
		isachub.MinSightingK, isachub.MaxSightingK, isachub.DefaultSightingK))
	return a.run(ctx, args, []string{"community"}, func(store isachub.Store) error {
		if *maxLen < 0 {
			return isachub.Errorf(isachub.EINVALID, "--max-content-length %d is negative", *maxLen)
		}
		c, err := store.Community(ctx, *slug)
		if err != nil {
			return err
		}
		if a.given("title") {
			c.Title = *title
		}
		if a.given("description") {
			c.Description = *desc
		}
		if a.given("sector") {
			c.Sector = *sector
		}
		if a.given("submitter-record") {
			c.SubmitterRecord = *record
		}
		if a.given("max-content-length") {
			c.MaxContentLength = *maxLen
		}
		if a.given("sighting-k") {
			c.SightingK = *k
		}
		return store.UpdateCommunity(ctx, c)
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
		fmt.Fprintln(tw, "ID\tSLUG\tTITLE\tSECTOR\tSUBMITTER RECORD\tSIGHTING K")
		for _, c := range comms {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\n", c.ID, c.Slug, c.Title, c.Sector, c.Record(), c.SightingThreshold())
		}
		return tw.Flush()
	})
}

// runAdminCommunityRemove implements "isachub admin community remove".
func runAdminCommunityRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin community remove", "--community S")
	slug := a.fs.String("community", "", "the community to remove, with everything in it")
	a.alias("community", "slug")
	return a.run(ctx, args, []string{"community"}, func(store isachub.Store) error {
		return store.DeleteCommunity(ctx, *slug)
	})
}
