package stix_test

import (
	"os"
	"strings"
	"testing"

	"github.com/isachub/isachub/stix"
)

// Objects the cases below start from.
const (
	indicator = `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
		"created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z",
		"pattern":"[ipv4-addr:value = '198.51.100.3']","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z"%s}`
	ipv4 = `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"%s}`
	file = `{"type":"file","spec_version":"2.1","id":"file--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","name":"a.exe"%s}`
)

func with(base, extra string) string { return strings.Replace(base, "%s", extra, 1) }

func TestValidateInvalid(t *testing.T) {
	tests := []struct {
		name     string
		json     string
		wantPath string // the path of an expected error
		wantMsg  string // a fragment of its message
	}{
		{"ErrMissingRequired", `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z"}`, "pattern", "required"},
		{"ErrMissingType", `{"id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`, "type", "required"},
		{"ErrBadTypeName", `{"type":"Indicator","id":"Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}`, "type", "lowercase"},
		{"ErrIDWrongType", strings.Replace(with(indicator, ""), `"id":"indicator--`, `"id":"malware--`, 1), "id", "must start with the object's type"},
		{"ErrIDNotUUID", strings.Replace(with(indicator, ""), `8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f`, `1234`, 1), "id", "UUID"},
		{"ErrIDBadVariant", strings.Replace(with(indicator, ""), `4cbf-938f`, `4cbf-138f`, 1), "id", "RFC 4122"},
		{"ErrSpecVersion", strings.Replace(with(indicator, ""), `"spec_version":"2.1"`, `"spec_version":"2.0"`, 1), "spec_version", `"2.1"`},
		{"ErrTimestampNotUTC", strings.Replace(with(indicator, ""), `"created":"2016-04-06T20:03:48.000Z"`, `"created":"2016-04-06T20:03:48.000+01:00"`, 1), "created", "RFC 3339"},
		{"ErrTimestampNoMillis", strings.Replace(with(indicator, ""), `"created":"2016-04-06T20:03:48.000Z"`, `"created":"2016-04-06T20:03:48Z"`, 1), "created", "millisecond"},
		{"ErrTimestampNotADate", strings.Replace(with(indicator, ""), `"valid_from":"2016-01-01T00:00:00Z"`, `"valid_from":"2016-02-30T00:00:00Z"`, 1), "valid_from", "not a real date"},
		{"ErrModifiedBeforeCreated", strings.Replace(with(indicator, ""), `"modified":"2016-04-06T20:03:48.000Z"`, `"modified":"2016-04-06T20:03:47.999Z"`, 1), "modified", "earlier than created"},
		{"ErrValidUntil", with(indicator, `,"valid_until":"2015-01-01T00:00:00Z"`), "valid_until", "later than valid_from"},
		{"ErrRefWrongType", with(indicator, `,"created_by_ref":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`), "created_by_ref", `"identity"`},
		{"ErrRefMalformed", with(indicator, `,"created_by_ref":"identity-8e2e2d2b"`), "created_by_ref", "identifier"},
		{"ErrConfidenceRange", with(indicator, `,"confidence":101`), "confidence", "between 0 and 100"},
		{"ErrConfidenceFloat", with(indicator, `,"confidence":50.5`), "confidence", "whole number"},
		{"ErrRevokedType", with(indicator, `,"revoked":"yes"`), "revoked", "true or false"},
		{"ErrEmptyList", with(indicator, `,"labels":[]`), "labels", "empty list"},
		{"ErrCustomNameUpper", with(indicator, `,"x_Acme":1`), "x_Acme", "custom property name"},
		{"ErrCustomNameShort", with(indicator, `,"ab":1`), "ab", "3 to 250"},
		{"ErrCustomNameDash", with(indicator, `,"x-acme":1`), "x-acme", "a-z, 0-9 and '_'"},
		{"ErrCustomNameLong", with(indicator, `,"x_`+strings.Repeat("a", 249)+`":1`), "x_" + strings.Repeat("a", 249), "3 to 250"},
		{"ErrDuplicateKey", with(indicator, `,"pattern":"[file:name = 'a']"`), "pattern", "more than once"},
		{"ErrExtensionKey", with(indicator, `,"extensions":{"Bad Key":{"x":1}}`), `extensions["Bad Key"]`, "extension"},
		{"ErrExtensionEmpty", with(indicator, `,"extensions":{"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e":{}}`), "extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e", "at least one property"},
		{"ErrExtensionType", with(indicator, `,"extensions":{"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e":{"extension_type":"new-thing"}}`), "extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e.extension_type", "not allowed"},
		{"ErrExtensionTypeWrongKey", with(indicator, `,"extensions":{"acme-ext":{"extension_type":"property-extension"}}`), "extensions.acme-ext", "keyed by its extension-definition id"},
		// Issue 13 section 7: four MUSTs of STIX 2.1.
		{"ErrCourseOfActionAction", `{"type":"course-of-action","spec_version":"2.1","id":"course-of-action--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","name":"Block","action":"block the address"}`, "action", "reserved"},
		{"ErrExtensionWithoutType", with(indicator, `,"extensions":{"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e":{"rank":5}}`), "extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e", "must have extension_type"},
		{"ErrExtensionPropertiesNotToplevel", `{"type":"extension-definition","spec_version":"2.1","id":"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e","created_by_ref":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","name":"Rank","schema":"https://example.com/rank.json","version":"1.0","extension_types":["property-extension"],"extension_properties":["rank"]}`, "extension_properties", "toplevel-property-extension"},
		{"ErrLang", with(indicator, `,"lang":"english please"`), "lang", "RFC 5646"},
		{"ErrLangUnderscore", with(indicator, `,"lang":"en_US"`), "lang", "RFC 5646"},
		{"ErrGranularLang", with(indicator, `,"granular_markings":[{"lang":"12","selectors":["pattern"]}]`), "granular_markings[0].lang", "RFC 5646"},
		{"ErrLanguageContentKey", `{"type":"language-content","spec_version":"2.1","id":"language-content--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","object_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","contents":{"not a tag":{"name":"x"}}}`, `contents["not a tag"]`, "RFC 5646"},
		{"ErrObjectMarkingRef", with(indicator, `,"object_marking_refs":["identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]`), "object_marking_refs[0]", `"marking-definition"`},
		{"ErrGranularSelector", with(indicator, `,"granular_markings":[{"marking_ref":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","selectors":["description"]}]`), "granular_markings[0].selectors[0]", "not in the object"},
		{"ErrGranularSelectorIndex", with(indicator, `,"labels":["a"],"granular_markings":[{"marking_ref":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","selectors":["labels.[1]"]}]`), "granular_markings[0].selectors[0]", "item [1]"},
		{"ErrGranularBoth", with(indicator, `,"granular_markings":[{"lang":"en","marking_ref":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","selectors":["pattern"]}]`), "granular_markings[0]", "exactly one"},
		{"ErrExternalReference", with(indicator, `,"external_references":[{"source_name":"acme"}]`), "external_references[0]", "at least one of description, url or external_id"},
		{"ErrSCOCreated", with(ipv4, `,"created":"2016-04-06T20:03:48.000Z"`), "created", "not a property of SCO"},
		{"ErrSCORevoked", with(ipv4, `,"revoked":true`), "revoked", "not a property of SCO"},
		{"ErrSDODefanged", with(indicator, `,"defanged":true`), "defanged", "not a property of SDO"},
		{"ErrIPv4Value", strings.Replace(with(ipv4, ""), `"value":"198.51.100.3"`, `"value":"198.51.100.300"`, 1), "value", "IPv4"},
		{"ErrHashLength", with(file, `,"hashes":{"MD5":"abc"}`), "hashes.MD5", "32 hex digits"},
		{"ErrHashNotHex", with(file, `,"hashes":{"SHA-256":"`+strings.Repeat("z", 64)+`"}`), "hashes.SHA-256", "64 hex digits"},
		{"ErrSCOPredefinedExtension", with(file, `,"extensions":{"archive-ext":{"comment":"no refs"}}`), "extensions.archive-ext.contains_refs", "required"},
		{"ErrSCORefType", with(file, `,"parent_directory_ref":"file--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f"`), "parent_directory_ref", `"directory"`},
		{"ErrFileNeedsNameOrHashes", `{"type":"file","spec_version":"2.1","id":"file--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","size":3}`, "", "hashes, name"},
		{"ErrNetworkTrafficActiveEnd", `{"type":"network-traffic","spec_version":"2.1","id":"network-traffic--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","dst_ref":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","protocols":["tcp"],"is_active":true,"end":"2016-01-01T00:00:00Z"}`, "end", "is_active"},
		{"ErrMAC", `{"type":"mac-addr","spec_version":"2.1","id":"mac-addr--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","value":"D2-FB-49-24-37-18"}`, "value", "colon-delimited"},
		{"ErrObservedDataBoth", `{"type":"observed-data","spec_version":"2.1","id":"observed-data--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","first_observed":"2016-01-01T00:00:00Z","last_observed":"2016-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr","value":"1.2.3.4"}},"object_refs":["ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]}`, "", "both objects and object_refs"},
		{"ErrNumberObserved", `{"type":"observed-data","spec_version":"2.1","id":"observed-data--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","first_observed":"2016-01-01T00:00:00Z","last_observed":"2016-01-01T00:00:00Z","number_observed":0,"object_refs":["ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]}`, "number_observed", "between 1 and 999999999"},
		{"ErrRelationshipTarget", `{"type":"relationship","spec_version":"2.1","id":"relationship--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"}`, "target_ref", "SDO"},
		{"ErrSightingCount", `{"type":"sighting","spec_version":"2.1","id":"sighting--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","sighting_of_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","count":1000000000}`, "count", "between 0 and 999999999"},
		{"ErrLocationEmpty", `{"type":"location","spec_version":"2.1","id":"location--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","name":"somewhere"}`, "", "region, country"},
		{"ErrMalwareFamilyName", `{"type":"malware","spec_version":"2.1","id":"malware--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","is_family":true}`, "name", "is_family"},
		{"ErrOpinionEnum", `{"type":"opinion","spec_version":"2.1","id":"opinion--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","opinion":"meh","object_refs":["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]}`, "opinion", "strongly-agree"},
		{"ErrMarkingTLPWrongID", `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"green"}}`, "id", "TLP 1.0"},
		{"ErrMarkingTLPWrongLevel", `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"red"}}`, "definition.tlp", `"green"`},
		{"ErrMarkingNoDefinition", `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2017-01-20T00:00:00.000Z","definition_type":"statement"}`, "definition", "required"},
		{"ErrMarkingTLP2WithoutExtension", `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1","created":"2022-10-01T00:00:00.000Z","name":"TLP:RED","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"amber"}}}`, "extensions.extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d", `"red"`},
		{"ErrExtensionDefinitionSchema", `{"type":"extension-definition","spec_version":"2.1","id":"extension-definition--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","created_by_ref":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"x","version":"1","extension_types":["new-sdo"]}`, "schema", "required"},
		{"ErrCustomTypeWithoutID", `{"type":"x-acme-widget","spec_version":"2.1"}`, "id", "required"},
		{"ErrReservedCourseOfAction", `{"type":"course-of-action","spec_version":"2.1","id":"course-of-action--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","name":"x","action_type":"textual:text/plain"}`, "action_type", "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := stix.ParseObject([]byte(tt.json))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			res := stix.Validate(o)
			if res.Valid() {
				t.Fatalf("valid, want an error at %q (warnings: %v)", tt.wantPath, res.Warnings)
			}
			for _, e := range res.Errors {
				if e.Path == tt.wantPath && strings.Contains(e.Message, tt.wantMsg) {
					return
				}
			}
			t.Errorf("no error at %q containing %q; got %+v", tt.wantPath, tt.wantMsg, res.Errors)
		})
	}
}

