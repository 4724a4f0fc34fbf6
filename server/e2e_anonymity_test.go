package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
	"github.com/isachub/isachub/taxii"
)

// The adversarial suite of anonymous publishing (issue 6). Organisation S,
// "Sable Airways Holdings", publishes a submission anonymously: its own
// identity, a malware, an indicator whose description names S's SOC
// mailbox, VPN host, an address of S's network and an internal ticket, the
// relationship between them, a sighting "where sighted" at S, and a note.
// Every other user then tries every read path (objects, manifest, object,
// versions, status, search, moderation queue, error messages) and the
// server's own access log is read: none of them may hold S's name, slug,
// identity id, declared domain, address, IP or ticket, the ids S sent, or
// the username that posted. The positive controls check that what is
// published is still useful: consistent references, the community's
// identity as creator, the sector identity as where sighted.

// sable is what S declares and sends.
var sable = struct {
	name, slug, identity string
	redaction            isachub.Redaction
	ids                  map[string]string // key -> the id S sends
}{
	name:     "Sable Airways Holdings",
	slug:     "sable-airways",
	identity: "identity--5ab1e000-0d6c-4f51-9a6d-1c2a5ab1e000",
	redaction: isachub.Redaction{
		Domains:  []string{"sable-air.example"},
		Emails:   []string{"soc@sable-air.example"},
		IPRanges: []string{"203.0.113.0/24"},
		Patterns: []string{`SABLE-[0-9]+`},
	},
	ids: map[string]string{
		"malware":      "malware--5ab1e001-0d6c-4f51-9a6d-1c2a5ab1e001",
		"indicator":    "indicator--5ab1e002-0d6c-4f51-9a6d-1c2a5ab1e002",
		"relationship": "relationship--5ab1e003-0d6c-4f51-9a6d-1c2a5ab1e003",
		"sighting":     "sighting--5ab1e004-0d6c-4f51-9a6d-1c2a5ab1e004",
		"note":         "note--5ab1e005-0d6c-4f51-9a6d-1c2a5ab1e005",
	},
}

// sableSubmission is S's submission, every object at version modified.
func sableSubmission(modified string) []byte {
	ids := sable.ids
	common := func(typ string) string {
		return fmt.Sprintf(`"type":%q,"spec_version":"2.1","id":%q,"created":"2026-05-01T00:00:00.000Z","modified":%q,"created_by_ref":%q`,
			typ, ids[typ], modified, sable.identity)
	}
	return envelope(
		fmt.Sprintf(`{"type":"identity","spec_version":"2.1","id":%q,"created":"2026-05-01T00:00:00.000Z","modified":"2026-05-01T00:00:00.000Z","name":%q,"identity_class":"organization","contact_information":"soc@sable-air.example"}`,
			sable.identity, sable.name),
		`{`+common("malware")+`,"name":"Gravel loader","is_family":true,"malware_types":["dropper"]}`,
		`{`+common("indicator")+fmt.Sprintf(`,"name":"Gravel C2 beacon","description":"Seen by SOC@Sable-Air.example on vpn.sable-air.example from 203.0.113.77 (ticket SABLE-4411) at %s.","indicator_types":["malicious-activity"],"pattern":"[ipv4-addr:value = '198.51.100.99']","pattern_type":"stix","valid_from":"2026-05-01T00:00:00Z","object_marking_refs":[%q]}`,
			sable.name, stix.TLPMarkingID(stix.TLPGreen)),
		`{`+common("relationship")+fmt.Sprintf(`,"relationship_type":"indicates","source_ref":%q,"target_ref":%q}`, ids["indicator"], ids["malware"]),
		`{`+common("sighting")+fmt.Sprintf(`,"sighting_of_ref":%q,"where_sighted_refs":[%q],"count":3}`, ids["indicator"], sable.identity),
		`{`+common("note")+fmt.Sprintf(`,"content":"%s blocked %s at the perimeter.","object_refs":[%q,%q]}`, sable.name, ids["indicator"], ids["indicator"], ids["sighting"]),
	)
}

