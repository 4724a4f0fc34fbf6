package stix

import (
	"encoding/json"
	"fmt"
	"strings"
)

// TLP is a Traffic Light Protocol level. Levels are ordered from the least
// to the most restrictive, so the larger of two levels is the stricter.
type TLP int

// The TLP levels. TLPNone means the object carries no TLP marking.
const (
	TLPNone        TLP = iota
	TLPClear           // TLP 2.0 CLEAR, or TLP 1.0 WHITE
	TLPGreen           // GREEN
	TLPAmber           // AMBER
	TLPAmberStrict     // TLP 2.0 AMBER+STRICT
	TLPRed             // RED
)

var tlpNames = [...]string{"", "clear", "green", "amber", "amber+strict", "red"}

// String returns the level's TLP 2.0 name in lowercase ("amber+strict"),
// or "" for TLPNone.
func (t TLP) String() string {
	if t < 0 || int(t) >= len(tlpNames) {
		return fmt.Sprintf("TLP(%d)", int(t))
	}
	return tlpNames[t]
}

// ParseTLP parses a level name, case-insensitively, with or without the
// "TLP:" prefix; TLP 1.0's "white" is read as CLEAR.
func ParseTLP(s string) (TLP, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	name = strings.TrimPrefix(name, "tlp:")
	if name == "white" {
		return TLPClear, nil
	}
	for i, n := range tlpNames {
		if n != "" && n == name {
			return TLP(i), nil
		}
	}
	return TLPNone, fmt.Errorf("%q is not a TLP level (clear, green, amber, amber+strict, red)", s)
}

// The marking-definition ids of TLP 1.0 (STIX 2.1 section 7.2.1.4) and TLP
// 2.0 (the OASIS TLP 2.0 marking definitions).
const (
	TLP1White = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
	TLP1Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
	TLP1Amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
	TLP1Red   = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"

	TLP2Clear       = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
	TLP2Green       = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
	TLP2Amber       = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
	TLP2AmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
	TLP2Red         = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"

	// TLP2Extension is the extension-definition of the TLP 2.0 markings,
	// whose property tlp_2_0 holds the level.
	TLP2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
)

// tlpByID maps every TLP marking-definition id to its level.
var tlpByID = map[string]TLP{
	TLP1White: TLPClear, TLP1Green: TLPGreen, TLP1Amber: TLPAmber, TLP1Red: TLPRed,
	TLP2Clear: TLPClear, TLP2Green: TLPGreen, TLP2Amber: TLPAmber, TLP2AmberStrict: TLPAmberStrict, TLP2Red: TLPRed,
}

// tlp1Names maps the TLP 1.0 ids to their definition.tlp values.
var tlp1Names = map[string]string{TLP1White: "white", TLP1Green: "green", TLP1Amber: "amber", TLP1Red: "red"}

// TLPOfMarking returns the level of a marking-definition id, and false when
// the id is not one of the TLP 1.0 or 2.0 marking definitions.
func TLPOfMarking(id string) (TLP, bool) {
	t, ok := tlpByID[id]
	return t, ok
}

// TLPMarkingID returns the TLP 2.0 marking-definition id of a level, or ""
// for TLPNone.
func TLPMarkingID(t TLP) string {
	switch t {
	case TLPClear:
		return TLP2Clear
	case TLPGreen:
		return TLP2Green
	case TLPAmber:
		return TLP2Amber
	case TLPAmberStrict:
		return TLP2AmberStrict
	case TLPRed:
		return TLP2Red
	}
	return ""
}

// EffectiveTLP returns the TLP level that governs the object: the most
// restrictive TLP marking among its object_marking_refs and the
// marking_refs of its granular markings (a granular RED marks part of the
// object RED, so the object cannot be shared more widely than RED allows).
// It returns TLPNone when the object carries no TLP marking; the caller
// then applies its default (the hub's collections default to AMBER).
func EffectiveTLP(o *Object) TLP {
	level := TLPNone
	for _, ref := range o.objectMarkingRefs {
		level = max(level, tlpByID[ref])
	}
	if raw, ok := o.prop("granular_markings"); ok {
		for _, ref := range granularMarkingRefs(raw) {
			level = max(level, tlpByID[ref])
		}
	}
	return level
}

// granularMarkingRefs returns the marking_ref values of a raw
// granular_markings list, ignoring malformed entries.
func granularMarkingRefs(raw []byte) []string {
	var gms []struct {
		MarkingRef string `json:"marking_ref"`
	}
	if json.Unmarshal(raw, &gms) != nil {
		return nil
	}
	refs := make([]string, 0, len(gms))
	for _, g := range gms {
		if g.MarkingRef != "" {
			refs = append(refs, g.MarkingRef)
		}
	}
	return refs
}

// tlpRule checks a marking definition that claims to be a TLP marking:
// definition_type "tlp" is only for the four TLP 1.0 definitions, whose
// content is fixed by section 7.2.1.4, and a TLP 2.0 id must carry the TLP
// 2.0 extension with its own level. It also warns when an object carries
// more than one TLP marking.
func tlpRule(c *checker, m map[string]any) {
	id, _ := m["id"].(string)
	if m["type"] == "marking-definition" {
		if m["definition_type"] == "tlp" {
			want, isTLP1 := tlp1Names[id]
			def, _ := m["definition"].(map[string]any)
			switch {
			case !isTLP1:
				c.errorf("id", "a marking definition of definition_type \"tlp\" must be one of the four TLP 1.0 definitions of section 7.2.1.4")
			case def != nil && def["tlp"] != want:
				c.errorf("definition.tlp", "must be %q for %s (section 7.2.1.4)", want, id)
			}
		}
		if level, ok := tlpByID[id]; ok {
			if _, isTLP1 := tlp1Names[id]; !isTLP1 {
				exts, _ := m["extensions"].(map[string]any)
				ext, _ := exts[TLP2Extension].(map[string]any)
				if got, _ := ext["tlp_2_0"].(string); got != level.String() {
					c.errorf(join("extensions", TLP2Extension), "the TLP 2.0 marking %s must carry tlp_2_0 %q", id, level.String())
				}
			}
		}
	}
	n := 0
	for _, ref := range stringsOf(m["object_marking_refs"]) {
		if _, ok := tlpByID[ref]; ok {
			n++
		}
	}
	if n > 1 {
		c.warnf("object_marking_refs", "has %d TLP markings; the most restrictive one applies", n)
	}
}
