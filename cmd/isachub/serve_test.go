package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/isachub/isachub/demo"
	"github.com/isachub/isachub/taxii"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine to write while
// the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var demoURL = regexp.MustCompile(`is ready at (https?://[0-9.:]+)/`)

// startServe runs "isachub serve --demo" on 127.0.0.1:0, with any extra
// arguments, until the returned stop function is called, which returns the
// exit code and stdout.
func startServe(t *testing.T, db string, extra ...string) (base string, stop func() (int, string)) {
	t.Helper()
	return startServeDSN(t, "sqlite:"+db, extra...)
}

// startServeDSN is startServe over any database.
func startServeDSN(t *testing.T, dsn string, extra ...string) (base string, stop func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errOut, Getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	args := append([]string{"serve", "--demo", "--listen", "127.0.0.1:0", "--db", dsn}, extra...)
	go func() { done <- Run(ctx, env, args) }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if m := demoURL.FindStringSubmatch(out.String()); m != nil && strings.Contains(out.String(), "Try:") {
			base = m[1]
			break
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited with %d: %s %s", code, out.String(), errOut.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start: %s %s", out.String(), errOut.String())
		}
	}
	return base, func() (int, string) {
		cancel()
		return <-done, out.String()
	}
}

func getJSON(t *testing.T, url, user, pass string, v any) {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, url, nil)
	r.SetBasicAuth(user, pass)
	r.Header.Set("Accept", taxii.MediaTypeTAXII21)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}

// countDemo counts the object versions of a demo collection over TAXII.
func countDemo(t *testing.T, base, coll, user, pass string) int {
	t.Helper()
	n := 0
	next := ""
	for {
		var env taxii.Envelope
		getJSON(t, base+"/demo-isac/collections/"+coll+"/manifest/?limit=1000&match[version]=all&next="+url.QueryEscape(next), user, pass, &env)
		n += len(env.Objects)
		if !env.More {
			return n
		}
		next = env.Next
	}
}

func TestServeDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	objs, err := demo.Objects()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, p := range objs {
		want[p.Collection]++
	}

	base, stop := startServe(t, db, "--page-size", "7", "--max-page-size", "300")
	var page taxii.Envelope
	getJSON(t, base+"/demo-isac/collections/shared/objects/", "bob", "bob-demo-password", &page)
	if len(page.Objects) != 7 {
		t.Errorf("--page-size 7 gave %d objects", len(page.Objects))
	}
	getJSON(t, base+"/demo-isac/collections/shared/objects/?limit=1000", "bob", "bob-demo-password", &page)
	if len(page.Objects) != 300 {
		t.Errorf("--max-page-size 300 gave %d objects", len(page.Objects))
	}
	var d taxii.Discovery
	getJSON(t, base+"/taxii2/", "bob", "bob-demo-password", &d)
	if d.Default != base+"/demo-isac/" {
		t.Errorf("discovery %+v", d)
	}
	var colls taxii.Collections
	getJSON(t, base+"/demo-isac/collections/", "dave", "dave-demo-password", &colls)
	var aliases []string
	for _, c := range colls.Collections {
		aliases = append(aliases, c.Alias)
	}
	slices.Sort(aliases)
	if want := []string{demo.Shared, demo.Tips}; !slices.Equal(aliases, want) {
		t.Errorf("aerotech sees %v, want %v; the circle is restricted to the airline and the airport", aliases, want)
	}
	if n := countDemo(t, base, demo.Shared, "carol", "carol-demo-password"); n != want[demo.Shared] {
		t.Errorf("shared has %d versions, want %d", n, want[demo.Shared])
	}
	if n := countDemo(t, base, demo.Circle, "erin", "erin-demo-password"); n != want[demo.Circle] {
		t.Errorf("circle has %d versions, want %d", n, want[demo.Circle])
	}
	code, out := stop()
	if code != exitOK {
		t.Fatalf("serve exited with %d", code)
	}
	for _, s := range []string{"alice-demo-password", "operator", "curl -g -u bob:bob-demo-password", "ops-circle"} {
		if !strings.Contains(out, s) {
			t.Errorf("the demo banner lacks %q:\n%s", s, out)
		}
	}

	t.Run("OKIdempotent", func(t *testing.T) {
		base, stop := startServe(t, db)
		if n := countDemo(t, base, demo.Shared, "operator", "operator-demo-password"); n != want[demo.Shared] {
			t.Errorf("after a second start shared has %d versions, want %d", n, want[demo.Shared])
		}
		code, out := stop()
		if code != exitOK || !strings.Contains(out, "existed already") {
			t.Errorf("exit %d, output %s", code, out)
		}
	})
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key as
// PEM files and returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	pool = x509.NewCertPool()
	pool.AddCert(writeSelfSigned(t, certFile, keyFile, 1))
	return certFile, keyFile, pool
}

