package taxii_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
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

// answerTransport answers every request with one canned response, so that
// the fuzz target reaches the client's reading of a peer's answer without
// a network.
type answerTransport struct {
	status int
	header http.Header
	body   []byte
}

func (a answerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: a.header.Clone(), Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

// FuzzClientAnswer feeds arbitrary answers of a peer (status, the headers
// the client reads, body) to the client's readers of objects, manifests,
// collections and statuses, and to EachPage: no panic, and any error is a
// *ClientError; paging ends (the answer is the same for every page, so a
// page that says more must be refused as a loop, not followed forever).
func FuzzClientAnswer(f *testing.F) {
	f.Add(200, "", "", "", []byte(`{"more":true,"next":"n1","objects":[{"type":"indicator","id":"indicator--1"}]}`))
	f.Add(200, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00.5Z", "", []byte(`{"more":true,"objects":[{}]}`))
	f.Add(503, "", "", "120", []byte(`{"title":"busy","http_status":"503"}`))
	f.Add(429, "", "", "Wed, 21 Oct 2015 07:28:00 GMT", []byte(``))
	f.Add(200, "", "", "", []byte(`{"collections":[{"id":"c1","title":"C","can_read":true}]}`))
	f.Add(200, "", "", "", []byte(`{"id":"s1","status":"complete","total_count":1,"success_count":1}`))
	f.Add(302, "", "", "", []byte(`moved`))
	f.Add(200, "x", "\x00", "-1", []byte(`{"objects": [1, "two", null]`))
	f.Fuzz(func(t *testing.T, status int, first, last, retry string, body []byte) {
		if status < 100 || status > 999 {
			status = 200
		}
		h := http.Header{"Content-Type": {taxii.MediaTypeTAXII21}}
		for k, v := range map[string]string{"X-Taxii-Date-Added-First": first, "X-Taxii-Date-Added-Last": last, "Retry-After": retry, "Location": first} {
			if v != "" {
				h[k] = []string{v}
			}
		}
		c, err := taxii.NewClient("http://peer.example/api1/", taxii.ClientOptions{Retries: -1, MaxResponse: 1 << 20,
			Transport: answerTransport{status: status, header: h, body: body}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		isClientError := func(err error) {
			var ce *taxii.ClientError
			if err != nil && !errors.As(err, &ce) {
				t.Fatalf("an error that is no *ClientError: %v (%T)", err, err)
			}
			if err != nil && err.Error() == "" {
				t.Fatal("an empty error message")
			}
		}
		_, err = c.Objects(ctx, "c1", taxii.PageQuery{})
		isClientError(err)
		_, err = c.Manifest(ctx, "c1", taxii.PageQuery{})
		isClientError(err)
		_, err = c.Collections(ctx)
		isClientError(err)
		_, err = c.Status(ctx, "s1")
		isClientError(err)
		pages := 0
		err = c.EachPage(ctx, "c1", taxii.PageQuery{}, func(*taxii.ObjectsPage) error {
			if pages++; pages > 10 {
				t.Fatal("paging an unchanging answer did not stop")
			}
			return nil
		})
		isClientError(err)
	})
}
