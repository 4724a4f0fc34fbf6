package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/isachub/isachub/taxii"
)

// The "isachub taxii" commands put taxii.Client in an operator's hands,
// against any TAXII 2.1 server (section 4 and 5 of the standard): its
// discovery resource, its collections, the objects or manifest of one,
// adding objects and following their status. Credentials, --cert, --key,
// --ca and --timeout are those of the member commands. Unlike them these
// retry, as taxii.Client does, on 429, 5xx and network errors: they read,
// and adding the same object version twice stores it once (section 5.4).
// (An isachub anonymous token makes each add a submission of its own,
// with a withdrawal handle that only isachub publish prints.)

// newTaxiiCmd is newClientCmd for the taxii commands: the server's URL,
// and --retries.
func newTaxiiCmd(env *Env, name, usage, urlHelp string) *clientCmd {
	c := newClientCmd(env, name, usage)
	c.fs.Lookup("url").Usage = urlHelp
	c.fs.Func("retries", "how many times a request that fails on the network, or with 429 or a 5xx, is tried again (default 4)", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errors.New("not a number of 0 or more")
		}
		c.retries = n
		if n == 0 {
			c.retries = -1 // taxii.ClientOptions' none
		}
		return nil
	})
	c.retries = 0 // taxii.ClientOptions' default
	return c
}

const apiRootHelp = "the server's API root URL, for example https://taxii.example/api1/"

// runTaxiiDiscover implements "isachub taxii discover": the server's
// discovery resource (section 4.1), as indented JSON.
func runTaxiiDiscover(ctx context.Context, env *Env, args []string) int {
	c := newTaxiiCmd(env, "taxii discover", "--url URL", "a URL of the server: its discovery resource is /taxii2/ on the URL's host")
	cl, code := c.parse(args, 0)
	if code >= 0 {
		return code
	}
	return c.printJSON(cl.Discovery(ctx))
}

// runTaxiiCollections implements "isachub taxii collections": the
// collections of an API root (section 5.1) that the caller may see, as a
// table or, with --json, the collections resource.
func runTaxiiCollections(ctx context.Context, env *Env, args []string) int {
	c := newTaxiiCmd(env, "taxii collections", "--url API_ROOT_URL [--json]", apiRootHelp)
	asJSON := c.fs.Bool("json", false, "print the collections resource as JSON instead of a table")
	cl, code := c.parse(args, 0)
	if code >= 0 {
		return code
	}
	colls, err := cl.Collections(ctx)
	if err != nil {
		return c.fail(err)
	}
	if *asJSON {
		return c.printJSON(taxii.Collections{Collections: colls}, nil)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tALIAS\tCAN READ\tCAN WRITE\tTITLE")
	for _, coll := range colls {
		alias := taxii.Printable(coll.Alias, 100)
		if alias == "" {
			alias = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", taxii.Printable(coll.ID, 100), alias, yesNo(coll.CanRead), yesNo(coll.CanWrite), taxii.Printable(coll.Title, 200))
	}
	if err := tw.Flush(); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// runTaxiiStatus implements "isachub taxii status": a status resource
// (section 4.3), as indented JSON.
func runTaxiiStatus(ctx context.Context, env *Env, args []string) int {
	c := newTaxiiCmd(env, "taxii status", "--url API_ROOT_URL --id STATUS_ID", apiRootHelp)
	id := c.fs.String("id", "", "the status resource's id, as the server answered an add")
	cl, code := c.parse(args, 0)
	if code >= 0 {
		return code
	}
	if *id == "" {
		return c.missing("--id")
	}
	return c.printJSON(cl.Status(ctx, *id))
}

// runTaxiiAdd implements "isachub taxii add": STIX content, each object's
// bytes as they are in the file, posted to a collection (section 5.4) in
// envelopes within the API root's max_content_length, then each status
// followed until it completes or --wait is over. The summary is publish's.
// Exit 0 when every object was accepted, 1 when some were refused.
func runTaxiiAdd(ctx context.Context, env *Env, args []string) int {
	c := newTaxiiCmd(env, "taxii add", "--url API_ROOT_URL --collection ID [--wait D] [--json] [FILE|-]", apiRootHelp)
	coll := c.fs.String("collection", "", "the collection's id")
	wait := c.fs.Duration("wait", time.Minute, "how long to wait, in all, for the statuses to complete (0: not at all)")
	asJSON := c.fs.Bool("json", false, "print each status resource, one JSON object per line, instead of a summary")
	cl, code := c.parse(args, 1)
	if code >= 0 {
		return code
	}
	if *coll == "" {
		return c.missing("--collection")
	}
	envelopes, sum, code := c.pack(ctx, cl)
	if code >= 0 {
		return code
	}
	progress := newProgress(env.Stderr, c.name, len(envelopes) > 1)
	sent := 0
	for n, e := range envelopes {
		st, err := cl.AddObjects(ctx, *coll, e.body)
		if err != nil {
			progress.done()
			if n > 0 {
				sum.print(env.Stdout, *asJSON)
				fmt.Fprintf(env.Stderr, "isachub %s: envelope %d of %d failed; envelopes 1 to %d (%d objects) were added, as printed.\n", c.name, n+1, len(envelopes), n, sent)
			}
			return c.fail(err)
		}
		sum.statuses = append(sum.statuses, *st)
		sent += e.count
		progress.update(n+1, len(envelopes), sent, sum.objects)
	}
	progress.done()
	pending, err := waitStatuses(ctx, cl, sum.statuses, *wait)
	if err := sum.print(env.Stdout, *asJSON); err != nil {
		return c.fail(err)
	}
	if err != nil {
		return c.fail(err)
	}
	for _, id := range pending {
		fmt.Fprintf(env.Stderr, "isachub %s: status %s is still pending after %s; follow it with isachub taxii status --id %s\n", c.name, id, *wait, id)
	}
	if refused := sum.refused(); refused > 0 {
		fmt.Fprintf(env.Stderr, "isachub %s: %d of %d objects were refused.\n", c.name, refused, sum.objects)
		return exitNegative
	}
	return exitOK
}

// waitStatuses follows each status that is not complete, in place, until
// it completes or wait is over, and returns the ids of those still
// pending then. An error is a failure to read a status.
func waitStatuses(ctx context.Context, cl *hubClient, statuses []taxii.Status, wait time.Duration) (pending []string, err error) {
	waitCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for i, st := range statuses {
		if st.Status == taxii.StatusComplete {
			continue
		}
		if waitCtx.Err() == nil {
			next, err := cl.WaitStatus(waitCtx, &st)
			statuses[i] = *next
			if err != nil && !(errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil) {
				return pending, err
			}
		}
		if statuses[i].Status != taxii.StatusComplete {
			pending = append(pending, taxii.Printable(statuses[i].ID, 100))
		}
	}
	return pending, nil
}
