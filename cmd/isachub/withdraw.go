package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/isachub/isachub/taxii"
)

// runWithdraw implements "isachub withdraw": with the handle an anonymous
// submission answered, it revokes what the submission published, or takes
// it out of the moderation queue, and prints what changed.
func runWithdraw(ctx context.Context, env *Env, args []string) int {
	c := newClientCmd(env, "withdraw", "--url API_ROOT_URL [--handle H | --object ID]")
	objectFlag := c.fs.String("object", "", "instead of the handle, where the community keeps a sealed record: an object your organisation published anonymously; every such submission of yours that published it is withdrawn")
	handleFlag := c.fs.String("handle", "", "the withdrawal handle (default $ISACHUB_WITHDRAWAL_HANDLE, which other users cannot see in the process list)")
	hub, code := c.parse(args, 0)
	if code >= 0 {
		return code
	}
	req := taxii.WithdrawRequest{Handle: strings.TrimSpace(*handleFlag), ObjectID: strings.TrimSpace(*objectFlag)}
	if req.Handle == "" && req.ObjectID == "" {
		req.Handle = strings.TrimSpace(env.Getenv("ISACHUB_WITHDRAWAL_HANDLE"))
	}
	if (req.Handle == "") == (req.ObjectID == "") {
		c.failf("give the withdrawal handle (--handle H or $ISACHUB_WITHDRAWAL_HANDLE) or, where the community keeps a sealed record, --object ID")
		c.fs.Usage()
		return exitUsage
	}
	body, err := json.Marshal(req)
	if err != nil {
		return c.failf("%v", err)
	}
	resp, err := hub.post(ctx, "withdrawing a submission", hub.Endpoint("withdraw"), body, http.StatusOK, nil)
	if err != nil {
		return c.fail(err)
	}
	if err := writeWithdrawal(env.Stdout, resp.Body); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// writeWithdrawal writes the hub's answer to a withdrawal: one line per
// object, and what became of a submission still waiting for moderation.
func writeWithdrawal(w io.Writer, body []byte) error {
	var ans taxii.Withdrawal
	if err := json.Unmarshal(body, &ans); err != nil {
		return fmt.Errorf("the hub's answer is not the expected JSON: %v", err)
	}
	for _, d := range ans.Revoked {
		fmt.Fprintf(w, "revoked\t%s\t%s\n", taxii.Printable(d.ID, 200), taxii.Printable(d.Version, 100))
	}
	for _, d := range ans.Unchanged {
		fmt.Fprintf(w, "unchanged\t%s\t%s\t%s\n", taxii.Printable(d.ID, 200), taxii.Printable(d.Version, 100), taxii.Printable(d.Message, 2000))
	}
	if ans.Status != nil {
		fmt.Fprintf(w, "The submission was still waiting for moderation and will not be published (status %s: %d objects withdrawn).\n",
			taxii.Printable(ans.Status.ID, 200), ans.Status.FailureCount)
	}
	if len(ans.Revoked) == 0 && len(ans.Unchanged) == 0 && ans.Status == nil {
		fmt.Fprintln(w, "Nothing was published under this handle.")
	}
	return nil
}
