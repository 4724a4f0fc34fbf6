package taxii_test

import (
	"testing"

	"github.com/isachub/isachub/taxii"
)

func TestAcceptsTAXII21(t *testing.T) {
	tests := []struct {
		accept string
		want   bool
	}{
		{"", true},
		{"application/taxii+json;version=2.1", true},
		{"application/taxii+json; version=2.1", true},
		{"application/taxii+json", true},
		{"Application/TAXII+JSON;Version=2.1", true},
		{"*/*", true},
		{"application/*", true},
		{"text/html, */*;q=0.1", true},
		{"application/taxii+json;version=2.0", false},
		{"application/vnd.oasis.taxii+json;version=2.0", false},
		{"application/json", false},
		{"text/html", false},
		{"application/taxii+json;version=2.1;q=0", false},
		{"*/*;q=0", false},
		{"garbage", false},
		{";;;", false},
		{"application/stix+json;version=2.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			if got := taxii.AcceptsTAXII21(tt.accept); got != tt.want {
				t.Errorf("AcceptsTAXII21(%q) = %v, want %v", tt.accept, got, tt.want)
			}
		})
	}
}

func TestIsTAXII21ContentType(t *testing.T) {
	tests := []struct {
		ct   string
		want bool
	}{
		{"application/taxii+json;version=2.1", true},
		{"application/taxii+json; version=2.1", true},
		{"application/taxii+json;version=2.1; charset=utf-8", true},
		{"application/taxii+json", false},
		{"application/taxii+json;version=2.0", false},
		{"application/json", false},
		{"application/stix+json;version=2.1", false},
		{"", false},
		{"*/*", false},
	}
	for _, tt := range tests {
		t.Run(tt.ct, func(t *testing.T) {
			if got := taxii.IsTAXII21ContentType(tt.ct); got != tt.want {
				t.Errorf("IsTAXII21ContentType(%q) = %v, want %v", tt.ct, got, tt.want)
			}
		})
	}
}

func TestSTIXMediaType(t *testing.T) {
	if got := taxii.STIXMediaType("2.1"); got != taxii.MediaTypeSTIX21 {
		t.Errorf("STIXMediaType(2.1) = %q", got)
	}
	if got := taxii.STIXMediaType("2.0"); got != "application/stix+json;version=2.0" {
		t.Errorf("STIXMediaType(2.0) = %q", got)
	}
}
