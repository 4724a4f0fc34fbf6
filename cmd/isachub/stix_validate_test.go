package main

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"
)

func TestStixValidate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		code, out, _ := runMatchCLI(t, "", "stix", "validate", "testdata/aviation-bundle.json")
		if code != exitOK || !strings.Contains(out, "43 objects: 43 valid, 0 invalid") {
			t.Fatalf("code %d, out %q", code, out)
		}
	})
	t.Run("ErrInvalidJSONLines", func(t *testing.T) {
		in := `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[
			{"type":"ipv4-addr","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"},
			{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48Z"},
			7]}`
		code, out, _ := runMatchCLI(t, in, "stix", "validate", "--json", "-")
		if code != exitNegative {
			t.Fatalf("code %d, want %d", code, exitNegative)
		}
		var lines []validateLine
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var l validateLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			lines = append(lines, l)
		}
		if len(lines) != 3 {
			t.Fatalf("%d lines, want one per object:\n%s", len(lines), out)
		}
		if !lines[0].Valid || lines[0].ID != "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4" || lines[0].Type != "ipv4-addr" {
			t.Errorf("line 0: %+v", lines[0])
		}
		if lines[1].Valid || !hasIssue(lines[1], "$.objects[1].created", "millisecond") || !hasIssue(lines[1], "$.objects[1].pattern", "required") {
			t.Errorf("line 1: %+v", lines[1])
		}
		if lines[2].Valid || lines[2].Path != "$.objects[2]" {
			t.Errorf("line 2: %+v", lines[2])
		}
	})
	t.Run("ErrNotJSON", func(t *testing.T) {
		code, out, _ := runMatchCLI(t, "this is not json", "stix", "validate", "--json", "-")
		var l validateLine
		if err := json.Unmarshal([]byte(out), &l); err != nil || code != exitNegative || l.Valid || len(l.Errors) != 1 {
			t.Fatalf("code %d, out %q, err %v", code, out, err)
		}
	})
	t.Run("ErrUnreadable", func(t *testing.T) {
		code, out, _ := runMatchCLI(t, "", "stix", "validate", "testdata/no-such-file.json")
		if code != exitUsage || !strings.Contains(out, "no such file") {
			t.Fatalf("code %d, out %q", code, out)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		if code, _, _ := runMatchCLI(t, "", "stix", "validate"); code != exitUsage {
			t.Fatalf("code %d", code)
		}
		if code, _, _ := runMatchCLI(t, "", "stix", "validate", "--bogus", "x"); code != exitUsage {
			t.Fatalf("code %d", code)
		}
	})
}

func hasIssue(l validateLine, path, msg string) bool {
	for _, e := range l.Errors {
		if e.Path == path && strings.Contains(e.Message, msg) {
			return true
		}
	}
	return false
}
