package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWriteErrorAbandoned: a store call cut short because the client went
// away is logged as abandoned, not as a failure of the hub; the same error
// while the client still waits is a failure.
func TestWriteErrorAbandoned(t *testing.T) {
	var logged bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logged, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("POST", "/acme-isac/collections/x/objects/", nil).WithContext(ctx)
	s.writeError(httptest.NewRecorder(), r, fmt.Errorf("postgres: load object state: %w", context.Canceled))
	if strings.Contains(logged.String(), "request failed") || !strings.Contains(logged.String(), "abandoned") {
		t.Errorf("a request the client left is logged as:\n%s", logged.String())
	}
	logged.Reset()
	w := httptest.NewRecorder()
	s.writeError(w, httptest.NewRequest("GET", "/", nil), fmt.Errorf("postgres: %w", context.Canceled))
	if w.Code != 500 || !strings.Contains(logged.String(), "request failed") {
		t.Errorf("a cancellation while the client waits: %d, log %s", w.Code, logged.String())
	}
}
