package main

import (
	"bytes"
	"testing"

	"encoding/json"

	"github.com/isachub/isachub/taxii"
)

// TestEnvelopeKeepsBytes: publish sends each object as it is written in
// the file, formatting and escapes included, not re-encoded.
func TestEnvelopeKeepsBytes(t *testing.T) {
	obj := "{\n  \"type\": \"note\",\n  \"content\": \"caf\\u00e9 <b>\",\n  \"n\": 1.50\n}"
	for _, in := range []string{obj, "[" + obj + "]", `{"objects":[` + obj + `]}`} {
		objs, err := parseObjects([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		envl := envelopeOf(objs)
		var got taxii.Envelope
		if err := json.Unmarshal(envl, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Objects) != 1 || !bytes.Equal(got.Objects[0], []byte(obj)) {
			t.Fatalf("sent %s, want the object's bytes as written:\n%s", got.Objects[0], obj)
		}
	}
}