// TestValidateWarnings covers SHOULDs: each object is valid but warned about.
func TestValidateWarnings(t *testing.T) {
	tests := []struct {
		name     string
		json     string
		wantPath string
		wantMsg  string
	}{
		{"OpenVocabulary", with(indicator, `,"indicator_types":["made-up"]`), "indicator_types[0]", "indicator-type-ov"},
		{"CustomPropertyWithoutPrefix", with(indicator, `,"acme_score":3`), "acme_score", "x_"},
		{"UnknownHashAlgorithm", with(file, `,"hashes":{"x_acme":"1234"}`), "hashes.x_acme", "hash-algorithm-ov"},
		{"HashNameSpelling", with(file, `,"hashes":{"sha256":"`+strings.Repeat("a", 64)+`"}`), "hashes.sha256", `"SHA-256"`},
		{"NonDeterministicSCOID", strings.Replace(with(ipv4, ""), "28bb3599-77cd-5a82-a950-b5bc3caf07c4", "1e4ffad7-0b88-41d4-ba4d-77d27490b956", 1), "id", "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"},
		{"UnknownType", `{"type":"x-acme-widget","spec_version":"2.1","id":"x-acme-widget--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z"}`, "type", "not a STIX 2.1 type"},
		{"DeprecatedObjects", `{"type":"observed-data","spec_version":"2.1","id":"observed-data--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","first_observed":"2016-01-01T00:00:00Z","last_observed":"2016-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr","value":"1.2.3.4"}}}`, "objects", "deprecated"},
		{"TwoTLPMarkings", with(indicator, `,"object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]`), "object_marking_refs", "most restrictive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := stix.ParseObject([]byte(tt.json))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			res := stix.Validate(o)
			if !res.Valid() {
				t.Fatalf("errors %+v, want only warnings", res.Errors)
			}
			for _, w := range res.Warnings {
				if w.Path == tt.wantPath && strings.Contains(w.Message, tt.wantMsg) {
					return
				}
			}
			t.Errorf("no warning at %q containing %q; got %+v", tt.wantPath, tt.wantMsg, res.Warnings)
		})
	}
}

