package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

// TestTAXIIClient drives the hub with package taxii's client (issue 14,
// section 1), as a peer hub will: discovery, the API root, collections,
// adding objects and following the status, paging through every object
// with a small limit, the manifest, and the hub's refusals as errors that
// name the step.
func TestTAXIIClient(t *testing.T) {
	forBackends(t, func(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
		h := newHub(t, server.Config{})
		ctx := context.Background()
		client := func(user string) *taxii.Client {
			c, err := taxii.NewClient(h.srv.URL+root, taxii.ClientOptions{Auth: taxii.Bearer(h.tokens[user])})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		a := client("a-analyst")
		d, err := a.Discovery(ctx)
		if err != nil || !strings.Contains(strings.Join(d.APIRoots, " "), root) {
			t.Fatalf("discovery %+v, %v", d, err)
		}
		ar, err := a.APIRoot(ctx)
		if err != nil || ar.MaxContentLength <= 0 {
			t.Fatalf("API root %+v, %v", ar, err)
		}
		colls, err := a.Collections(ctx)
		if err != nil || len(colls) < 3 {
			t.Fatalf("collections %+v, %v", colls, err)
		}
		open := h.colls["open"].ID

		const n = 50
		body := indicators(0, n)
		st, err := a.AddObjects(ctx, open, body)
		if err != nil {
			t.Fatal(err)
		}
		if st, err = a.WaitStatus(ctx, st); err != nil || st.SuccessCount != n {
			t.Fatalf("status %+v, %v", st, err)
		}
		var sent taxii.Envelope
		if err := json.Unmarshal(body, &sent); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, o := range sent.Objects {
			var head struct{ ID string }
			json.Unmarshal(o, &head)
			want[head.ID] = string(o)
		}

		got := map[string]string{}
		pages := 0
		err = client("b-analyst").EachPage(ctx, open, taxii.PageQuery{Limit: 7, Match: map[string][]string{"type": {"indicator"}}},
			func(p *taxii.ObjectsPage) error {
				pages++
				for _, o := range p.Objects {
					var head struct{ ID string }
					json.Unmarshal(o, &head)
					if _, dup := got[head.ID]; dup {
						t.Errorf("%s came twice", head.ID)
					}
					got[head.ID] = string(o)
				}
				return nil
			})
		if err != nil || len(got) != n || pages != (n+6)/7 {
			t.Fatalf("%d objects in %d pages, %v", len(got), pages, err)
		}
		for id, raw := range want {
			if got[id] != raw {
				t.Errorf("%s came back as %s, not as sent", id, got[id])
			}
		}
		m, err := a.Manifest(ctx, open, taxii.PageQuery{Limit: 10})
		if err != nil || len(m.Objects) != 10 || !m.More || m.DateAddedLast.IsZero() {
			t.Fatalf("manifest %+v, %v", m, err)
		}

		// c may not read "restricted": the error says who answered what
		_, err = client("c-analyst").Objects(ctx, h.colls["restricted"].ID, taxii.PageQuery{})
		var ce *taxii.ClientError
		if !errors.As(err, &ce) || !ce.Answered() || ce.Status != http.StatusForbidden && ce.Status != http.StatusNotFound ||
			!strings.Contains(err.Error(), "getting objects of collection") {
			t.Errorf("c reading restricted: %v", err)
		}
	})
}
