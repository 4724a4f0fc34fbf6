package pattern_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/isachub/isachub/pattern"
)

// mustParse parses s or fails the test.
func mustParse(tb testing.TB, s string) *pattern.Pattern {
	tb.Helper()
	p, err := pattern.Parse(s)
	if err != nil {
		tb.Fatalf("Parse(%q): %v", s, err)
	}
	return p
}

// TestParse_OK checks that valid patterns parse and print canonically, and
// that the canonical text parses back to the same tree.
func TestParse_OK(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// every comparison operator, with and without NOT
		{"[file:size = 1280]", ""},
		{"[file:size == 1280]", "[file:size = 1280]"},
		{"[file:size != 1280]", ""},
		{"[file:size <> 1280]", "[file:size != 1280]"},
		{"[file:size < 1024]", ""},
		{"[file:size <= 1024]", ""},
		{"[file:size > 1024]", ""},
		{"[file:size >= 1024]", ""},
		{"[file:size NOT >= 1024]", ""},
		{"[file:name IN ('a', 'b')]", ""},
		{"[file:size IN (1, 2.5, -3)]", ""},
		{"[file:name NOT IN ()]", ""},
		{"[file:name LIKE 'name%']", ""},
		{"[file:name NOT LIKE 'n_me']", ""},
		{"[file:name MATCHES '^Final Report.+\\\\.exe$']", ""},
		{"[ipv4-addr:value ISSUBSET '192.168.0.1/24']", ""},
		{"[ipv4-addr:value NOT ISSUPERSET '10.0.0.1']", ""},
		{"[EXISTS file:name]", ""},
		{"[NOT EXISTS file:hashes.MD5]", ""},
		// every literal kind
		{"[x:a = 'it\\'s \\\\ ok']", ""},
		{"[x:a = +5]", "[x:a = 5]"},
		{"[x:a = -5]", ""},
		{"[x:a = 0]", ""},
		{"[x:a = 1.5]", ""},
		{"[x:a = .5]", "[x:a = 0.5]"},
		{"[x:a = -.5]", "[x:a = -0.5]"},
		{"[x:a = 12.0]", ""},
		{"[x:a = true]", ""},
		{"[x:a != false]", ""},
		{"[x:a = h'0AfF']", "[x:a = h'0aff']"},
		{"[x:a = h'']", ""},
		{"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", ""},
		{"[x:a = t'2016-01-01T00:00:00Z']", ""},
		{"[x:a = t'2016-01-01T00:00:00.120Z']", "[x:a = t'2016-01-01T00:00:00.12Z']"},
		// object paths
		{"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", ""},
		{"[file:hashes.'MD5' = 'cead3f77f6cda6ec00f57d76c9a6879f']", "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']"},
		{"[file:'name' = 'x']", "[file:name = 'x']"},
		{"[email-message:to_refs[*].value = 'a@example.com']", ""},
		{"[x:list[0].b[-1] = 1]", ""},
		{"[network-traffic:extensions.'http-request-ext'.request_header.'Accept-Encoding' = 'gzip']", ""},
		{"[x:'AND' = 1]", ""},
		// comparison AND / OR and grouping
		{"[a:x = 1 AND a:y = 2 OR a:z = 3]", ""},
		{"[a:x = 1 AND (a:y = 2 OR a:z = 3)]", ""},
		{"[(a:x = 1 AND a:y = 2) AND a:z = 3]", "[a:x = 1 AND a:y = 2 AND a:z = 3]"},
		{"[((a:x = 1))]", "[a:x = 1]"},
		{"( [(network-traffic:dst_port IN(443,6443,8443) AND network-traffic:src_packets != 0) ])", "[network-traffic:dst_port IN (443, 6443, 8443) AND network-traffic:src_packets != 0]"},
		// observation operators and grouping
		{"[a:x = 1] AND [b:x = 2]", ""},
		{"[a:x = 1] OR [b:x = 2] AND [c:x = 3]", ""},
		{"([a:x = 1] OR [b:x = 2]) AND [c:x = 3]", ""},
		{"[a:x = 1] FOLLOWEDBY [b:x = 2] FOLLOWEDBY [c:x = 3]", ""},
		{"([a:x = 1] FOLLOWEDBY [b:x = 2]) FOLLOWEDBY [c:x = 3]", ""},
		{"[a:x = 1] FOLLOWEDBY ([b:x = 2] FOLLOWEDBY [c:x = 3])", ""},
		{"([a:x = 1] AND [b:x = 2]) AND [c:x = 3]", "[a:x = 1] AND [b:x = 2] AND [c:x = 3]"},
		// qualifiers
		{"[a:x = 1] WITHIN 5 SECONDS", ""},
		{"[a:x = 1] WITHIN 2.5 SECONDS", ""},
		{"[a:x = 1] WITHIN 5.0 SECONDS", "[a:x = 1] WITHIN 5 SECONDS"},
		{"[a:x = 1] REPEATS 9 TIMES", ""},
		{"[a:x = 1] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z'", ""},
		{"[a:x = 1] REPEATS 2 TIMES WITHIN 5 SECONDS", ""},
		{"([a:x = 1] AND [b:x = 2]) WITHIN 5 SECONDS", ""},
		// Qualifiers stack (issue 13 section 5): parentheses around a
		// qualified expression change nothing and are not kept.
		{"([a:x = 1] REPEATS 2 TIMES) REPEATS 2 TIMES", "[a:x = 1] REPEATS 2 TIMES REPEATS 2 TIMES"},
		{"[a:x = 1] REPEATS 2 TIMES REPEATS 2 TIMES", ""},
		{"[a:x = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS", ""},
		{"([a:x = 1] REPEATS 2 TIMES REPEATS 3 TIMES)", "[a:x = 1] REPEATS 2 TIMES REPEATS 3 TIMES"},
		{"[a:x = 1] REPEATS 10 TIMES START t'2004-10-11T21:40:00Z' STOP t'2004-10-11T21:50:00Z'", ""},
		{"[a:x = 1] START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z' START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z'", ""},
		{"([a:x = 1] AND [b:x = 2]) WITHIN 5 SECONDS WITHIN 6 SECONDS", ""},
		// A quoted name with a dot or a dash names one property (section 9.3).
		{"[some-type:'has.dot' = 2]", ""},
		{"[some-type:'has-hyphen.dot'.sub = 3]", ""},
		{"([a:x = 1]) WITHIN 5 SECONDS", "[a:x = 1] WITHIN 5 SECONDS"},
		{"([a:x = 1] AND [b:x = 2]) WITHIN 5 SECONDS AND [c:x = 3]", ""},
		{"[a:x = 1] AND [b:x = 2] WITHIN 5 SECONDS", ""},
		// whitespace and comments
		{"[a:x=1]/* c */AND\t[b:x=2] // end", "[a:x = 1] AND [b:x = 2]"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			want := tt.want
			if want == "" {
				want = tt.in
			}
			p := mustParse(t, tt.in)
			got := p.String()
			if got != want {
				t.Fatalf("String() = %q, want %q", got, want)
			}
			again := mustParse(t, got)
			if !reflect.DeepEqual(again.Root, p.Root) {
				t.Fatalf("re-parsing %q gives a different tree", got)
			}
		})
	}
}

