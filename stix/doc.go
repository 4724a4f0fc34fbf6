// Package stix is isachub's STIX 2.1 object layer (OASIS STIX Version 2.1,
// June 2021): parsing, validation, deterministic SCO identifiers and TLP
// markings. It imports nothing else of isachub.
//
// # Parsing
//
// Parse and ParseDocument accept the four shapes producers send: a single
// object, a JSON array, a bundle (section 8) and a TAXII 2.1 envelope
// ({"objects": [...]}). Each Object keeps its bytes exactly as received, so
// writing it back gives the same properties and values: custom properties,
// extensions and timestamp strings (".000Z" stays ".000Z") included.
// Syntax errors name the line, column and byte offset; an element that is
// not an object is named by its JSONPath ("$.objects[3]").
//
// # Validation
//
// Validate checks one object against the MUSTs of the specification that
// can be checked on the object alone, for all 42 object types: the 19 SDOs
// (section 4), 2 SROs (5), 18 SCOs with their predefined extensions (6),
// and marking-definition, language-content and extension-definition (7).
// The checks are hand-written Go tables and rules, not a JSON-schema
// interpreter; a test cross-checks the tables against the OASIS schemas.
// Among them: required properties; identifiers of the form <type>--<UUID>
// with an RFC 4122 UUID (2.9); RFC 3339 UTC timestamps, with millisecond
// precision for created and modified, and modified >= created (3.2);
// reference properties that point at the types the spec allows; confidence
// 0-100; non-empty lists and dictionaries; custom property names of 3-250
// characters of [a-z0-9_] (11.1); extensions keyed by extension-definition
// ids (each with its extension_type) or predefined SCO extension names
// (7.3); extension_properties only on a toplevel-property-extension (7.3);
// lang and language-content keys that are RFC 5646 tags (3.2, 7.1); the
// reserved properties of course-of-action, action and action_* (4.3);
// text in UTF-8 without lone surrogates (TextIssue);
// object_marking_refs, and granular marking selectors that resolve inside
// the object (7.2.3); SCOs without the SDO-only properties such as created,
// modified and revoked unless a toplevel-property-extension adds them (6);
// hashes whose values fit their algorithm (2.7); TLP marking definitions
// with the content the spec fixes.
//
// Breaking a SHOULD is a warning, never an error: values outside an open
// vocabulary (10), custom properties without the x_ prefix, unknown hash
// algorithm names, deprecated constructs, and SCO ids that are not the
// deterministic UUIDv5 of their ID contributing properties (section 2.9
// says identifiers MAY be deterministic, so a producer's UUIDv4 is legal).
// Rules that need more than one object (only the creator versions an
// object; a revoked object is final) belong to the store.
//
// # Identifiers and markings
//
// DeterministicID computes an SCO's UUIDv5 identifier over its ID
// contributing properties, serialised with Canonicalize (RFC 8785).
// EffectiveTLP returns the most restrictive TLP 1.0 or 2.0 marking of an
// object, granular markings included.
//
// # Limits and speed
//
// Input is bounded by the caller (the CLI refuses more than 512 MiB);
// nesting deeper than encoding/json's limit is a syntax error, and memory
// stays proportional to the input. A differential fuzz target holds the
// package's fast JSON scanner to encoding/json's results. Parsing and
// validating a bundle of 10,000 mixed objects runs at the rate recorded in
// BENCHMARKS.md (BenchmarkValidateBundle).
package stix
