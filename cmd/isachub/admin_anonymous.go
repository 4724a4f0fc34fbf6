package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// runAdminAnonymousReveal implements "isachub admin anonymous reveal", the
// one reader of the sealed record of who submitted an anonymous object
// (issue 6). It first appends an audit entry with the reason and the
// operating-system user, and prints nothing unless that succeeded. No
// other command prints the organisation of an anonymous submission.
func runAdminAnonymousReveal(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin anonymous reveal", "--community S --object ID --reason TEXT")
	comm := a.fs.String("community", "", "slug of the community")
	objectID := a.fs.String("object", "", "the STIX id of the anonymous object, as published")
	reason := a.fs.String("reason", "", "why the submitter must be revealed; kept in the audit log")
	return a.run(ctx, args, []string{"community", "object", "reason"}, func(store isachub.Store) error {
		if strings.TrimSpace(*reason) == "" {
			return isachub.Errorf(isachub.EINVALID, "--reason must say why the submitter is revealed.")
		}
		if !taxii.ValidSTIXID(*objectID) {
			return isachub.Errorf(isachub.EINVALID, "--object %q is not a STIX id (type--UUID).", *objectID)
		}
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		osUser := env.Getenv("USER")
		if osUser == "" {
			osUser = "unknown"
		}
		entry := &isachub.AuditEntry{CommunityID: c.ID, Action: "anonymous.reveal", Target: *objectID,
			Detail: fmt.Sprintf("reason: %s; OS user: %s", *reason, osUser)}
		if err := store.AppendAudit(ctx, entry); err != nil {
			return fmt.Errorf("recording the reveal in the audit log failed, so nothing is revealed: %w", err)
		}
		recs, err := store.AnonymousSubmissions(ctx, c.ID, *objectID)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			if c.Record() == isachub.RecordNone {
				fmt.Fprintf(env.Stdout, "Community %s keeps no submitter record (policy none): nothing says who submitted %s.\n", c.Slug, *objectID)
			} else {
				fmt.Fprintf(env.Stdout, "No anonymous submission of community %s published %s.\n", c.Slug, *objectID)
			}
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SUBMISSION\tORGANISATION\tCREATED\tWITHDRAWN")
		for _, r := range recs {
			org, err := sealedOrg(ctx, store, r.OrgID)
			if err != nil {
				return err
			}
			withdrawn := "-"
			if !r.WithdrawnAt.IsZero() {
				withdrawn = taxii.FormatTimestamp(r.WithdrawnAt)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, org, taxii.FormatTimestamp(r.CreatedAt), withdrawn)
		}
		return tw.Flush()
	})
}

// sealedOrg names the organisation of a sealed record.
func sealedOrg(ctx context.Context, store isachub.Store, orgID int64) (string, error) {
	if orgID == 0 {
		return "not recorded (policy none)", nil
	}
	o, err := store.OrgByID(ctx, orgID)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return fmt.Sprintf("organisation %d (since removed)", orgID), nil
	} else if err != nil {
		return "", err
	}
	return o.Slug, nil
}
