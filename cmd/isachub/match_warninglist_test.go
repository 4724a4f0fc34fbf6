package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

const warnIndicatorsJSON = `{"type":"bundle","id":"bundle--2","objects":[
 {"type":"indicator","spec_version":"2.1","id":"indicator--tor","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z",
  "name":"Tor exit","pattern_type":"stix","pattern":"[ipv4-addr:value = '185.220.101.1']","valid_from":"2024-01-01T00:00:00Z"},
 {"type":"indicator","spec_version":"2.1","id":"indicator--cdn","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z",
  "name":"Any CDN","pattern_type":"stix","pattern":"[domain-name:value LIKE '%cdn.net']","valid_from":"2024-01-01T00:00:00Z"}
]}`

// The private source address of line 1 is on rfc1918-private, but the
// indicator fires on the Tor address; line 2 fires only on a name of the
// operator's top-sites list, line 3 on a name that is on no list.
const warnEvents = `{"source.ip":"10.0.0.5","destination.ip":"185.220.101.1"}
{"dns.question.name":"assets.popular-cdn.net","source.ip":"10.0.0.5"}
{"dns.question.name":"evilcdn.net"}
`

// TestMatchWarninglists: isachub match --warninglists flag adds a fifth
// column (or JSON keys) to a hit that fires only on warninglisted values,
// from the shipped lists and the files of --warninglist; drop leaves it
// out and says how many; without the option the output is as before.
func TestMatchWarninglists(t *testing.T) {
	ind := writeTemp(t, "indicators.json", warnIndicatorsJSON)
	events := writeTemp(t, "events.jsonl", warnEvents)
	top := writeTemp(t, "top-sites.txt", "# the operator's list\n.popular-cdn.net   # a CDN everyone uses\n")
	tor := events + ":1\tindicator--tor\tTor exit\t[ipv4-addr:value = '185.220.101.1']\n"
	cdn := events + ":2\tindicator--cdn\tAny CDN\t[domain-name:value LIKE '%cdn.net']"
	evil := events + ":3\tindicator--cdn\tAny CDN\t[domain-name:value LIKE '%cdn.net']\n"
	t.Run("OKOff", func(t *testing.T) {
		code, out, errOut := runMatchCLI(t, "", "match", "--indicators", ind, events)
		if code != exitOK || out != tor+cdn+"\n"+evil {
			t.Errorf("exit %d, stdout:\n%s\nstderr %s", code, out, errOut)
		}
	})
	t.Run("OKFlag", func(t *testing.T) {
		code, out, errOut := runMatchCLI(t, "", "match", "--indicators", ind, "--warninglists", "flag", "--warninglist", top, events)
		want := tor + cdn + "\twarninglist: domain assets.popular-cdn.net is on the warninglist top-sites\n" + evil
		if code != exitOK || out != want {
			t.Errorf("exit %d, stdout:\n%s\nwant:\n%s\nstderr %s", code, out, want, errOut)
		}
	})
	t.Run("OKFlagNamed", func(t *testing.T) {
		_, out, _ := runMatchCLI(t, "", "match", "--indicators", ind, "--warninglists", "flag", "--warninglist", "cdns="+top, "--json", events)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var hit struct {
			Line   int      `json:"line"`
			Lists  []string `json:"warninglist"`
			Reason string   `json:"warninglist_reason"`
		}
		if len(lines) != 3 || json.Unmarshal([]byte(lines[1]), &hit) != nil || hit.Line != 2 || len(hit.Lists) != 1 || hit.Lists[0] != "cdns" ||
			hit.Reason != "domain assets.popular-cdn.net is on the warninglist cdns" {
			t.Errorf("stdout:\n%s", out)
		}
		if strings.Contains(lines[0], "warninglist") || strings.Contains(lines[2], "warninglist") {
			t.Errorf("an unflagged hit has warninglist keys:\n%s", out)
		}
	})
	t.Run("OKDrop", func(t *testing.T) {
		code, out, errOut := runMatchCLI(t, "", "match", "--indicators", ind, "--warninglists", "drop", "--warninglist", top, events)
		if code != exitOK || out != tor+evil || !strings.Contains(errOut, "3 events, 2 hits, 0 lines skipped, 2 indicators, 1 hits left out by the warninglists") {
			t.Errorf("exit %d, stdout:\n%s\nstderr %s", code, out, errOut)
		}
	})
	bad := writeTemp(t, "bad.txt", "192.0.2.1\n*.example.com\n")
	for name, tt := range map[string]struct {
		args []string
		code int
		want string
	}{
		"ErrMode":            {[]string{"--warninglists", "maybe"}, exitUsage, "--warninglists is flag or drop"},
		"ErrFileWithoutMode": {[]string{"--warninglist", top}, exitUsage, "--warninglist needs --warninglists"},
		"ErrFileWithURL":     {[]string{"--warninglists", "flag", "--warninglist", top, "--url", "http://127.0.0.1:1/x/"}, exitUsage, "with --url, the hub's warninglists apply"},
		"ErrBadLine":         {[]string{"--warninglists", "drop", "--warninglist", bad}, exitUsage, bad + `: warninglist "bad": line 2: `},
		"ErrMissingFile":     {[]string{"--warninglists", "drop", "--warninglist", filepath.Join(t.TempDir(), "none.txt")}, exitFailure, "none.txt: cannot open the file"},
		"ErrShippedName":     {[]string{"--warninglists", "drop", "--warninglist", "rfc1918-private=" + top}, exitUsage, `the name "rfc1918-private" is a shipped list already`},
	} {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"match"}, tt.args...)
			if !strings.Contains(strings.Join(tt.args, " "), "--url") {
				args = append(args, "--indicators", ind)
			}
			code, _, errOut := runMatchCLI(t, "", append(args, events)...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}

// TestMatchWarninglistsAPIAgreesWithCLI: on the example indicators and
// events, isachub match --url (the hub's POST /{community}/match) and
// isachub match --indicators flag and drop the same hits, line for line.
func TestMatchWarninglistsAPIAgreesWithCLI(t *testing.T) {
	forBackends(t, testMatchWarninglistsAPIAgreesWithCLI)
}

func testMatchWarninglistsAPIAgreesWithCLI(t *testing.T, db testDB) {
	const indicators, events = "../../docs/examples/indicators.json", "../../docs/examples/events.jsonl"
	h := startHub(t, db)
	if code, _, errOut := h.client(t, "bob", "", nil, "publish", "--url", h.root("aviation-isac"), "--collection", "shared", indicators); code != exitOK {
		t.Fatalf("publish: %s", errOut)
	}
	for _, mode := range []string{"flag", "drop"} {
		code, local, errOut := runCLI(t, "", nil, "match", "--warninglists", mode, "--indicators", indicators, events)
		if code != exitOK && code != exitNegative {
			t.Fatalf("%s: exit %d: %s", mode, code, errOut)
		}
		_, remote, errOut := h.client(t, "sam", "", nil, "match", "--warninglists", mode, "--url", h.root("aviation-isac"), events)
		if remote != local {
			t.Errorf("%s: --url:\n%s\n--indicators:\n%s\n%s", mode, remote, local, errOut)
		}
		if mode == "flag" && !strings.Contains(local, "\twarninglist: ") {
			t.Errorf("flag: the examples (documentation addresses, .example names) flag nothing:\n%s", local)
		}
	}
}
