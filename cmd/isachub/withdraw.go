package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/isachub/isachub/taxii"
)

// withdrawAnswer is the hub's answer to a withdrawal
// (server/ext_anonymous.go).
type withdrawAnswer struct {
	Revoked   []taxii.StatusDetail `json:"revoked"`
	Unchanged []taxii.StatusDetail `json:"unchanged"`
	Status    *taxii.Status        `json:"status"`
}

// runWithdraw implements "isachub withdraw": with the handle an anonymous
// submission answered, it revokes what the submission published, or takes
// it out of the moderation queue, and prints what changed.
func runWithdraw(ctx context.Context, env *Env, args []string) int {
	c := newClientCmd(env, "withdraw", "--url API_ROOT_URL [--handle H]")
	handleFlag := c.fs.String("handle", "", "the withdrawal handle (default $ISACHUB_WITHDRAWAL_HANDLE, which other users cannot see in the process list)")
	hub, code := c.parse(args, 0)
	if code >= 0 {
		return code
	}
	handle := strings.TrimSpace(*handleFlag)
	if handle == "" {
		handle = strings.TrimSpace(env.Getenv("ISACHUB_WITHDRAWAL_HANDLE"))
	}
	if handle == "" {
		c.failf("the withdrawal handle is required: --handle H or $ISACHUB_WITHDRAWAL_HANDLE")
		c.fs.Usage()
		return exitUsage
	}
	body, err := json.Marshal(map[string]string{"handle": handle})
	if err != nil {
		return c.failf("%v", err)
	}
	resp, err := hub.post(ctx, hub.endpoint("withdraw"), body, http.StatusOK, nil)
	if err != nil {
		return c.fail(err)
	}
	var ans withdrawAnswer
	if err := json.Unmarshal(resp.body, &ans); err != nil {
		return c.failf("the hub's answer is not the expected JSON: %v", err)
	}
	w := env.Stdout
	for _, d := range ans.Revoked {
		fmt.Fprintf(w, "revoked\t%s\t%s\n", d.ID, d.Version)
	}
	for _, d := range ans.Unchanged {
		fmt.Fprintf(w, "unchanged\t%s\t%s\t%s\n", d.ID, d.Version, d.Message)
	}
	if ans.Status != nil {
		fmt.Fprintf(w, "The submission was still waiting for moderation and will not be published (status %s: %d objects withdrawn).\n",
			ans.Status.ID, ans.Status.FailureCount)
	}
	if len(ans.Revoked) == 0 && len(ans.Unchanged) == 0 && ans.Status == nil {
		fmt.Fprintln(w, "Nothing was published under this handle.")
	}
	return exitOK
}
