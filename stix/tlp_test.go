package stix_test

import (
	"testing"

	"github.com/isachub/isachub/stix"
)

func TestEffectiveTLP(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		want  stix.TLP
	}{
		{"None", ``, stix.TLPNone},
		{"TLP1White", `,"object_marking_refs":["` + stix.TLP1White + `"]`, stix.TLPClear},
		{"TLP1Amber", `,"object_marking_refs":["` + stix.TLP1Amber + `"]`, stix.TLPAmber},
		{"TLP2AmberStrict", `,"object_marking_refs":["` + stix.TLP2AmberStrict + `"]`, stix.TLPAmberStrict},
		{"NonTLPMarking", `,"object_marking_refs":["marking-definition--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f"]`, stix.TLPNone},
		{"MostRestrictiveWins", `,"object_marking_refs":["` + stix.TLP2Clear + `","` + stix.TLP2Red + `","` + stix.TLP1Green + `"]`, stix.TLPRed},
		{"GranularRedCounts", `,"object_marking_refs":["` + stix.TLP2Green + `"],"granular_markings":[{"marking_ref":"` + stix.TLP2Red + `","selectors":["pattern"]}]`, stix.TLPRed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := stix.ParseObject([]byte(with(indicator, tt.extra)))
			if err != nil {
				t.Fatal(err)
			}
			if got := stix.EffectiveTLP(o); got != tt.want {
				t.Errorf("EffectiveTLP = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseTLP(t *testing.T) {
	for in, want := range map[string]stix.TLP{
		"clear": stix.TLPClear, "TLP:WHITE": stix.TLPClear, "Green": stix.TLPGreen,
		"amber": stix.TLPAmber, "TLP:AMBER+STRICT": stix.TLPAmberStrict, "red": stix.TLPRed,
	} {
		got, err := stix.ParseTLP(in)
		if err != nil || got != want {
			t.Errorf("ParseTLP(%q) = %v, %v; want %v", in, got, err, want)
		}
		if id := stix.TLPMarkingID(got); id == "" {
			t.Errorf("no marking id for %v", got)
		} else if back, ok := stix.TLPOfMarking(id); !ok || back != got {
			t.Errorf("TLPOfMarking(%s) = %v", id, back)
		}
	}
	if _, err := stix.ParseTLP("purple"); err == nil {
		t.Error("ParseTLP(purple) succeeded")
	}
	if stix.TLPAmberStrict.String() != "amber+strict" || !(stix.TLPRed > stix.TLPAmberStrict) {
		t.Error("levels are not ordered by restriction")
	}
}
