package stix1_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/convert/stix1"
)

const pkgOpen = `<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2"
 xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:URIObj="http://cybox.mitre.org/objects#URIObject-2"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="example:Package-h" timestamp="2020-01-01T00:00:00Z">`

// uriIndicator is an indicator of one URL.
func uriIndicator(n int, title string) string {
	return `<stix:Indicator id="example:indicator-` + itoa(n) + `" xsi:type="indicator:IndicatorType"><indicator:Title>` + title +
		`</indicator:Title><indicator:Observable><cybox:Object><cybox:Properties xsi:type="URIObj:URIObjectType">` +
		`<URIObj:Value condition="Equals">http://h.example/` + itoa(n) + `</URIObj:Value></cybox:Properties></cybox:Object></indicator:Observable></stix:Indicator>`
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestMalformed(t *testing.T) {
	deep := pkgOpen + "<stix:Indicators>" + strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300) + "</stix:Indicators></stix:STIX_Package>"
	tests := []struct {
		name       string
		data       []byte
		path, want string
	}{
		{"ErrNotXML", readFixture(t, "not-xml.txt"), "/", "not XML"},
		{"ErrEmpty", nil, "/", "no root element"},
		{"ErrWrongRoot", readFixture(t, "wrong-root.xml"), "/cybox:Observables", "not stix:STIX_Package"},
		{"ErrWrongNamespace", readFixture(t, "wrong-namespace.xml"), "/Q{http://example.com/not-stix}STIX_Package", "STIX 1.x namespace"},
		{"ErrDOCTYPE", readFixture(t, "doctype.xml"), "/", "DOCTYPE"},
		{"ErrEntity", readFixture(t, "entity.xml"), "/stix:STIX_Package/stix:STIX_Header/stix:Title", "entity"},
		{"ErrTruncated", readFixture(t, "truncated.xml"), "/stix:STIX_Package/stix:Indicators/stix:Indicator/indicator:Valid_Time_Position", "unexpected EOF"},
		{"ErrDeep", []byte(deep), "/stix:STIX_Package/stix:Indicators" + strings.Repeat("/a", 254), "deeper than 256"},
		{"ErrInvalidUTF8", []byte(pkgOpen + "<stix:Indicators>" + uriIndicator(1, "bad \xff\xfe byte") + "</stix:Indicators></stix:STIX_Package>"), "/stix:STIX_Package/stix:Indicators/stix:Indicator/indicator:Title", "UTF-8"},
		{"ErrSecondRoot", []byte(pkgOpen + "</stix:STIX_Package><stix:STIX_Package/>"), "/Q{stix}STIX_Package", "second element"},
		{"ErrTextAfterRoot", []byte(pkgOpen + "</stix:STIX_Package>trailing"), "/", "text after"},
		{"ErrTextBeforeRoot", []byte("junk" + pkgOpen + "</stix:STIX_Package>"), "/", "not XML"},
		{"ErrMismatchedTags", []byte(pkgOpen + "<stix:Indicators></stix:TTPs></stix:STIX_Package>"), "/stix:STIX_Package/stix:Indicators", "syntax error"},
		{"ErrLatin1", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + pkgOpen + "</stix:STIX_Package>"), "/", "ISO-8859-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := convertBytes(t, tt.data, opts())
			fe := formatError(r.err)
			if fe == nil {
				t.Fatalf("error %v, want a *convert.FormatError", r.err)
			}
			if fe.Format != "stix1" || fe.Path != tt.path || !strings.Contains(fe.Error(), tt.want) {
				t.Errorf("got %q at %q, want %q at %q", fe.Error(), fe.Path, tt.want, tt.path)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	t.Run("ErrInputTooLarge", func(t *testing.T) {
		defer stix1.SetLimits(4096, 64<<20, 256, 500_000)()
		var b bytes.Buffer
		b.WriteString(pkgOpen + "<stix:Indicators>")
		for i := 0; b.Len() < 10000; i++ {
			b.WriteString(uriIndicator(i, "t"))
		}
		b.WriteString("</stix:Indicators></stix:STIX_Package>")
		fe := formatError(convertBytes(t, b.Bytes(), opts()).err)
		if fe == nil || !strings.Contains(fe.Error(), "larger than") {
			t.Fatalf("error %v", fe)
		}
	})
	t.Run("ErrTokenTooLarge", func(t *testing.T) {
		defer stix1.SetLimits(512<<20, 100<<10, 256, 500_000)()
		data := pkgOpen + "<stix:Indicators>" + uriIndicator(1, strings.Repeat("x", 1<<20)) + "</stix:Indicators></stix:STIX_Package>"
		fe := formatError(convertBytes(t, []byte(data), opts()).err)
		if fe == nil || !strings.Contains(fe.Error(), "single XML token") {
			t.Fatalf("error %v", fe)
		}
	})
	t.Run("ConstructTooLarge", func(t *testing.T) {
		// A construct past the limit is skipped and reported; the next
		// one converts.
		defer stix1.SetLimits(512<<20, 64<<20, 256, 50)()
		big := `<stix:Indicator id="example:indicator-big" xsi:type="indicator:IndicatorType">` + strings.Repeat("<indicator:Title>t</indicator:Title>", 100) + `</stix:Indicator>`
		data := pkgOpen + "<stix:Indicators>" + big + uriIndicator(2, "small") + "</stix:Indicators></stix:STIX_Package>"
		r := convertBytes(t, []byte(data), opts())
		if r.err != nil {
			t.Fatal(r.err)
		}
		if !r.has(id("indicator", "example:indicator-2")) || r.has(id("indicator", "example:indicator-big")) {
			t.Errorf("objects %v", r.objs)
		}
		r.mustEntry(t, "/stix:STIX_Package/stix:Indicators/stix:Indicator[1]", convert.NotConverted, "larger than the limit")
	})
}

func TestSinkError(t *testing.T) {
	want := errSink("full")
	n := 0
	_, err := stix1.Convert(bytes.NewReader(readFixture(t, "indicators.xml")), "x", opts(), func(json.RawMessage) error {
		n++
		if n == 2 {
			return want
		}
		return nil
	})
	if err != want || n != 2 {
		t.Fatalf("error %v after %d objects, want the sink's error after 2", err, n)
	}
}

type errSink string

func (e errSink) Error() string { return string(e) }
