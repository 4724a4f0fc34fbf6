package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/isachub/isachub/server"
)

// pyClient sends exactly the requests of the OASIS taxii2client (Python,
// taxii2client/v21 and common.py, version 2.3): HTTP Basic on every request,
// its User-Agent, "Accept: application/taxii+json;version=2.1" on GETs and
// DELETEs, the same Accept and Content-Type on POSTs, query parameters as
// _filter_kwargs_to_query_params builds them, and its check of the response
// Content-Type (valid_content_type).
type pyClient struct {
	t          *testing.T
	http       *http.Client
	user, pass string
}

const pyMediaType = "application/taxii+json;version=2.1" // MEDIA_TYPE_TAXII_V21

func (c *pyClient) send(method, u string, params url.Values, body []byte, headers map[string]string) (*http.Response, []byte) {
	c.t.Helper()
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequest(method, u, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	r.SetBasicAuth(c.user, c.pass)
	r.Header.Set("User-Agent", "taxii2-client/2.3.0")
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	resp, err := c.http.Do(r)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if resp.StatusCode >= 400 { // raise_for_status
		c.t.Fatalf("%s %s: HTTP %d: %s", method, u, resp.StatusCode, clipBody(data))
	}
	return resp, data
}

// get is _HTTPConnection.get: it raises unless the Content-Type carries
// every token of the Accept header and starts with application/taxii+json.
func (c *pyClient) get(u string, params url.Values, v any) http.Header {
	c.t.Helper()
	resp, data := c.send(http.MethodGet, u, params, nil, map[string]string{"Accept": pyMediaType})
	ct := strings.Split(strings.ReplaceAll(resp.Header.Get("Content-Type"), " ", ""), ";")
	for _, tok := range strings.Split(pyMediaType, ";") {
		found := false
		for _, c := range ct {
			found = found || c == tok
		}
		if !found || ct[0] != "application/taxii+json" {
			c.t.Fatalf("GET %s: Content-Type %q fails valid_content_type", u, resp.Header.Get("Content-Type"))
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		c.t.Fatalf("GET %s: %v", u, err)
	}
	return resp.Header
}

// urljoin is Python's urllib.parse.urljoin for the URLs involved.
func urljoin(t *testing.T, base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	r, err := url.Parse(ref)
	if err != nil {
		t.Fatal(err)
	}
	return b.ResolveReference(r).String()
}

// asPages is taxii2client.v21.as_pages: the first request with
// limit=per_request, then with the same limit and next until more is false.
func asPages(c *pyClient, u string, perRequest int, filters url.Values, each func(page map[string]any)) {
	c.t.Helper()
	params := url.Values{}
	for k, v := range filters {
		params[k] = v
	}
	if perRequest != 0 { // a falsy limit is not sent
		params.Set("limit", fmt.Sprint(perRequest))
	}
	for i := 0; ; i++ {
		if i > 10000 {
			c.t.Fatal("as_pages does not end")
		}
		var page map[string]any
		c.get(u, params, &page)
		each(page)
		if more, _ := page["more"].(bool); !more {
			return
		}
		objs, _ := page["objects"].([]any)
		if i == 0 && len(objs) != perRequest {
			params.Set("limit", fmt.Sprint(len(objs)))
		}
		next, _ := page["next"].(string)
		if next == "" {
			c.t.Fatal("more without next: taxii2client would request the same page forever")
		}
		params.Set("next", next)
	}
}

// TestTaxii2ClientFlow follows a taxii2client session: Server (discovery),
// ApiRoot (information and collections), Collection.get_objects paged with
// as_pages, with added_after, get_manifest, object_versions, get_object,
// add_objects waiting for the status, ApiRoot.get_status and delete_object.
func TestTaxii2ClientFlow(t *testing.T) { forBackends(t, testTaxii2ClientFlow) }

func testTaxii2ClientFlow(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	h.post(t, "b-analyst", "open", indicators(0, 250))
	c := &pyClient{t: t, http: h.srv.Client(), user: "a-analyst", pass: "pw-a-analyst"}

	// Server(url).refresh(): title is required; api_roots are urljoin'ed.
	serverURL := h.srv.URL + "/taxii2/"
	var disc map[string]any
	c.get(serverURL, nil, &disc)
	if disc["title"] == nil {
		t.Fatal("No 'title' in Server Discovery")
	}
	roots, _ := disc["api_roots"].([]any)
	if len(roots) != 1 || disc["default"] != roots[0] {
		t.Fatalf("api_roots %v default %v", roots, disc["default"])
	}
	rootURL := urljoin(t, serverURL, roots[0].(string))

	// ApiRoot.refresh_information(): title, versions, max_content_length.
	var info map[string]any
	c.get(rootURL, nil, &info)
	if info["title"] == nil || info["versions"] == nil || info["max_content_length"] == nil {
		t.Fatalf("API root %v", info)
	}

	// ApiRoot.refresh_collections(): collection url = url + id + "/"; id,
	// title, can_read and can_write are required, and the id must be in the url.
	var colls struct{ Collections []map[string]any }
	c.get(rootURL+"collections/", nil, &colls)
	var collURL string
	for _, item := range colls.Collections {
		id, _ := item["id"].(string)
		u := rootURL + "collections/" + id + "/"
		if id == "" || item["title"] == nil || item["can_read"] == nil || item["can_write"] == nil || !strings.Contains(u, id) {
			t.Fatalf("collection %v", item)
		}
		if item["alias"] == "open" {
			collURL = u
			var again map[string]any
			c.get(u, nil, &again) // Collection.refresh()
			if again["id"] != id {
				t.Fatalf("collection refresh %v", again)
			}
		}
	}
	if collURL == "" {
		t.Fatal("collection open not listed")
	}

	// as_pages(collection.get_objects, per_request=100)
	seen := map[string]bool{}
	asPages(c, collURL+"objects/", 100, nil, func(page map[string]any) {
		for _, o := range page["objects"].([]any) {
			id := o.(map[string]any)["id"].(string)
			if seen[id] {
				t.Fatalf("%s twice", id)
			}
			seen[id] = true
		}
	})
	if len(seen) != 250 {
		t.Fatalf("as_pages got %d objects", len(seen))
	}

	// get_objects(added_after=...) with a datetime formatted by
	// _format_datetime (microseconds, trailing zeros stripped).
	var first map[string]any
	hdr := c.get(collURL+"objects/", url.Values{"limit": {"50"}}, &first)
	last := hdr.Get("X-TAXII-Date-Added-Last")
	var rest map[string]any
	c.get(collURL+"objects/", url.Values{"added_after": {last}, "match[type]": {"indicator"}}, &rest)
	if n := len(rest["objects"].([]any)); n != 100 { // 200 left, default page 100
		t.Errorf("added_after page has %d objects", n)
	}

	// as_pages(collection.get_manifest, per_request=100, version="all")
	records := 0
	asPages(c, collURL+"manifest/", 100, url.Values{"match[version]": {"all"}}, func(page map[string]any) {
		for _, r := range page["objects"].([]any) {
			rec := r.(map[string]any)
			if rec["id"] == nil || rec["date_added"] == nil || rec["version"] == nil {
				t.Fatalf("manifest record %v", rec)
			}
			records++
		}
	})
	if records != 250 {
		t.Errorf("manifest has %d records", records)
	}

	// add_objects(envelope dict, wait_for_completion=True)
	env := map[string]any{"objects": []json.RawMessage{
		json.RawMessage(indicator(9000, "2026-01-01T00:00:00.000Z")),
		json.RawMessage(indicator(9000, "2026-02-01T00:00:00.000Z")),
		json.RawMessage(`{"type":"indicator","id":"indicator--nope"}`),
	}}
	data, _ := json.Marshal(env)
	resp, body := c.send(http.MethodPost, collURL+"objects/", nil, data, map[string]string{"Accept": pyMediaType, "Content-Type": pyMediaType})
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST answered %d", resp.StatusCode)
	}
	var st map[string]any
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	checkPyStatus(t, st)
	statusURL := urljoin(t, collURL, "../../status/"+st["id"].(string)) + "/" // _TAXIIEndpoint adds the slash
	for polls := 0; st["status"] != "complete"; polls++ {
		if polls > 60 {
			t.Fatal("status never completes")
		}
		c.get(statusURL, nil, &st)
		checkPyStatus(t, st)
	}
	if st["success_count"].(float64) != 2 || st["failure_count"].(float64) != 1 {
		t.Errorf("status %v", st)
	}
	var got map[string]any
	c.get(rootURL+"status/"+st["id"].(string)+"/", nil, &got) // ApiRoot.get_status
	checkPyStatus(t, got)

	// object_versions and get_object
	id := indicatorID(9000)
	var versions struct{ Versions []string }
	c.get(collURL+"objects/"+id+"/versions/", nil, &versions)
	if len(versions.Versions) != 2 {
		t.Errorf("versions %v", versions)
	}
	var obj struct{ Objects []map[string]any }
	c.get(collURL+"objects/"+id+"/", url.Values{"match[version]": {"first"}}, &obj)
	if len(obj.Objects) != 1 || obj.Objects[0]["modified"] != "2026-01-01T00:00:00.000Z" {
		t.Errorf("get_object %v", obj)
	}

	// delete_object: DELETE with the Accept header; raise_for_status only.
	c.send(http.MethodDelete, collURL+"objects/"+id+"/", nil, nil, map[string]string{"Accept": pyMediaType})
	r := h.do(t, req{path: strings.TrimPrefix(collURL, h.srv.URL) + "objects/" + id + "/", user: "a-analyst"})
	r.wantError(t, http.StatusNotFound)
}

// checkPyStatus is Status._validate_status.
func checkPyStatus(t *testing.T, st map[string]any) {
	t.Helper()
	for _, k := range []string{"id", "status", "total_count", "success_count", "failure_count", "pending_count"} {
		if st[k] == nil {
			t.Fatalf("No '%s' in Status: %v", k, st)
		}
	}
	count := func(k string) int { return int(st[k+"_count"].(float64)) }
	for _, k := range []string{"success", "failure", "pending"} {
		list, _ := st[k+"es"].([]any)
		if k == "pending" || k == "failure" {
			list, _ = st[k+"s"].([]any)
		}
		if len(list) > 0 && len(list) != count(k) {
			t.Fatalf("Found %d %s entries, but %s_count=%d", len(list), k, k, count(k))
		}
	}
	if count("success")+count("pending")+count("failure") != int(st["total_count"].(float64)) {
		t.Fatalf("counts do not add up to total_count: %v", st)
	}
}
