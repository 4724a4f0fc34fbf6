package stix

import (
	"net/netip"
	"regexp"
	"strings"
)

// The 18 STIX Cyber-observable Objects of section 6 (the successors of
// CybOX), with their predefined extensions and ID contributing properties.

var scoTypes = map[string]*typeDef{
	"artifact": {props: props{
		"mime_type":            opt(tString),
		"payload_bin":          opt(tBinary),
		"url":                  opt(tURL),
		"hashes":               opt(tHashes),
		"encryption_algorithm": opt(tEnum(encryptionAlgorithmEnum...)),
		"decryption_key":       opt(tString),
	}, idContrib: []string{"hashes", "payload_bin"},
		rules: []rule{notBoth("payload_bin", "url"), artifactRule}},
	"autonomous-system": {props: props{
		"number": req(tInteger(0, 4294967295)),
		"name":   opt(tString),
		"rir":    opt(tString),
	}, idContrib: []string{"number"}},
	"directory": {props: props{
		"path":          req(tString),
		"path_enc":      opt(tString),
		"ctime":         opt(tTimestamp),
		"mtime":         opt(tTimestamp),
		"atime":         opt(tTimestamp),
		"contains_refs": opt(tRefs("file", "directory")),
	}, idContrib: []string{"path"}},
	"domain-name": {props: props{
		"value":            req(tString),
		"resolves_to_refs": opt(tRefs("ipv4-addr", "ipv6-addr", "domain-name")),
	}, idContrib: []string{"value"}},
	"email-addr": {props: props{
		"value":          req(tString),
		"display_name":   opt(tString),
		"belongs_to_ref": opt(tRef("user-account")),
	}, idContrib: []string{"value"}},
	"email-message": {props: props{
		"is_multipart":             req(tBool),
		"date":                     opt(tTimestamp),
		"content_type":             opt(tString),
		"from_ref":                 opt(tRef("email-addr")),
		"sender_ref":               opt(tRef("email-addr")),
		"to_refs":                  opt(tRefs("email-addr")),
		"cc_refs":                  opt(tRefs("email-addr")),
		"bcc_refs":                 opt(tRefs("email-addr")),
		"message_id":               opt(tString),
		"subject":                  opt(tString),
		"received_lines":           opt(tStrings),
		"additional_header_fields": opt(tDict(tAny)),
		"body":                     opt(tString),
		"body_multipart":           opt(tList(tObject(mimePart))),
		"raw_email_ref":            opt(tRef("artifact")),
	}, idContrib: []string{"from_ref", "subject", "body"}, rules: []rule{emailRule}},
	"file": {props: props{
		"hashes":               opt(tHashes),
		"size":                 opt(tNonNegInt),
		"name":                 opt(tString),
		"name_enc":             opt(tString),
		"magic_number_hex":     opt(tHex),
		"mime_type":            opt(tString),
		"ctime":                opt(tTimestamp),
		"mtime":                opt(tTimestamp),
		"atime":                opt(tTimestamp),
		"parent_directory_ref": opt(tRef("directory")),
		"contains_refs":        opt(tRefs(anySCO)),
		"content_ref":          opt(tRef("artifact")),
	}, idContrib: []string{"hashes", "name", "extensions", "parent_directory_ref"},
		rules: []rule{anyOf("hashes", "name")},
		extensions: map[string]props{
			"archive-ext": {
				"contains_refs": req(tRefs("file", "directory")),
				"comment":       opt(tString),
			},
			"ntfs-ext": {
				"sid":                    opt(tString),
				"alternate_data_streams": opt(tList(tObject(alternateDataStream))),
			},
			"pdf-ext": {
				"version":            opt(tString),
				"is_optimized":       opt(tBool),
				"document_info_dict": opt(tDict(tString)),
				"pdfid0":             opt(tString),
				"pdfid1":             opt(tString),
			},
			"raster-image-ext": {
				"image_height":   opt(tNonNegInt),
				"image_width":    opt(tNonNegInt),
				"bits_per_pixel": opt(tNonNegInt),
				"exif_tags":      opt(tDict(tAny)),
			},
			"windows-pebinary-ext": {
				"pe_type":                     req(tVocab("windows-pebinary-type-ov")),
				"imphash":                     opt(tString),
				"machine_hex":                 opt(tHex),
				"number_of_sections":          opt(tNonNegInt),
				"time_date_stamp":             opt(tTimestamp),
				"pointer_to_symbol_table_hex": opt(tHex),
				"number_of_symbols":           opt(tNonNegInt),
				"size_of_optional_header":     opt(tNonNegInt),
				"characteristics_hex":         opt(tHex),
				"file_header_hashes":          opt(tHashes),
				"optional_header":             opt(tObject(peOptionalHeader)),
				"sections":                    opt(tList(tObject(peSection))),
			},
		}},
	"ipv4-addr": {props: props{
		"value":            req(tIPv4),
		"resolves_to_refs": opt(tRefs("mac-addr")),
		"belongs_to_refs":  opt(tRefs("autonomous-system")),
	}, idContrib: []string{"value"}},
	"ipv6-addr": {props: props{
		"value":            req(tIPv6),
		"resolves_to_refs": opt(tRefs("mac-addr")),
		"belongs_to_refs":  opt(tRefs("autonomous-system")),
	}, idContrib: []string{"value"}},
	"mac-addr": {props: props{
		"value": req(tMAC),
	}, idContrib: []string{"value"}},
	"mutex": {props: props{
		"name": req(tString),
	}, idContrib: []string{"name"}},
	"network-traffic": {props: props{
		"start":               opt(tTimestamp),
		"end":                 opt(tTimestamp),
		"is_active":           opt(tBool),
		"src_ref":             opt(tRef("ipv4-addr", "ipv6-addr", "mac-addr", "domain-name")),
		"dst_ref":             opt(tRef("ipv4-addr", "ipv6-addr", "mac-addr", "domain-name")),
		"src_port":            opt(tInteger(0, 65535)),
		"dst_port":            opt(tInteger(0, 65535)),
		"protocols":           req(tStrings),
		"src_byte_count":      opt(tNonNegInt),
		"dst_byte_count":      opt(tNonNegInt),
		"src_packets":         opt(tNonNegInt),
		"dst_packets":         opt(tNonNegInt),
		"ipfix":               opt(tDict(tAny)),
		"src_payload_ref":     opt(tRef("artifact")),
		"dst_payload_ref":     opt(tRef("artifact")),
		"encapsulates_refs":   opt(tRefs("network-traffic")),
		"encapsulated_by_ref": opt(tRef("network-traffic")),
	}, idContrib: []string{"start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"},
		rules: []rule{anyOf("src_ref", "dst_ref"), notBefore("end", "start"), networkTrafficRule},
		extensions: map[string]props{
			"http-request-ext": {
				"request_method":        req(tString),
				"request_value":         req(tString),
				"request_version":       opt(tString),
				"request_header":        opt(tDict(tAny)),
				"message_body_length":   opt(tNonNegInt),
				"message_body_data_ref": opt(tRef("artifact")),
			},
			"icmp-ext": {
				"icmp_type_hex": req(tHex),
				"icmp_code_hex": req(tHex),
			},
			"socket-ext": {
				"address_family":    req(tEnum(socketAddressFamilyEnum...)),
				"is_blocking":       opt(tBool),
				"is_listening":      opt(tBool),
				"options":           opt(tDict(tAny)),
				"socket_type":       opt(tEnum(socketTypeEnum...)),
				"socket_descriptor": opt(tNonNegInt),
				"socket_handle":     opt(tInteger(-1<<63, 1<<63-1)),
			},
			"tcp-ext": {
				"src_flags_hex": opt(tHex),
				"dst_flags_hex": opt(tHex),
			},
		}},
	"process": {props: props{
		"is_hidden":              opt(tBool),
		"pid":                    opt(tInteger(-1<<63, 1<<63-1)),
		"created_time":           opt(tTimestamp),
		"cwd":                    opt(tString),
		"command_line":           opt(tString),
		"environment_variables":  opt(tDict(tString)),
		"opened_connection_refs": opt(tRefs("network-traffic")),
		"creator_user_ref":       opt(tRef("user-account")),
		"image_ref":              opt(tRef("file")),
		"parent_ref":             opt(tRef("process")),
		"child_refs":             opt(tRefs("process")),
	}, rules: []rule{atLeastOneOwn},
		extensions: map[string]props{
			"windows-process-ext": {
				"aslr_enabled":    opt(tBool),
				"dep_enabled":     opt(tBool),
				"priority":        opt(tString),
				"owner_sid":       opt(tString),
				"window_title":    opt(tString),
				"startup_info":    opt(tDict(tAny)),
				"integrity_level": opt(tEnum(integrityLevelEnum...)),
			},
			"windows-service-ext": {
				"service_name":     opt(tString),
				"descriptions":     opt(tStrings),
				"display_name":     opt(tString),
				"group_name":       opt(tString),
				"start_type":       opt(tEnum(serviceStartTypeEnum...)),
				"service_dll_refs": opt(tRefs("file")),
				"service_type":     opt(tEnum(serviceTypeEnum...)),
				"service_status":   opt(tEnum(serviceStatusEnum...)),
			},
		}},
	"software": {props: props{
		"name":      req(tString),
		"cpe":       opt(tString),
		"swid":      opt(tString),
		"languages": opt(tStrings),
		"vendor":    opt(tString),
		"version":   opt(tString),
	}, idContrib: []string{"name", "cpe", "swid", "vendor", "version"}},
	"url": {props: props{
		"value": req(tString),
	}, idContrib: []string{"value"}},
	"user-account": {props: props{
		"user_id":                 opt(tString),
		"credential":              opt(tString),
		"account_login":           opt(tString),
		"account_type":            opt(tVocab("account-type-ov")),
		"display_name":            opt(tString),
		"is_service_account":      opt(tBool),
		"is_privileged":           opt(tBool),
		"can_escalate_privs":      opt(tBool),
		"is_disabled":             opt(tBool),
		"account_created":         opt(tTimestamp),
		"account_expires":         opt(tTimestamp),
		"credential_last_changed": opt(tTimestamp),
		"account_first_login":     opt(tTimestamp),
		"account_last_login":      opt(tTimestamp),
	}, idContrib: []string{"account_type", "user_id", "account_login"},
		extensions: map[string]props{
			"unix-account-ext": {
				"gid":      opt(tInteger(-1<<63, 1<<63-1)),
				"groups":   opt(tStrings),
				"home_dir": opt(tString),
				"shell":    opt(tString),
			},
		}},
	"windows-registry-key": {props: props{
		"key":               opt(tString),
		"values":            opt(tList(tObject(registryValue))),
		"modified_time":     opt(tTimestamp),
		"creator_user_ref":  opt(tRef("user-account")),
		"number_of_subkeys": opt(tNonNegInt),
	}, idContrib: []string{"key", "values"}},
	"x509-certificate": {props: props{
		"is_self_signed":               opt(tBool),
		"hashes":                       opt(tHashes),
		"version":                      opt(tString),
		"serial_number":                opt(tString),
		"signature_algorithm":          opt(tString),
		"issuer":                       opt(tString),
		"validity_not_before":          opt(tTimestamp),
		"validity_not_after":           opt(tTimestamp),
		"subject":                      opt(tString),
		"subject_public_key_algorithm": opt(tString),
		"subject_public_key_modulus":   opt(tString),
		"subject_public_key_exponent":  opt(tNonNegInt),
		"x509_v3_extensions":           opt(tObject(x509V3Extensions)),
	}, idContrib: []string{"hashes", "serial_number"},
		rules: []rule{atLeastOneOwn, notBefore("validity_not_after", "validity_not_before")}},
}

