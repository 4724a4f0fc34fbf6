// Package stix1 converts STIX 1.1.1 and 1.2 packages (XML, with CybOX
// 2.1 observables) to STIX 2.1 objects. Convert reads a stix:STIX_Package
// and sends each object it makes to a convert.Sink, and returns a
// convert.Report that names, by an XPath-like path into the input, every
// construct that converted only approximately or not at all: nothing is
// dropped silently. Every object sent passes pattern.Validate; one that
// would not is reported instead.
//
// STIX 1.2.1 is cited by part (Part 3 Core, 4 Indicator, 5 TTP, 6
// Incident, 7 Threat Actor, 8 Campaign, 9 Course of Action, 10 Exploit
// Target, 11 Report, 13 Data Marking, 14 Vocabularies), CybOX 2.1 by
// object, STIX 2.1 by section.
//
// # What converts
//
//	STIX 1.x / CybOX 2.1                    STIX 2.1                                     how
//	Indicator (Part 4)                      indicator (4.7), pattern_type stix (9)       exact
//	  Title, Description                    name, description                            exact; a Short_Description beside a Description is dropped (approximate)
//	  Type (IndicatorTypeVocab-1.1)         indicator_types (10.12)                      Anonymization exact; the rest approximate (watchlists: unknown)
//	  Valid_Time_Position                   valid_from, valid_until                      exact (the first position); else the timestamp
//	  Confidence (HighMediumLowVocab)       confidence (Appendix A scale)                approximate: High 85, Medium 50, Low 15, None 0, Unknown left out
//	  Kill_Chain_Phases                     kill_chain_phases (2.8)                      exact where the phase resolves
//	  Indicated_TTP / Related_Indicators    relationship indicates / related-to (5.1)    exact
//	  Suggested_COAs / Related_Campaigns    relationship mitigates (from the COA) / indicates
//	  Sightings/Sighting                    sighting (5.2): count, first/last_seen, where_sighted_refs
//	  Composite_Indicator_Expression        the patterns joined by AND / OR              exact
//	  negate="true", Test_Mechanisms,       -                                            not converted
//	  Likely_Impact, Alternative_ID
//	Observable / Observable_Composition     [observation] AND / OR [observation]         exact
//	  Object Properties and conditions      comparison expressions joined by AND         see Conditions
//	  Related_Objects                       resolves_to_refs (Resolved_To), else a       approximate: a pattern cannot relate two objects
//	                                        separate observation joined by AND
//	  negate="true", Event                  -                                            not converted
//	Observable without an indicator         observed-data (4.14) with SCOs (6)           approximate: number_observed 1, first/last_observed
//	  (stix:Observables, Related_Observables)                                            the package time; compositions flattened
//	TTP (Part 5) Behavior/Attack_Pattern    attack-pattern (4.1), capec external ref     exact
//	  Behavior/Malware/Malware_Instance     malware (4.11), is_family false              exact; MalwareTypeVocab mapped (10.15)
//	  Resources/Tools/Tool                  tool (4.18), tool_types, tool_version        exact; AttackerToolTypeVocab mostly approximate
//	  Resources/Infrastructure              infrastructure (4.8)                         exact
//	  a TTP with only a Title               attack-pattern                               approximate
//	  Related_TTPs / Exploit_Targets        related-to / targets                         exact
//	  Behavior/Exploits, Victim_Targeting,  -                                            not converted
//	  Intended_Effect, Personas
//	Kill_Chains (Part 3, TTPs)              kill_chain_name and phase_name, lower case   exact; the Lockheed Martin chain is known by its ids
//	Threat_Actor (Part 7)                   threat-actor (4.17): name from Identity,     types, motivations, sophistication exact or
//	                                        types, motivations, sophistication           approximate by vocabulary (10.23, 10.3, 10.25)
//	  Observed_TTPs / Associated_Campaigns  uses / attributed-to (from the campaign)     exact
//	  / Associated_Actors                   / related-to
//	Campaign (Part 8)                       campaign (4.2): name, aliases (Names)        exact; Intended_Effect as objective approximate
//	  Related_TTPs / Attribution /          uses / attributed-to / indicates (from the   exact
//	  Related_Indicators / Related_Incidents indicator) / related-to
//	Incident (Part 6)                       incident (4.6): name, description            the rest approximate: 2.1 incident is a stub
//	  Leveraged_TTPs / Attributed_Threat_   uses / attributed-to / related-to            exact
//	  Actors / Related_Indicators, _Observables, _Incidents
//	Exploit_Target (Part 10) Vulnerability  vulnerability (4.19), cve / osvdb refs       exact; Weakness and Configuration not converted
//	  Potential_COAs / Related_Exploit_     mitigates (from the COA) / related-to        exact
//	  Targets
//	Course_Of_Action (Part 9)               course-of-action (4.3): name, description    the rest not converted (2.1 reserves action_*)
//	Report (Part 11)                        report (4.16), object_refs its lists         exact
//	STIX_Header (Part 3) without a Report   report holding every object of the package  exact; Package_Intent as report_types
//	Information_Source/Identity             identity (4.5) as created_by_ref             exact; left out entirely when Options.Anonymous
//	Handling (Part 13) TLPMarking           object_marking_refs: TLP 2.0 ids (WHITE is   exact (no TLP definitions are sent)
//	                                        CLEAR)
//	  SimpleMarking / TermsOfUseMarking     marking-definition statement (7.2)           exact
//	  other marking structures              -                                            not converted
//	timestamp                               created, modified (3.2, milliseconds, UTC)   versions of one id keep the first created
//	Related_Packages                        their objects, and a report of each          exact
//
// # CybOX objects
//
//	Address (category)                      ipv4-addr, ipv6-addr (CIDR: ISSUBSET in a pattern), email-addr, mac-addr (lower case,
//	                                        colons), autonomous-system (asn); other categories not converted
//	DomainName, Hostname, URI, Link         domain-name (Hostname approximate: 2.1 has none), url (or domain-name for type
//	                                        "Domain Name")
//	File (WinFile, WinExecutableFile)       file: name, parent_directory_ref.path (File_Path, Full_Path), size, magic_number_hex,
//	                                        ctime/mtime/atime, hashes MD5 SHA-1 SHA-256 SHA-512 SSDEEP; File_Extension as a
//	                                        name ending (patterns only); a hash value that does not fit its algorithm is reported
//	EmailMessage                            email-message: from_ref, sender_ref, to/cc/bcc_refs, subject, date, message_id,
//	                                        content_type, additional_header_fields, body, body_multipart (Attachments, by
//	                                        object_reference to a Related_Object); Links not converted
//	NetworkConnection, NetworkSocket        network-traffic: src/dst_ref, ports, protocols (lower case), start, socket-ext;
//	                                        observed data without protocols gets ipv4/ipv6 from the address (approximate)
//	HTTPSession                             network-traffic with http-request-ext (the first request)
//	WinRegistryKey                          windows-registry-key: hive\key, values, modified_time, number_of_subkeys
//	Process (WinProcess, UnixProcess)       process: pid, created_time, parent_ref, child_refs, image_ref, command_line, cwd,
//	                                        environment_variables, windows-process-ext; Name as command_line (approximate)
//	Mutex, UserAccount (Win, Unix)          mutex; user-account (account_login, display_name, user_id, unix-account-ext)
//	Artifact                                artifact: payload_bin, url, mime_type, hashes (packaging approximate)
//	X509Certificate                         x509-certificate with x509_v3_extensions
//	AS                                      autonomous-system: number, name, rir
//	any other xsi:type                      not converted, reported with its xsi:type
//
// Any element a converter does not read is reported as not converted at
// its path. In an indicator, an object whose pattern leaves something out
// is reported as approximate: the pattern then matches more than the STIX
// 1.x observable.
//
// # Conditions
//
// CybOX conditions (cyboxCommon:PatternFieldGroup) become comparisons
// (STIX 2.1 section 9.5): Equals =, DoesNotEqual !=, GreaterThan and the
// other orderings (numbers and times only), Contains LIKE '%v%',
// DoesNotContain NOT LIKE, StartsWith LIKE 'v%', EndsWith LIKE '%v',
// InclusiveBetween and ExclusiveBetween (numbers and times) two
// comparisons joined by AND. A value with % or _ (which LIKE cannot
// escape) or is_case_sensitive="false" becomes MATCHES of the quoted
// value, anchored as the condition says, which is exact in any regular
// expression dialect. A list (delimiter, "##comma##" by default) under
// apply_condition ANY is IN (Equals) or OR, under ALL AND, under NONE the
// AND of the negations. FitsPattern is MATCHES and reported approximate
// (CybOX fixes no dialect, STIX 2.1 uses PCRE); BitwiseAnd and BitwiseOr
// are not converted. String literals escape only the quote and the
// backslash (section 9.4). Where a test has no faithful comparison, it is
// left out and reported, never replaced by one that matches more or less
// without saying so.
//
// # Identifiers
//
// Ids derive from the STIX 1.x id or idref with convert.ID("stix1", type,
// id), so that an idref resolves before its target is read and the same
// input gives the same objects; relationship ids derive from source, type
// and target; statement marking definitions from their text; SCO ids are
// the deterministic ids of section 2.9 (stix.DeterministicID), or derive
// from the observable for process. A construct without an id takes a key
// of its package, its path and a digest of its content. An idref's STIX
// 2.1 type comes from the element holding it; a TTP or exploit target can
// become several types, so a relationship or report that names one waits
// until it is read (or its id has the conventional form "...:malware-..."),
// and one never read is reported. An idref that names nothing in the
// input is reported as approximate.
//
// Timestamps are read as xs:dateTime (without a zone, as UTC) and written
// in UTC with milliseconds; a construct without one takes its enclosing
// construct's, then the package's, then Options.Now.
//
// # Markings
//
// A marking applies to what its Controlled_Structure selects, resolved
// for the forms producers write: the whole package ("//node() | //@*",
// "/stix:STIX_Package//node()"), the construct holding the Handling
// ("../../../descendant-or-self::node()", "ancestor-or-self::stix:Indicator//node()",
// or no Controlled_Structure), or, from the header, the header alone (its
// package report). Constructs inside a marked construct carry its
// markings. Any other XPath marks the whole package, the more restrictive
// choice, and is reported approximate; so is a package-wide marking found
// after objects were already sent (the conversion streams). Of several TLP
// levels the most restrictive is kept. Statements are content, not a
// source, and stay with Options.Anonymous.
//
// # Safety and limits
//
// The input is read with encoding/xml token by token in strict mode;
// namespaces are matched by URI (xsi:type values are resolved with the
// declarations in scope). A DOCTYPE is refused, so no entity is ever
// declared or expanded and nothing is fetched; only UTF-8 is read. The
// input is refused past 512 MiB, nesting past 256 elements and a single
// XML token past 64 MiB (all *convert.FormatError); a top-level construct
// past 64 MiB or 500,000 elements is skipped and reported. Each top-level
// construct (one Indicator, one Observable, one TTP...) is decoded into a
// small tree, converted and dropped, and objects are sent as they are
// made, so memory does not grow with the input's constructs beyond a few
// dozen bytes per object made (its id, kept for the package report and to
// send duplicates once), what waits for a later part of the input
// (bounded), and the report itself, which holds an entry per approximate
// construct. A generated package of 100 MB converts with a heap under 100
// MB (TestLargePackageBoundedMemory); BenchmarkConvertPackage measures
// indicators per second. A fuzz target (FuzzConvert) holds that Convert
// never panics, fails only with a *convert.FormatError and sends only
// valid objects.
package stix1
