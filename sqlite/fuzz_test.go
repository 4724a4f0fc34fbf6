package sqlite_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/storetest"
)

// FuzzQuery sends client input (a search query and the values of
// match[version], match[type], match[id] and match[spec_version]) to a
// real database: every call must succeed or fail with EINVALID, never
// with a driver error (no FTS5 or SQL syntax can be injected).
func FuzzQuery(f *testing.F) {
	db := openTemp(f)
	ctx := f.Context()
	org, coll := benchTenant(f, ctx, db)
	ingest(f, ctx, db, coll, org, storetest.Indicators(0, 50), 50)
	for _, seed := range [][5]string{
		{"malicious", "last", "indicator", storetest.IndicatorID(1), "2.1"},
		{`"unbalanced`, "2026-01-02T03:04:05.000Z", "malware", "x", "2.0"},
		{"NEAR(a b) OR c*", "first", "' OR 1=1 --", "indicator--1", ""},
		{"a:b ^c {d} (e) -f", "all", "", "", "'; DROP TABLE objects; --"},
		{"\x00\xff\xfe", "2026-13-45T99:99:99Z", "\x00", "\xff", "\""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4])
	}
	f.Fuzz(func(t *testing.T, query, version, typ, id, spec string) {
		_, err := db.SearchObjects(ctx, []string{coll}, query, 10, nil)
		if err != nil && isachub.ErrorCode(err) != isachub.EINVALID {
			t.Fatalf("SearchObjects(%q): %v", query, err)
		}
		filter := isachub.ObjectFilter{Versions: []string{version}, Types: []string{typ}, IDs: []string{id}, SpecVersions: []string{spec}, Limit: 5}
		_, err = db.Objects(ctx, coll, filter)
		if err != nil && isachub.ErrorCode(err) != isachub.EINVALID {
			t.Fatalf("Objects(%+v): %v", filter, err)
		}
		filter.Types, filter.IDs = []string{typ, "indicator"}, nil
		_, err = db.Objects(ctx, coll, filter)
		if err != nil && isachub.ErrorCode(err) != isachub.EINVALID {
			t.Fatalf("Objects(%+v): %v", filter, err)
		}
	})
}

// FuzzPendingObjects checks the moderation queue's encoding of raw
// objects, which holds what clients submitted: the parts of the input
// (split at NUL bytes) that are valid JSON come back byte for byte, the
// invalid ones are EINVALID, and decoding any bytes returns an error or a
// list, never a panic.
func FuzzPendingObjects(f *testing.F) {
	for _, seed := range []string{
		`{"type":"indicator","name":"caf\u00e9"}`,
		" \n{\"a\":[1,2,{\"b\":\"],\"}]}\t\r\n\x00[]\x00\"x\"",
		`{"n":12345678901234567890,"e":1E+2,"s":"<b>&amp;</b>"}` + "\x00  true  ",
		`[{"a":1},`,
		"\x00\x00",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sqlite.DecodeObjects(data) // must not panic
		var objs []json.RawMessage
		valid := true
		for part := range bytes.SplitSeq(data, []byte{0}) {
			objs = append(objs, json.RawMessage(part))
			valid = valid && json.Valid(part)
		}
		enc, err := sqlite.EncodeObjects(objs)
		if !valid {
			if isachub.ErrorCode(err) != isachub.EINVALID {
				t.Fatalf("EncodeObjects(%q) = %v, want EINVALID", objs, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("EncodeObjects(%q): %v", objs, err)
		}
		if !json.Valid(enc) {
			t.Fatalf("EncodeObjects(%q) = %q, not JSON", objs, enc)
		}
		got, err := sqlite.DecodeObjects(enc)
		if err != nil {
			t.Fatalf("DecodeObjects(%q): %v", enc, err)
		}
		if len(got) != len(objs) {
			t.Fatalf("%q came back as %d objects, want %d", enc, len(got), len(objs))
		}
		for i := range objs {
			if !bytes.Equal(got[i], objs[i]) {
				t.Fatalf("object %d came back as %q, want %q", i, got[i], objs[i])
			}
		}
	})
}
