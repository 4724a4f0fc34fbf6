package main

import (
	"log/slog"
	"net"
	"net/http"
	"time"
)

// serveMetrics serves GET /metrics (and nothing else) on addr, for a
// Prometheus kept off the main listener; stop closes it.
func serveMetrics(addr string, metrics http.Handler, logger *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", metrics)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	logger.Info("serving the metrics", "metrics", "http://"+ln.Addr().String()+"/metrics")
	return func() { srv.Close() }, nil
}
