package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/isachub/isachub/server"
)

// TestWebConfidentiality extends the adversarial suite (S's objects of
// every TLP, in the open collection and in its sharing group's) to the
// web UI: no page, count, chart, search result or IOC look-up shows an
// outsider what the TAXII API hides from them, and an object page of a
// secret id answers like one of an id that does not exist.
func TestWebConfidentiality(t *testing.T) {
	forBackends(t, func(t *testing.T, newHub func(testing.TB, server.Config) *hub) { testWebConfidentiality(t, newHub) })
}

func testWebConfidentiality(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newConfidential(t, newHub)
	for _, a := range attackers() {
		t.Run(a.user, func(t *testing.T) {
			words, fakes := h.secrets(a)
			b := h.browser(t)
			b.signInAs(a.user)
			paths := []string{"/ui/", "/ui/?days=90", "/ui/collections", "/ui/publish", "/ui/tokens", "/ui/moderation"}
			if !strings.HasPrefix(a.user, "op-") {
				// The hub operators administer every community, and so
				// see its organisations' names and its collections, as
				// the README says; the others may not open the page.
				paths = append(paths, "/ui/admin", "/ui/admin?q=cormorant")
			}
			for _, o := range h.objs {
				paths = append(paths, "/ui/search?q="+url.QueryEscape(o.name), "/ui/search?q="+url.QueryEscape(o.name+".example"),
					"/ui/search?q=Beacon&type=indicator", "/ui/objects/"+o.id(), "/ui/objects/"+o.id()+"/json")
			}
			for _, w := range h.talk {
				if strings.Contains(w, "--") {
					paths = append(paths, "/ui/objects/"+w)
				}
			}
			for _, c := range h.colls {
				paths = append(paths, "/ui/collections/"+c.ID)
			}
			sable := fmt.Sprint(h.hooks["sable"].ID)
			paths = append(paths, "/ui/webhooks", "/ui/webhooks/"+sable, "/ui/webhooks/"+fmt.Sprint(h.hooks["b"].ID))
			for _, path := range paths {
				p := b.get(path)
				if p.status >= 500 {
					t.Fatalf("GET %s: %d %.300s", path, p.status, p.body)
				}
				asked, _ := url.QueryUnescape(path)
				for _, w := range words {
					// A word the request itself holds is echoed (the
					// query, the id asked for): that tells nothing.
					if strings.Contains(p.body, w) && !strings.Contains(asked, w) {
						t.Errorf("GET %s shows %q to %s", path, w, a.user)
					}
				}
				if fake := replaceAll(path, fakes); fake != path {
					fp := b.get(fake)
					if fp.status != p.status || replaceAll(p.body, fakes) != fp.body {
						t.Errorf("GET %s answers otherwise (%d) than for an id that does not exist (%d)", path, p.status, fp.status)
					}
				}
			}
			// S's webhook answers like one that does not exist.
			missing := h.missingWebhook()
			got, none := b.get("/ui/webhooks/"+sable), b.get("/ui/webhooks/"+missing)
			if got.status != http.StatusNotFound || strings.ReplaceAll(got.body, "&#34;"+sable+"&#34;", "&#34;"+missing+"&#34;") != none.body {
				t.Errorf("GET /ui/webhooks/%s answers %d, otherwise than a webhook that does not exist", sable, got.status)
			}
			// Nor may it be revived: the answer is a missing webhook's, and
			// nothing of it changes.
			before, err := h.store.Webhooks(t.Context(), h.comm.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, none = b.post("/ui/webhooks/"+sable+"/revive", url.Values{}), b.post("/ui/webhooks/"+missing+"/revive", url.Values{})
			if got.status != http.StatusNotFound || strings.ReplaceAll(got.body, "&#34;"+sable+"&#34;", "&#34;"+missing+"&#34;") != none.body {
				t.Errorf("POST /ui/webhooks/%s/revive answers %d, otherwise than for a webhook that does not exist", sable, got.status)
			}
			after, err := h.store.Webhooks(t.Context(), h.comm.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("an attacker's revive changed webhooks:\n%s", diff)
			}
			// What the attacker may see is found, so the probes above ran.
			for _, o := range h.objs {
				if a.sees(o) && !o.refused && o.alias == "open" && a.user != "op-x" {
					b.get("/ui/objects/"+o.id()).want(t, http.StatusOK)
					break
				}
			}
		})
	}
}
