package pattern_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub/pattern"
)

func TestParseEvent(t *testing.T) {
	tests := []struct {
		name  string
		event string
		n     int    // observations
		id    string // first observation's id
	}{
		{"OKECS", `{"source.ip":"192.0.2.1"}`, 1, ""},
		{"OKECSWithTypeField", `{"type":"firewall","source.ip":"192.0.2.1"}`, 1, ""},
		{"OKBundle", `{"type":"bundle","id":"bundle--1","objects":[{"type":"observed-data","id":"observed-data--1","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"object_refs":["ipv4-addr--1"]},{"type":"ipv4-addr","id":"ipv4-addr--1","value":"192.0.2.1"}]}`, 1, "observed-data--1"},
		{"OKObservedData20", `{"type":"observed-data","id":"observed-data--2","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr","value":"192.0.2.1"}}}`, 1, "observed-data--2"},
		{"OKArray", `  [{"type":"observed-data","id":"observed-data--3","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr","value":"192.0.2.1"}}}]  `, 1, "observed-data--3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, err := pattern.ParseEvent([]byte(tt.event))
			if err != nil {
				t.Fatal(err)
			}
			if len(obs) != tt.n || obs[0].ID != tt.id {
				t.Fatalf("got %d observations, first id %q", len(obs), obs[0].ID)
			}
			if got := obsValues(obs[0], "ipv4-addr"); len(got) != 1 || got[0] != "192.0.2.1" {
				t.Errorf("ipv4-addr values = %v", got)
			}
		})
	}
	errs := []struct{ name, event, want string }{
		{"ErrEmpty", "   ", "the event is empty"},
		{"ErrScalar", `42`, "an event must be a JSON object"},
		{"ErrBrokenJSON", `{"a":`, "invalid JSON"},
		{"ErrBadBundle", `{"type":"observed-data","id":"observed-data--4"}`, "observed-data observed-data--4: first_observed is missing"},
		{"ErrBadECS", `{"source.ip":"x"}`, "field source.ip"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pattern.ParseEvent([]byte(tt.event))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
