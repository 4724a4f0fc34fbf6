package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/isachub/isachub/taxii"
)

// TestServeWarninglist: serve --warninglist loads an operator's file
// beside the shipped lists, and the matching API flags a hit that fires
// only on a name of it, naming the list after the file.
func TestServeWarninglist(t *testing.T) {
	top := writeTemp(t, "top-sites.txt", "# the operator's list\n.popular-cdn.net\n")
	base, stopServe := startServe(t, filepath.Join(t.TempDir(), "warn.db"), "--warninglist", top)
	var once sync.Once
	code := -1
	stop := func() int { once.Do(func() { code, _ = stopServe() }); return code }
	defer stop() // on a failure; stop waits for serve to end, once
	post := func(t *testing.T, path, contentType, body string) []byte {
		t.Helper()
		r, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
		r.SetBasicAuth("bob", "bob-demo-password")
		r.Header.Set("Content-Type", contentType)
		r.Header.Set("Accept", taxii.MediaTypeTAXII21)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode/100 != 2 {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
		}
		return b
	}
	post(t, "/demo-isac/collections/shared/objects/", taxii.MediaTypeTAXII21, `{"objects":[
{"type":"indicator","spec_version":"2.1","id":"indicator--0b7c1f4e-3d55-4b44-9a1e-2f7d8a3c5e61","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
 "name":"Any CDN","pattern":"[domain-name:value LIKE '%popular-cdn.net']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]}`)
	var res struct {
		Hits []struct {
			Indicator         string
			Warninglist       []string
			WarninglistReason string `json:"warninglist_reason"`
		}
	}
	body := post(t, "/demo-isac/match", "application/x-ndjson", `{"dns":{"question":{"name":"assets.popular-cdn.net"}}}`+"\n")
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || len(res.Hits[0].Warninglist) != 1 || res.Hits[0].Warninglist[0] != "top-sites" ||
		res.Hits[0].WarninglistReason != "domain assets.popular-cdn.net is on the warninglist top-sites" {
		t.Errorf("answer %s", body)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// TestServeWarninglistBadFile: a warninglist file that does not load
// stops serve before it opens the database or listens, saying which file,
// which line and what is wrong, from the flag, the environment or the
// configuration file alike; --print-config shows the setting.
func TestServeWarninglistBadFile(t *testing.T) {
	dir := t.TempDir()
	bad := writeTemp(t, "top.txt", "# top sites\nexample.org\n*.google.com\n")
	good := writeTemp(t, "mine.txt", "192.0.2.0/24\n")
	conf := writeTemp(t, "isachub.conf", "warninglist = "+bad+"\n")
	db := "sqlite:" + filepath.Join(dir, "never.db")
	lineErr := bad + `: warninglist "top": line 3: `
	for name, tt := range map[string]struct {
		environ map[string]string
		args    []string
		code    int
		want    string
	}{
		"ErrFlag":    {nil, []string{"--warninglist", bad}, exitUsage, lineErr},
		"ErrEnv":     {map[string]string{"ISACHUB_WARNINGLIST": good + "," + bad}, nil, exitUsage, lineErr},
		"ErrConfig":  {nil, []string{"--config", conf}, exitUsage, lineErr},
		"ErrMissing": {nil, []string{"--warninglist", filepath.Join(dir, "gone.txt")}, exitFailure, "gone.txt: cannot open the file"},
		"ErrTwice":   {nil, []string{"--warninglist", good, "--warninglist", good}, exitUsage, `the name "mine" is the list of ` + good + " already"},
		"ErrShipped": {nil, []string{"--warninglist", "cloud-metadata=" + good}, exitUsage, `"cloud-metadata" is a shipped list already`},
		"ErrBadName": {nil, []string{"--warninglist", "top sites=" + good}, exitUsage, `"top sites" is not a list name`},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tt.environ, append([]string{"serve", "--db", db, "--listen", "127.0.0.1:0"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "never.db*")); len(matches) > 0 {
		t.Errorf("serve opened the database before the warninglists: %v", matches)
	}
	t.Run("OKPrintConfig", func(t *testing.T) {
		code, out, _ := runCLI(t, "", map[string]string{"ISACHUB_WARNINGLIST": good + "," + bad}, "serve", "--print-config")
		if code != exitOK || !strings.Contains(out, "warninglist") || !strings.Contains(out, good+","+bad) || !strings.Contains(out, "# environment") {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})
}