// anonHub is a hub where S publishes anonymously, with its server's access
// log kept.
type anonHub struct {
	*hub
	logs  *syncBuffer
	s     *isachub.Org
	staff *isachub.Org
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// newAnonHub sets S up with two users: s-anon, whose token is anonymous,
// and s-analyst, whose token is not. The ISAC's staff organisation has
// the analyst isac-analyst. Collection "tips" is anonymous and moderated.
func newAnonHub(t *testing.T, newHub func(testing.TB, server.Config) *hub) *anonHub {
	t.Helper()
	ctx := context.Background()
	h := &anonHub{hub: newHub(t, server.Config{}), logs: &syncBuffer{}}
	h.srv.Close()
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.srv = httptest.NewServer(server.New(server.Config{}, h.store, logger).Handler())
	t.Cleanup(h.srv.Close)

	h.s = &isachub.Org{CommunityID: h.comm.ID, Slug: sable.slug, Name: sable.name, IdentityID: sable.identity, Redaction: sable.redaction}
	h.staff = &isachub.Org{CommunityID: h.comm.ID, Slug: "isac", Name: "ACME ISAC staff", Staff: true}
	for _, o := range []*isachub.Org{h.s, h.staff} {
		if err := h.store.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	h.addUser(t, h.s, "s-analyst", isachub.RoleAnalyst, false)
	h.addUser(t, h.staff, "isac-analyst", isachub.RoleAnalyst, false)
	h.addUser(t, h.orgs["x"], "op-x", isachub.RoleAdmin, true)
	u := &isachub.User{OrgID: h.s.ID, Username: "s-anon", Role: isachub.RoleAnalyst}
	if err := h.store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	secret, hash, err := server.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.CreateToken(ctx, &isachub.Token{UserID: u.ID, Name: "anonymous", Hash: hash, Anonymous: true}); err != nil {
		t.Fatal(err)
	}
	h.tokens["s-anon"] = secret
	tips := &isachub.Collection{CommunityID: h.comm.ID, Title: "Tips", Alias: "tips", ReadAll: true, WriteAll: true, Anonymous: true, Moderated: true}
	if err := h.store.CreateCollection(ctx, tips); err != nil {
		t.Fatal(err)
	}
	h.colls["tips"] = tips
	return h
}

// postAnonymous posts body as user to the collection and checks that the
// answer is an anonymous status with a withdrawal handle.
func (h *anonHub) postAnonymous(t *testing.T, user, alias string, body []byte) taxii.AnonymousStatus {
	t.Helper()
	var st taxii.AnonymousStatus
	res := h.do(t, req{method: http.MethodPost, path: h.objectsURL(alias), user: user, body: body}).want(t, http.StatusAccepted, &st)
	if !strings.HasPrefix(st.WithdrawalHandle, "isachub-withdraw_") || res.header.Get(server.HeaderWithdrawalHandle) != st.WithdrawalHandle {
		t.Fatalf("no withdrawal handle in the answer: %s", clipBody(res.body))
	}
	return st
}

// secretWords is what no one but S may ever read about the submission.
func secretWords(extra ...string) []string {
	words := []string{strings.ToLower(sable.name), sable.slug, sable.identity, "sable-air.example", "soc@sable-air",
		"203.0.113.77", "sable-4411", "s-anon", "s-analyst"}
	for _, id := range sable.ids {
		words = append(words, id)
	}
	return append(words, extra...)
}

// leaks returns the secret words in a response, compared without case.
func leaks(raw string, words []string) []string {
	raw = strings.ToLower(raw)
	var found []string
	for _, w := range words {
		if strings.Contains(raw, strings.ToLower(w)) {
			found = append(found, w)
		}
	}
	return found
}

// published reads the latest version of every object of the collection
// as user, by published id.
func (h *anonHub) published(t *testing.T, user, alias string) map[string]map[string]any {
	t.Helper()
	var env struct{ Objects []map[string]any }
	h.do(t, req{path: h.objectsURL(alias) + "?limit=1000", user: user}).want(t, http.StatusOK, &env)
	out := map[string]map[string]any{}
	for _, o := range env.Objects {
		out[o["id"].(string)] = o
	}
	return out
}

func TestAnonymity(t *testing.T) { forBackends(t, testAnonymity) }

func testAnonymity(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newAnonHub(t, newHub)
	ctx := context.Background()
	comm, err := h.store.Community(ctx, h.comm.Slug)
	if err != nil {
		t.Fatal(err)
	}
	communityID, sectorID := anon.CommunityIdentity(comm).ID(), anon.SectorIdentity(comm).ID()

	// The preview shows exactly what publishing will store.
	var preview struct {
		Objects   []json.RawMessage
		IDs       map[string]string
		Dropped   []string
		StableIDs bool `json:"stable_ids"`
	}
	h.do(t, req{method: http.MethodPost, path: root + "collections/" + h.colls["open"].ID + "/preview/", user: "s-analyst",
		body: sableSubmission("2026-05-01T00:00:00.000Z")}).want(t, http.StatusOK, &preview)
	if !preview.StableIDs || !slices.Equal(preview.Dropped, []string{sable.identity}) || len(preview.IDs) != len(sable.ids) {
		t.Fatalf("preview: stable %v, dropped %v, ids %v", preview.StableIDs, preview.Dropped, preview.IDs)
	}
	// The preview is S's own, and its id map names the ids S sent; the
	// objects it would publish hold none of them.
	previewed, _ := json.Marshal(preview.Objects)
	if l := leaks(string(previewed), secretWords()); len(l) > 0 {
		t.Errorf("the previewed objects hold %v", l)
	}
	if n := h.countObjects(t, "open"); n != 0 {
		t.Fatalf("the preview stored %d objects", n)
	}

	st := h.postAnonymous(t, "s-anon", "open", sableSubmission("2026-05-01T00:00:00.000Z"))
	if st.Status.Status != isachub.StatusComplete || st.SuccessCount != len(sable.ids) || st.FailureCount != 0 || st.TotalCount != len(sable.ids) {
		t.Fatalf("status %+v", st.Status)
	}
	newID := preview.IDs
	for key, id := range sable.ids {
		if !strings.HasPrefix(newID[id], key+"--") || newID[id] == id {
			t.Errorf("%s re-minted as %q", id, newID[id])
		}
	}

	t.Run("OKPublishedIsUseful", func(t *testing.T) {
		objs := h.published(t, "b-analyst", "open")
		for _, raw := range preview.Objects {
			var o map[string]any
			json.Unmarshal(raw, &o)
			got, ok := objs[o["id"].(string)]
			if !ok {
				t.Errorf("previewed %s is not published", o["id"])
				continue
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(o)
			if string(g) != string(w) {
				t.Errorf("published %s differs from its preview:\n%s\n%s", o["id"], g, w)
			}
		}
		if _, ok := objs[communityID]; !ok {
			t.Errorf("the community's identity %s is not published with the submission", communityID)
		}
		// The hub serves both identities to every member, and they are
		// the ones published.
		var served struct{ Objects []map[string]any }
		h.do(t, req{path: root + "identity/", user: "c-analyst"}).want(t, http.StatusOK, &served)
		if len(served.Objects) != 2 || served.Objects[0]["id"] != communityID || served.Objects[1]["id"] != sectorID ||
			fmt.Sprint(served.Objects[0]) != fmt.Sprint(objs[communityID]) {
			t.Errorf("served identities: %v", served.Objects)
		}
		h.do(t, req{path: "/other-isac/identity/", user: "c-analyst"}).wantError(t, http.StatusNotFound)
		ind, sight, rel, note := objs[newID[sable.ids["indicator"]]], objs[newID[sable.ids["sighting"]]], objs[newID[sable.ids["relationship"]]], objs[newID[sable.ids["note"]]]
		if ind == nil || sight == nil || rel == nil || note == nil {
			t.Fatalf("published: %v", objs)
		}
		for _, o := range []map[string]any{ind, sight, rel, note} {
			if o["created_by_ref"] != communityID {
				t.Errorf("%s created_by_ref %v, want the community %s", o["id"], o["created_by_ref"], communityID)
			}
		}
		if fmt.Sprint(sight["where_sighted_refs"]) != fmt.Sprint([]any{sectorID}) || sight["sighting_of_ref"] != ind["id"] {
			t.Errorf("sighting refs: %v, %v", sight["where_sighted_refs"], sight["sighting_of_ref"])
		}
		if rel["source_ref"] != ind["id"] || rel["target_ref"] != newID[sable.ids["malware"]] {
			t.Errorf("relationship refs: %v -> %v", rel["source_ref"], rel["target_ref"])
		}
		if desc := ind["description"].(string); !strings.Contains(desc, "[REDACTED]") || !strings.Contains(desc, "Seen by") {
			t.Errorf("indicator description %q", desc)
		}
		if ind["pattern"] != "[ipv4-addr:value = '198.51.100.99']" {
			t.Errorf("the pattern changed: %v", ind["pattern"])
		}
	})

	var polled taxii.Status
	h.do(t, req{path: root + "status/" + st.ID + "/", user: "s-anon"}).want(t, http.StatusOK, &polled)
	if polled.ID != st.ID || polled.SuccessCount != len(sable.ids) {
		t.Errorf("the submitter polls %+v", polled)
	}

	t.Run("OKSealedRecordAndStableIDs", func(t *testing.T) {
		recs, err := h.store.AnonymousSubmissions(ctx, h.comm.ID, newID[sable.ids["indicator"]])
		if err != nil || len(recs) != 1 || recs[0].OrgID != h.s.ID {
			t.Fatalf("sealed record: %+v, %v", recs, err)
		}
		// A new version of the same objects updates them.
		st2 := h.postAnonymous(t, "s-anon", "open", sableSubmission("2026-05-02T00:00:00.000Z"))
		if st2.SuccessCount != len(sable.ids) {
			t.Fatalf("second version: %+v", st2.Status)
		}
		var vs taxii.Versions
		h.do(t, req{path: h.objectsURL("open") + newID[sable.ids["indicator"]] + "/versions/", user: "b-analyst"}).want(t, http.StatusOK, &vs)
		if len(vs.Versions) != 2 {
			t.Errorf("versions of the anonymous indicator: %v", vs.Versions)
		}
	})

	statusURL := root + "status/" + st.ID + "/"
	for _, user := range []string{"a-analyst", "b-analyst", "c-analyst", "a-reader", "x-analyst", "operator", "op-x", "isac-analyst"} {
		t.Run("Attacker-"+user, func(t *testing.T) {
			words := secretWords()
			paths := []string{h.objectsURL("open") + "?match[version]=all&limit=1000", root + "collections/" + h.colls["open"].ID + "/manifest/?match[version]=all&limit=1000",
				statusURL, root + "collections/", root}
			for _, id := range newID {
				paths = append(paths, h.objectsURL("open")+id+"/", h.objectsURL("open")+id+"/versions/")
			}
			for _, p := range paths {
				res := h.do(t, req{path: p, user: user})
				if l := leaks(rawBytes(res), words); len(l) > 0 {
					t.Errorf("GET %s reveals %v:\n%s", p, l, clipBody(res.body))
				}
			}
			// The ids S sent exist nowhere: asking for one answers what
			// asking for any unknown id answers.
			for _, id := range append(slices.Collect(maps.Values(sable.ids)), sable.identity) {
				res := h.do(t, req{path: h.objectsURL("open") + id + "/", user: user})
				fake := h.do(t, req{path: h.objectsURL("open") + indicatorID(777) + "/", user: user})
				if res.status != fake.status || strings.ReplaceAll(string(res.body), id, indicatorID(777)) != string(fake.body) {
					t.Errorf("GET of the id %s S sent answers %d %s", id, res.status, clipBody(res.body))
				}
			}
			// Publishing over the anonymous ids says nothing either.
			ind := strings.Replace(indicator(1, "2026-06-01T00:00:00.000Z"), indicatorID(1), newID[sable.ids["indicator"]], 1)
			res := h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: user, body: envelope(ind)})
			if l := leaks(rawBytes(res), words); len(l) > 0 {
				t.Errorf("POST over the anonymous indicator reveals %v:\n%s", l, clipBody(res.body))
			}
			if res.status == http.StatusAccepted {
				var st taxii.Status
				json.Unmarshal(res.body, &st)
				if st.FailureCount != 1 {
					t.Errorf("%s published a version of the anonymous indicator: %+v", user, st)
				}
			}
		})
	}

	t.Run("Search", func(t *testing.T) {
		for _, q := range []string{"Sable", "sable-air.example", "203.0.113.77", "SABLE-4411", "Airways"} {
			found, err := storetest.Searched(h.store.SearchObjects(ctx, isachub.UnrestrictedScope(h.colls["open"].ID), isachub.SearchQuery{Text: q, Limit: 100}))
			if err != nil {
				t.Fatal(err)
			}
			if len(found) > 0 {
				t.Errorf("search %q finds %d objects, first %s", q, len(found), found[0].ID)
			}
		}
		found, err := storetest.Searched(h.store.SearchObjects(ctx, isachub.UnrestrictedScope(h.colls["open"].ID), isachub.SearchQuery{Text: "Gravel", Limit: 100}))
		if err != nil || len(found) == 0 {
			t.Errorf("search Gravel: %d, %v (the positive control)", len(found), err)
		}
	})

	t.Run("Moderation", func(t *testing.T) { h.testModeration(t) })

	t.Run("Withdraw", func(t *testing.T) {
		bogus := h.do(t, req{method: http.MethodPost, path: root + "withdraw/", user: "b-analyst",
			contentType: "application/json", body: []byte(`{"handle":"isachub-withdraw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`)})
		bogus.wantError(t, http.StatusNotFound)
		if l := leaks(rawBytes(bogus), secretWords()); len(l) > 0 {
			t.Errorf("a wrong handle reveals %v", l)
		}
		var w struct {
			Revoked   []taxii.StatusDetail
			Unchanged []taxii.StatusDetail
		}
		h.do(t, req{method: http.MethodPost, path: root + "withdraw/", user: "s-analyst", contentType: "application/json",
			body: []byte(`{"handle":"` + st.WithdrawalHandle + `"}`)}).want(t, http.StatusOK, &w)
		if len(w.Revoked) != len(sable.ids) {
			t.Fatalf("withdrawal revoked %v, left %v", w.Revoked, w.Unchanged)
		}
		objs := h.published(t, "b-analyst", "open")
		for _, id := range sable.ids {
			o := objs[newID[id]]
			if o["revoked"] != true || o["created_by_ref"] != communityID {
				t.Errorf("after withdrawal %s: revoked %v, created_by_ref %v", newID[id], o["revoked"], o["created_by_ref"])
			}
		}
		w.Revoked, w.Unchanged = nil, nil
		h.do(t, req{method: http.MethodPost, path: root + "withdraw/", user: "s-analyst", contentType: "application/json",
			body: []byte(`{"handle":"` + st.WithdrawalHandle + `"}`)}).want(t, http.StatusOK, &w)
		if len(w.Revoked) != 0 || len(w.Unchanged) != len(sable.ids) {
			t.Errorf("a second withdrawal revoked %v", w.Revoked)
		}
	})

	t.Run("WithdrawByObject", func(t *testing.T) { h.testWithdrawByObject(t) })

	t.Run("AccessLog", func(t *testing.T) {
		logs := h.logs.String()
		if !strings.Contains(logs, "user=b-analyst") {
			t.Fatalf("the access log names no one: %s", clipBody([]byte(logs)))
		}
		// S's users only published anonymously, previewed, polled the
		// status of an anonymous submission and withdrew.
		for _, u := range []string{"s-anon", "s-analyst"} {
			if strings.Contains(logs, u) {
				t.Errorf("the access log names the anonymous submitter %s", u)
			}
		}
	})

	t.Run("PolicyNone", func(t *testing.T) {
		comm.SubmitterRecord = isachub.RecordNone
		if err := h.store.UpdateCommunity(ctx, comm); err != nil {
			t.Fatal(err)
		}
		first := h.postAnonymous(t, "s-anon", "open", sableSubmission("2026-05-03T00:00:00.000Z"))
		second := h.postAnonymous(t, "s-anon", "open", sableSubmission("2026-05-03T00:00:00.000Z"))
		if first.SuccessCount != len(sable.ids) || second.SuccessCount != len(sable.ids) {
			t.Fatalf("statuses %+v %+v", first.Status, second.Status)
		}
		ids := func(st taxii.AnonymousStatus) []string {
			var out []string
			for _, d := range st.Successes {
				out = append(out, d.ID)
			}
			return out
		}
		for _, id := range ids(first) {
			if slices.Contains(ids(second), id) {
				t.Errorf("without a record, two submissions share the id %s", id)
			}
			recs, err := h.store.AnonymousSubmissions(ctx, h.comm.ID, id)
			if err != nil || len(recs) != 1 || recs[0].OrgID != 0 {
				t.Errorf("record of %s under policy none: %+v, %v", id, recs, err)
			}
		}
		// Without a record, only the handle can withdraw.
		h.do(t, req{method: http.MethodPost, path: root + "withdraw/", user: "s-analyst", contentType: "application/json",
			body: []byte(`{"object_id":"` + first.Successes[0].ID + `"}`)}).wantError(t, http.StatusBadRequest)
		stored, err := h.store.Status(ctx, h.comm.ID, first.ID)
		if err != nil || stored.OrgID != 0 {
			t.Errorf("the stored status names organisation %d (%v)", stored.OrgID, err)
		}
	})
}

// testModeration: S's submission to the anonymous, moderated tips
// collection waits for the ISAC's analyst; until then no reader sees it,
// and the analyst does not learn who sent it either.
func (h *anonHub) testModeration(t *testing.T) {
	words := secretWords()
	st := h.postAnonymous(t, "s-analyst", "tips", sableSubmission("2026-05-01T00:00:00.000Z"))
	if st.Status.Status != isachub.StatusPending || st.PendingCount != len(sable.ids) || st.SuccessCount != 0 {
		t.Fatalf("status of a moderated submission: %+v", st.Status)
	}
	if len(h.published(t, "b-analyst", "tips")) != 0 {
		t.Fatal("a reader sees a pending submission")
	}
	pendingURL := root + "collections/" + h.colls["tips"].ID + "/pending/"
	h.do(t, req{path: pendingURL, user: "b-analyst"}).wantError(t, http.StatusForbidden)
	var queue struct {
		Pending []struct {
			ID           string
			Anonymous    bool
			Organisation string
			Objects      []json.RawMessage
		}
	}
	res := h.do(t, req{path: pendingURL, user: "isac-analyst"}).want(t, http.StatusOK, &queue)
	if len(queue.Pending) != 1 || queue.Pending[0].ID != st.ID || !queue.Pending[0].Anonymous || queue.Pending[0].Organisation != "" {
		t.Fatalf("queue: %s", clipBody(res.body))
	}
	if l := leaks(rawBytes(res), words); len(l) > 0 {
		t.Errorf("the moderation queue reveals %v to the ISAC's analyst", l)
	}
	h.do(t, req{method: http.MethodPost, path: pendingURL + st.ID + "/approve/", user: "b-analyst"}).wantError(t, http.StatusForbidden)

	var done taxii.Status
	h.do(t, req{method: http.MethodPost, path: pendingURL + st.ID + "/approve/", user: "isac-analyst"}).want(t, http.StatusOK, &done)
	if done.Status != isachub.StatusComplete || done.SuccessCount != len(sable.ids) || done.PendingCount != 0 {
		t.Fatalf("approved status: %+v", done)
	}
	var polled taxii.Status
	h.do(t, req{path: root + "status/" + st.ID + "/", user: "s-analyst"}).want(t, http.StatusOK, &polled)
	if polled.Status != isachub.StatusComplete || polled.SuccessCount != len(sable.ids) {
		t.Errorf("the submitter polls %+v", polled)
	}
	if got := h.published(t, "b-analyst", "tips"); len(got) != len(sable.ids)+2 {
		t.Errorf("after approval a reader sees %d objects, want %d", len(got), len(sable.ids)+2)
	}

	// A rejected submission publishes nothing and says why.
	st2 := h.postAnonymous(t, "s-analyst", "tips", sableSubmission("2026-05-09T00:00:00.000Z"))
	h.do(t, req{method: http.MethodPost, path: pendingURL + st2.ID + "/reject/", user: "isac-analyst", contentType: "application/json",
		body: []byte(`{"reason":"duplicate of an earlier tip"}`)}).want(t, http.StatusOK, &done)
	if done.FailureCount != len(sable.ids) || !strings.Contains(done.Failures[0].Message, "duplicate of an earlier tip") {
		t.Errorf("rejected status: %+v", done)
	}
	// A submission withdrawn before approval leaves the queue.
	st3 := h.postAnonymous(t, "s-analyst", "tips", sableSubmission("2026-05-10T00:00:00.000Z"))
	var w struct{ Status *taxii.Status }
	h.do(t, req{method: http.MethodPost, path: root + "withdraw/", user: "s-analyst", contentType: "application/json",
		body: []byte(`{"handle":"` + st3.WithdrawalHandle + `"}`)}).want(t, http.StatusOK, &w)
	if w.Status == nil || w.Status.FailureCount != len(sable.ids) {
		t.Errorf("withdrawn pending submission: %+v", w.Status)
	}
	h.do(t, req{path: pendingURL, user: "isac-analyst"}).want(t, http.StatusOK, &queue)
	if len(queue.Pending) != 0 {
		t.Errorf("the queue still holds %d submissions", len(queue.Pending))
	}
	if got := h.published(t, "b-analyst", "tips"); len(got) != len(sable.ids)+2 {
		t.Errorf("after rejection and withdrawal a reader sees %d objects", len(got))
	}
}

// testWithdrawByObject: under the sealed record S may withdraw without the
// handle, naming an object; that withdraws every anonymous submission of
// S that published it (here the approved one in tips; those in open were
// withdrawn already). Others, naming the same object, learn nothing.
func (h *anonHub) testWithdrawByObject(t *testing.T) {
	var tipsIndicator string
	for id := range h.published(t, "b-analyst", "tips") {
		if strings.HasPrefix(id, "indicator--") {
			tipsIndicator = id
		}
	}
	byObject := func(user, id string) *response {
		return h.do(t, req{method: http.MethodPost, path: root + "withdraw/", user: user, contentType: "application/json",
			body: []byte(`{"object_id":"` + id + `"}`)})
	}
	for _, user := range []string{"b-analyst", "isac-analyst", "operator"} {
		res, fake := byObject(user, tipsIndicator), byObject(user, indicatorID(778))
		res.header.Del("Date")
		fake.header.Del("Date")
		if res.status != http.StatusNotFound || strings.ReplaceAll(rawBytes(res), tipsIndicator, indicatorID(778)) != rawBytes(fake) {
			t.Errorf("%s withdrawing S's object by id answers %d %s", user, res.status, clipBody(res.body))
		}
	}
	var w taxii.Withdrawal
	byObject("s-analyst", tipsIndicator).want(t, http.StatusOK, &w)
	if len(w.Revoked) != len(sable.ids) {
		t.Errorf("S withdrawing by object id revoked %v", w.Revoked)
	}
	for id, o := range h.published(t, "b-analyst", "tips") {
		if !strings.HasPrefix(id, "identity--") && o["revoked"] != true {
			t.Errorf("after withdrawal by object id, %s in tips is not revoked", id)
		}
	}
}

// statusFails is a store whose CreateStatus fails.
type statusFails struct{ isachub.Store }

func (statusFails) CreateStatus(context.Context, *isachub.Status) error {
	return isachub.Errorf(isachub.EINTERNAL, "the status table is full")
}

// TestAnonymousAnswerSurvivesStatusFailure: once an anonymous submission
// is published, its answer reaches the submitter with the withdrawal
// handle even when its status cannot be stored, since the hub may know no
// other way to let it withdraw.
func TestAnonymousAnswerSurvivesStatusFailure(t *testing.T) {
	h := newAnonHub(t, newHub)
	h.srv.Close()
	h.srv = httptest.NewServer(server.New(server.Config{}, statusFails{h.store}, nil).Handler())
	t.Cleanup(h.srv.Close)
	st := h.postAnonymous(t, "s-anon", "open", sableSubmission("2026-05-01T00:00:00.000Z"))
	if st.SuccessCount != len(sable.ids) || st.ID == "" {
		t.Fatalf("status %+v", st.Status)
	}
	var w taxii.Withdrawal
	h.do(t, req{method: http.MethodPost, path: root + "withdraw/", user: "s-anon", contentType: "application/json",
		body: []byte(`{"handle":"` + st.WithdrawalHandle + `"}`)}).want(t, http.StatusOK, &w)
	if len(w.Revoked) != len(sable.ids) {
		t.Errorf("withdrawal revoked %v", w.Revoked)
	}
}
