package taxii_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/isachub/isachub/taxii"
)

const goodIndicator = `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`

func TestReadEnvelope(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		body := `{"objects":[` + goodIndicator + `,{"type":"indicator","id":"indicator--x"},[1],{"no":"type"}]}`
		valid, rejected, err := taxii.ReadEnvelope([]byte(body), 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(valid) != 1 || valid[0].ID() != "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" {
			t.Errorf("valid %v", valid)
		}
		if len(rejected) != 3 {
			t.Fatalf("rejected %+v", rejected)
		}
		if rejected[0].ID != "indicator--x" || !strings.Contains(rejected[0].Message, "$.objects[1].") {
			t.Errorf("rejected[0] %+v", rejected[0])
		}
		if rejected[1].ID != "$.objects[2]" || rejected[2].ID != "$.objects[3]" {
			t.Errorf("rejected %+v", rejected)
		}
	})
	t.Run("OKEmpty", func(t *testing.T) {
		valid, rejected, err := taxii.ReadEnvelope([]byte(`{"objects":[]}`), 100)
		if err != nil || len(valid)+len(rejected) != 0 {
			t.Errorf("%v %v %v", valid, rejected, err)
		}
	})
	t.Run("OKNoObjects", func(t *testing.T) {
		for _, body := range []string{`{}`, `{"objects":null}`, `{"more":false,"objects":[]}`} {
			valid, rejected, err := taxii.ReadEnvelope([]byte(body), 100)
			if err != nil || len(valid)+len(rejected) != 0 {
				t.Errorf("%s: %v %v %v", body, valid, rejected, err)
			}
		}
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		body := `{"objects":[` + strings.Repeat(`{},`, 100) + `{}]}`
		_, _, err := taxii.ReadEnvelope([]byte(body), 100)
		var tm *taxii.TooManyObjectsError
		if !errors.As(err, &tm) || tm.Max != 100 {
			t.Errorf("err %v", err)
		}
		if _, rejected, err := taxii.ReadEnvelope([]byte(`{"objects":[`+strings.Repeat(`{},`, 99)+`{}]}`), 100); err != nil || len(rejected) != 100 {
			t.Errorf("100 objects: %d rejected, %v", len(rejected), err)
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
			_, _, err := taxii.ReadEnvelope([]byte(tt.body), 100)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err %v, want one that mentions %q", err, tt.msg)
			}
		})
	}
}
