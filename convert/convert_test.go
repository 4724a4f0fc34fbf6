package convert_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

func TestID(t *testing.T) {
	a := convert.ID("stix1", "indicator", "example:indicator-1")
	if a != convert.ID("stix1", "indicator", "example:indicator-1") {
		t.Fatal("ID is not deterministic")
	}
	if msg := stix.CheckID(a); msg != "" {
		t.Fatalf("%s: %s", a, msg)
	}
	for _, other := range []string{
		convert.ID("misp", "indicator", "example:indicator-1"),
		convert.ID("stix1", "malware", "example:indicator-1"),
		convert.ID("stix1", "indicator", "example:indicator-2"),
	} {
		if other == a {
			t.Errorf("%s collides with %s", other, a)
		}
	}
}

func TestReport(t *testing.T) {
	r := convert.NewReport("in.xml", "stix1")
	r.Count("indicator")
	r.Count("indicator")
	r.Approx("/stix:STIX_Package/stix:Indicators/stix:Indicator[2]", "indicator", "the condition FitsPattern has no STIX 2.1 equivalent")
	r.Skip("/stix:STIX_Package/stix:Incidents", "incident", "not supported")
	if r.Total(convert.Converted) != 2 || r.Total(convert.Approximate) != 1 || r.Total(convert.NotConverted) != 1 {
		t.Fatalf("totals: %+v", r.Counts)
	}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 constructs converted, 1 approximately, 1 not converted", "Indicator[2]", "FitsPattern", "not-converted incident"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
