package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const indicatorsJSON = `{"type":"bundle","id":"bundle--2","objects":[
 {"type":"indicator","spec_version":"2.1","id":"indicator--c2","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z",
  "name":"C2 server","pattern_type":"stix","pattern":"[ipv4-addr:value = '198.51.100.7']","valid_from":"2024-01-01T00:00:00Z"},
 {"type":"indicator","spec_version":"2.1","id":"indicator--dom","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z",
  "name":"Phishing\tdomain","pattern_type":"stix","pattern":"[domain-name:value LIKE '%.phish.example']","valid_from":"2024-01-01T00:00:00Z"},
 {"type":"indicator","spec_version":"2.1","id":"indicator--bad","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z",
  "name":"Broken","pattern_type":"stix","pattern":"[ipv4-addr:value = ","valid_from":"2024-01-01T00:00:00Z"}
]}`

var eventLines = []string{
	`{"@timestamp":"2024-05-01T10:00:00Z","source.ip":"10.0.0.5","destination":{"ip":"198.51.100.7","port":443}}`,
	`{"@timestamp":"2024-05-01T10:00:01Z","source.ip":"10.0.0.5","destination.ip":"192.0.2.1"}`,
	`{"source.ip": "10.0.0.5", `,
	``,
	`{"type":"bundle","id":"bundle--3","objects":[{"type":"observed-data","id":"observed-data--x","first_observed":"2024-01-01T00:00:00Z","last_observed":"2024-01-01T00:00:00Z","number_observed":1,"object_refs":["domain-name--1"]},{"type":"domain-name","id":"domain-name--1","value":"login.phish.example"}]}`,
	`{"source.ip":"not an address"}`,
	`{"dns.question.name":"x.phish.example","destination.ip":"198.51.100.7"}`,
}

