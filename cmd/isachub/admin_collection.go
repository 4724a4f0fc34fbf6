package main

import (
	"context"
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/isachub/isachub"
)

// runAdminCollectionAdd implements "isachub admin collection add". A
// sharing group's collection (--group) is read and written by the group's
// members: it takes no --readers or --writers.
func runAdminCollectionAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin collection add", "--community S --title T [--id UUID] [--alias A] [--default-tlp L] [--anonymous] [--moderated] (--readers O1,O2|all --writers O1|all | --group G)")
	comm := a.fs.String("community", "", "slug of the community")
	title := a.fs.String("title", "", "title of the collection")
	id := a.fs.String("id", "", "the collection's UUID (default: a new one)")
	alias := a.fs.String("alias", "", "an alias, unique in the community, usable in place of the id")
	desc := a.fs.String("description", "", "description of the collection")
	readers := a.fs.String("readers", "", "organisations that may read: slugs separated by commas, or all")
	writers := a.fs.String("writers", "", "organisations that may write: slugs separated by commas, or all")
	group := a.fs.String("group", "", "slug of the sharing group whose members read and write the collection")
	tlp := a.fs.String("default-tlp", "", "TLP of unmarked objects: clear, green, amber (the default), amber+strict or red")
	anonymous := a.fs.Bool("anonymous", false, "publish every submission to the collection anonymously, under the community's identity")
	moderated := a.fs.Bool("moderated", false, "hold every submission until an analyst of the staff organisation approves it")
	return a.run(ctx, args, []string{"community", "title"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		coll := &isachub.Collection{ID: *id, CommunityID: c.ID, Title: *title, Alias: *alias, Description: *desc, DefaultTLP: *tlp,
			Anonymous: *anonymous, Moderated: *moderated}
		switch {
		case *group != "" && (*readers != "" || *writers != ""):
			return isachub.Errorf(isachub.EINVALID, "--group takes no --readers or --writers: the group's members read and write its collections")
		case *group != "":
			g, err := store.Group(ctx, c.ID, *group)
			if err != nil {
				return err
			}
			coll.GroupID = g.ID
		case *readers == "" || *writers == "":
			return isachub.Errorf(isachub.EINVALID, "--readers and --writers are required without --group")
		default:
			if coll.ReadAll, coll.Readers, err = orgList(ctx, store, c.ID, "readers", *readers); err != nil {
				return err
			}
			if coll.WriteAll, coll.Writers, err = orgList(ctx, store, c.ID, "writers", *writers); err != nil {
				return err
			}
		}
		if err := store.CreateCollection(ctx, coll); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, coll.ID)
		return nil
	})
}

// runAdminCollectionList implements "isachub admin collection list".
func runAdminCollectionList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin collection list", "--community S")
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
		names := func(all bool, ids []int64) string {
			if all {
				return "all"
			}
			return slugs(ids)
		}
		colls, err := store.Collections(ctx, c.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		groups, err := store.Groups(ctx, c.ID, isachub.Reader{HubOperator: true})
		if err != nil {
			return err
		}
		groupSlugs := map[int64]string{}
		for _, g := range groups {
			groupSlugs[g.ID] = g.Slug
		}
		fmt.Fprintln(tw, "ID\tALIAS\tTITLE\tREADERS\tWRITERS\tGROUP\tDEFAULT TLP\tANONYMOUS\tMODERATED")
		for _, coll := range colls {
			def := coll.DefaultTLP
			if def == "" {
				def = "amber"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", coll.ID, coll.Alias, coll.Title, names(coll.ReadAll, coll.Readers),
				names(coll.WriteAll, coll.Writers), groupSlugs[coll.GroupID], def, yesNo(coll.Anonymous), yesNo(coll.Moderated))
		}
		return tw.Flush()
	})
}

// runAdminCollectionRemove implements "isachub admin collection remove".
func runAdminCollectionRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin collection remove", "--community S --id ID")
	comm := a.fs.String("community", "", "slug of the community")
	id := a.fs.String("id", "", "the collection's id or alias; its objects are removed too")
	return a.run(ctx, args, []string{"community", "id"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		coll, err := store.Collection(ctx, c.ID, *id)
		if err != nil {
			return err
		}
		return store.DeleteCollection(ctx, c.ID, coll.ID)
	})
}

// runAdminCollectionSet implements "isachub admin collection set": it
// changes only the settings named on the command line. A sharing group's
// collection keeps its group (its readers and writers are the group's
// members); --anonymous=false and --moderated=false turn a flag off.
func runAdminCollectionSet(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin collection set", "--community S --id ID_OR_ALIAS [--title T] [--description D] [--alias A] [--readers O1,O2|all] [--writers O1|all] [--default-tlp L] [--anonymous=true|false] [--moderated=true|false]")
	comm := a.fs.String("community", "", "slug of the community")
	id := a.fs.String("id", "", "the collection's id or alias")
	title := a.fs.String("title", "", "the new title")
	desc := a.fs.String("description", "", "the new description")
	alias := a.fs.String("alias", "", "the new alias (--alias= removes it)")
	readers := a.fs.String("readers", "", "organisations that may read: slugs separated by commas, or all")
	writers := a.fs.String("writers", "", "organisations that may write: slugs separated by commas, or all")
	tlp := a.fs.String("default-tlp", "", "TLP of unmarked objects from now on: clear, green, amber, amber+strict or red")
	anonymous := a.fs.Bool("anonymous", false, "publish every submission anonymously (false: as each submission asks)")
	moderated := a.fs.Bool("moderated", false, "hold every submission for approval (false: publish at once; what waits stays pending)")
	return a.run(ctx, args, []string{"community", "id"}, func(store isachub.Store) error {
		if !slices.ContainsFunc([]string{"title", "description", "alias", "readers", "writers", "default-tlp", "anonymous", "moderated"}, a.given) {
			return isachub.Errorf(isachub.EINVALID, "nothing to change: give --title, --description, --alias, --readers, --writers, --default-tlp, --anonymous or --moderated")
		}
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		coll, err := store.Collection(ctx, c.ID, *id)
		if err != nil {
			return err
		}
		if coll.GroupID != 0 {
			if a.given("readers") || a.given("writers") {
				return isachub.Errorf(isachub.EINVALID, "collection %q belongs to a sharing group: its members read and write it; change the group's members instead", *id)
			}
			// The store fills a group collection's lists from the group;
			// an update must give none.
			coll.Readers, coll.Writers = nil, nil
		}
		if a.given("title") {
			coll.Title = *title
		}
		if a.given("description") {
			coll.Description = *desc
		}
		if a.given("alias") {
			coll.Alias = *alias
		}
		if a.given("readers") {
			if coll.ReadAll, coll.Readers, err = orgList(ctx, store, c.ID, "readers", *readers); err != nil {
				return err
			}
		}
		if a.given("writers") {
			if coll.WriteAll, coll.Writers, err = orgList(ctx, store, c.ID, "writers", *writers); err != nil {
				return err
			}
		}
		if a.given("default-tlp") {
			coll.DefaultTLP = *tlp
		}
		if a.given("anonymous") {
			coll.Anonymous = *anonymous
		}
		if a.given("moderated") {
			coll.Moderated = *moderated
		}
		return store.UpdateCollection(ctx, coll)
	})
}
