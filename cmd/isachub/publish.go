package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

// runPublish implements "isachub publish": it adds STIX content to a
// collection of the hub (TAXII 2.1 section 5.4) and prints the status
// resource. An anonymous submission's withdrawal handle goes to standard
// error only, never into the printed status. Exit 0 when every object was
// accepted (stored or pending), 1 when the hub refused the submission or
// some of its objects.
func runPublish(ctx context.Context, env *Env, args []string) int {
	c := newClientCmd(env, "publish", "--url API_ROOT_URL --collection ID_OR_ALIAS [--anonymous] [FILE|-]")
	coll := c.fs.String("collection", "", "the collection's id or alias")
	anonymous := c.fs.Bool("anonymous", false, "publish this submission anonymously, under the community's identity (see isachub preview)")
	hub, code := c.parse(args, 1)
	if code >= 0 {
		return code
	}
	envl, code := c.submission(coll)
	if code >= 0 {
		return code
	}
	var extra map[string]string
	if *anonymous {
		extra = map[string]string{server.HeaderAnonymous: "true"}
	}
	resp, err := hub.post(ctx, hub.endpoint("collections", *coll, "objects"), envl, http.StatusAccepted, extra)
	if err != nil {
		return c.fail(err)
	}
	var ans taxii.AnonymousStatus
	if err := json.Unmarshal(resp.body, &ans); err != nil {
		return c.fail(fmt.Errorf("the hub's status resource is not the expected JSON: %v", err))
	}
	if err := writeJSON(env.Stdout, ans.Status); err != nil {
		return c.fail(err)
	}
	handle := resp.header.Get(server.HeaderWithdrawalHandle)
	if handle == "" {
		handle = ans.WithdrawalHandle
	}
	handle = hubText(handle, 200)
	if handle != "" {
		fmt.Fprintf(env.Stderr, "Withdrawal handle: %s\n", handle)
		fmt.Fprintln(env.Stderr, "Keep it secret: whoever holds it can withdraw this submission, and it is shown only this once (isachub withdraw --handle, or $ISACHUB_WITHDRAWAL_HANDLE).")
	} else if *anonymous {
		fmt.Fprintln(env.Stderr, "The hub answered no withdrawal handle.")
	}
	if ans.FailureCount > 0 {
		fmt.Fprintf(env.Stderr, "isachub publish: %d of %d objects were refused.\n", ans.FailureCount, ans.TotalCount)
		return exitNegative
	}
	return exitOK
}
