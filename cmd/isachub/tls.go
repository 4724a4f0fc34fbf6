package main

import (
	"context"
	"crypto/tls"
	"log/slog"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// certReloader serves the certificate of a pair of PEM files and loads
// them again on SIGHUP, so that a renewed certificate (from certbot, say)
// takes effect without a restart or a dropped connection: connections
// that are open keep the certificate they shook hands with, new ones get
// the new one. A pair that does not load is logged and the certificate in
// use stays.
type certReloader struct {
	certFile, keyFile string
	cert              atomic.Pointer[tls.Certificate]
	log               *slog.Logger
}

func newCertReloader(certFile, keyFile string, log *slog.Logger) (*certReloader, error) {
	r := &certReloader{certFile: certFile, keyFile: keyFile, log: log}
	if err := r.reload(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *certReloader) reload() error {
	cert, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		return err
	}
	r.cert.Store(&cert)
	return nil
}

// getCertificate is the tls.Config's GetCertificate.
func (r *certReloader) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return r.cert.Load(), nil
}

// watch reloads on every SIGHUP until ctx ends.
func (r *certReloader) watch(ctx context.Context) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				if err := r.reload(); err != nil {
					r.log.Error("reloading the TLS certificate on SIGHUP failed; serving the one loaded before", "err", err)
				} else {
					r.log.Info("reloaded the TLS certificate", "cert", r.certFile)
				}
			}
		}
	}()
}