var mimePart = props{
	"body":                opt(tString),
	"body_raw_ref":        opt(tRef("artifact", "file")),
	"content_type":        opt(tString),
	"content_disposition": opt(tString),
}

var alternateDataStream = props{
	"name":   req(tString),
	"hashes": opt(tHashes),
	"size":   opt(tNonNegInt),
}

var peOptionalHeader = props{
	"magic_hex": opt(tHex), "major_linker_version": opt(tNonNegInt), "minor_linker_version": opt(tNonNegInt),
	"size_of_code": opt(tNonNegInt), "size_of_initialized_data": opt(tNonNegInt), "size_of_uninitialized_data": opt(tNonNegInt),
	"address_of_entry_point": opt(tNonNegInt), "base_of_code": opt(tNonNegInt), "base_of_data": opt(tNonNegInt),
	"image_base": opt(tNonNegInt), "section_alignment": opt(tNonNegInt), "file_alignment": opt(tNonNegInt),
	"major_os_version": opt(tNonNegInt), "minor_os_version": opt(tNonNegInt), "major_image_version": opt(tNonNegInt),
	"minor_image_version": opt(tNonNegInt), "major_subsystem_version": opt(tNonNegInt), "minor_subsystem_version": opt(tNonNegInt),
	"win32_version_value_hex": opt(tHex), "size_of_image": opt(tNonNegInt), "size_of_headers": opt(tNonNegInt),
	"checksum_hex": opt(tHex), "subsystem_hex": opt(tHex), "dll_characteristics_hex": opt(tHex),
	"size_of_stack_reserve": opt(tNonNegInt), "size_of_stack_commit": opt(tNonNegInt), "size_of_heap_reserve": opt(tNonNegInt),
	"size_of_heap_commit": opt(tNonNegInt), "loader_flags_hex": opt(tHex), "number_of_rva_and_sizes": opt(tNonNegInt),
	"hashes": opt(tHashes),
}

