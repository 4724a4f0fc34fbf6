package taxii_test

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/taxii"
)

func TestParseQuery(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		v, _ := url.ParseQuery("added_after=2026-01-02T03:04:05.123456Z&limit=50&next=abc" +
			"&match[id]=indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f,malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b" +
			"&match[type]=indicator&match[type]=malware&match[version]=first,2026-01-01T00:00:00.000Z" +
			"&match[spec_version]=2.1&unknown=ignored&match[foo]=bar")
		q, err := taxii.ParseQuery(v, taxii.FiltersObjects)
		if err != nil {
			t.Fatal(err)
		}
		want := taxii.Query{
			AddedAfter:   time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC),
			Limit:        50,
			Next:         "abc",
			IDs:          []string{"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"},
			Types:        []string{"indicator", "malware"},
			Versions:     []string{"first", "2026-01-01T00:00:00.000Z"},
			SpecVersions: []string{"2.1"},
		}
		if !reflect.DeepEqual(q, want) {
			t.Errorf("got %+v\nwant %+v", q, want)
		}
	})
	t.Run("OKIgnoresUnsupported", func(t *testing.T) {
		v, _ := url.ParseQuery("match[type]=%%%bad&match[version]=nonsense&added_after=2026-01-02T03:04:05Z")
		q, err := taxii.ParseQuery(v, taxii.FiltersVersions)
		if err != nil {
			t.Fatal(err)
		}
		if q.Types != nil || q.Versions != nil || q.AddedAfter.IsZero() {
			t.Errorf("got %+v", q)
		}
	})
	t.Run("OKEmptyValues", func(t *testing.T) {
		v, _ := url.ParseQuery("next=&limit=&added_after=")
		q, err := taxii.ParseQuery(v, taxii.FiltersObjects)
		if err != nil || !reflect.DeepEqual(q, taxii.Query{}) {
			t.Errorf("got %+v, %v", q, err)
		}
	})
	t.Run("OKEmpty", func(t *testing.T) {
		q, err := taxii.ParseQuery(url.Values{}, taxii.FiltersObjects)
		if err != nil || !reflect.DeepEqual(q, taxii.Query{}) {
			t.Errorf("got %+v, %v", q, err)
		}
	})
	errs := []struct {
		name, query, param string
	}{
		{"ErrAddedAfter", "added_after=yesterday", "added_after"},
		{"ErrAddedAfterTwice", "added_after=2026-01-02T03:04:05Z&added_after=2026-01-02T03:04:05Z", "added_after"},
		{"ErrLimitZero", "limit=0", "limit"},
		{"ErrLimitNegative", "limit=-5", "limit"},
		{"ErrLimitText", "limit=ten", "limit"},
		{"ErrLimitHuge", "limit=99999999999999999999999", "limit"},
		{"ErrVersion", "match[version]=newest", "match[version]"},
		{"ErrVersionEmptyItem", "match[version]=first,,last", "match[version]"},
		{"ErrSpecVersion", "match[spec_version]=two", "match[spec_version]"},
		{"ErrType", "match[type]=Indicator!", "match[type]"},
		{"ErrID", "match[id]=../../etc/passwd", "match[id]"},
		{"ErrIDNotUUID", "match[id]=indicator--1234", "match[id]"},
		{"ErrIDNul", "match[id]=indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f%00", "match[id]"},
		{"ErrTooMany", "match[type]=" + strings.Repeat("a,", 200) + "a", "match[type]"},
		{"ErrNextLong", "next=" + strings.Repeat("x", 2000), "next"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = taxii.ParseQuery(v, taxii.FiltersObjects)
			var qe *taxii.QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("got %v, want a *QueryError", err)
			}
			if qe.Param != tt.param {
				t.Errorf("Param = %q, want %q (%v)", qe.Param, tt.param, err)
			}
		})
	}
}

func TestTimestamps(t *testing.T) {
	ts := time.Date(2026, 11, 23, 6, 22, 27, 123456789, time.FixedZone("x", 3600))
	if got := taxii.FormatTimestamp(ts); got != "2026-11-23T05:22:27.123456Z" {
		t.Errorf("FormatTimestamp = %q", got)
	}
	for _, s := range []string{"2026-11-23T05:22:27Z", "2026-11-23T05:22:27.1Z", "2026-11-23T06:22:27.123456+01:00"} {
		if _, err := taxii.ParseTimestamp(s); err != nil {
			t.Errorf("ParseTimestamp(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "2026-11-23", "2026-11-23 05:22:27Z", "now", strings.Repeat("9", 100)} {
		if _, err := taxii.ParseTimestamp(s); err == nil {
			t.Errorf("ParseTimestamp(%q) succeeded", s)
		}
	}
}
