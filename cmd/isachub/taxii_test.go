package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/taxii"
)

// taxiiObjects are n indicators, each formatted its own way (spaces, key
// order), so that a byte-for-byte comparison means something.
func taxiiObjects(n int) []string {
	objs := make([]string, n)
	for i := range objs {
		objs[i] = fmt.Sprintf(`{"type": "indicator","spec_version":"2.1", "id":"indicator--%08x-1c55-4a8e-9a40-3d1b7f6e2a11",`+
			`"created":"2026-12-01T00:00:00.000Z","modified":"2026-12-01T00:00:00.000Z","name":"taxii get %d",%s"pattern_type":"stix",`+
			`"pattern":"[domain-name:value = 'g%d.example']","valid_from":"2026-12-01T00:00:00Z"}`, i+1, i, strings.Repeat(" ", i), i)
	}
	return objs
}

// taxiiCollectionID returns the id of the collection of the alias, as
// "taxii collections --json" lists it.
func taxiiCollectionID(t *testing.T, h *testHub, alias string) string {
	t.Helper()
	code, out, errOut := h.client(t, "bob", "", nil, "taxii", "collections", "--json", "--url", h.root("aviation-isac"))
	var cs taxii.Collections
	if err := json.Unmarshal([]byte(out), &cs); code != exitOK || err != nil {
		t.Fatalf("taxii collections --json: exit %d, %v: %s%s", code, err, out, errOut)
	}
	for _, c := range cs.Collections {
		if c.Alias == alias {
			return c.ID
		}
	}
	t.Fatalf("no collection %q in %s", alias, out)
	return ""
}

// bundleObjects decodes a bundle and returns its objects' bytes, sorted.
func bundleObjects(t *testing.T, data string) []string {
	t.Helper()
	var b bundle
	if err := json.Unmarshal([]byte(data), &b); err != nil {
		t.Fatalf("not a bundle: %v\n%s", err, data)
	}
	if b.Type != "bundle" || !strings.HasPrefix(b.ID, "bundle--") || !taxii.ValidSTIXID(b.ID) {
		t.Errorf("type %q, id %q", b.Type, b.ID)
	}
	objs := make([]string, len(b.Objects))
	for i, o := range b.Objects {
		objs[i] = string(o)
	}
	slices.Sort(objs)
	return objs
}

func TestTaxiiCommands(t *testing.T) { forBackends(t, testTaxiiCommands) }

