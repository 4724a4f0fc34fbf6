package anon_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/stix"
)

func TestAnonymise(t *testing.T) {
	in := MustObjects(t, "testdata/submission.json")
	before := rawOf(in)
	cfg := acmeConfig(t)
	res, err := anon.Anonymise(in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := rawOf(in); !bytes.Equal(got, before) {
		t.Fatal("Anonymise modified its input")
	}
	out := rawOf(res.Objects)
	lower := bytes.ToLower(out)

	t.Run("NothingLeaks", func(t *testing.T) {
		for _, s := range []string{
			"acme", // the name, the ticket prefix and the domain, in any case
			strings.ToLower(acmeID), "2f7e5c3a-9b1d-4e8f-a6c2-1d3b5e7f9a0c",
			"soc@acme-air.example", "10.20.30.40",
		} {
			if s == "acme" {
				// The domain-name SCO and the pattern are observations,
				// published as observed (with a warning): leave them out
				// of this check and look at everything else.
				for _, o := range res.Objects {
					if o.Type() == "domain-name" {
						continue
					}
					raw := bytes.ToLower(o.Raw())
					raw = bytes.ReplaceAll(raw, []byte("login.acme-air.example"), nil)
					if bytes.Contains(raw, []byte(s)) {
						t.Errorf("%s contains %q: %s", o.ID(), s, o.Raw())
					}
				}
				continue
			}
			if bytes.Contains(lower, []byte(s)) {
				t.Errorf("the output contains %q", s)
			}
		}
		for _, o := range in {
			if _, tlp := stix.TLPOfMarking(o.ID()); tlp || stix.TypeClass(o.Type()) == stix.ClassSCO {
				continue
			}
			_, u, _ := stix.SplitID(o.ID())
			if bytes.Contains(lower, []byte(u)) {
				t.Errorf("the output contains the UUID of %s", o.ID())
			}
		}
	})

	t.Run("Dropped", func(t *testing.T) {
		if !slices.Equal(res.Dropped, []string{acmeID}) {
			t.Errorf("Dropped = %v, want [%s]", res.Dropped, acmeID)
		}
		if len(res.Objects) != len(in)-1 || len(res.IDs) != len(in)-1 {
			t.Errorf("%d objects and %d ids out of %d in", len(res.Objects), len(res.IDs), len(in))
		}
	})

	byID := map[string]*stix.Object{}
	for _, o := range res.Objects {
		byID[o.ID()] = o
	}
	t.Run("RefsConsistent", func(t *testing.T) {
		for _, o := range res.Objects {
			v, _ := o.Value()
			eachRef(v, "", func(path, ref string) {
				_, tlp := stix.TLPOfMarking(ref)
				switch {
				case tlp, ref == cfg.CommunityIdentity, ref == cfg.SectorIdentity:
				case byID[ref] == nil:
					t.Errorf("%s %s = %s points at no output object", o.ID(), path, ref)
				}
			})
		}
		for orig, pub := range res.IDs {
			if byID[pub] == nil {
				t.Errorf("IDs[%s] = %s is not an output object", orig, pub)
			}
		}
	})

	t.Run("CreatedByAndSightings", func(t *testing.T) {
		for _, o := range res.Objects {
			_, tlp := stix.TLPOfMarking(o.ID())
			switch {
			case stix.TypeClass(o.Type()) == stix.ClassSCO, tlp:
				if o.Has("created_by_ref") {
					t.Errorf("%s has created_by_ref", o.ID())
				}
			case o.CreatedByRef() != cfg.CommunityIdentity:
				t.Errorf("%s created_by_ref = %q", o.ID(), o.CreatedByRef())
			}
			if o.Type() == "sighting" {
				if got := o.Strings("where_sighted_refs"); !slices.Equal(got, []string{cfg.SectorIdentity}) {
					t.Errorf("where_sighted_refs = %v", got)
				}
			}
			if o.Type() == "report" {
				refs := o.Strings("object_refs")
				if len(refs) != 6 || !slices.Contains(refs, cfg.SectorIdentity) {
					t.Errorf("report object_refs = %v, want 5 re-minted ids and the sector identity", refs)
				}
			}
		}
	})

	t.Run("IDs", func(t *testing.T) {
		for _, o := range in {
			pub, ok := res.IDs[o.ID()]
			if !ok {
				continue
			}
			out := byID[pub]
			_, tlp := stix.TLPOfMarking(o.ID())
			switch {
			case tlp:
				if pub != o.ID() {
					t.Errorf("TLP marking %s became %s", o.ID(), pub)
				}
			case stix.TypeClass(o.Type()) == stix.ClassSCO:
				det, ok, err := stix.DeterministicID(out)
				if err != nil || !ok || det != pub {
					t.Errorf("SCO %s published as %s, deterministic id %s (%v, %v)", o.ID(), pub, det, ok, err)
				}
			default:
				if pub != anon.Remint(cfg.Key, o.ID()) {
					t.Errorf("%s published as %s, not re-minted", o.ID(), pub)
				}
			}
		}
	})

	t.Run("Valid", func(t *testing.T) {
		for _, o := range res.Objects {
			r := stix.Validate(o)
			if !r.Valid() {
				t.Errorf("%s: %v", o.ID(), r.Errors)
			}
			for _, w := range r.Warnings {
				if w.Path == "id" {
					t.Errorf("%s: %v", o.ID(), w)
				}
			}
		}
	})

	t.Run("Redacted", func(t *testing.T) {
		ind := byID[res.IDs["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]]
		desc := ind.String("description")
		want := "Phishing kit aimed at [REDACTED] staff, found by the [REDACTED] gateway; report to [REDACTED]. First seen from [REDACTED]. Related: " +
			res.IDs["malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"] + "."
		if desc != want {
			t.Errorf("description = %q\nwant %q", desc, want)
		}
		if got := ind.String("x_analyst"); got != "J. Doe, [REDACTED] security" {
			// "J. Doe" is not declared: only the organisation's name goes.
			t.Errorf("x_analyst = %q", got)
		}
		if got := ind.String("pattern"); got != "[domain-name:value = 'login.acme-air.example']" {
			t.Errorf("pattern = %q", got)
		}
	})

	t.Run("Warnings", func(t *testing.T) {
		indPub := res.IDs["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]
		domPub := res.IDs["domain-name--3c10e93f-798e-4a6b-9e4b-5d7c2f0e1b22"]
		want := []anon.Warning{
			{indPub, "pattern", "the pattern contains your declared domain acme-air.example; it is published as is because it is not free text"},
			{domPub, "value", "the value contains your declared domain acme-air.example; it is published as is because observations are published as observed; leave the object out if it must not be shared"},
		}
		for _, w := range want {
			if !slices.Contains(res.Warnings, w) {
				t.Errorf("no warning %+v in %+v", w, res.Warnings)
			}
		}
		if len(res.Warnings) != len(want) {
			t.Errorf("warnings = %+v", res.Warnings)
		}
	})

	t.Run("Deterministic", func(t *testing.T) {
		again, err := anon.Anonymise(MustObjects(t, "testdata/submission.json"), acmeConfig(t))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(rawOf(again.Objects), out) {
			t.Error("a second run gives other bytes")
		}
	})
}

// The sighting names the fixture's identity in where_sighted_refs without
// cfg.Submitter: it is the submitter all the same.
func TestAnonymiseSubmitterFromRefs(t *testing.T) {
	cfg := acmeConfig(t)
	cfg.Submitter = nil
	cfg.Rules = nil
	res, err := anon.Anonymise(MustObjects(t, "testdata/submission.json"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Dropped, []string{acmeID}) {
		t.Errorf("Dropped = %v", res.Dropped)
	}
	raw := bytes.ToLower(rawOf(res.Objects))
	if bytes.Contains(raw, []byte("2f7e5c3a-9b1d-4e8f-a6c2-1d3b5e7f9a0c")) || bytes.Contains(raw, []byte("acme airlines")) {
		t.Errorf("the identity's id or name is in the output: %s", raw)
	}
}

func TestAnonymiseUnknownRef(t *testing.T) {
	const outside = "malware--6a1c0b4e-5d2f-4e3a-9b8c-7d6e5f4a3b2c"
	in := mustParse(t, `{"type":"relationship","spec_version":"2.1","id":"relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad","created":"2026-11-20T09:15:00.000Z","modified":"2026-11-20T09:15:00.000Z","relationship_type":"uses","source_ref":"`+outside+`","target_ref":"`+outside+`"}`)
	res, err := anon.Anonymise(in, acmeConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 2 || res.Warnings[0].Path != "source_ref" || !strings.Contains(res.Warnings[0].Message, outside) {
		t.Errorf("warnings = %+v", res.Warnings)
	}
	if res.Objects[0].String("source_ref") != outside {
		t.Error("a reference out of the submission changed")
	}
}

func TestAnonymiseErrors(t *testing.T) {
	in := MustObjects(t, "testdata/submission.json")
	t.Run("ErrNoKey", func(t *testing.T) {
		cfg := acmeConfig(t)
		cfg.Key = nil
		if _, err := anon.Anonymise(in, cfg); isachub.ErrorCode(err) != isachub.EINVALID {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrNoIdentity", func(t *testing.T) {
		cfg := acmeConfig(t)
		cfg.SectorIdentity = ""
		if _, err := anon.Anonymise(in, cfg); isachub.ErrorCode(err) != isachub.EINVALID {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrRedactionBreaksURL", func(t *testing.T) {
		objs := mustParse(t, `{"type":"malware","spec_version":"2.1","id":"malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2026-11-20T09:15:00.000Z","modified":"2026-11-20T09:15:00.000Z","name":"x","is_family":false,"external_references":[{"source_name":"blog","url":"acme-air.example/post"}]}`)
		cfg := acmeConfig(t)
		// "acme-air.example/post" is no absolute URL: the input is invalid,
		// so there is nothing to keep valid.
		if _, err := anon.Anonymise(objs, cfg); err != nil {
			t.Fatalf("invalid input: %v", err)
		}
		cfg.Rules = MustRules(t, isachub.Redaction{Patterns: []string{`^https:`}})
		objs = mustParse(t, strings.Replace(string(objs[0].Raw()), "acme-air.example/post", "https://acme-air.example/post", 1))
		_, err := anon.Anonymise(objs, cfg)
		if isachub.ErrorCode(err) != isachub.EINVALID || !strings.Contains(isachub.ErrorMessage(err), "external_references[0].url") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestAnonymiseSCOCycle(t *testing.T) {
	const (
		nt1 = "network-traffic--11111111-1111-4111-8111-111111111111"
		ip  = "ipv4-addr--22222222-2222-4222-8222-222222222222"
		nt2 = "network-traffic--33333333-3333-4333-8333-333333333333"
		nt3 = "network-traffic--44444444-4444-4444-8444-444444444444"
		nt4 = "network-traffic--55555555-5555-4555-8555-555555555555"
		ext = "extension-definition--66666666-6666-4666-8666-666666666666"
	)
	in := mustParse(t,
		// nt1 and nt2 refer to each other through properties that do not
		// contribute to their ids: both get deterministic ids.
		`{"type":"network-traffic","spec_version":"2.1","id":"`+nt1+`","protocols":["tcp"],"src_ref":"`+ip+`","encapsulates_refs":["`+nt2+`"]}`,
		`{"type":"network-traffic","spec_version":"2.1","id":"`+nt2+`","protocols":["ipv4"],"src_ref":"`+ip+`","encapsulated_by_ref":"`+nt1+`"}`,
		`{"type":"ipv4-addr","spec_version":"2.1","id":"`+ip+`","value":"203.0.113.9"}`,
		// nt3 and nt4 refer to each other inside their extensions, which
		// contribute to their ids: no deterministic id exists.
		`{"type":"network-traffic","spec_version":"2.1","id":"`+nt3+`","protocols":["udp"],"src_ref":"`+ip+`","extensions":{"`+ext+`":{"extension_type":"property-extension","x_peer_ref":"`+nt4+`"}}}`,
		`{"type":"network-traffic","spec_version":"2.1","id":"`+nt4+`","protocols":["udp"],"dst_ref":"`+ip+`","extensions":{"`+ext+`":{"extension_type":"property-extension","x_peer_ref":"`+nt3+`"}}}`,
	)
	for _, o := range in {
		if r := stix.Validate(o); !r.Valid() {
			t.Fatalf("bad fixture %s: %v", o.ID(), r.Errors)
		}
	}
	cfg := acmeConfig(t)
	res, err := anon.Anonymise(in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*stix.Object{}
	for _, o := range res.Objects {
		byID[o.ID()] = o
		if r := stix.Validate(o); !r.Valid() {
			t.Errorf("%s: %v", o.ID(), r.Errors)
		}
	}
	for i, orig := range []string{nt1, nt2, ip} {
		if want, _, _ := stix.DeterministicID(res.Objects[i]); res.IDs[orig] != want {
			t.Errorf("%s published as %s, want its deterministic id %s", orig, res.IDs[orig], want)
		}
	}
	if got := byID[res.IDs[nt2]].String("encapsulated_by_ref"); got != res.IDs[nt1] {
		t.Errorf("encapsulated_by_ref = %s, want %s", got, res.IDs[nt1])
	}
	reminted := 0
	for _, orig := range []string{nt3, nt4} {
		if res.IDs[orig] == anon.Remint(cfg.Key, orig) {
			reminted++
		}
	}
	if reminted == 0 {
		t.Errorf("neither SCO of a contributing cycle was re-minted: %v", res.IDs)
	}
	peer := func(id string) string {
		v, _ := byID[res.IDs[id]].Value()
		return v["extensions"].(map[string]any)[ext].(map[string]any)["x_peer_ref"].(string)
	}
	if peer(nt3) != res.IDs[nt4] || peer(nt4) != res.IDs[nt3] {
		t.Errorf("cycle refs are inconsistent: %s, %s", byID[res.IDs[nt3]].Raw(), byID[res.IDs[nt4]].Raw())
	}
}

func mustParse(tb testing.TB, raws ...string) []*stix.Object {
	tb.Helper()
	var objs []*stix.Object
	for _, r := range raws {
		o, err := stix.ParseObject([]byte(r))
		if err != nil {
			tb.Fatal(err)
		}
		objs = append(objs, o)
	}
	return objs
}

func rawOf(objs []*stix.Object) []byte {
	var b bytes.Buffer
	for _, o := range objs {
		b.Write(o.Raw())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// eachRef calls f with every string under a *_ref or *_refs property.
func eachRef(v any, path string, f func(path, ref string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if strings.HasSuffix(k, "_ref") || strings.HasSuffix(k, "_refs") {
				switch e := e.(type) {
				case string:
					f(p, e)
				case []any:
					for _, s := range e {
						if s, ok := s.(string); ok {
							f(p, s)
						}
					}
				}
				continue
			}
			eachRef(e, p, f)
		}
	case []any:
		for _, e := range v {
			eachRef(e, path, f)
		}
	}
}

var _ = json.Marshal
