package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// FuzzAddObjects sends arbitrary bodies to the objects endpoint, through
// the whole request path (authentication, media type, size limit, parsing,
// validation, the SQLite store, the status resource). Every answer must be
// a TAXII resource with a status the endpoint may give, never a panic or a
// 500.
//
// Every execution writes to SQLite (a few hundred a second), so the
// fuzzer's default minimisation of each new input takes minutes; run it as
//
//	go test ./server -run '^$' -fuzz FuzzAddObjects -fuzzminimizetime 2s
//
// The body reader alone is fuzzed much faster by taxii.FuzzReadEnvelope.
func FuzzAddObjects(f *testing.F) {
	for _, s := range [][]byte{
		envelope(indicator(1, "2026-01-01T00:00:00.000Z")),
		envelope(indicator(2, "2026-01-01T00:00:00.000Z"), `{"type":"indicator"}`, `42`),
		[]byte(`{"objects":[]}`),
		[]byte(`{"objects":null}`),
		[]byte(`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[]}`),
		[]byte(`{"objects":[{"type":"x","id":"x--1","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","spec_version":"2.1"}]}`),
		[]byte(`[`),
		// TLP:RED in the open collection fails for that object (issue 6);
		// by marking and by granular marking.
		envelope(strings.Replace(indicator(3, "2026-01-01T00:00:00.000Z"), `"name"`, `"object_marking_refs":["`+stix.TLP2Red+`"],"name"`, 1)),
		envelope(strings.Replace(indicator(4, "2026-01-01T00:00:00.000Z"), `"name"`, `"granular_markings":[{"selectors":["name"],"marking_ref":"`+stix.TLP1Red+`"}],"name"`, 1)),
	} {
		f.Add(s)
	}
	h := newHub(f, server.Config{MaxContentLength: 1 << 16})
	handler := h.srv.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, h.objectsURL("open"), bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+h.tokens["a-analyst"])
		r.Header.Set("Content-Type", taxii.MediaTypeTAXII21)
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusAccepted:
			var st taxii.Status
			if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
				t.Fatalf("202 with a body that is not a status: %v", err)
			}
			if st.SuccessCount+st.FailureCount+st.PendingCount != st.TotalCount {
				t.Fatalf("status counts do not add up: %+v", st)
			}
			if st.SuccessCount > 0 {
				readBack(t, h, handler)
			}
		case http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge:
			var e taxii.Error
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Title == "" {
				t.Fatalf("%d with a body that is not an error resource: %s", w.Code, w.Body.Bytes())
			}
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body.Bytes())
		}
		if ct := w.Header().Get("Content-Type"); ct != taxii.MediaTypeTAXII21 {
			t.Fatalf("Content-Type %q", ct)
		}
	})
}

// FuzzAddAnonymous is FuzzAddObjects for anonymous submissions: arbitrary
// bodies go through anonymisation (package anon, with the organisation's
// redaction rules) and AddAnonymous. Every answer must be an anonymous
// status with a withdrawal handle whose counts add up, or an error
// resource; never a panic or a 500. Run it as
//
//	go test ./server -run '^$' -fuzz FuzzAddAnonymous -fuzzminimizetime 2s
func FuzzAddAnonymous(f *testing.F) {
	for _, s := range [][]byte{
		sableSubmission("2026-05-01T00:00:00.000Z"),
		envelope(indicator(1, "2026-01-01T00:00:00.000Z")),
		envelope(strings.Replace(indicator(2, "2026-01-01T00:00:00.000Z"), `"name":"Bad address 2"`, `"name":"seen at A-1234 on vpn.a.example"`, 1)),
		[]byte(`{"objects":[]}`),
		[]byte(`{"objects":[{"type":"x","id":"x--1","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","spec_version":"2.1"}]}`),
	} {
		f.Add(s)
	}
	h := newHub(f, server.Config{MaxContentLength: 1 << 16})
	org := *h.orgs["a"]
	org.Redaction = isachub.Redaction{Domains: []string{"a.example"}, IPRanges: []string{"198.51.100.0/25"}, Patterns: []string{`A-[0-9]+`}}
	if err := h.store.UpdateOrg(f.Context(), &org); err != nil {
		f.Fatal(err)
	}
	handler := h.srv.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, h.objectsURL("open"), bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+h.tokens["a-analyst"])
		r.Header.Set("Content-Type", taxii.MediaTypeTAXII21)
		r.Header.Set(server.HeaderAnonymous, "true")
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusAccepted:
			var st taxii.AnonymousStatus
			if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
				t.Fatalf("202 with a body that is not a status: %v", err)
			}
			if st.SuccessCount+st.FailureCount+st.PendingCount != st.TotalCount || st.WithdrawalHandle == "" {
				t.Fatalf("anonymous status: %s", w.Body.Bytes())
			}
			if bytes.Contains(w.Body.Bytes(), []byte("a.example")) {
				t.Fatalf("the status holds the declared domain: %s", w.Body.Bytes())
			}
			if st.SuccessCount > 0 {
				readBack(t, h, handler)
			}
		case http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge, http.StatusBadRequest:
			var e taxii.Error
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Title == "" {
				t.Fatalf("%d with a body that is not an error resource: %s", w.Code, w.Body.Bytes())
			}
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body.Bytes())
		}
	})
}

// readBack reads the open collection's latest page as a member of another
// organisation and fails unless it is valid JSON in UTF-8: what one member
// stored must never break another's client (issue 13 item 2).
func readBack(t *testing.T, h *hub, handler http.Handler) {
	r := httptest.NewRequest(http.MethodGet, h.objectsURL("open")+"?limit=1000", nil)
	r.Header.Set("Authorization", "Bearer "+h.tokens["b-analyst"])
	r.Header.Set("Accept", taxii.MediaTypeTAXII21)
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	if w.Code != http.StatusOK || !utf8.Valid(w.Body.Bytes()) || !json.Valid(w.Body.Bytes()) {
		t.Fatalf("reading back the collection: %d, UTF-8 %v, JSON %v", w.Code, utf8.Valid(w.Body.Bytes()), json.Valid(w.Body.Bytes()))
	}
}
