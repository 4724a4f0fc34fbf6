// Package demo makes the demonstration data of "isachub serve --demo": a
// community with three member organisations and the ISAC's own staff
// organisation, users of every role, three collections (one anonymous and
// moderated) and a few hundred realistic STIX 2.1 objects (STIX 2.1
// sections 4 to 6: identities, indicators with patterns for IP addresses,
// domains, URLs and file hashes, malware, threat actors, campaigns, attack
// patterns, vulnerabilities, relationships, sightings and reports),
// generated in code and deterministic, so that seeding twice adds nothing.
package demo
