package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// FuzzEnvelopeOf checks that any input either fails or becomes TAXII
// envelopes holding exactly the objects stix.Parse finds, in order, byte
// for byte, each envelope within the limit (a small one, so that most
// inputs are split) and every object too large for it reported.
func FuzzEnvelopeOf(f *testing.F) {
	for _, p := range []string{"testdata/anon-submission.json", "testdata/aviation-bundle.json", "../../docs/examples/indicators.json", "../../stix/testdata/valid-every-type.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint16(600))
	}
	f.Add([]byte(`{"objects":[{"type":"x","id":"x--1","s":"<&>\u2028"}]}`), uint16(20))
	f.Add([]byte(`[{"type":"indicator"},{}]`), uint16(36))
	f.Add([]byte(`{"type":"bundle","id":"bundle--1","objects":[]}`), uint16(1000))
	f.Add([]byte(`[1]`), uint16(17))
	f.Fuzz(func(t *testing.T, data []byte, limit16 uint16) {
		limit := int64(limit16) + int64(envelopeOverhead)
		objs, err := parseObjects(data)
		if err != nil {
			if objs != nil {
				t.Fatal("an error with output")
			}
			return
		}
		parsed, err := stix.Parse(data)
		if err != nil {
			t.Fatalf("parseObjects accepted what stix.Parse refuses: %v", err)
		}
		if len(objs) != len(parsed) || len(objs) == 0 {
			t.Fatalf("%d objects, %d parsed", len(objs), len(parsed))
		}
		envelopes, tooLarge := splitEnvelopes(objs, limit)
		var sent [][]byte
		for _, e := range envelopes {
			if int64(len(e.body)) > limit {
				t.Fatalf("an envelope of %d bytes, over the limit of %d", len(e.body), limit)
			}
			var got taxii.Envelope
			if err := json.Unmarshal(e.body, &got); err != nil {
				t.Fatalf("the envelope is not JSON: %v\n%s", err, e.body)
			}
			if len(got.Objects) != e.count || e.count == 0 {
				t.Fatalf("an envelope holds %d objects and counts %d", len(got.Objects), e.count)
			}
			for _, o := range got.Objects {
				sent = append(sent, o)
			}
		}
		// Each object goes byte for byte as it is in the file (issue 13
		// item 4: the hub returns objects exactly as sent), in order, and
		// none is lost without being reported.
		next, skipped := 0, 0
		for i, o := range parsed {
			if skipped < len(tooLarge) && tooLarge[skipped] == i {
				if int64(len(o.Raw())+envelopeOverhead) <= limit {
					t.Fatalf("object %d (%d bytes) reported too large for %d", i, len(o.Raw()), limit)
				}
				skipped++
				continue
			}
			if next >= len(sent) || !bytes.Equal(sent[next], o.Raw()) {
				t.Fatalf("object %d was not sent as it is in the file", i)
			}
			next++
		}
		if next != len(sent) || skipped != len(tooLarge) {
			t.Fatalf("%d objects sent and %d reported, of %d", len(sent), len(tooLarge), len(parsed))
		}
	})
}

// FuzzHubAnswers feeds any bytes to the code that reads the hub's answers
// and checks that what reaches the terminal is printable: a hostile hub
// cannot write escape sequences or forge lines.
func FuzzHubAnswers(f *testing.F) {
	f.Add([]byte(`{"title":"Not found","description":"There is no collection \"x\".","http_status":"404"}`))
	f.Add([]byte(`{"title":"\u001b[31mred","description":"line\nforged: yes"}`))
	f.Add([]byte(`{"objects":[{"type":"identity"}],"ids":{"a--1":"b--2\u001b]0;x\u0007"},"dropped":["i--1\r"],"warnings":[{"object_id":"o","path":"p","message":"m\u2028n"}],"stable_ids":true}`))
	f.Add([]byte(`{"revoked":[{"id":"x--1","version":"v"}],"unchanged":[{"id":"x--2","version":"v","message":"m\tn"}],"status":{"id":"s","failure_count":1}}`))
	f.Add([]byte("<html>\x1b[2J</html>"))
	f.Add([]byte{0xff, 0xfe, '\n'})
	f.Fuzz(func(t *testing.T, body []byte) {
		printable := func(what, s string, lineBreaks bool) {
			for _, r := range s {
				if r == '\n' && lineBreaks || r == '\t' && lineBreaks {
					continue
				}
				if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
					t.Fatalf("%s holds %U: %q", what, r, s)
				}
			}
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not UTF-8: %q", what, s)
			}
		}
		c, err := taxii.NewClient("http://hub.example/aviation-isac/", taxii.ClientOptions{Retries: -1, Transport: cannedAnswer{http.StatusInternalServerError, body}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Do(context.Background(), taxii.Request{Method: http.MethodGet, URL: c.Root(), Step: "reading the API root"})
		msg := err.Error()
		printable("the error", msg, false)
		if len(msg) > 2500 {
			t.Fatalf("the error is %d bytes long", len(msg))
		}
		var out, errOut bytes.Buffer
		if err := writePreview(&out, &errOut, body); err == nil {
			printable("the preview's stderr", errOut.String(), true)
			if !json.Valid(out.Bytes()) {
				t.Fatalf("the preview bundle is not JSON: %s", out.String())
			}
		}
		out.Reset()
		if err := writeWithdrawal(&out, body); err == nil {
			printable("the withdrawal", out.String(), true)
			// Each line has its fields, and only the tabs put there.
			for l := range strings.Lines(out.String()) {
				if strings.Count(l, "\t") > 3 {
					t.Fatalf("a forged field: %q", l)
				}
			}
		}
	})
}

// cannedAnswer is a transport that answers every request with its status
// and body.
type cannedAnswer struct {
	status int
	body   []byte
}

func (a cannedAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}
