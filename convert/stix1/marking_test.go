package stix1_test

import (
	"slices"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

func TestMarkings(t *testing.T) {
	r := mustConvert(t, "markings.xml", opts())
	copyright := id("marking-definition", "statement\x00Copyright 2018 Example ISAC")
	tou := id("marking-definition", "statement\x00The summary may be quoted.")
	for _, md := range []string{copyright, tou} {
		o := r.get(t, md)
		if o["definition_type"] != "statement" || o["created"] != "2018-08-08T08:08:08.000Z" {
			t.Errorf("marking-definition %v", o)
		}
	}
	if n := len(r.ofType("marking-definition")); n != 2 {
		t.Errorf("%d marking definitions; the TLP ones must not be sent", n)
	}
	tests := []struct {
		src  string
		want []string
	}{
		{"indicator--plain", []string{stix.TLP2Clear, copyright}},
		{"indicator--amber", []string{stix.TLP2Amber, copyright}},
		{"attack-pattern--amber", []string{stix.TLP2Amber, copyright}}, // inside the amber indicator
		{"indicator--ancestor", []string{stix.TLP2Green, copyright}},
		{"indicator--unresolved", []string{stix.TLP2Red, copyright}},
		{"indicator--after", []string{stix.TLP2Red, copyright}}, // the package from there on
	}
	ids := map[string]string{
		"indicator--plain": id("indicator", "example:indicator-plain"), "indicator--amber": id("indicator", "example:indicator-amber"),
		"attack-pattern--amber": id("attack-pattern", "example:ttp-amber"), "indicator--ancestor": id("indicator", "example:indicator-ancestor"),
		"indicator--unresolved": id("indicator", "example:indicator-unresolved"), "indicator--after": id("indicator", "example:indicator-after"),
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			if got := strs(r.get(t, ids[tt.src])["object_marking_refs"]); !slices.Equal(got, tt.want) {
				t.Errorf("object_marking_refs %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("HeaderOnly", func(t *testing.T) {
		rep := r.ofType("report")[0]
		if got := strs(rep["object_marking_refs"]); !slices.Contains(got, tou) {
			t.Errorf("the package report lacks the header's terms of use: %v", got)
		}
		for _, o := range r.ofType("indicator") {
			if slices.Contains(strs(o["object_marking_refs"]), tou) {
				t.Errorf("%s carries a marking of the header alone", o["id"])
			}
		}
	})
	t.Run("Report", func(t *testing.T) {
		h := "/stix:STIX_Package/stix:STIX_Header/stix:Handling/marking:Marking[3]/marking:Marking_Structure"
		r.mustEntry(t, h, convert.NotConverted, "AIS:AISMarkingStructure")
		cs := ind1 + "[4]/indicator:Handling/marking:Marking/marking:Controlled_Structure"
		r.mustEntry(t, cs, convert.Approximate, "whole package")
	})
}