// TestValidateEveryType validates one realistic object of each of the 42
// STIX 2.1 types (testdata/valid-every-type.json) with no error or warning.
func TestValidateEveryType(t *testing.T) {
	data, err := os.ReadFile("testdata/valid-every-type.json")
	if err != nil {
		t.Fatal(err)
	}
	objs, err := stix.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, o := range objs {
		seen[o.Type()] = true
		res := stix.Validate(o)
		for _, e := range append(res.Errors, res.Warnings...) {
			t.Errorf("%s %s: %s", o.ID(), e.Path, e.Message)
		}
	}
	for _, typ := range stix.Types() {
		if !seen[typ] {
			t.Errorf("no example of type %s", typ)
		}
	}
}

// TestValidateExtensions checks objects that extensions make valid.
func TestValidateExtensions(t *testing.T) {
	tests := []struct{ name, json string }{
		{"NewSDO", `{"type":"x-acme-widget","spec_version":"2.1","id":"x-acme-widget--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","size":3,"extensions":{"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e":{"extension_type":"new-sdo"}}}`},
		{"NewSCO", `{"type":"x-acme-device","id":"x-acme-device--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","serial":"123","extensions":{"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e":{"extension_type":"new-sco"}}}`},
		{"ToplevelProperties", with(ipv4, `,"created":"2016-04-06T20:03:48.000Z","rank":5,"extensions":{"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e":{"extension_type":"toplevel-property-extension"}}`)},
		{"PropertyExtension", with(indicator, `,"extensions":{"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e":{"extension_type":"property-extension","rank":5}}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := stix.ParseObject([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			res := stix.Validate(o)
			for _, e := range res.Errors {
				t.Errorf("%s: %s", e.Path, e.Message)
			}
		})
	}
}

// TestValidateLangOK: RFC 5646 tags of every shape are accepted, in any
// case (tags are case-insensitive).
func TestValidateLangOK(t *testing.T) {
	for _, tag := range []string{"en", "EN", "fr-CA", "zh-Hant", "zh-Hant-TW", "de-CH-1901", "es-419", "x-private", "sr-Latn-RS"} {
		o, err := stix.ParseObject([]byte(with(indicator, `,"lang":"`+tag+`"`)))
		if err != nil {
			t.Fatal(err)
		}
		if res := stix.Validate(o); !res.Valid() {
			t.Errorf("lang %q: %+v", tag, res.Errors)
		}
	}
}
