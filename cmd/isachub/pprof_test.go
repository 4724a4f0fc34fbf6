package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestPprofListen: the profiler answers on a loopback address, and any
// other address is refused (profiles show request data).
func TestPprofListen(t *testing.T) {
	var logs bytes.Buffer
	stop, err := servePprof("127.0.0.1:0", slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	m := regexp.MustCompile(`pprof=(http://127\.0\.0\.1:\d+/debug/pprof/)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no profiler address logged: %s", logs.String())
	}
	resp, err := http.Get(m[1] + "goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine") {
		t.Errorf("GET goroutine profile: %d %.200s", resp.StatusCode, body)
	}
	if _, err := servePprof("0.0.0.0:0", slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("a non-loopback profiler address was accepted: %v", err)
	}
}
