package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

// importURL is the import endpoint of a collection by alias.
func (h *hub) importURL(alias, format string) string {
	return root + "collections/" + h.colls[alias].ID + "/import?format=" + format
}

// readFixture reads a converter's test document.
func readFixture(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestImport posts a MISP event and a STIX 1.x package to the import
// endpoint (issue 11): the converted objects are published as a TAXII POST
// of them would be, the answer is a status resource with the conversion
// report, and what is not a document of the format is refused with 422
// and leaves nothing behind.
func TestImport(t *testing.T) {
	forBackends(t, func(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
		h := newHub(t, server.Config{})
		event := readFixture(t, "../convert/misp/testdata/event.json")
		pkg := readFixture(t, "../convert/stix1/testdata/indicators.xml")

		t.Run("MISP", func(t *testing.T) {
			var st taxii.ImportStatus
			h.do(t, req{method: http.MethodPost, path: h.importURL("open", "misp"), user: "a-analyst",
				contentType: "application/json", accept: "application/json", body: event}).want(t, http.StatusAccepted, &st)
			rep := st.Report
			switch {
			case rep == nil:
				t.Fatal("no conversion report")
			case rep.Format != "misp" || rep.Objects == 0 || rep.Counts["event"]["converted"] != 1:
				t.Fatalf("report %+v", rep)
			case st.Status.Status != "complete" || st.TotalCount != rep.Objects || st.SuccessCount+st.FailureCount != rep.Objects:
				t.Fatalf("status %+v for %d converted objects", st.Status, rep.Objects)
			case len(rep.Entries) == 0:
				t.Error("the event's btc attribute and comment must be reported")
			}
			// the event is TLP:AMBER with one TLP:RED attribute: what comes
			// of that attribute is refused by the collection's TLP rule, as
			// it would be in a TAXII POST, and the rest is stored
			if st.FailureCount == 0 {
				t.Error("the TLP:RED attribute's objects must be refused in a collection open to every member")
			}
			for _, f := range st.Failures {
				if !strings.Contains(f.Message, "TLP:RED") {
					t.Errorf("failure %s: %s", f.ID, f.Message)
				}
			}
			if got := h.countObjects(t, "open"); got != st.SuccessCount {
				t.Errorf("%d objects stored, %d successes", got, st.SuccessCount)
			}
			// another member reads them over TAXII, exactly as converted
			var env taxii.Envelope
			h.do(t, req{path: h.objectsURL("open") + "?match[type]=report", user: "b-analyst"}).want(t, http.StatusOK, &env)
			if len(env.Objects) != 1 || !strings.Contains(string(env.Objects[0]), "Phishing campaign against the energy sector") {
				t.Fatalf("the report of the event: %s", clipBody(mustJSON(t, env)))
			}
			// the same event again is the same objects: nothing new
			var again taxii.ImportStatus
			h.do(t, req{method: http.MethodPost, path: h.importURL("open", "misp"), user: "a-analyst",
				contentType: "application/json", body: event}).want(t, http.StatusAccepted, &again)
			if again.SuccessCount != st.SuccessCount || h.countObjects(t, "open") != st.SuccessCount {
				t.Errorf("importing twice: %+v, %d objects", again.Status, h.countObjects(t, "open"))
			}
		})

		t.Run("STIX1", func(t *testing.T) {
			before := h.countObjects(t, "restricted")
			var st taxii.ImportStatus
			h.do(t, req{method: http.MethodPost, path: h.importURL("restricted", "stix1"), user: "a-analyst",
				contentType: "application/xml", body: pkg}).want(t, http.StatusAccepted, &st)
			if st.Report == nil || st.Report.Format != "stix1" || st.SuccessCount == 0 || st.SuccessCount != st.Report.Objects {
				t.Fatalf("status %+v, report %+v", st.Status, st.Report)
			}
			if got := h.countObjects(t, "restricted") - before; got != st.SuccessCount {
				t.Errorf("%d objects stored, %d successes", got, st.SuccessCount)
			}
		})

		t.Run("Refused", func(t *testing.T) {
			before := h.countObjects(t, "open")
			for _, tc := range []struct {
				name, user, alias, format string
				body                      []byte
				status                    int
				says                      string
			}{
				{"not MISP", "a-analyst", "open", "misp", []byte(`{"Event": [1, 2`), http.StatusUnprocessableEntity, "not a misp document: at $.Event"},
				{"XML as MISP", "a-analyst", "open", "misp", pkg, http.StatusUnprocessableEntity, "not a misp document"},
				{"MISP as STIX 1", "a-analyst", "open", "stix1", event, http.StatusUnprocessableEntity, "not a stix1 document"},
				{"no format", "a-analyst", "open", "", event, http.StatusBadRequest, "stix1 or misp"},
				{"unknown format", "a-analyst", "open", "openioc", event, http.StatusBadRequest, `not "openioc"`},
				{"not a writer", "b-analyst", "restricted", "misp", event, http.StatusForbidden, "may not write"},
				{"no token", "", "open", "misp", event, http.StatusUnauthorized, ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					res := h.do(t, req{method: http.MethodPost, path: h.importURL(tc.alias, tc.format), user: tc.user,
						contentType: "application/json", body: tc.body})
					e := res.wantError(t, tc.status)
					if !strings.Contains(e.Title+" "+e.Description, tc.says) {
						t.Errorf("the error %q / %q does not say %q", e.Title, e.Description, tc.says)
					}
				})
			}
			if got := h.countObjects(t, "open"); got != before {
				t.Errorf("refused imports stored %d objects", got-before)
			}
		})

		t.Run("Bounds", func(t *testing.T) {
			// a body over max_content_length, and a document that converts
			// to more objects than one POST may carry: 413, nothing stored
			small := newHub(t, server.Config{MaxContentLength: 7000, MaxEnvelopeObjects: 5})
			small.do(t, req{method: http.MethodPost, path: small.importURL("open", "stix1"), user: "a-analyst",
				contentType: "application/xml", body: pkg}).wantError(t, http.StatusRequestEntityTooLarge)
			e := small.do(t, req{method: http.MethodPost, path: small.importURL("open", "misp"), user: "a-analyst",
				contentType: "application/json", body: bytes.ReplaceAll(event, []byte("    "), nil)}).wantError(t, http.StatusRequestEntityTooLarge)
			if !strings.Contains(e.Description, "more than 5 objects") {
				t.Errorf("the error does not say the bound: %q", e.Description)
			}
			if n := small.countObjects(t, "open"); n != 0 {
				t.Errorf("%d objects stored", n)
			}
		})

		t.Run("AnonymousModerated", func(t *testing.T) {
			ctx := context.Background()
			tips := &isachub.Collection{CommunityID: h.comm.ID, Title: "Tips", Alias: "tips", ReadAll: true, WriteAll: true, Anonymous: true, Moderated: true}
			if err := h.store.CreateCollection(ctx, tips); err != nil {
				t.Fatal(err)
			}
			h.colls["tips"] = tips
			tip := []byte(`{"Event": {"uuid": "5e1f0000-0000-4000-8000-000000000001", "info": "Phishing wave", "date": "2026-12-01",
				"timestamp": "1796000000", "Orgc": {"name": "CIRCL", "uuid": "5e1f0000-0000-4000-8000-0000000000aa"},
				"Tag": [{"name": "tlp:amber"}], "Attribute": [
				{"uuid": "5e1f0000-0000-4000-8000-000000000002", "type": "domain", "category": "Network activity", "value": "login-member-a.example", "to_ids": true, "timestamp": "1796000000"},
				{"uuid": "5e1f0000-0000-4000-8000-000000000003", "type": "ip-dst", "category": "Network activity", "value": "192.0.2.80", "to_ids": false, "timestamp": "1796000000",
				 "Sighting": [{"type": "0", "date_sighting": "1796000100", "Organisation": {"name": "Member A"}}]}]}}`)
			var st taxii.ImportStatus
			res := h.do(t, req{method: http.MethodPost, path: h.importURL("tips", "misp"), user: "c-analyst",
				contentType: "application/json", body: tip, header: http.Header{server.HeaderAnonymous: {"true"}}}).want(t, http.StatusAccepted, &st)
			if !strings.HasPrefix(st.WithdrawalHandle, "isachub-withdraw_") || res.header.Get(server.HeaderWithdrawalHandle) != st.WithdrawalHandle {
				t.Fatalf("no withdrawal handle: %s", clipBody(res.body))
			}
			if st.PendingCount == 0 || st.PendingCount != st.TotalCount {
				t.Fatalf("a moderated collection must hold the import for review: %+v", st.Status)
			}
			// nothing names the event's creator or the submitting organisation
			raw := strings.ToLower(string(res.body))
			pending, err := h.store.PendingSubmissions(ctx, tips.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pending {
				raw += strings.ToLower(string(mustJSON(t, p.Objects)))
			}
			if len(pending) != 1 || len(pending[0].Objects) < st.PendingCount {
				t.Fatalf("%d pending submissions for %d pending objects", len(pending), st.PendingCount)
			}
			for _, word := range []string{"circl", "5e1f0000-0000-4000-8000-0000000000aa", "member a", "org c", "c-analyst"} {
				if strings.Contains(raw, strings.ToLower(word)) {
					t.Errorf("the anonymous import holds %q", word)
				}
			}
		})
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
