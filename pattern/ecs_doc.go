package pattern

import "fmt"

// ParseECS turns one event with Elastic Common Schema (ECS) field names into
// an Observation whose Objects are STIX 2.1 cyber-observable objects
// (section 6), so that STIX patterns can be matched against SOC logs. Field
// names may be dotted ({"source.ip": ...}) or nested ({"source": {"ip":
// ...}}), or a mix; the same field given both ways with different values is
// an error. Fields outside the table below are ignored. A mapped field of
// the wrong JSON type, an IP address field that is not an IP address, or a
// timestamp that is not RFC 3339 is an error naming the field. Integers may
// be JSON numbers or decimal strings; they become json.Number.
//
// The SCOs are keyed "0", "1", ... and refer to each other through those
// keys, as in a STIX 2.0 "objects" dictionary. Equal addresses, domain names
// and URLs are one SCO. The Observation's ID is "".
//
// The mapping (ECS field -> SCO type: property):
//
//	source.ip, destination.ip      ipv4-addr or ipv6-addr: value (by the address's
//	                               form; IPv4-mapped IPv6 becomes ipv4-addr), and
//	                               network-traffic: src_ref, dst_ref
//	source.address, destination.address
//	                               as source.ip/destination.ip when an IP address
//	                               (and .ip is absent), else domain-name: value
//	client.*, server.*             as source.*, destination.* for what those lack
//	                               (ip, address, port, bytes, packets, mac, domain)
//	source.port, destination.port  network-traffic: src_port, dst_port
//	source.bytes, destination.bytes     network-traffic: src_byte_count, dst_byte_count
//	source.packets, destination.packets network-traffic: src_packets, dst_packets
//	network.type, network.transport, network.protocol
//	                               network-traffic: protocols (lower case, in that order)
//	http.request.method, url.path, user_agent.original, url.domain
//	                               network-traffic: extensions.'http-request-ext'.
//	                               request_method (lower case), request_value,
//	                               request_header.'User-Agent', request_header.Host
//	                               (only with http.request.method and a network-traffic)
//	source.mac, destination.mac, host.mac (string or array)
//	                               mac-addr: value (lower case, colon-separated)
//	source.domain, destination.domain, url.domain, dns.question.name
//	                               domain-name: value
//	dns.resolved_ip (array)        ipv4-addr/ipv6-addr, and the dns.question.name
//	                               domain-name's resolves_to_refs
//	host.ip (string or array)      ipv4-addr or ipv6-addr: value
//	url.full, url.original         url: value
//	file.hash.md5, .sha1, .sha256, .sha384, .sha512, .ssdeep, .tlsh
//	                               file: hashes.'MD5', 'SHA-1', 'SHA-256', 'SHA-384',
//	                               'SHA-512', 'SSDEEP', 'TLSH'
//	file.name, file.size, file.mime_type
//	                               file: name, size, mime_type
//	file.path                      file: name (when file.name is absent) and
//	                               parent_directory_ref -> directory: path
//	file.directory                 directory: path (wins over the one of file.path)
//	process.pid, process.command_line, process.working_directory
//	                               process: pid, command_line, cwd
//	process.name                   process: name (the STIX 2.0 property) and the
//	                               image file's name when process.executable is absent
//	process.executable             process: image_ref -> file: name, parent_directory_ref
//	process.hash.*                 the image file's hashes (as file.hash.*)
//	process.parent.*               a second process, the first one's parent_ref
//	email.from.address, email.sender.address
//	                               email-addr: value, and email-message: from_ref, sender_ref
//	email.to.address, email.cc.address, email.bcc.address (string or array)
//	                               email-addr: value, and email-message: to_refs,
//	                               cc_refs, bcc_refs
//	email.subject, email.message_id
//	                               email-message: subject, message_id (is_multipart false)
//	user.name, user.id, user.full_name
//	                               user-account: account_login, user_id, display_name
//	user.email                     email-addr: value, belongs_to_ref the user-account
//	registry.hive + registry.key, or registry.key, or registry.path minus
//	registry.value                 windows-registry-key: key (HKLM, HKCU, HKU, HKCR,
//	                               HKCC expanded to HKEY_LOCAL_MACHINE, ...)
//	registry.value, registry.data.strings[0], registry.data.type
//	                               windows-registry-key: values[0].name, data, data_type
//	tls.server.x509.*, tls.client.x509.*
//	                               x509-certificate: serial_number,
//	                               issuer (issuer.distinguished_name),
//	                               subject (subject.distinguished_name),
//	                               validity_not_before (not_before),
//	                               validity_not_after (not_after), signature_algorithm,
//	                               subject_public_key_algorithm (public_key_algorithm),
//	                               version (version_number)
//	tls.server.hash.*, tls.client.hash.*
//	                               x509-certificate: hashes (as file.hash.*)
//	@timestamp                     first_observed and last_observed
//	event.start, event.end         first_observed, last_observed (win over @timestamp)
//	event.count                    number_observed (default 1)
//
// Without any timestamp field, first_observed and last_observed are the zero
// time; patterns with START/STOP qualifiers then do not match.
func ParseECS(data []byte) (*Observation, error) {
	if f, groups, ok := ecsFastFlatten(data); ok {
		return observationFromFields(f, groups)
	}
	v, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errNotObject
	}
	return ObservationFromECS(m)
}