// writeSelfSigned writes a new self-signed certificate for 127.0.0.1 with
// the serial number, and its key, to the files: a server's certificate,
// or a client's.
func writeSelfSigned(t *testing.T, certFile, keyFile string, serial int64) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: "isachub test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	base, stop := startServe(t, filepath.Join(t.TempDir(), "tls.db"), "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("base %q is not https", base)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	r, _ := http.NewRequest(http.MethodGet, base+"/taxii2/", nil)
	r.SetBasicAuth("bob", "bob-demo-password")
	resp, err := client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Errorf("status %d, TLS %+v", resp.StatusCode, resp.TLS)
	}
	if got := resp.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("Strict-Transport-Security %q", got)
	}
	// SIGHUP loads the files again: new connections get the new
	// certificate, the open one keeps working.
	renewed := writeSelfSigned(t, certFile, keyFile, 2)
	pool.AddCert(renewed)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		fresh := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		resp, err := fresh.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.TLS.PeerCertificates[0].SerialNumber.Int64() == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the certificate was not reloaded on SIGHUP")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if resp, err := client.Get(base + "/healthz"); err != nil {
		t.Fatalf("the connection opened before the reload: %v", err)
	} else {
		resp.Body.Close()
	}
	old := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS11}}}
	if resp, err := old.Get(base + "/taxii2/"); err == nil {
		resp.Body.Close()
		t.Error("a TLS 1.1 client was served")
	}
	if code, _ := stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// TestServeOperations: the probes answer on the main listener, the
// metrics also on --metrics-listen; serve takes --log-format json.
func TestServeOperations(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := ln.Addr().String()
	ln.Close()
	base, stop := startServe(t, filepath.Join(t.TempDir(), "ops.db"), "--metrics-listen", metricsAddr, "--log-format", "json")
	for _, u := range []string{base + "/healthz", base + "/readyz", base + "/metrics", "http://" + metricsAddr + "/metrics"} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d %s", u, resp.StatusCode, body)
		}
		if strings.HasSuffix(u, "/metrics") && !strings.Contains(string(body), "isachub_http_requests_total") {
			t.Errorf("GET %s lacks the request counter", u)
		}
	}
	if code, _ := stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
}

func TestServeUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"serve", "--tls-cert", "x.pem"}, exitUsage},
		{[]string{"serve", "extra"}, exitUsage},
		{[]string{"serve", "--max-page-size", "5000"}, exitUsage},
		{[]string{"serve", "--page-size", "0"}, exitUsage},
		{[]string{"serve", "--page-size", "200", "--max-page-size", "100"}, exitUsage},
		{[]string{"serve", "--max-content-length", "100"}, exitUsage},
		{[]string{"serve", "--log-format", "xml"}, exitUsage},
		// Well-formed, but failing while starting: exit 1.
		{[]string{"serve", "--tls-cert", "missing.pem", "--tls-key", "missing.key"}, exitFailure},
		{[]string{"serve", "--listen", "127.0.0.1:0"}, exitFailure}, // no database there
	} {
		code, _, errOut := runAdminCLI(t, db, tt.args...)
		if code != tt.code || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want exit %d", tt.args, code, errOut, tt.code)
		}
	}
}
