package warninglist

// The special-use and documentation domain names, from the IANA
// Special-Use Domain Names registry (RFC 6761):
// https://www.iana.org/assignments/special-use-domain-names/
// Every entry is a ".name" entry: the name and every name under it
// (RFC 6761 section 6 reserves "the name and any names falling within
// it").
func domainLists() []*List {
	return []*List{
		shipped("rfc2606-reserved-names",
			"Names reserved for testing, documentation and examples, and names that never resolve on the Internet.",
			"RFC 2606 sections 2 and 3; RFC 6761 sections 6.2 to 6.5",
			spec{".test", "RFC 2606 section 2; RFC 6761 section 6.2"},
			spec{".example", "RFC 2606 section 2; RFC 6761 section 6.5"},
			spec{".invalid", "RFC 2606 section 2; RFC 6761 section 6.4"},
			spec{".localhost", "RFC 2606 section 2; RFC 6761 section 6.3"},
			spec{".example.com", "RFC 2606 section 3; RFC 6761 section 6.5"},
			spec{".example.net", "RFC 2606 section 3; RFC 6761 section 6.5"},
			spec{".example.org", "RFC 2606 section 3; RFC 6761 section 6.5"}),
		shipped("rfc6762-local",
			"Multicast DNS names: resolved on the local link only.",
			"RFC 6762 section 3",
			spec{".local", "RFC 6762 section 3: link-local names"}),
		shipped("rfc8375-home-arpa",
			"Names of home networks (HNCP), resolved inside the home only.",
			"RFC 8375",
			spec{".home.arpa", "RFC 8375: Special-Use Domain 'home.arpa.'"}),
		shipped("rfc9476-alt",
			"The pseudo-TLD for names of non-DNS systems; never resolved in the DNS.",
			"RFC 9476",
			spec{".alt", "RFC 9476: The .alt Special-Use Top-Level Domain"}),
		shipped("icann-internal",
			"The top-level domain reserved for private use inside networks; never delegated in the public DNS.",
			"ICANN SAC113 and the reservation of .INTERNAL for private use (ICANN Board, July 2024)",
			spec{".internal", "SAC113: private-use TLD, reserved by ICANN in 2024"}),
		shipped("rfc7686-onion",
			"Tor onion service names. Not in Default: an onion name does not resolve in the DNS, but it is a real service and often a real threat's (leak sites, C2); use it in flag mode only.",
			"RFC 7686 section 2",
			spec{".onion", "RFC 7686 section 2: the .onion special-use domain name"}),
	}
}
