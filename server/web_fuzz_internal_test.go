package server

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// Fuzzing of the web UI's form parsers: whatever a browser sends, they
// neither panic nor build an object that the hub would refuse to store.
// An object they return passes pattern.Validate, the rule every path in
// asks; otherwise they say what is wrong with which field.

var fuzzNow = time.Date(2026, 12, 6, 9, 30, 0, 0, time.UTC)

func FuzzIndicatorForm(f *testing.F) {
	f.Add("Staging server", "[ipv4-addr:value = '203.0.113.7']", "2026-12-06T09:30", "green", "c2, staging", "mitre-attack:command-and-control", "80", "desc")
	f.Add("", "[", "yesterday", "purple", ",,", "nophase", "101", "")
	f.Add("x", "[file:hashes.'SHA-256' = 'ab'] OR [url:value = 'http://a']", "2026-12-06T09:30:00Z", "amber+strict", "a", "a:b", "0", "\x00\xff")
	org := &isachub.Org{IdentityID: "identity--a0000000-0000-4000-8000-00000000000a"}
	f.Fuzz(func(t *testing.T, name, pat, validFrom, tlp, labels, phase, confidence, desc string) {
		form := indicatorForm{Name: name, Pattern: pat, ValidFrom: validFrom, TLP: tlp, Labels: labels, Phase: phase,
			Confidence: confidence, Description: desc}
		obj, errs := form.indicator(fuzzNow, org)
		if (obj == nil) == (errs == nil) {
			t.Fatalf("indicator() = %v, %v: want an object or errors", obj, errs)
		}
		for field, msg := range errs {
			if field == "" || msg == "" {
				t.Fatalf("an error without a field or message: %q: %q", field, msg)
			}
		}
		if obj == nil {
			return
		}
		if res := pattern.Validate(obj); !res.Valid() {
			t.Fatalf("the form accepted an object the hub refuses: %v\n%s", res.Errors, obj.Raw())
		}
		if obj.Type() != "indicator" || obj.String("name") != name || obj.String("pattern") != pat {
			t.Fatalf("the object is not what the form said: %s", obj.Raw())
		}
	})
}

func FuzzDiscussForm(f *testing.F) {
	f.Add("note", "", "Seen twice", "Beacons every 60 s", "", "")
	f.Add("opinion", "amber", "", "", "agree", "Matches our logs")
	f.Add("sighting", "red", "", "", "", "")
	f.Add("poll", "purple", "\xff", "", "sideways", "")
	target := "indicator--00001092-0000-4000-8000-000000001092"
	org := &isachub.Org{IdentityID: "identity--a0000000-0000-4000-8000-00000000000a"}
	f.Fuzz(func(t *testing.T, kind, tlp, abstract, content, opinion, explanation string) {
		form := discussForm{Kind: kind, TLP: tlp, Abstract: abstract, Content: content, Opinion: opinion, Explanation: explanation}
		obj, errs := form.object(fuzzNow, org, target, stix.TLPGreen)
		if (obj == nil) == (errs == nil) {
			t.Fatalf("object() = %v, %v: want an object or errors", obj, errs)
		}
		if obj == nil {
			return
		}
		if res := pattern.Validate(obj); !res.Valid() {
			t.Fatalf("the form accepted an object the hub refuses: %v\n%s", res.Errors, obj.Raw())
		}
		if obj.Type() != kind || (!slices.Contains(obj.Strings("object_refs"), target) && obj.String("sighting_of_ref") != target) {
			t.Fatalf("the %s does not refer to its object: %s", kind, obj.Raw())
		}
		if level := stix.EffectiveTLP(obj); tlp == "" && level != stix.TLPGreen {
			t.Fatalf("without a TLP the %s is not marked as its object: %v", kind, level)
		}
	})
}

func FuzzIOCObservation(f *testing.F) {
	for _, s := range []string{"203.0.113.7", "2001:db8::1", "login-example[.]test", "hxxps://a.example/x", "a@b.example",
		"d41d8cd98f00b204e9800998ecf8427e", strings.Repeat("a", 64), "198.51.100.0/24", "", " ", "not an ioc at all"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		obs, kind, ok := iocObservation(q)
		if ok && (obs == nil || kind == "") {
			t.Fatalf("iocObservation(%q) = %v, %q, true", q, obs, kind)
		}
	})
}

func FuzzParseFormTime(f *testing.F) {
	for _, s := range []string{"2026-12-06T09:30", "2026-12-06T09:30:15", "2026-12-06T09:30:15+01:00", "", "9:30", "2026-13-40T25:61"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, err := parseFormTime(s); err == nil && tm.IsZero() && s != "0001-01-01T00:00" {
			t.Fatalf("parseFormTime(%q) = the zero time without an error", s)
		}
	})
}

func FuzzSearchForm(f *testing.F) {
	f.Add("q=osprey&label=wiper&confidence=50&created_from=2026-05-05&added_until=2026-12-07&page=3&mine=1&type=malware")
	f.Add("q=%00&confidence=-1&created_from=0000-01-01&page=99999999999999999999")
	f.Add("q=x&confidence=101&added_from=2026-02-30&created_until=%E2%80%AE")
	f.Fuzz(func(t *testing.T, raw string) {
		values, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		form := readSearchForm(values)
		if form.Page < 1 || form.Page > searchPages || len(form.Q) > 500 {
			t.Fatalf("form %+v: page or words out of bounds", form)
		}
		q, errs := form.query(7)
		for field, msg := range errs {
			if field == "" || msg == "" {
				t.Fatalf("an error without a field or message: %q: %q", field, msg)
			}
		}
		if errs != nil {
			return
		}
		if q.Offset < 0 || q.Limit != searchShown || q.MinConfidence < 0 || q.MinConfidence > 100 || q.Text != form.Q {
			t.Fatalf("query %+v from form %+v", q, form)
		}
		if q.SubmitterOrgID != 0 && !form.Mine {
			t.Fatal("the submitter filter without the box ticked")
		}
		// The page links keep the form.
		u, err := url.Parse(form.pageURL(form.Page))
		if err != nil {
			t.Fatal(err)
		}
		if again := readSearchForm(u.Query()); again != form {
			t.Fatalf("the page link reads back as %+v, want %+v", again, form)
		}
	})
}
