package taxii_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/isachub/isachub/taxii"
)

// FuzzParseQuery feeds raw query strings, as a client sends them, to the
// filter parser: it must never panic, and must either succeed or return a
// *QueryError, and every value it returns must be bounded.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"added_after=2026-01-02T03:04:05.123Z&limit=10",
		"match[id]=indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f&match[version]=all",
		"match[type]=indicator,malware&match[spec_version]=2.0,2.1",
		"next=MTIzNDU2Nzg5MA&limit=1000",
		"match[version]=first,last,2026-01-01T00:00:00Z",
		"limit=-1&added_after=x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := taxii.ParseQuery(v, taxii.FiltersObjects)
		if err != nil {
			var qe *taxii.QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("error %v is not a *QueryError", err)
			}
			return
		}
		if q.Limit < 0 {
			t.Fatalf("negative limit %d", q.Limit)
		}
		for _, l := range [][]string{q.IDs, q.Types, q.Versions, q.SpecVersions} {
			if len(l) > 100 {
				t.Fatalf("%d values", len(l))
			}
		}
	})
}

// FuzzAccept checks that media-type negotiation never panics on any header.
func FuzzAccept(f *testing.F) {
	for _, s := range []string{"application/taxii+json;version=2.1", "*/*;q=0.5, text/html", "application/*", `a/b;x="y`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		taxii.AcceptsTAXII21(h)
		taxii.IsTAXII21ContentType(h)
	})
}

// FuzzReadEnvelope feeds arbitrary request bodies to the reader of POSTed
// envelopes: it must never panic, and every element must come back with its
// path, either parsed or with the reason it is not a STIX object. (What may be stored is
// fuzzed by publish.FuzzCheck.)
func FuzzReadEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"objects":[` + goodIndicator + `]}`,
		`{"objects":[` + goodIndicator + `,{"type":"indicator"},42,null]}`,
		`{"objects":[]}`,
		`{"objects":null}`,
		`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[]}`,
		`{"objects":[{"type":"x-custom","id":"x-custom--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","spec_version":"2.1","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z"}]}`,
		`[`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		elems, err := taxii.ReadEnvelope(body, 50)
		if err != nil {
			if elems != nil {
				t.Fatal("results with an error")
			}
			return
		}
		for _, e := range elems {
			if e.Path == "" || (e.Object == nil) == (e.Message == "") {
				t.Fatalf("an element needs a path and either an object or a reason: %+v", e)
			}
		}
	})
}
