package server

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestIsStream(t *testing.T) {
	for path, want := range map[string]bool{
		"/acme-isac/feeds/f1/stream":               true,
		"/acme-isac/feeds/f1/stream/":              true,
		"/acme-isac/feeds/f1/export":               false,
		"/acme-isac/collections/x/objects/stream/": false,
	} {
		if got := isStream(httptest.NewRequest("GET", path, nil)); got != want {
			t.Errorf("isStream(%s) = %v", path, got)
		}
	}
	if isStream(httptest.NewRequest("POST", "/acme-isac/feeds/f1/stream", nil)) {
		t.Error("a POST is no stream")
	}
}

// TestRateTableBounded: the table of limiters never holds more than
// maxLimiters, dropping idle ones first.
func TestRateTableBounded(t *testing.T) {
	tab := newRateTable(1, 1)
	now := time.Unix(0, 0)
	for i := range maxLimiters + 10 {
		tab.allow(string(rune(i)), now)
	}
	if len(tab.m) > maxLimiters {
		t.Fatalf("%d limiters kept", len(tab.m))
	}
	if ok, _ := newRateTable(0, 0).allow("x", now); !ok {
		t.Fatal("a zero rate limits")
	}
}
