package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
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

// tlsFlags are a client's TLS flags: a client certificate (mTLS) and a
// private certificate authority.
type tlsFlags struct {
	cert, key, ca *string
}

func addTLSFlags(fs *flag.FlagSet) tlsFlags {
	return tlsFlags{
		cert: fs.String("cert", "", "a PEM file of a client certificate to present (mTLS), with --key"),
		key:  fs.String("key", "", "the PEM file of the client certificate's private key"),
		ca:   fs.String("ca", "", "a PEM file of the certificate authorities to trust instead of the system's (a private CA)"),
	}
}

// config returns the TLS configuration the flags ask for, nil when they
// ask for none.
func (f tlsFlags) config() (*tls.Config, error) {
	if *f.cert == "" && *f.key == "" && *f.ca == "" {
		return nil, nil
	}
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	switch {
	case (*f.cert == "") != (*f.key == ""):
		return nil, errors.New("--cert and --key go together")
	case *f.cert != "":
		cert, err := tls.LoadX509KeyPair(*f.cert, *f.key)
		if err != nil {
			return nil, fmt.Errorf("the client certificate: %v", err)
		}
		conf.Certificates = []tls.Certificate{cert}
	}
	if *f.ca != "" {
		pem, err := os.ReadFile(*f.ca)
		if err != nil {
			return nil, fmt.Errorf("--ca: %v", err)
		}
		conf.RootCAs = x509.NewCertPool()
		if !conf.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca: %s holds no PEM certificate", *f.ca)
		}
	}
	return conf, nil
}

// clientCertConfig sets how the server asks for client certificates
// (mTLS): mode "none", "request" (any certificate the client holds the key
// of; the hub accepts it only when a certificate token names its
// fingerprint) or "verify" (a certificate must also chain to the PEM
// authorities in caFile). A client without a certificate may still
// authenticate with a token or a password.
func clientCertConfig(c *tls.Config, mode, caFile string) error {
	switch mode {
	case "none", "request":
		if caFile != "" {
			return fmt.Errorf("--tls-client-ca goes with --tls-client-auth verify")
		}
		if mode == "request" {
			c.ClientAuth = tls.RequestClientCert
		}
		return nil
	case "verify":
		if caFile == "" {
			return fmt.Errorf("--tls-client-auth verify needs --tls-client-ca")
		}
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return fmt.Errorf("--tls-client-ca: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("--tls-client-ca: %s holds no PEM certificate", caFile)
		}
		c.ClientAuth, c.ClientCAs = tls.VerifyClientCertIfGiven, pool
		return nil
	}
	return fmt.Errorf("--tls-client-auth is none, request or verify, not %q", mode)
}
