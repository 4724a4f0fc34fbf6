package pattern

import "time"

// Observation is one observed-data with its cyber-observable objects resolved.
type Observation struct {
	ID             string // the observed-data id ("" for flat events)
	FirstObserved  time.Time
	LastObserved   time.Time
	NumberObserved int
	// Objects holds the SCOs, keyed by id (STIX 2.1 object_refs) or by the
	// dictionary key (STIX 2.0 "objects"); values are decoded with
	// json.Decoder.UseNumber so numbers are json.Number.
	Objects map[string]map[string]any
}

// ObjectsOfType returns the SCOs of o whose "type" is typ, in no particular
// order. It returns nil when there is none.
func (o *Observation) ObjectsOfType(typ string) []map[string]any {
	var out []map[string]any
	for _, sco := range o.Objects {
		if t, _ := sco["type"].(string); t == typ {
			out = append(out, sco)
		}
	}
	return out
}
