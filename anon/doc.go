// Package anon re-issues a member's STIX 2.1 submission under its
// community's own identity, so that nothing in the published objects tells
// which organisation sent them (issue 6, "Anonymous publishing").
//
// Anonymise applies these rules, in this order:
//
//  1. The submitter's identities are Config.Submitter, every
//     created_by_ref target (section 3.2) and every where_sighted_refs
//     target of a sighting (section 5.2) in the submission; the
//     community's own two identities never are. Identity objects with
//     those ids are dropped, and so are location objects named in
//     where_sighted_refs (they say where the submitter is); their names
//     are then redacted from the free text of every other object like a
//     declared name. Copies of the community's own identities are dropped
//     too: the hub serves its own.
//  2. Every kept object gets a new id. SDOs, SROs, custom objects, and
//     meta objects (marking definitions, language content, extension
//     definitions) get Remint(Key, id): a UUIDv4-shaped id that cannot be
//     linked to the original without the key. The well-known TLP 1.0 and
//     2.0 marking definitions (section 7.2.1.4 and the TLP 2.0 extension)
//     keep their ids and contents. SCOs get their deterministic id
//     (section 2.9) computed over their properties after their own
//     references were rewritten, resolving the SCOs they point at first;
//     an SCO in a reference cycle, or of a type without ID contributing
//     properties, is re-minted.
//  3. Every string, at any depth (extensions, granular_markings,
//     external_references, custom properties) and every dictionary key
//     (extensions are keyed by extension-definition ids, section 7.3), is
//     rewritten: a value equal to an original id becomes the published id;
//     a value equal to a submitter identity becomes the community identity
//     under created_by_ref and the generic sector identity everywhere else
//     (where_sighted_refs, relationship ends, object_refs, custom refs).
//     Inside longer text, an original id (recognised by its UUID, with or
//     without its type prefix, in any case) becomes the published one and
//     a submitter identity becomes "[REDACTED]". Reference lists (_refs)
//     are deduplicated afterwards.
//  4. Every SDO, SRO, custom object and meta object other than the TLP
//     markings gets created_by_ref = the community identity (section 3.2);
//     SCOs have no created_by_ref (section 6.1).
//  5. Redaction (Rules, see Compile) replaces every declared item in free
//     text with "[REDACTED]". Not redacted: identifiers and references (id,
//     *_ref, *_refs), type, spec_version, selectors, timestamps (created,
//     modified and any value that is a STIX timestamp), the pattern,
//     pattern_type and pattern_version of indicators, hashes, the embedded
//     objects of observed-data, and every property of an SCO: observations
//     are facts, and redacting them would make them false. When such a
//     value holds a declared item the result carries a Warning, and so does
//     every reference to an id that is neither in the submission nor a TLP
//     marking: it is published unchanged and may point at an object the
//     member published under its own name. Property names are never
//     rewritten but for ids in them; one that holds a declared item gets a
//     warning too.
//  6. Each object is written again as compact JSON with its keys sorted,
//     which drops the formatting of the submitter's tool, and parsed back.
//     An object that was valid (pattern.Validate, the hub's one rule of
//     what may be stored) must still be valid; if not, Anonymise fails with
//     an error that names the object and the property instead of
//     publishing an invalid object.
//
// Anonymise never modifies its input and is deterministic: the same
// objects and Config give byte-identical output.
//
// CommunityIdentity and SectorIdentity build the two identity objects
// (section 4.5) the rules refer to; OrgKey derives the re-minting key under
// which one organisation's objects keep stable ids within a community.
package anon
