package pattern

import (
	"bytes"
	"errors"
	"fmt"
)

// ParseEvent reads one event as the match command receives it, one per
// line: a STIX bundle, a single observed-data (2.1, or 2.0-style with an
// embedded "objects" dictionary), a JSON array of those (see
// LoadObservations), or else a flat or nested ECS event (see ParseECS). A
// JSON object is taken as STIX when its "type" is "bundle" or
// "observed-data", and as ECS otherwise.
func ParseEvent(data []byte) ([]*Observation, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("the event is empty")
	}
	if data[0] == '[' {
		return LoadObservations(data)
	}
	if f, groups, ok := ecsFastFlatten(data); ok {
		if t, _ := f["type"].(string); t != "bundle" && t != "observed-data" {
			o, err := observationFromFields(f, groups)
			if err != nil {
				return nil, err
			}
			return []*Observation{o}, nil
		}
	}
	v, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("an event must be a JSON object (an ECS event or a STIX bundle) or an array")
	}
	if t, _ := m["type"].(string); t == "bundle" || t == "observed-data" {
		return LoadObservations(data)
	}
	o, err := ObservationFromECS(m)
	if err != nil {
		return nil, err
	}
	return []*Observation{o}, nil
}