// TestParse_Err checks that errors give the offset and say what was wrong.
func TestParse_Err(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"file:size = 1280", 0, `expected an observation expression: "[" or "("`},
		{"[file:size = ]", 13, "expected a value"},
		{"[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]", 19, "expected a value"},
		{"[file.size = 1280]", 5, `expected ":" after the object type "file"`},
		{"[file:name MATCHES /.*\\.dll/]", 19, "expected a value"},
		{"[x:y = 'a'] WITHIN ]", 19, "expected a positive number of seconds after WITHIN"},
		{"[x:y = 'a'] WITHIN 5 HOURS", 21, "expected SECONDS"},
		{"[x:y = 'a'] WITHIN -5 SECONDS", 19, "expected a positive number of seconds"},
		{"[x:y = 'a'] WITHIN 0 SECONDS", 19, "expected a positive number of seconds"},
		{"[x:y = 'a'] REPEATS 0 TIMES", 20, "expected a positive whole number"},
		{"[x:y = 'a'] REPEATS 1.5 TIMES", 20, "expected a positive whole number"},
		{"[network-traffic:dst_ref.value ISSUBSET ]", 40, "expected a value"},
		{"[file:hashes.MD5 =? 'cead3f77f6cda6ec00f57d76c9a6879f']", 18, "unexpected character '?'"},
		{"[x_whatever:detected == t'2457-73-22T32:81:84.1Z']", 24, "must have the form"},
		{"[x:a = t'2016-02-30T00:00:00Z']", 7, "not a real date"},
		{"[artifact:payload_bin = b'====']", 24, "base64"},
		{"[x:a = h'abc']", 7, "even number of hex digits"},
		{"[foo:bar=1] within 2 seconds", 12, `found "within" (keywords are upper case: WITHIN)`},
		{"[foo:bar = TRUE]", 11, `found "TRUE" (booleans are lower case: true)`},
		{"[file:hashes.'SHA-256' = 'f00']", 25, `"f00" is not a valid SHA-256 hash`},
		{"[file:hashes.MD5 IN ('cead3f77f6cda6ec00f57d76c9a6879f', 'x')]", 20, `"x" is not a valid MD5 hash`},
		{"[x:k = 'a'] START t'2016-06-01T03:30:00Z' STOP t'2016-06-01T02:20:00Z'", 18, "START time must be before the STOP time"},
		{"[x:k = 'a'] START t'2016-06-01T03:30:00Z' STOP t'2016-06-01T03:30:00Z'", 18, "START time must be before the STOP time"},
		{"[x:k LIKE 5]", 10, "LIKE takes a string literal, found the integer"},
		{"[x:k MATCHES true]", 13, "MATCHES takes a string literal"},
		{"[x:k ISSUBSET 5]", 14, "ISSUBSET takes a string literal"},
		{"[x:k ISSUPERSET 'not-an-ip']", 16, "needs an IP address or CIDR block"},
		{"[x:k MATCHES '(?<=a)b']", 13, "RE2"},
		{"[x:k > true]", 7, "cannot compare with a boolean"},
		{"[x:k IN (1, 'a')]", 12, "must all have one type"},
		{"[x:k IN (1, true)]", 12, "must all have one type"},
		{"[File:name = 'a']", 1, "must be lower case"},
		{"[file:hashes.SHA-256 = 'a']", 13, "must be quoted"},
		{"[file:'a b' = 'a']", 6, "may contain only ASCII letters"},
		{"[file:'' = 'a']", 6, "must not be empty"},
		{"[file:name = 'a'", 16, `expected AND, OR or "]"`},
		{"[file:name = 'a'] AND", 21, "expected an observation expression"},
		{"[file:name = 'a'] [b:c = 1]", 18, "expected AND, OR, FOLLOWEDBY"},
		{"[file:name = 'a", 13, "never closed"},
		{"[file:name = 'a\\b']", 15, "backslash"},
		{"[file:name foo 'a']", 11, "expected a comparison operator such as = or IN, found \"foo\""},
		{"[file:name NOT 'a']", 15, "expected a comparison operator"},
		{"[NOT file:name = 'a']", 5, "expected EXISTS after a leading NOT"},
		{"[x:k = 01]", 7, "leading zero"},
		{"[x:k = 99999999999999999999]", 7, "does not fit in 64 bits"},
		{"[x:k[1.5] = 1]", 5, "expected a list index"},
		{"[x:k = 1] /* open", 10, "never closed"},
		{"[x:AND = 1]", 3, "keyword"},
		{"", 0, "expected an observation expression"},
		{"[x:k = 1] STOP t'2016-06-01T03:30:00Z'", 10, "STOP must follow START"},
		{strings.Repeat("(", 300) + "[x:k = 1]" + strings.Repeat(")", 300), 200, "nests deeper"},
		{"[x:k = '\xff']", 8, "not valid UTF-8"},
		{"[x:k = 1.]", 8, `expected AND, OR or "]"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := pattern.Parse(tt.in)
			var perr *pattern.Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q) error = %v, want a *pattern.Error", tt.in, err)
			}
			if perr.Offset != tt.offset || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Parse(%q) error = %q (offset %d), want offset %d and %q", tt.in, err, perr.Offset, tt.offset, tt.msg)
			}
		})
	}
}
