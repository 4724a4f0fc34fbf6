package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

// TestInvalidText holds issue 13 item 2: an object whose strings are not
// UTF-8 (or hold a lone surrogate escape) is refused with a failure that
// names its path, on every input path, while the rest of the envelope goes
// on; and every reader's page stays valid JSON in UTF-8.
func TestInvalidText(t *testing.T) { forBackends(t, testInvalidText) }

func testInvalidText(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	bad := map[string]string{
		"InvalidBytes":  strings.Replace(indicator(1, "2026-01-01T00:00:00.000Z"), "Bad address 1", "Bad \xff\xfe address", 1),
		"LoneSurrogate": strings.Replace(indicator(2, "2026-01-01T00:00:00.000Z"), "Bad address 2", `Bad \ud800 address`, 1),
	}
	for name, obj := range bad {
		t.Run(name, func(t *testing.T) {
			t.Run("POST", func(t *testing.T) {
				st := h.post(t, "a-analyst", "open", envelope(obj, indicator(3, "2026-01-01T00:00:00.000Z")))
				if st.SuccessCount != 1 || st.FailureCount != 1 || len(st.Failures) != 1 {
					t.Fatalf("status %+v, want the good object stored and the bad one failed", st)
				}
				if msg := st.Failures[0].Message; !strings.Contains(msg, "name") || !strings.Contains(msg, "RFC 8259") {
					t.Fatalf("the failure does not name the path and the rule: %q", msg)
				}
			})
			for _, path := range []string{"objects", "preview"} {
				t.Run("Anonymous/"+path, func(t *testing.T) {
					e := h.do(t, req{method: http.MethodPost, path: root + "collections/" + h.colls["open"].ID + "/" + path + "/",
						user: "a-analyst", body: envelope(obj), header: http.Header{server.HeaderAnonymous: {"true"}}}).wantError(t, http.StatusUnprocessableEntity)
					if !strings.Contains(e.Description, "name") {
						t.Fatalf("the error does not name the path: %q", e.Description)
					}
				})
			}
		})
	}
	t.Run("Moderated", func(t *testing.T) {
		mod := &isachub.Collection{CommunityID: h.comm.ID, Title: "Moderated", Alias: "moderated", ReadAll: true, WriteAll: true, Moderated: true}
		if err := h.store.CreateCollection(t.Context(), mod); err != nil {
			t.Fatal(err)
		}
		h.colls["moderated"] = mod
		var st taxii.Status
		h.do(t, req{method: http.MethodPost, path: h.objectsURL("moderated"), user: "a-analyst", body: envelope(bad["InvalidBytes"])}).want(t, http.StatusAccepted, &st)
		if st.FailureCount != 1 || st.PendingCount != 0 {
			t.Fatalf("status %+v: the invalid object must fail, not wait for moderation", st)
		}
		queue, err := h.store.PendingSubmissions(t.Context(), mod.ID)
		if err != nil || len(queue) != 0 {
			t.Fatalf("the moderation queue holds %d submissions (%v)", len(queue), err)
		}
	})
	res := h.do(t, req{path: h.objectsURL("open") + "?limit=1000", user: "b-analyst"})
	if res.status != http.StatusOK || !utf8.Valid(res.body) || !json.Valid(res.body) {
		t.Fatalf("a reader's page: %d, UTF-8 %v, JSON %v", res.status, utf8.Valid(res.body), json.Valid(res.body))
	}
	if n := h.countObjects(t, "open"); n != 1 {
		t.Fatalf("%d objects stored, want the one valid indicator", n)
	}
}
