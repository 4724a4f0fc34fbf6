package server

import (
	"bytes"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/isachub/isachub"
)

// FuzzExportRequest feeds arbitrary query strings to the export's
// parameter parser: it must never panic, must refuse with EINVALID, and
// what it takes must be a format it knows (with a kind exactly for txt).
func FuzzExportRequest(f *testing.F) {
	for _, q := range []string{"format=csv", "format=txt&kind=ipv4", "format=suricata&since=2026-01-01T00:00:00Z", "format=stix&report=true",
		"format=txt", "format=csv&kind=url", "since=x", "format=%ff", "format=snort&format=csv"} {
		f.Add(q)
	}
	fd := &isachub.Feed{ID: "0b3e7c52-8f7a-4d8e-9a51-2f1c4b6d7e80"}
	f.Fuzz(func(t *testing.T, q string) {
		r := httptest.NewRequest("GET", "/x/feeds/y/export", nil)
		r.URL.RawQuery = q
		req, err := parseExportRequest(r, fd)
		if err != nil {
			if isachub.ErrorCode(err) != isachub.EINVALID {
				t.Fatalf("%q: %v", q, err)
			}
			return
		}
		if _, ok := exportFormats[req.format]; !ok || (req.format == "txt") != (req.kind != "") {
			t.Fatalf("%q: took format %q kind %q", q, req.format, req.kind)
		}
		if v := url.PathEscape(req.filename()); v == "" {
			t.Fatalf("%q: no file name", q)
		}
	})
}

// FuzzMatchEvents feeds arbitrary bodies to the matching API's reader of
// events, as JSON lines and as an envelope: it must never panic, must
// number every event and error within the input, and must refuse an
// unreadable envelope with an error rather than a partial answer.
func FuzzMatchEvents(f *testing.F) {
	f.Add(true, []byte("{\"source\":{\"ip\":\"203.0.113.1\"}}\nnot json\n\n{\"dns\":{\"question\":{\"name\":\"a.example\"}}}"))
	f.Add(false, []byte(`{"objects":[{"type":"observed-data","spec_version":"2.1","id":"observed-data--00000000-0000-4000-8000-000000000001","object_refs":[]}]}`))
	f.Add(false, []byte(`{"objects":[1,2,{}]}`))
	f.Fuzz(func(t *testing.T, lines bool, body []byte) {
		var res matchResult
		events, err := matchEvents(lines, body, 1000, &res)
		if err != nil {
			if lines {
				t.Fatalf("JSON lines are read line by line, never refused whole: %v", err)
			}
			return
		}
		limit := bytes.Count(body, []byte("\n")) + 1
		if !lines {
			limit = 1000
		}
		for _, e := range events {
			if e.n < 1 || e.n > limit || len(e.obs) == 0 {
				t.Fatalf("event %d of %d with %d observations", e.n, limit, len(e.obs))
			}
		}
		for _, e := range res.Errors {
			if e.Event < 1 || e.Event > limit || e.Error == "" {
				t.Fatalf("error %+v", e)
			}
		}
		if res.Events != len(events) {
			t.Fatalf("Events %d, %d events", res.Events, len(events))
		}
	})
}
