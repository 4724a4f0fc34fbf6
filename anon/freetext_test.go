package anon_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/stix"
)

// Ids hidden in free text, dictionary keys and extensions are rewritten
// as consistently as references are.
func TestAnonymiseFreeTextAndExtensions(t *testing.T) {
	const (
		ext  = "extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62"
		note = "note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"
		mal  = "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"
		ts   = `"created":"2026-11-20T09:15:00.000Z","modified":"2026-11-20T09:15:00.000Z"`
	)
	in := mustParse(t,
		`{"type":"extension-definition","spec_version":"2.1","id":"`+ext+`",`+ts+`,"created_by_ref":"`+acmeID+`","name":"Acme fields","schema":"https://acme-air.example/schema.json","version":"1.0","extension_types":["property-extension"]}`,
		`{"type":"malware","spec_version":"2.1","id":"`+mal+`",`+ts+`,"name":"x","is_family":false,"extensions":{"`+ext+`":{"extension_type":"property-extension","x_seen_by":"`+acmeID+`"}},"granular_markings":[{"marking_ref":"`+stix.TLP2Red+`","selectors":["extensions.`+ext+`.x_seen_by"]}]}`,
		`{"type":"note","spec_version":"2.1","id":"`+note+`",`+ts+`,"content":"IDENTITY--2F7E5C3A-9B1D-4E8F-A6C2-1D3B5E7F9A0C (uuid 2f7e5c3a-9b1d-4e8f-a6c2-1d3b5e7f9a0c) thinks `+mal+` is bad","object_refs":["`+mal+`","`+acmeID+`","`+acmeID+`"],"x_by":{"`+acmeID+`":"`+strings.ToUpper(mal)+`"},"x_acme_airlines_case":"1"}`,
	)
	for _, o := range in {
		if r := stix.Validate(o); !r.Valid() {
			t.Fatalf("bad fixture %s: %v", o.ID(), r.Errors)
		}
	}
	cfg := acmeConfig(t)
	cfg.Submitter = nil // acmeID is known from created_by_ref alone
	res, err := anon.Anonymise(in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	raw := rawOf(res.Objects)
	for _, s := range []string{"2f7e5c3a-9b1d-4e8f-a6c2-1d3b5e7f9a0c", "31b940d4-6f7f-459a-80ea-9c1f17b5891b", "9c59fd79-4215-4ba2-920d-3e4f320e1e62"} {
		if bytes.Contains(bytes.ToLower(raw), []byte(s)) {
			t.Errorf("the output holds %s:\n%s", s, raw)
		}
	}
	for _, o := range res.Objects {
		if r := stix.Validate(o); !r.Valid() {
			t.Errorf("%s: %v", o.Raw(), r.Errors)
		}
	}
	newMal, newExt := res.IDs[mal], res.IDs[ext]
	n := res.Objects[2]
	if got := n.Strings("object_refs"); len(got) != 2 || got[0] != newMal || got[1] != cfg.SectorIdentity {
		t.Errorf("object_refs = %v", got)
	}
	wantContent := "[REDACTED] (uuid [REDACTED]) thinks " + newMal + " is bad"
	if got := n.String("content"); got != wantContent {
		t.Errorf("content = %q, want %q", got, wantContent)
	}
	if v, _ := n.Value(); v["x_by"].(map[string]any)["[REDACTED]"] == nil {
		t.Errorf("x_by = %v", v["x_by"])
	}
	m, _ := res.Objects[1].Value()
	e, ok := m["extensions"].(map[string]any)[newExt].(map[string]any)
	if !ok || e["x_seen_by"] != cfg.SectorIdentity {
		t.Errorf("extensions = %v, want the key %s", m["extensions"], newExt)
	}
	if sel := m["granular_markings"].([]any)[0].(map[string]any)["selectors"].([]any)[0]; sel != "extensions."+newExt+".x_seen_by" {
		t.Errorf("selector = %v", sel)
	}
	want := anon.Warning{ObjectID: res.IDs[note], Path: "x_acme_airlines_case",
		Message: "the property name x_acme_airlines_case contains your declared name Acme Airlines; property names are published as is"}
	if !slices.Contains(res.Warnings, want) {
		t.Errorf("no warning %+v in %+v", want, res.Warnings)
	}
	if got := res.Objects[0].String("schema"); got != "https://[REDACTED]/schema.json" {
		t.Errorf("schema = %q", got)
	}
}