func testTaxiiCommands(t *testing.T, db testDB) {
	h := startHub(t, db)
	root := h.root("aviation-isac")
	shared := taxiiCollectionID(t, h, "shared")
	objs := taxiiObjects(8)

	t.Run("OKDiscover", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", "", nil, "taxii", "discover", "--url", root)
		var d taxii.Discovery
		if err := json.Unmarshal([]byte(out), &d); code != exitOK || err != nil || !slices.Contains(d.APIRoots, root) {
			t.Errorf("exit %d, %v: %s%s", code, err, out, errOut)
		}
	})
	t.Run("OKCollections", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", "", nil, "taxii", "collections", "--url", root)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != exitOK || len(lines) != 4 || !strings.HasPrefix(lines[0], "ID ") {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		if i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, shared) }); i < 0 ||
			!slices.Equal(strings.Fields(lines[i]), []string{shared, "shared", "yes", "yes", "Shared"}) {
			t.Errorf("no row for the shared collection:\n%s", out)
		}
	})
	var statusID string
	t.Run("OKAdd", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", "["+strings.Join(objs, ",\n")+"]", nil, "taxii", "add", "--url", root, "--collection", shared, "--json", "-")
		st := parseStatus(t, out)
		if code != exitOK || st.Status != taxii.StatusComplete || st.SuccessCount != len(objs) {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		statusID = st.ID
		// Adding the same objects again is accepted and stores nothing new.
		code, out, errOut = h.client(t, "bob", "["+strings.Join(objs[:2], ",")+"]", nil, "taxii", "add", "--url", root, "--collection", shared)
		if code != exitOK || !strings.HasPrefix(out, "2 objects in 1 envelope: ") || !strings.HasSuffix(strings.TrimSpace(out), "complete\t2 stored, 0 pending, 0 refused") {
			t.Errorf("add again: exit %d: %s%s", code, out, errOut)
		}
	})
	t.Run("OKStatus", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", "", nil, "taxii", "status", "--url", root, "--id", statusID)
		if st := parseStatus(t, out); code != exitOK || st.ID != statusID || st.SuccessCount != len(objs) {
			t.Errorf("exit %d: %s%s", code, out, errOut)
		}
	})
	t.Run("OKGetPages", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", "", nil, "taxii", "get", "--url", root, "--collection", shared, "--limit", "3")
		want := slices.Sorted(slices.Values(objs))
		if got := bundleObjects(t, out); code != exitOK || !slices.Equal(got, want) {
			t.Fatalf("exit %d, stderr %q: the bundle does not hold the objects added, byte for byte:\n%s", code, errOut, out)
		}
		if !strings.Contains(errOut, "8 objects in 3 pages") {
			t.Errorf("stderr %q", errOut)
		}
		// The bundle is STIX 2.1 as isachub stix validate sees it.
		file := filepath.Join(t.TempDir(), "bundle.json")
		os.WriteFile(file, []byte(out), 0o600)
		if code, vout, verr := runCLI(t, "", nil, "stix", "validate", file); code != exitOK {
			t.Errorf("stix validate: exit %d: %s%s", code, vout, verr)
		}
	})
	t.Run("OKGetMatch", func(t *testing.T) {
		id := "indicator--00000002-1c55-4a8e-9a40-3d1b7f6e2a11"
		code, out, errOut := h.client(t, "bob", "", nil, "taxii", "get", "--url", root, "--collection", shared, "--match", "type=indicator,malware", "--match", "id="+id)
		if got := bundleObjects(t, out); code != exitOK || len(got) != 1 || got[0] != objs[1] {
			t.Errorf("exit %d, stderr %q:\n%s", code, errOut, out)
		}
	})
	t.Run("OKManifest", func(t *testing.T) {
		code, out, errOut := h.client(t, "bob", "", nil, "taxii", "get", "--manifest", "--url", root, "--collection", shared, "--limit", "5")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != exitOK || len(lines) != len(objs) || !strings.Contains(errOut, "8 manifest records in 2 pages") {
			t.Fatalf("exit %d, stderr %q:\n%s", code, errOut, out)
		}
		for _, l := range lines {
			f := strings.Split(l, "\t")
			if len(f) != 3 || !strings.HasPrefix(f[0], "indicator--") || f[2] != "2026-12-01T00:00:00.000Z" {
				t.Errorf("record %q", l)
			}
			if _, err := taxii.ParseTimestamp(f[1]); err != nil {
				t.Errorf("date_added of %q: %v", l, err)
			}
		}
	})
	t.Run("OKGetToFile", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "out.json")
		code, out, errOut := h.client(t, "bob", "", nil, "taxii", "get", "--url", root, "--collection", shared, "-o", file)
		data, _ := os.ReadFile(file)
		if code != exitOK || out != "" || len(bundleObjects(t, string(data))) != len(objs) {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("ErrGetToFile", func(t *testing.T) {
		dir := t.TempDir()
		code, out, errOut := h.client(t, "bob", "", nil, "taxii", "get", "--url", root, "--collection", "ghost", "-o", filepath.Join(dir, "out.json"))
		if code != exitNegative || out != "" || !strings.Contains(errOut, `getting objects of collection "ghost": 404`) {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("a failed get left %v", left)
		}
	})
	t.Run("ErrAddRefused", func(t *testing.T) {
		bad := `{"type":"indicator","spec_version":"2.1","id":"indicator--1b9e2f3a-4c5d-4e6f-8a7b-9c0d1e2f3a4b","created":"2026-11-21T09:30:00.000Z","modified":"2026-11-21T09:30:00.000Z","pattern":"[ipv4-addr:value = '203.0.113.9']","valid_from":"2026-11-21T09:30:00Z"}`
		code, out, errOut := h.client(t, "bob", bad, nil, "taxii", "add", "--url", root, "--collection", shared)
		if code != exitNegative || !strings.Contains(out, "1 refused") || !strings.Contains(errOut, "1 of 1 objects were refused") {
			t.Errorf("exit %d, out %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("OKAddPending", func(t *testing.T) {
		// A moderated collection's status stays pending: add says so
		// and how to follow it, once --wait is over.
		tips := taxiiCollectionID(t, h, "tips")
		code, out, errOut := h.client(t, "bob", objs[0], nil, "taxii", "add", "--url", root, "--collection", tips, "--wait", "300ms")
		if code != exitOK || !strings.Contains(out, "1 pending") || !strings.Contains(errOut, "still pending after 300ms; follow it with isachub taxii status --id ") {
			t.Errorf("exit %d, out %q, stderr %q", code, out, errOut)
		}
	})
}

// TestTaxiiErrors: bad usage exits 2, a server that cannot be reached 1
// with a message that names it.
func TestTaxiiErrors(t *testing.T) {
	h := startHub(t, sqliteDB(t))
	root := h.root("aviation-isac")
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		msg  string
	}{
		{"ErrNoURL", nil, []string{"taxii", "discover"}, exitUsage, "--url is required"},
		{"ErrNoCollection", nil, []string{"taxii", "get", "--url", root}, exitUsage, "--collection is required"},
		{"ErrBadMatch", nil, []string{"taxii", "get", "--url", root, "--collection", "c", "--match", "name=x"}, exitUsage, "FIELD one of id, type, version, spec_version"},
		{"ErrBadAddedAfter", nil, []string{"taxii", "get", "--url", root, "--collection", "c", "--added-after", "yesterday"}, exitUsage, "--added-after"},
		{"ErrNoID", nil, []string{"taxii", "status", "--url", root}, exitUsage, "--id is required"},
		{"ErrUnknownFlag", nil, []string{"taxii", "collections", "--url", root, "--bogus"}, exitUsage, "bogus"},
		{"ErrBadRetries", nil, []string{"taxii", "collections", "--url", root, "--retries", "-3"}, exitUsage, "retries"},
		{"ErrKeyWithoutCert", nil, []string{"taxii", "discover", "--url", root, "--key", "k.pem"}, exitUsage, "--cert and --key go together"},
		{"ErrNoCredentials", map[string]string{}, []string{"taxii", "discover", "--url", root}, exitUsage, "no credentials"},
		{"ErrGroup", nil, []string{"taxii"}, exitUsage, "taxii get"},
		{"ErrWrongToken", map[string]string{"ISACHUB_TOKEN": "isachub_wrong"}, []string{"taxii", "collections", "--url", root}, exitNegative, "listing the collections: 401"},
		{"ErrUnreachable", nil, []string{"taxii", "discover", "--url", "http://127.0.0.1:1/api1/", "--retries", "0"}, exitFailure, "127.0.0.1:1: reading the discovery resource: cannot reach the server"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := tt.env
			if env == nil {
				env = map[string]string{"ISACHUB_TOKEN": h.tokens["bob"]}
			}
			code, out, errOut := runCLI(t, "", env, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d mentioning %q", code, out, errOut, tt.code, tt.msg)
			}
		})
	}
}