var peSection = props{
	"name":    req(tString),
	"size":    opt(tNonNegInt),
	"entropy": opt(tFloat(0, 8)),
	"hashes":  opt(tHashes),
}

var registryValue = props{
	"name":      opt(tString),
	"data":      opt(tString),
	"data_type": opt(tEnum(registryDatatypeEnum...)),
}

var x509V3Extensions = props{
	"basic_constraints": opt(tString), "name_constraints": opt(tString), "policy_constraints": opt(tString),
	"key_usage": opt(tString), "extended_key_usage": opt(tString), "subject_key_identifier": opt(tString),
	"authority_key_identifier": opt(tString), "subject_alternative_name": opt(tString),
	"issuer_alternative_name": opt(tString), "subject_directory_attributes": opt(tString),
	"crl_distribution_points": opt(tString), "inhibit_any_policy": opt(tString),
	"private_key_usage_period_not_before": opt(tTimestamp), "private_key_usage_period_not_after": opt(tTimestamp),
	"certificate_policies": opt(tString), "policy_mappings": opt(tString),
}

func artifactRule(c *checker, m map[string]any) {
	_, bin := m["payload_bin"]
	_, u := m["url"]
	_, h := m["hashes"]
	if !bin && !u {
		c.errorf("", "an artifact needs one of payload_bin or url (section 6.1)")
	}
	if u && !h {
		c.errorf("hashes", "is required when url is present (section 6.1)")
	}
	if _, key := m["decryption_key"]; key {
		if _, alg := m["encryption_algorithm"]; !alg {
			c.errorf("decryption_key", "must not be present without encryption_algorithm (section 6.1)")
		}
	}
}

