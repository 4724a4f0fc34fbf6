package pattern_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/pattern"
)

func mustReadTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func mustLoadObs(tb testing.TB, data []byte) []*pattern.Observation {
	tb.Helper()
	obs, err := pattern.LoadObservations(data)
	if err != nil {
		tb.Fatalf("LoadObservations: %v", err)
	}
	return obs
}

// obsValues returns the "value" properties of the SCOs of one type.
func obsValues(o *pattern.Observation, typ string) []string {
	var out []string
	for _, sco := range o.ObjectsOfType(typ) {
		if s, ok := sco["value"].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func TestLoadObservations(t *testing.T) {
	t.Run("OKBundle21", func(t *testing.T) {
		obs := mustLoadObs(t, mustReadTestdata(t, "observations/bundle21.json"))
		if len(obs) != 2 {
			t.Fatalf("got %d observations, want 2", len(obs))
		}
		o := obs[0]
		if o.ID != "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf" {
			t.Errorf("ID = %q", o.ID)
		}
		if o.NumberObserved != 50 {
			t.Errorf("NumberObserved = %d, want 50", o.NumberObserved)
		}
		want := time.Date(2015, 12, 21, 19, 0, 0, 0, time.UTC)
		if !o.FirstObserved.Equal(want) || !o.LastObserved.Equal(want) {
			t.Errorf("times = %v, %v; want %v", o.FirstObserved, o.LastObserved, want)
		}
		// The ipv4-addr SCOs are not in object_refs but are referenced by
		// the network-traffic: they must be resolvable.
		if len(o.Objects) != 3 {
			t.Errorf("got %d objects, want the network-traffic and its two addresses", len(o.Objects))
		}
		nt := o.ObjectsOfType("network-traffic")
		if len(nt) != 1 {
			t.Fatalf("network-traffic objects: %d", len(nt))
		}
		dst, _ := nt[0]["dst_ref"].(string)
		if v, _ := o.Objects[dst]["value"].(string); v != "203.0.113.1" {
			t.Errorf("dst_ref resolves to %q", v)
		}
		if p, ok := nt[0]["dst_port"].(json.Number); !ok || p != "443" {
			t.Errorf("dst_port = %#v, want json.Number 443", nt[0]["dst_port"])
		}
		o2 := obs[1]
		if o2.FirstObserved.Nanosecond() != 123_000_000 {
			t.Errorf("fractional seconds lost: %v", o2.FirstObserved)
		}
		if len(o2.Objects) != 1 || len(o2.ObjectsOfType("file")) != 1 {
			t.Errorf("second observation objects = %v", o2.Objects)
		}
	})
	t.Run("OKEmbedded21", func(t *testing.T) {
		obs := mustLoadObs(t, mustReadTestdata(t, "observations/embedded21.json"))
		if len(obs) != 1 || len(obs[0].Objects) != 2 {
			t.Fatalf("got %v", obs)
		}
		if got := obsValues(obs[0], "domain-name"); len(got) != 1 || got[0] != "example.com" {
			t.Errorf("domain-name values = %v", got)
		}
		if _, ok := obs[0].Objects["1"]; !ok {
			t.Error(`embedded objects must keep their dictionary keys ("1")`)
		}
	})
	t.Run("OKObserved20Array", func(t *testing.T) {
		obs := mustLoadObs(t, mustReadTestdata(t, "observations/observed20.json"))
		if len(obs) != 2 {
			t.Fatalf("got %d observations", len(obs))
		}
		if obs[1].NumberObserved != 3 || obs[1].LastObserved.Sub(obs[1].FirstObserved) != 5*time.Second {
			t.Errorf("second observation = %+v", obs[1])
		}
		if got := obsValues(obs[0], "email-addr"); len(got) != 1 || got[0] != "alice@example.com" {
			t.Errorf("email-addr values = %v", got)
		}
	})
	t.Run("OKArrayOfBundles", func(t *testing.T) {
		a := mustReadTestdata(t, "observations/bundle21.json")
		b := mustReadTestdata(t, "observations/embedded21.json")
		data := []byte("[" + string(a) + "," + string(b) + "]")
		if obs := mustLoadObs(t, data); len(obs) != 3 {
			t.Fatalf("got %d observations, want 3", len(obs))
		}
	})
	t.Run("OKSingleObservedData", func(t *testing.T) {
		data := `{"type":"observed-data","id":"observed-data--1","first_observed":"2020-01-01T00:00:00Z",
			"last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"url","value":"http://x/"}}}`
		if obs := mustLoadObs(t, []byte(data)); len(obs) != 1 || obs[0].ID != "observed-data--1" {
			t.Fatalf("got %v", obs)
		}
	})
	t.Run("OKNoObservedData", func(t *testing.T) {
		obs := mustLoadObs(t, []byte(`{"type":"bundle","id":"bundle--1","objects":[{"type":"ipv4-addr","id":"ipv4-addr--1","value":"1.2.3.4"}]}`))
		if len(obs) != 0 {
			t.Fatalf("got %d observations, want none", len(obs))
		}
	})
}

func TestLoadObservationsErrors(t *testing.T) {
	const head = `{"type":"observed-data","id":"observed-data--x1",`
	const objs = `"objects":{"0":{"type":"ipv4-addr","value":"1.2.3.4"}}`
	tests := []struct {
		name, data, want string
	}{
		{"ErrMissingFirstObserved", head + `"last_observed":"2020-01-01T00:00:00Z","number_observed":1,` + objs + `}`,
			"observed-data observed-data--x1: first_observed is missing"},
		{"ErrMalformedLastObserved", head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"yesterday","number_observed":1,` + objs + `}`,
			`observed-data observed-data--x1: last_observed "yesterday" is not an RFC 3339 timestamp`},
		{"ErrTimestampNotString", head + `"first_observed":20200101,"last_observed":"2020-01-01T00:00:00Z","number_observed":1,` + objs + `}`,
			"first_observed must be a timestamp string, found the number 20200101"},
		{"ErrLastBeforeFirst", head + `"first_observed":"2020-01-02T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,` + objs + `}`,
			"last_observed 2020-01-01T00:00:00Z is before first_observed"},
		{"ErrMissingNumberObserved", head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z",` + objs + `}`,
			"observed-data observed-data--x1: number_observed is missing"},
		{"ErrNumberObservedZero", head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":0,` + objs + `}`,
			"number_observed must be between 1 and 999999999, found 0"},
		{"ErrNumberObservedFraction", head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1.5,` + objs + `}`,
			"number_observed must be an integer, found 1.5"},
		{"ErrNumberObservedString", head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":"3",` + objs + `}`,
			`number_observed must be an integer, found "3"`},
		{"ErrNoObjects", head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1}`,
			"observed-data observed-data--x1: has neither object_refs nor an embedded objects dictionary"},
		{"ErrObjectsNotDict", head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":[1]}`,
			`"objects" must be a dictionary`},
		{"ErrEmbeddedWithoutType", head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"value":"x"}}}`,
			`objects["0"] has no type`},
		{"ErrDanglingObjectRef", `{"type":"bundle","id":"bundle--1","objects":[` + head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"object_refs":["ipv4-addr--nope"]}]}`,
			`observed-data observed-data--x1: object_refs[0] "ipv4-addr--nope" is not in the input`},
		{"ErrObjectRefsNotList", head + `"first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"object_refs":"ipv4-addr--1"}`,
			"object_refs must be a non-empty array of identifiers"},
		{"ErrNotJSON", `[{"type":`, "invalid JSON"},
		{"ErrArrayOfNumbers", `[1,2]`, "expected a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pattern.LoadObservations([]byte(tt.data))
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
