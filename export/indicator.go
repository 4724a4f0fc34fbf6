package export

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/isachub/isachub/stix"
)

// Indicator is what the exporters need of one version of a STIX 2.1
// indicator (section 4.7). KillChainPhases holds "chain:phase" strings;
// SID is the first rule id the rule writers may use for it (see
// MaxRulesPerIndicator).
type Indicator struct {
	ID, Name, Pattern, TLP string
	// PatternType is the indicator's pattern_type; "" is read as "stix".
	PatternType                              string
	Confidence                               *int
	ValidFrom, ValidUntil, Created, Modified string
	Labels                                   []string
	KillChainPhases                          []string
	SID                                      int
}

// FromObject builds an Indicator from a STIX indicator object. tlp is the
// level to show; when it is "" the object's own TLP marking
// (stix.EffectiveTLP) is used. SID is left 0 for the caller to set.
func FromObject(o *stix.Object, tlp string) (Indicator, error) {
	if o.Type() != "indicator" {
		return Indicator{}, fmt.Errorf("export: %s is a %q, not an indicator", o.ID(), o.Type())
	}
	if tlp == "" {
		tlp = stix.EffectiveTLP(o).String()
	}
	ind := Indicator{
		ID: o.ID(), Name: o.String("name"), Pattern: o.String("pattern"), TLP: tlp,
		PatternType: o.String("pattern_type"),
		ValidFrom:   o.String("valid_from"), ValidUntil: o.String("valid_until"),
		Created: o.Created(), Modified: o.Modified(),
		Labels: o.Strings("labels"),
	}
	if raw, ok := o.Property("confidence"); ok {
		n, err := strconv.Atoi(string(raw))
		if err != nil {
			return Indicator{}, fmt.Errorf("export: %s: confidence %s is not an integer", o.ID(), raw)
		}
		ind.Confidence = &n
	}
	if raw, ok := o.Property("kill_chain_phases"); ok {
		var phases []struct {
			Chain string `json:"kill_chain_name"`
			Phase string `json:"phase_name"`
		}
		if err := json.Unmarshal(raw, &phases); err != nil {
			return Indicator{}, fmt.Errorf("export: %s: kill_chain_phases: %v", o.ID(), err)
		}
		for _, p := range phases {
			ind.KillChainPhases = append(ind.KillChainPhases, p.Chain+":"+p.Phase)
		}
	}
	return ind, nil
}
