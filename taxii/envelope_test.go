package taxii_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/isachub/isachub/taxii"
)

const goodIndicator = `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`

func TestReadEnvelope(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// Every element comes back in order with its path: parsed when it
		// is a JSON object, valid STIX or not (package publish decides),
		// and with the reason otherwise.
		body := `{"objects":[` + goodIndicator + `,{"type":"indicator","id":"indicator--x"},[1],{"no":"type"},"s"]}`
		elems, err := taxii.ReadEnvelope([]byte(body), 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(elems) != 5 || elems[0].Object.ID() != "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" || elems[1].Object == nil || elems[3].Object == nil {
			t.Fatalf("elements %+v", elems)
		}
		for i, e := range elems {
			if e.Path != "$.objects["+strconv.Itoa(i)+"]" {
				t.Errorf("element %d has path %q", i, e.Path)
			}
		}
		for _, i := range []int{2, 4} {
			if elems[i].Object != nil || !strings.Contains(elems[i].Message, elems[i].Path) {
				t.Errorf("element %d: %+v, want a reason that names its path", i, elems[i])
			}
		}
	})
	t.Run("OKEmpty", func(t *testing.T) {
		elems, err := taxii.ReadEnvelope([]byte(`{"objects":[]}`), 100)
		if err != nil || len(elems) != 0 {
			t.Errorf("%v %v", elems, err)
		}
	})
	t.Run("OKNoObjects", func(t *testing.T) {
		for _, body := range []string{`{}`, `{"objects":null}`, `{"more":false,"objects":[]}`} {
			elems, err := taxii.ReadEnvelope([]byte(body), 100)
			if err != nil || len(elems) != 0 {
				t.Errorf("%s: %v %v", body, elems, err)
			}
		}
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		body := `{"objects":[` + strings.Repeat(`{},`, 100) + `{}]}`
		_, err := taxii.ReadEnvelope([]byte(body), 100)
		var tm *taxii.TooManyObjectsError
		if !errors.As(err, &tm) || tm.Max != 100 {
			t.Errorf("err %v", err)
		}
		if elems, err := taxii.ReadEnvelope([]byte(`{"objects":[`+strings.Repeat(`{},`, 99)+`{}]}`), 100); err != nil || len(elems) != 100 {
			t.Errorf("100 objects: %d read, %v", len(elems), err)
		}
	})
	for _, tt := range []struct{ name, body, msg string }{
		{"ErrObjectsTwice", `{"objects":[],"objects":[]}`, "twice"},
		{"ErrTrailing", `{"objects":[]} {}`, "not a TAXII 2.1 envelope"},
		{"ErrLateSyntax", `{"objects":[` + goodIndicator + `,{"a":]}`, "line 1, column"},
		{"ErrNotObject", `"objects"`, "not a JSON object"},
		{"ErrBundleTypeLast", `{"objects":[],"type":"bundle"}`, "bundle"},
		{"ErrBundle", `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[]}`, "bundle"},
		{"ErrArray", `[` + goodIndicator + `]`, "array"},
		{"ErrObject", goodIndicator, "object"},
		{"ErrSyntax", `{"objects":[}`, "line 1"},
		{"ErrEmpty", ``, "empty"},
		{"ErrObjectsNotArray", `{"objects":{}}`, "array"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := taxii.ReadEnvelope([]byte(tt.body), 100)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err %v, want one that mentions %q", err, tt.msg)
			}
		})
	}
}

// TestReadFile: an uploaded file may be a STIX bundle or an envelope; a
// single object is still refused, and the elements are those of
// ReadEnvelope.
func TestReadFile(t *testing.T) {
	for _, body := range []string{
		`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` + goodIndicator + `]}`,
		`{"objects":[` + goodIndicator + `]}`,
	} {
		elems, err := taxii.ReadFile([]byte(body), 10)
		if err != nil || len(elems) != 1 || elems[0].Object == nil || elems[0].Path != "$.objects[0]" {
			t.Fatalf("ReadFile(%.60s) = %+v, %v", body, elems, err)
		}
	}
	if _, err := taxii.ReadFile([]byte(goodIndicator), 10); err == nil || !strings.Contains(err.Error(), "single STIX object") {
		t.Fatalf("ReadFile of one object: %v", err)
	}
	if _, err := taxii.ReadEnvelope([]byte(`{"type":"bundle","objects":[]}`), 10); err == nil {
		t.Fatal("ReadEnvelope took a bundle")
	}
}
