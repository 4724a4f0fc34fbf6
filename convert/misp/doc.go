// Package misp converts MISP JSON events to STIX 2.1 (OASIS STIX Version
// 2.1, June 2021). The input is the MISP core format
// (draft-dulaunoy-misp-core-format, the Internet-Draft of CIRCL's MISP
// project; sections cited as "core format 2.x" below): one
// {"Event": {...}}, a JSON list of those, or the REST answer of
// events/restSearch ({"response": [...]}). The STIX side follows the
// mappings of MISP's own converter, misp-stix, where it has one.
//
// Convert is pure: bytes in, objects to a convert.Sink and a
// convert.Report out. Nothing is dropped silently: every construct is
// counted as converted, approximate (with what was lost) or not converted
// (with why), at its JSON path ($.Event.Attribute[3],
// $.response[0].Event.Object[1].Attribute[2]). Input that is not MISP JSON
// at all (not JSON, no event, more than MaxInput bytes, nested deeper than
// MaxDepth) is a *convert.FormatError with the path where reading
// stopped.
//
// # What converts
//
//	MISP                                   STIX 2.1                                                     outcome
//	Event (core format 2.1)                report (4.15): name info, published publish_timestamp        converted
//	                                       (else date), object_refs all objects made from the event,
//	                                       labels the non-TLP tags, description if the event has one
//	Orgc                                   identity (4.5), identity_class organization, the             converted
//	                                       created_by_ref of every SDO and SRO; none when Anonymous
//	Attribute, to_ids true (2.3)           indicator (4.7), pattern_type stix, valid_from first_seen    converted
//	                                       (else timestamp), valid_until last_seen, name "type: value",
//	                                       description comment, indicator_types from the category
//	Attribute, to_ids false                observed-data (4.14) with its SCOs (6) under deterministic   converted
//	                                       ids (2.9); a comment becomes a note on it
//	  ip-src, ip-dst                       network-traffic src_ref/dst_ref ipv4-addr/ipv6-addr          converted
//	                                       (CIDR blocks: ISSUBSET)
//	  ip-src|port, ip-dst|port             the same with src_port/dst_port                              converted
//	  domain, hostname                     domain-name                                                  converted
//	  domain|ip                            domain-name resolves_to_refs an address                      converted
//	  hostname|port                        network-traffic dst_ref domain-name, dst_port                converted
//	  url, uri, link                       url                                                          converted
//	  email                                email-addr                                                   converted
//	  email-src, email-dst                 email-message from_ref / to_refs email-addr                  converted
//	  email-subject, email-attachment      email-message subject / body_multipart body_raw_ref file     converted
//	  filename; md5, sha1, sha224, sha256, file name; hashes (MD5, SHA-1, SHA-224, SHA-256, SHA-384,    converted
//	  sha384, sha512, sha3-256, sha3-512,  SHA-512, SHA3-256, SHA3-512, SSDEEP, TLSH; hex in lower
//	  ssdeep, tlsh; filename|<hash>        case; a value that is no such hash is not converted)
//	  mac-address                          mac-addr (lower case, colons)                                converted
//	  AS                                   autonomous-system number                                     converted
//	  mutex; regkey; regkey|value          mutex; windows-registry-key key (values[*].data)             converted
//	  x509-fingerprint-md5/sha1/sha256     x509-certificate hashes                                      converted
//	  user-agent, http-method, port        network-traffic http-request-ext request_header              converted
//	                                       User-Agent / request_method / dst_port: an indicator;
//	                                       without to_ids a note on the report (no valid SCO)           approximate
//	  vulnerability                        vulnerability (4.20), a cve external reference for CVE ids   converted
//	  yara, sigma, snort, stix2-pattern    indicator of that pattern_type (10.14), whatever to_ids      converted
//	  comment, text                        note (4.13) on the report                                    approximate
//	  any other type (btc, hex, ...)       nothing                                                      not converted
//	Object (core format 2.5): file,        one indicator (its attributes' comparisons joined by AND in  converted
//	domain-ip, ip-port, url, email,        one observation expression, section 9) when any attribute
//	network-connection, registry-key,      has to_ids, else one observed-data; relations the STIX
//	x509                                   object has no place for                                      approximate
//	Object vulnerability                   vulnerability: id, summary/description/text, references      converted
//	Object of another template             its attributes one by one                                    approximate
//	ObjectReference                        relationship (5.1) of the relationship_type                  converted
//	Galaxy clusters (Event and Attribute   threat-actor, intrusion-set, malware (is_family), tool,      converted
//	Galaxy, and misp-galaxy:type="value"   attack-pattern (a mitre-attack external reference with the
//	tags)                                  ATT&CK id from meta external_id or the value's " - T1566.001",
//	                                       kill_chain_phases), course-of-action (4.3); aliases from
//	                                       meta synonyms, external references from meta refs; an
//	                                       attribute's clusters get relationships from its SDO
//	                                       (indicates from an indicator, else related-to)
//	  sector                               identity, identity_class class, sectors (10.11) when the     converted
//	                                       value fits the vocabulary, else without sectors              approximate
//	  country                              location (4.11) with country, the ISO 3166-1 code from meta  converted
//	                                       ISO or the name; without a code a label (a location needs
//	                                       a country, region or coordinates)                            approximate
//	  other galaxies                       the tag as a label                                           approximate
//	Tag tlp:white/clear/green/amber/       object_marking_refs of the TLP 2.0 marking definition, on    converted
//	amber+strict/red (TLP 1.0 and 2.0,     every object made from the event; an attribute's TLP tag
//	any case)                              overrides the event's for that attribute; an object shared
//	                                       by several constructs carries the strictest
//	other tags                             labels (of the report, or of the attribute's SDO)            converted
//	Sighting type 0 and 3 (2.9)            sighting (5.2) of the attribute's SDO (its indicator, else   converted
//	                                       its observed-data), one per attribute, sighting organisation
//	                                       and source: count, first_seen/last_seen from date_sighting,
//	                                       where_sighted_refs the organisation unless Anonymous
//	Sighting type 1 (false positive)       note on the attribute's SDO                                  approximate
//	Sighting type 2 (expiration)           valid_until of the indicator, else a note                    approximate
//	EventReport                            note on the report (Markdown kept as text)                   converted
//	ShadowAttribute, RelatedEvent,         nothing (proposals, the source instance's correlations,      not converted
//	RelatedAttribute, SharingGroup,        MISP distribution, analyst data)
//	Note, Opinion, Relationship
//	deleted attributes and objects         nothing                                                      not converted
//
// Fields that carry no content of their own are not reported: the local
// ids (id, event_id, object_id), Org (the organisation that holds the copy
// on the source instance), distribution and sharing_group_id (the hub's
// collections and TLP markings decide who reads), threat_level_id,
// analysis, published, locked, disable_correlation and extends_uuid.
//
// # Identifiers and times
//
// Every SDO and SRO id is convert.ID("misp", type, uuid) of the MISP uuid
// it comes from (the event's, attribute's, object's, cluster's), so that
// converting the same event twice gives the same objects; SCO ids are the
// deterministic UUIDv5 of STIX 2.1 section 2.9 (stix.DeterministicID), so
// the same IP address from two events is one object. A missing uuid, a
// uuid that is no RFC 4122 UUID or one used twice is approximate: the ids
// derive from the construct's place in the input. Given the same opts.Now
// (used only when the input has no time at all), the output is byte for
// byte the same.
//
// MISP times are Unix seconds in strings, dates and ISO 8601 date-times;
// STIX 2.1 wants RFC 3339 UTC, with milliseconds for created and modified
// (section 3.2). modified is the construct's timestamp; created is the
// event's date, or the construct's timestamp when that is earlier, so that
// created stays the same in every later export of the event and an edited
// attribute becomes a new version of the same object (section 3.6).
//
// # Patterns
//
// Every pattern is built from the same description as the SCOs, so the
// two never disagree; string values are quoted with ' and \ escaped
// (section 9.4), paths are quoted where section 9.3 requires. Every object
// Convert emits passes pattern.Validate; a test and the fuzz target hold it
// to that.
//
// # Limits and speed
//
// Convert reads the whole input (at most MaxInput, 512 MiB) and keeps the
// objects until the end, so that shared SCOs are emitted once with the
// strictest TLP: memory is proportional to the input. BenchmarkConvertEvent
// converts one event of 10,000 attributes of a realistic mix and reports
// attrs/s (go test ./convert/misp -run '^$' -bench . -benchtime 3x).
package misp