func emailRule(c *checker, m map[string]any) {
	switch m["is_multipart"] {
	case true:
		if _, ok := m["body"]; ok {
			c.errorf("body", "must not be present when is_multipart is true: use body_multipart (section 6.6)")
		}
	case false:
		if _, ok := m["body_multipart"]; ok {
			c.errorf("body_multipart", "must not be present when is_multipart is false (section 6.6)")
		}
	}
}

func networkTrafficRule(c *checker, m map[string]any) {
	if m["is_active"] == true {
		if _, ok := m["end"]; ok {
			c.errorf("end", "must not be present when is_active is true (section 6.12)")
		}
	}
	if ps, ok := m["protocols"].([]any); ok {
		for i, p := range ps {
			if s, ok := p.(string); ok && s != strings.ToLower(s) {
				c.warnf(at("protocols", i), "protocol names should be lowercase (section 6.12)")
			}
		}
	}
}

// atLeastOneOwn requires at least one property beyond the common ones
// (process, section 6.11; x509-certificate, section 6.18), counting
// extensions.
func atLeastOneOwn(c *checker, m map[string]any) {
	for k := range m {
		if _, common := scoCommon[k]; !common || k == "extensions" {
			return
		}
	}
	c.errorf("", "this object must have at least one property of its own besides the common ones")
}

func tIPv4(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "an IPv4 address string", v)
		return
	}
	if p, err := netip.ParsePrefix(s); err == nil && p.Addr().Is4() {
		return
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
		return
	}
	c.errorf(path, "%s is not an IPv4 address or CIDR block", quote(s))
}

func tIPv6(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "an IPv6 address string", v)
		return
	}
	if p, err := netip.ParsePrefix(s); err == nil && p.Addr().Is6() {
		return
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Is6() {
		return
	}
	c.errorf(path, "%s is not an IPv6 address or CIDR block", quote(s))
}

var macRe = regexp.MustCompile(`^([0-9a-f]{2}:){5}[0-9a-f]{2}$`)

func tMAC(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "a MAC address string", v)
		return
	}
	if !macRe.MatchString(s) {
		c.errorf(path, "%s must be a MAC-48 address in lowercase colon-delimited form, such as d2:fb:49:24:37:18 (section 6.9)", quote(s))
	}
}