// TestTaxiiClientCertificate: --ca trusts a private CA and --cert/--key
// present a client certificate, which is then all the credentials needed.
func TestTaxiiClientCertificate(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	clientCert := writeSelfSigned(t, certFile, keyFile, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
		json.NewEncoder(w).Encode(taxii.Discovery{Title: "mTLS peer", APIRoots: []string{"/api1/"}})
	}))
	pool := x509.NewCertPool()
	pool.AddCert(clientCert)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	defer srv.Close()
	caFile := filepath.Join(dir, "ca.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)

	code, out, errOut := runCLI(t, "", nil, "taxii", "discover", "--url", srv.URL+"/api1/", "--ca", caFile, "--cert", certFile, "--key", keyFile)
	if code != exitOK || !strings.Contains(out, `"title": "mTLS peer"`) {
		t.Errorf("with the certificate: exit %d: %s%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "", map[string]string{"ISACHUB_TOKEN": "t"}, "taxii", "discover", "--url", srv.URL+"/api1/", "--ca", caFile, "--retries", "0")
	if code != exitFailure || !strings.Contains(errOut, "127.0.0.1") {
		t.Errorf("without the certificate: exit %d: %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "", map[string]string{"ISACHUB_TOKEN": "t"}, "taxii", "discover", "--url", srv.URL+"/api1/", "--cert", certFile, "--key", keyFile, "--retries", "0")
	if code != exitFailure || !strings.Contains(errOut, "certificate") {
		t.Errorf("without the CA: exit %d: %s", code, errOut)
	}
}

// TestREADMETaxiiExample runs the example of README.md's "Talking to other
// TAXII servers" against serve --demo.
func TestREADMETaxiiExample(t *testing.T) {
	base, stop := startServe(t, filepath.Join(t.TempDir(), "demo.db"))
	defer stop()
	env := map[string]string{"ISACHUB_USER": "bob", "ISACHUB_PASSWORD": "bob-demo-password"}
	const shared = "09aa12aa-22c5-4e4a-b244-8d2c72ccbbce"
	code, out, errOut := runCLI(t, "", env, "taxii", "collections", "--url", base+"/demo-isac/")
	if code != exitOK || !strings.Contains(out, shared) {
		t.Fatalf("taxii collections: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	file := filepath.Join(t.TempDir(), "indicators.json")
	code, _, errOut = runCLI(t, "", env, "taxii", "get", "--url", base+"/demo-isac/", "--collection", shared, "--match", "type=indicator", "-o", file)
	data, _ := os.ReadFile(file)
	objs := bundleObjects(t, string(data))
	if code != exitOK || len(objs) == 0 {
		t.Fatalf("taxii get: exit %d, %d objects, stderr %q", code, len(objs), errOut)
	}
	for _, o := range objs {
		var head struct{ Type string }
		if json.Unmarshal([]byte(o), &head); head.Type != "indicator" {
			t.Fatalf("an object of type %q: %s", head.Type, o)
		}
	}
}
