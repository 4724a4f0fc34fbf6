package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// The moderation queue from the command line: the hub operator lists,
// approves and rejects the submissions waiting in a moderated collection,
// through isachub.Approve and isachub.Reject as the server's analysts do.
// The organisation of an anonymous submission is never shown.

// runAdminPendingList implements "isachub admin pending list".
func runAdminPendingList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin pending list", "--community S --collection C")
	comm := a.fs.String("community", "", "slug of the community")
	collFlag := a.fs.String("collection", "", "the moderated collection's id or alias")
	return a.run(ctx, args, []string{"community", "collection"}, func(store isachub.Store) error {
		coll, err := communityCollection(ctx, store, *comm, *collFlag)
		if err != nil {
			return err
		}
		queue, err := store.PendingSubmissions(ctx, coll.ID)
		if err != nil {
			return err
		}
		if len(queue) == 0 {
			fmt.Fprintf(env.Stderr, "No submission waits in collection %s.\n", coll.ID)
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSUBMITTED\tANONYMOUS\tORGANISATION\tOBJECTS")
		for _, p := range queue {
			org := "-"
			if p.Anonymous == nil {
				o, err := store.OrgByID(ctx, p.SubmitterOrgID)
				switch {
				case err == nil:
					org = o.Slug
				case isachub.ErrorCode(err) == isachub.ENOTFOUND:
					org = "(removed)"
				default:
					return err
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", p.ID, taxii.FormatTimestamp(p.CreatedAt), yesNo(p.Anonymous != nil), org, len(p.Objects))
		}
		return tw.Flush()
	})
}

// runAdminPendingShow implements "isachub admin pending show": the
// objects of one pending submission as the STIX bundle they would be
// published as (an anonymous submission's are already anonymised).
func runAdminPendingShow(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin pending show", "--community S --collection C --id P")
	comm := a.fs.String("community", "", "slug of the community")
	collFlag := a.fs.String("collection", "", "the moderated collection's id or alias")
	id := a.fs.String("id", "", "the pending submission's id, as pending list shows it")
	return a.run(ctx, args, []string{"community", "collection", "id"}, func(store isachub.Store) error {
		p, err := findPending(ctx, store, *comm, *collFlag, *id)
		if err != nil {
			return err
		}
		return writeJSON(env.Stdout, bundle{Type: "bundle", ID: "bundle--" + uuid.NewString(), Objects: p.Objects})
	})
}

// findPending returns the pending submission with the id in the collection
// of the community.
func findPending(ctx context.Context, store isachub.Store, commSlug, collection, id string) (*isachub.Pending, error) {
	coll, err := communityCollection(ctx, store, commSlug, collection)
	if err != nil {
		return nil, err
	}
	p, err := store.Pending(ctx, coll.CommunityID, id)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND || (err == nil && p.CollectionID != coll.ID) {
		return nil, isachub.Errorf(isachub.ENOTFOUND, "There is no pending submission %q in collection %s.", id, coll.ID)
	}
	return p, err
}

// runAdminPendingApprove implements "isachub admin pending approve".
func runAdminPendingApprove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin pending approve", "--community S --collection C --id P")
	return runModeration(ctx, a, args, "pending.approve", nil, func(store isachub.Store, p *isachub.Pending) (*isachub.Status, error) {
		return isachub.Approve(ctx, store, p)
	})
}

// runAdminPendingReject implements "isachub admin pending reject".
func runAdminPendingReject(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin pending reject", "--community S --collection C --id P [--reason R]")
	reason := a.fs.String("reason", "", "why the submission is rejected; the submitter reads it in its status")
	return runModeration(ctx, a, args, "pending.reject", reason, func(store isachub.Store, p *isachub.Pending) (*isachub.Status, error) {
		return isachub.Reject(ctx, store, p, *reason)
	})
}

// runModeration runs one moderation decision on the pending submission
// that the flags name, records it in the audit log (user 0: the command
// line) and prints the completed status.
func runModeration(ctx context.Context, a *adminCmd, args []string, action string, reason *string,
	decide func(isachub.Store, *isachub.Pending) (*isachub.Status, error)) int {
	comm := a.fs.String("community", "", "slug of the community")
	collFlag := a.fs.String("collection", "", "the moderated collection's id or alias")
	id := a.fs.String("id", "", "the pending submission's id, as pending list shows it")
	return a.run(ctx, args, []string{"community", "collection", "id"}, func(store isachub.Store) error {
		p, err := findPending(ctx, store, *comm, *collFlag, *id)
		if err != nil {
			return err
		}
		st, err := decide(store, p)
		if err != nil {
			return err
		}
		entry := &isachub.AuditEntry{CommunityID: p.CommunityID, Action: action, Target: p.ID}
		if reason != nil {
			entry.Detail = *reason
		}
		if err := store.AppendAudit(ctx, entry); err != nil {
			return err
		}
		printStatusSummary(a.env, st)
		return nil
	})
}

// communityCollection returns the collection with the id or alias in the
// community with the slug.
func communityCollection(ctx context.Context, store isachub.Store, commSlug, idOrAlias string) (*isachub.Collection, error) {
	c, err := store.Community(ctx, commSlug)
	if err != nil {
		return nil, err
	}
	return store.Collection(ctx, c.ID, idOrAlias)
}

// printStatusSummary prints a completed status: its counts, and each
// failure with its reason.
func printStatusSummary(env *Env, st *isachub.Status) {
	fmt.Fprintf(env.Stdout, "status %s: %s, %d successes, %d failures, %d pending\n", st.ID, st.Status, len(st.Successes), len(st.Failures), len(st.Pendings))
	for _, f := range st.Failures {
		fmt.Fprintf(env.Stdout, "  failed %s %s: %s\n", f.ID, f.Version, f.Message)
	}
}
