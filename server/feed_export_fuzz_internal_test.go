package server

import (
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