func TestMatch(t *testing.T) {
	ind := writeTemp(t, "indicators.json", indicatorsJSON)
	events := writeTemp(t, "events.jsonl", strings.Join(eventLines, "\n")+"\n")

	t.Run("OK", func(t *testing.T) {
		code, out, errOut := runMatchCLI(t, "", "match", "--indicators", ind, events)
		if code != exitOK {
			t.Fatalf("exit %d, stderr %s", code, errOut)
		}
		want := strings.Join([]string{
			events + ":1\tindicator--c2\tC2 server\t[ipv4-addr:value = '198.51.100.7']",
			events + ":5\tindicator--dom\tPhishing domain\t[domain-name:value LIKE '%.phish.example']",
			events + ":7\tindicator--c2\tC2 server\t[ipv4-addr:value = '198.51.100.7']",
			events + ":7\tindicator--dom\tPhishing domain\t[domain-name:value LIKE '%.phish.example']",
		}, "\n") + "\n"
		if out != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
		}
		for _, w := range []string{
			"skipped indicator indicator--bad: offset 19",
			events + ":3: skipped: invalid JSON",
			events + `:6: skipped: field source.ip: "not an address" is not an IP address`,
			"4 events, 4 hits, 2 lines skipped, 2 indicators",
		} {
			if !strings.Contains(errOut, w) {
				t.Errorf("stderr %q does not contain %q", errOut, w)
			}
		}
	})
	t.Run("OKJSON", func(t *testing.T) {
		code, out, errOut := runMatchCLI(t, "", "match", events, "--json", "--indicators", ind)
		if code != exitOK {
			t.Fatalf("exit %d, stderr %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 4 {
			t.Fatalf("got %d lines: %s", len(lines), out)
		}
		var h struct {
			File            string   `json:"file"`
			Line            int      `json:"line"`
			IndicatorID     string   `json:"indicator_id"`
			IndicatorName   string   `json:"indicator_name"`
			Pattern         string   `json:"pattern"`
			ObservedDataIDs []string `json:"observed_data_ids"`
		}
		if err := json.Unmarshal([]byte(lines[1]), &h); err != nil {
			t.Fatal(err)
		}
		if h.File != events || h.Line != 5 || h.IndicatorID != "indicator--dom" || h.IndicatorName != "Phishing\tdomain" ||
			h.Pattern != "[domain-name:value LIKE '%.phish.example']" || len(h.ObservedDataIDs) != 1 || h.ObservedDataIDs[0] != "observed-data--x" {
			t.Errorf("hit = %+v", h)
		}
		if err := json.Unmarshal([]byte(lines[0]), &h); err != nil || h.ObservedDataIDs == nil || len(h.ObservedDataIDs) != 0 {
			t.Errorf("an ECS hit must have an empty observed_data_ids list: %s", lines[0])
		}
	})
	t.Run("OKStdin", func(t *testing.T) {
		code, out, _ := runMatchCLI(t, eventLines[0]+"\r\n", "match", "--indicators", ind, "-")
		if code != exitOK || out != "(stdin):1\tindicator--c2\tC2 server\t[ipv4-addr:value = '198.51.100.7']\n" {
			t.Fatalf("exit %d, stdout %q", code, out)
		}
	})
	t.Run("OKDefaultStdin", func(t *testing.T) {
		code, out, _ := runMatchCLI(t, eventLines[1]+"\n", "match", "--indicators", ind)
		if code != exitNegative || out != "" {
			t.Fatalf("exit %d, stdout %q", code, out)
		}
	})
	t.Run("OKProgress", func(t *testing.T) {
		var b strings.Builder
		for i := 0; i < 600; i++ {
			b.WriteString(eventLines[1] + "\n")
		}
		code, _, errOut := runMatchCLI(t, b.String(), "match", "--progress", "1ns", "--indicators", ind, "-")
		if code != exitNegative || !regexp.MustCompile(`\(stdin\): line \d+, \d+ events, 0 hits, 0 skipped, \d+ lines/s`).MatchString(errOut) {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("OKWorkersKeepOrder", func(t *testing.T) {
		var b strings.Builder
		for i := 0; i < 2000; i++ {
			b.WriteString(eventLines[i%len(eventLines)] + "\n")
		}
		many := writeTemp(t, "many.jsonl", b.String())
		code1, out1, err1 := runMatchCLI(t, "", "match", "--workers", "1", "--indicators", ind, many)
		code4, out4, err4 := runMatchCLI(t, "", "match", "--workers", "4", "--indicators", ind, many)
		if code1 != exitOK || code4 != exitOK || out1 != out4 || err1 != err4 {
			t.Fatalf("--workers 1 and 4 differ: exit %d/%d\n%s\n%s", code1, code4, err1, err4)
		}
		if n := strings.Count(out1, "\n"); n != 2000/len(eventLines)*4+2 {
			t.Errorf("%d hits", n)
		}
	})
	t.Run("ErrUnreadableEventsFileKeepsGoing", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "missing.jsonl")
		code, out, errOut := runMatchCLI(t, "", "match", "--indicators", ind, missing, events)
		if code != exitUsage || !strings.Contains(errOut, "missing.jsonl") || strings.Count(out, "\n") != 4 {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	errs := []struct {
		name string
		args []string
		want string
	}{
		{"ErrNoIndicators", []string{"match", events}, "--indicators is required"},
		{"ErrIndicatorsMissing", []string{"match", "--indicators", filepath.Join(t.TempDir(), "x.json"), events}, "x.json"},
		{"ErrIndicatorsNotJSON", []string{"match", "--indicators", events, events}, "invalid JSON"},
		{"ErrStdinTwice", []string{"match", "--indicators", ind, "-", "-"}, `"-" (standard input) given twice`},
		{"ErrBadFlag", []string{"match", "--indicators", ind, "--fast"}, "flag provided but not defined"},
		{"ErrWorkers", []string{"match", "--indicators", ind, "--workers", "0"}, "--workers must be at least 1"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runMatchCLI(t, "", tt.args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

func TestMatchNoUsableIndicator(t *testing.T) {
	ind := writeTemp(t, "ind.json", `[{"type":"malware","id":"malware--1","name":"x"}]`)
	code, _, errOut := runMatchCLI(t, eventLines[0]+"\n", "match", "--indicators", ind)
	if code != exitNegative || !strings.Contains(errOut, "no usable STIX indicator") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}
