package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/isachub/isachub/taxii"
)

// bundle is a STIX 2.1 bundle (section 8).
type bundle struct {
	Type    string            `json:"type"`
	ID      string            `json:"id"`
	Objects []json.RawMessage `json:"objects"`
}

// runPreview implements "isachub preview": it asks the hub what an
// anonymous submission of the content would publish, without publishing
// it, and prints that as a STIX bundle; the id map, the dropped objects and
// the warnings go to standard error.
func runPreview(ctx context.Context, env *Env, args []string) int {
	c := newClientCmd(env, "preview", "--url API_ROOT_URL --collection ID_OR_ALIAS [FILE|-]")
	coll := c.fs.String("collection", "", "the collection's id or alias")
	hub, code := c.parse(args, 1)
	if code >= 0 {
		return code
	}
	envl, code := c.submission(coll)
	if code >= 0 {
		return code
	}
	resp, err := hub.post(ctx, fmt.Sprintf("previewing a submission to collection %q", *coll), hub.Endpoint("collections", *coll, "preview"), envl, http.StatusOK, nil)
	if err != nil {
		return c.fail(err)
	}
	if err := writePreview(env.Stdout, env.Stderr, resp.Body); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// writePreview writes the hub's preview answer: the objects as a bundle to
// stdout, the rest to stderr.
func writePreview(stdout, stderr io.Writer, body []byte) error {
	var ans taxii.Preview
	if err := json.Unmarshal(body, &ans); err != nil {
		return fmt.Errorf("the hub's preview is not the expected JSON: %v", err)
	}
	if err := writeJSON(stdout, bundle{Type: "bundle", ID: "bundle--" + uuid.NewString(), Objects: ans.Objects}); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "Published ids (submitted -> published):")
	for _, id := range slices.Sorted(maps.Keys(ans.IDs)) {
		fmt.Fprintf(stderr, "  %s -> %s\n", taxii.Printable(id, 200), taxii.Printable(ans.IDs[id], 200))
	}
	for _, id := range ans.Dropped {
		fmt.Fprintf(stderr, "Dropped (not published): %s\n", taxii.Printable(id, 200))
	}
	for _, wa := range ans.Warnings {
		fmt.Fprintf(stderr, "Warning: %s %s: %s\n", taxii.Printable(wa.ObjectID, 200), taxii.Printable(wa.Path, 200), taxii.Printable(wa.Message, 2000))
	}
	if ans.StableIDs {
		fmt.Fprintln(stderr, "The ids are stable: the same objects submitted again are published under the same ids, so a new version updates them.")
	} else {
		fmt.Fprintln(stderr, "The ids are re-minted at random on every submission (the community keeps no submitter record): the ids above are an example.")
	}
	return nil
}
