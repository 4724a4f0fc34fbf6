package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/isachub/isachub"
)

// runAdminWebhookAdd implements "isachub admin webhook add": it prints the
// webhook's id and, once, its secret.
func runAdminWebhookAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin webhook add", "--community S --org O --feed FEED --url URL")
	comm := a.fs.String("community", "", "slug of the community")
	org := a.fs.String("org", "", "slug of the receiving organisation (deliveries hold what its members may read of the feed)")
	feed := a.fs.String("feed", "", "the feed's id")
	target := a.fs.String("url", "", "the receiver's https:// (or http://) URL")
	return a.run(ctx, args, []string{"community", "org", "feed", "url"}, func(store isachub.Store) error {
		if u, err := url.Parse(*target); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return isachub.Errorf(isachub.EINVALID, "--url %q is not an http:// or https:// URL", *target)
		}
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		o, err := store.Org(ctx, c.ID, *org)
		if err != nil {
			return err
		}
		fd, err := store.Feed(ctx, c.ID, *feed)
		if err != nil {
			return err
		}
		if !(isachub.Reader{OrgID: o.ID, CommunityID: c.ID}).MayReadFeed(fd) {
			return isachub.Errorf(isachub.EINVALID, "organisation %q may not read feed %s: its webhook would deliver nothing", o.Slug, fd.ID)
		}
		b := make([]byte, 32)
		rand.Read(b)
		w := &isachub.Webhook{CommunityID: c.ID, OrgID: o.ID, FeedID: fd.ID, URL: *target, Secret: hex.EncodeToString(b)}
		if err := store.CreateWebhook(ctx, w); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, w.ID)
		fmt.Fprintf(env.Stderr, "Webhook %d created; it delivers what the feed receives from now on.\nSecret (shown only this once; the X-Isachub-Signature key): %s\n", w.ID, w.Secret)
		return nil
	})
}

// runAdminWebhookList implements "isachub admin webhook list".
func runAdminWebhookList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin webhook list", "--community S")
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
		hooks, err := store.Webhooks(ctx, c.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tORG\tFEED\tURL\tSTATE\tFAILURES\tLAST ERROR")
		for _, w := range hooks {
			state := "active"
			if w.Dead {
				state = "dead"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", w.ID, slugs([]int64{w.OrgID}), w.FeedID, w.URL, state, w.Failures, w.LastError)
		}
		return tw.Flush()
	})
}

// runAdminWebhookRemove implements "isachub admin webhook remove".
func runAdminWebhookRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin webhook remove", "--community S --id N")
	comm := a.fs.String("community", "", "slug of the community")
	id := a.fs.String("id", "", "the webhook's id")
	return a.run(ctx, args, []string{"community", "id"}, func(store isachub.Store) error {
		c, n, err := webhookFlags(ctx, store, *comm, *id)
		if err != nil {
			return err
		}
		return store.DeleteWebhook(ctx, c.ID, n)
	})
}

// runAdminWebhookRevive implements "isachub admin webhook revive": the
// webhook leaves its dead-letter state (or its backoff) and delivers at
// once, from the first object it has not delivered.
func runAdminWebhookRevive(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin webhook revive", "--community S --id N")
	comm := a.fs.String("community", "", "slug of the community")
	id := a.fs.String("id", "", "the webhook's id")
	return a.run(ctx, args, []string{"community", "id"}, func(store isachub.Store) error {
		c, n, err := webhookFlags(ctx, store, *comm, *id)
		if err != nil {
			return err
		}
		if err := store.ReviveWebhook(ctx, c.ID, n, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "Webhook %d revived; it delivers what it has not delivered yet, from where it stopped.\n", n)
		return nil
	})
}

// webhookFlags reads the --community and --id of a webhook command.
func webhookFlags(ctx context.Context, store isachub.Store, comm, id string) (*isachub.Community, int64, error) {
	c, err := store.Community(ctx, comm)
	if err != nil {
		return nil, 0, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, 0, isachub.Errorf(isachub.EINVALID, "--id %q is not a webhook id", id)
	}
	return c, n, nil
}

// runAdminWebhookDeliveries implements "isachub admin webhook deliveries":
// the webhook's delivery log, newest first.
func runAdminWebhookDeliveries(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin webhook deliveries", "--community S --id N [--limit N]")
	comm := a.fs.String("community", "", "slug of the community")
	id := a.fs.String("id", "", "the webhook's id")
	limit := a.fs.Int("limit", 20, "how many of the latest attempts to show")
	return a.run(ctx, args, []string{"community", "id"}, func(store isachub.Store) error {
		c, n, err := webhookFlags(ctx, store, *comm, *id)
		if err != nil {
			return err
		}
		hooks, err := store.Webhooks(ctx, c.ID)
		if err != nil {
			return err
		}
		found := false
		for _, w := range hooks {
			found = found || w.ID == n
		}
		if !found {
			return isachub.Errorf(isachub.ENOTFOUND, "community %q has no webhook %d", c.Slug, n)
		}
		log, err := store.Deliveries(ctx, n, *limit)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "AT\tOBJECTS\tSTATUS\tERROR")
		for _, d := range log {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", d.At.UTC().Format("2006-01-02 15:04:05"), d.Objects, d.Status, d.Error)
		}
		return tw.Flush()
	})
}
