package federation_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/isachub/isachub/federation"
)

// TestSeal seals and opens a credential; it does not open under another
// key, for another peer, or truncated, and the sealed bytes hold no clear
// text.
func TestSeal(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	sealed, err := federation.Seal(key, "peer-1", "isachub_secret-token")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("secret")) {
		t.Fatal("the sealed credential holds the clear text")
	}
	if got, err := federation.Open(key, "peer-1", sealed); err != nil || got != "isachub_secret-token" {
		t.Fatalf("Open: %q, %v", got, err)
	}
	other := bytes.Repeat([]byte{8}, 32)
	for name, open := range map[string]func() (string, error){
		"another key":  func() (string, error) { return federation.Open(other, "peer-1", sealed) },
		"another peer": func() (string, error) { return federation.Open(key, "peer-2", sealed) },
		"truncated":    func() (string, error) { return federation.Open(key, "peer-1", sealed[:5]) },
	} {
		if _, err := open(); err == nil {
			t.Errorf("%s: it opened", name)
		}
	}
	if _, err := federation.ParseKey(""); err == nil || !strings.Contains(err.Error(), federation.KeyEnv) {
		t.Errorf("no key: %v", err)
	}
	if _, err := federation.ParseKey("c2hvcnQ="); err == nil {
		t.Error("a short key was taken")
	}
	if k, err := federation.ParseKey(base64.StdEncoding.EncodeToString(key)); err != nil || !bytes.Equal(k, key) {
		t.Errorf("ParseKey: %v", err)
	}
}
