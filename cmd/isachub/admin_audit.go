package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// runAdminAuditList implements "isachub admin audit list": the newest
// entries of the audit log first, of one community or of every one.
func runAdminAuditList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin audit list", "[--community S] [--limit N]")
	comm := a.fs.String("community", "", "slug of the community (default: every community)")
	limit := a.fs.Int("limit", 50, "the most entries to show")
	return a.run(ctx, args, nil, func(store isachub.Store) error {
		if *limit < 1 {
			return isachub.Errorf(isachub.EINVALID, "--limit must be at least 1, not %d.", *limit)
		}
		var commID int64
		slugs := map[int64]string{0: "-"}
		if *comm != "" {
			c, err := store.Community(ctx, *comm)
			if err != nil {
				return err
			}
			commID = c.ID
			slugs[c.ID] = c.Slug
		} else {
			comms, err := store.Communities(ctx)
			if err != nil {
				return err
			}
			for _, c := range comms {
				slugs[c.ID] = c.Slug
			}
		}
		entries, err := store.AuditEntries(ctx, commID, *limit)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "AT\tCOMMUNITY\tUSER\tACTION\tTARGET\tDETAIL")
		for _, e := range entries {
			user := "command line"
			if e.UserID != 0 {
				user = auditUser(ctx, store, e.UserID)
			}
			comm, ok := slugs[e.CommunityID]
			if !ok {
				comm = fmt.Sprint(e.CommunityID)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", taxii.FormatTimestamp(e.At), comm, user, oneLine(e.Action), oneLine(e.Target), oneLine(e.Detail))
		}
		return tw.Flush()
	})
}

// auditUser names the user of an audit entry by username when the store
// can find it, else by id.
func auditUser(ctx context.Context, store isachub.Store, id int64) string {
	if u, err := store.UserByID(ctx, id); err == nil {
		return u.Username
	}
	return fmt.Sprintf("user %d", id)
}
