package main

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub/server"
)

// opensslFingerprint is the certificate's SHA-256 fingerprint as
// "openssl x509 -noout -fingerprint -sha256" prints it.
func opensslFingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return "sha256 Fingerprint=" + strings.Join(parts, ":")
}

// TestServeClientCert holds issue 12's mTLS: a client certificate named by
// a certificate token (admin token add --client-cert-fingerprint)
// authenticates as its user with no Authorization header, in both modes of
// --tls-client-auth; an unknown certificate is a wrong credential; a
// client without one still uses a password; with verify, a certificate
// that does not chain to --tls-client-ca is refused in the handshake.
func TestServeClientCert(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	dir := t.TempDir()
	known := filepath.Join(dir, "known")
	knownCert := writeSelfSigned(t, known+".pem", known+".key", 7)
	stranger := filepath.Join(dir, "stranger")
	writeSelfSigned(t, stranger+".pem", stranger+".key", 8)
	pair := func(name string) []tls.Certificate {
		c, err := tls.LoadX509KeyPair(name+".pem", name+".key")
		if err != nil {
			t.Fatal(err)
		}
		return []tls.Certificate{c}
	}
	get := func(base string, certs []tls.Certificate, basic bool) (int, error) {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: certs}}}
		r, _ := http.NewRequest(http.MethodGet, base+"/taxii2/", nil)
		if basic {
			r.SetBasicAuth("bob", "bob-demo-password")
		}
		resp, err := client.Do(r)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	for _, mode := range []string{"request", "verify"} {
		t.Run(mode, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "mtls.db")
			args := []string{"--tls-cert", certFile, "--tls-key", keyFile, "--tls-client-auth", mode}
			if mode == "verify" { // the known certificate is its own authority
				args = append(args, "--tls-client-ca", known+".pem")
			}
			base, stop := startServe(t, db, args...)
			defer stop()
			id := mustAdmin(t, db, "admin", "token", "add", "--username", "bob", "--name", "SIEM", "--client-cert-fingerprint", opensslFingerprint(knownCert))
			if strings.HasPrefix(id, server.TokenPrefix) {
				t.Fatalf("a certificate token printed a secret: %q", id)
			}
			if code, err := get(base, pair(known), false); err != nil || code != http.StatusOK {
				t.Errorf("the known certificate: %d %v", code, err)
			}
			if code, err := get(base, nil, false); err != nil || code != http.StatusUnauthorized {
				t.Errorf("no certificate, no credential: %d %v", code, err)
			}
			if code, err := get(base, nil, true); err != nil || code != http.StatusOK {
				t.Errorf("no certificate, a password: %d %v", code, err)
			}
			code, err := get(base, pair(stranger), false)
			switch mode {
			case "request":
				if err != nil || code != http.StatusUnauthorized {
					t.Errorf("an unknown certificate: %d %v", code, err)
				}
			case "verify":
				if err == nil {
					t.Errorf("a certificate outside --tls-client-ca was served: %d", code)
				}
			}
		})
	}
	t.Run("Usage", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "u.db")
		for _, args := range [][]string{
			{"serve", "--tls-client-auth", "request"},
			{"serve", "--tls-cert", certFile, "--tls-key", keyFile, "--tls-client-auth", "verify"},
			{"serve", "--tls-cert", certFile, "--tls-key", keyFile, "--tls-client-auth", "sometimes"},
			{"serve", "--tls-cert", certFile, "--tls-key", keyFile, "--tls-client-ca", known + ".pem"},
		} {
			if code, _, errOut := runAdminCLI(t, db, args...); code != exitUsage || !strings.Contains(errOut, "--tls-client") {
				t.Errorf("%v: exit %d: %s", args, code, errOut)
			}
		}
		if code, _, errOut := runAdminCLI(t, migratedDB(t), "admin", "token", "add", "--username", "bob", "--client-cert-fingerprint", "AB:CD"); code == exitOK || !strings.Contains(errOut, "SHA-256 fingerprint") {
			t.Errorf("a short fingerprint: exit %d: %s", code, errOut)
		}
	})
}
