package misp

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A template joins the attributes of one MISP object of a known template
// (the MISP objects of github.com/MISP/misp-objects, keyed by their
// object_relation) into one observable. Relations first-seen and last-seen
// give the observation's times and text the description, in every
// template.
type template func(attrs []*attribute) templateResult

type templateResult struct {
	obs         *observable
	first, last time.Time
	text        []string
	lost        []lostRelation // attributes left out, approximate
	needs       string         // what the template needs, when obs is empty
}

type lostRelation struct{ path, reason string }

// templates are the MISP object templates that convert as one observable
// (misp-stix's mapping, documentation/misp_objects_to_stix21.md).
var templates = map[string]template{
	"file":               relations("file", "a filename or a hash", fileRelations, nil, "name", "hashes"),
	"domain-ip":          relations("domain-name", "a domain or hostname", domainIPRelations, nil, "value"),
	"ip-port":            relations("network-traffic", "an address or a port", ipPortRelations, nil),
	"url":                relations("url", "a url", urlRelations, urlRedundant, "value"),
	"email":              relations("email-message", "an e-mail field", emailRelations, nil),
	"network-connection": relations("network-traffic", "an address or a port", connectionRelations, nil),
	"registry-key":       relations("windows-registry-key", "a key, name or data", registryRelations, nil),
	"x509":               relations("x509-certificate", "a fingerprint, serial number, issuer or subject", x509Relations, nil),
}

// relation adds the value of one attribute to the observable: n counts
// the attributes of the same relation before it, has tells which relations
// the object holds.
type relation func(o *observable, v string, n int, has map[string]bool) error

// relations builds a template from a table of relations. redundant, when
// set, accepts relations the table lacks whose value the others already
// hold (the parts of a url). required, when given, are the root
// properties of which the SCO needs one (a domain-name needs its value).
func relations(root, needs string, table map[string]relation, redundant func(res *templateResult, a *attribute) bool, required ...string) template {
	return func(attrs []*attribute) templateResult {
		res := templateResult{obs: newObservable(root), needs: needs}
		has := map[string]bool{}
		for _, a := range attrs {
			has[a.relation] = true
		}
		count := map[string]int{}
		for _, a := range attrs {
			switch a.relation {
			case "first-seen", "last-seen":
				t, ok := parseTime(a.value)
				if !ok {
					res.lost = append(res.lost, lostRelation{a.path, "the " + a.relation + " " + quoteEntry(a.value) + " is not a time"})
				} else if a.relation == "first-seen" {
					res.first = t
				} else {
					res.last = t
				}
				continue
			case "text":
				if v := strings.TrimSpace(a.value); v != "" {
					res.text = appendNew(res.text, v)
				}
				continue
			}
			f := table[a.relation]
			if f == nil {
				if redundant == nil || !redundant(&res, a) {
					res.lost = append(res.lost, lostRelation{a.path, "the relation " + quoteEntry(a.relation) + " has no place in the STIX 2.1 " + root})
				}
				continue
			}
			if err := f(res.obs, a.value, count[a.relation], has); err != nil {
				res.lost = append(res.lost, lostRelation{field(a.path, "value"), err.Error()})
				continue
			}
			count[a.relation]++
		}
		if root == "x509-certificate" {
			res.dropInvertedValidity()
		}
		if len(res.obs.as) == 0 || !res.obs.hasRoot(required) {
			res.obs = nil
		}
		return res
	}
}

// hasRoot reports whether some assertion sets one of the root properties
// names (true when names is empty).
func (o *observable) hasRoot(names []string) bool {
	for _, a := range o.as {
		if slices.Contains(names, a.steps[0].name) {
			return true
		}
	}
	return len(names) == 0
}

// dropInvertedValidity leaves out a validity_not_after that is before a
// validity_not_before, which section 6.18 forbids.
func (res *templateResult) dropInvertedValidity() {
	var before []time.Time
	for _, a := range res.obs.as {
		if a.steps[0].name == "validity_not_before" {
			before = append(before, a.val.t)
		}
	}
	kept := res.obs.as[:0]
	for _, a := range res.obs.as {
		if a.steps[0].name == "validity_not_after" && slices.ContainsFunc(before, a.val.t.Before) {
			res.lost = append(res.lost, lostRelation{"", "validity-not-after " + stamp(a.val.t) + " is before validity-not-before: left out"})
			continue
		}
		kept = append(kept, a)
	}
	res.obs.as = kept
}

// set is a relation giving one string property.
func set(steps ...step) relation {
	return func(o *observable, v string, _ int, _ map[string]bool) error {
		if strings.TrimSpace(v) == "" {
			return errEmpty
		}
		o.add(str(v), steps...)
		return nil
	}
}

// setTime is a relation giving one timestamp property.
func setTime(steps ...step) relation {
	return func(o *observable, v string, _ int, _ map[string]bool) error {
		t, ok := parseTime(v)
		if !ok {
			return fmt.Errorf("%q is not a time", clip(v))
		}
		o.add(stampVal(t), steps...)
		return nil
	}
}

// setInt is a relation giving one non-negative integer property.
func setInt(steps ...step) relation {
	return func(o *observable, v string, _ int, _ map[string]bool) error {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("%q is not a non-negative integer", clip(v))
		}
		o.add(num(n), steps...)
		return nil
	}
}

func hashRelation(mispType string) relation {
	return func(o *observable, v string, _ int, _ map[string]bool) error {
		alg, h, err := hashValue(mispType, v)
		if err != nil {
			return err
		}
		o.add(str(h), key("hashes"), key(alg))
		return nil
	}
}

// address is a relation giving an IP address at the end of steps (whose
// last step's ref type it fills in).
func address(build func(typ string, n int) []step) relation {
	return func(o *observable, v string, n int, _ map[string]bool) error {
		val, typ, err := ipAddress(v)
		if err != nil {
			return err
		}
		o.add(val, append(build(typ, n), key("value"))...)
		return nil
	}
}

// unless applies r only when the object holds none of the relations
// others, and otherwise says why the value is left out.
func unless(r relation, why string, others ...string) relation {
	return func(o *observable, v string, n int, has map[string]bool) error {
		for _, x := range others {
			if has[x] {
				return fmt.Errorf("%q is left out: %s", clip(v), why)
			}
		}
		return r(o, v, n, has)
	}
}

var fileRelations = map[string]relation{
	"filename":      set(key("name")),
	"size-in-bytes": setInt(key("size")),
	"mimetype":      set(key("mime_type")),
	"path":          set(ref("parent_directory_ref", "directory"), key("path")),
}

func init() {
	for alg := range hashAlgorithms {
		fileRelations[alg] = hashRelation(alg)
	}
}

var domainIPRelations = map[string]relation{
	"domain":   set(key("value")),
	"hostname": set(key("value")),
	"ip": address(func(typ string, n int) []step {
		return []step{refs("resolves_to_refs", typ, n)}
	}),
}

var ipPortRelations = map[string]relation{
	"ip":       address(func(typ string, _ int) []step { return []step{ref("dst_ref", typ)} }),
	"ip-dst":   address(func(typ string, _ int) []step { return []step{ref("dst_ref", typ)} }),
	"ip-src":   address(func(typ string, _ int) []step { return []step{ref("src_ref", typ)} }),
	"dst-port": port("dst_port"),
	"src-port": port("src_port"),
	"domain": unless(set(ref("dst_ref", "domain-name"), key("value")),
		"the destination of an ip-port is its address", "ip", "ip-dst"),
	"hostname": unless(set(ref("dst_ref", "domain-name"), key("value")),
		"the destination of an ip-port is its address", "ip", "ip-dst", "domain"),
}

func port(name string) relation {
	return func(o *observable, v string, _ int, _ map[string]bool) error {
		p, err := parsePort(v)
		if err != nil {
			return err
		}
		o.add(num(p), key(name))
		return nil
	}
}

var urlRelations = map[string]relation{"url": set(key("value"))}

// urlRedundant accepts the parts of a url object (domain, port,
// resource_path, ...) that its url holds already.
func urlRedundant(res *templateResult, a *attribute) bool {
	v := strings.ToLower(strings.TrimSpace(a.value))
	for _, as := range res.obs.as {
		if v != "" && strings.Contains(strings.ToLower(as.val.s), v) {
			return true
		}
	}
	return false
}

var emailRelations = map[string]relation{
	"from":              set(ref("from_ref", "email-addr"), key("value")),
	"from-display-name": set(ref("from_ref", "email-addr"), key("display_name")),
	"to":                indexed("to_refs"),
	"to-display-name":   indexedName("to_refs"),
	"cc":                indexed("cc_refs"),
	"cc-display-name":   indexedName("cc_refs"),
	"bcc":               indexed("bcc_refs"),
	"bcc-display-name":  indexedName("bcc_refs"),
	"subject":           set(key("subject")),
	"message-id":        set(key("message_id")),
	"reply-to":          set(key("additional_header_fields"), key("Reply-To")),
	"return-path":       set(key("additional_header_fields"), key("Return-Path")),
	"x-mailer":          set(key("additional_header_fields"), key("X-Mailer")),
	"user-agent":        set(key("additional_header_fields"), key("User-Agent")),
	"send-date":         setTime(key("date")),
	"email-body": func(o *observable, v string, _ int, has map[string]bool) error {
		if has["attachment"] {
			// a multipart message carries its body as a part (section 6.6)
			o.add(str(v), elem("body_multipart", 0), key("body"))
			return nil
		}
		o.add(str(v), key("body"))
		return nil
	},
	"attachment": func(o *observable, v string, n int, has map[string]bool) error {
		if strings.TrimSpace(v) == "" {
			return errEmpty
		}
		if has["email-body"] {
			n++
		}
		attachment(o, n, v)
		return nil
	},
}

func indexed(list string) relation {
	return func(o *observable, v string, n int, _ map[string]bool) error {
		if strings.TrimSpace(v) == "" {
			return errEmpty
		}
		o.add(str(strings.TrimSpace(v)), refs(list, "email-addr", n), key("value"))
		return nil
	}
}

// indexedName gives the n-th display name to the n-th address of the
// list; a name without its address is left out.
func indexedName(list string) relation {
	addr := map[string]string{"to_refs": "to", "cc_refs": "cc", "bcc_refs": "bcc"}[list]
	return func(o *observable, v string, n int, has map[string]bool) error {
		if !has[addr] {
			return fmt.Errorf("%q is left out: a display name needs its address", clip(v))
		}
		o.add(str(v), refs(list, "email-addr", n), key("display_name"))
		return nil
	}
}

var connectionRelations = map[string]relation{
	"ip-src":   ipPortRelations["ip-src"],
	"ip-dst":   ipPortRelations["ip-dst"],
	"src-port": port("src_port"),
	"dst-port": port("dst_port"),
	"hostname-src": unless(set(ref("src_ref", "domain-name"), key("value")),
		"the source of the connection is its address", "ip-src"),
	"hostname-dst": unless(set(ref("dst_ref", "domain-name"), key("value")),
		"the destination of the connection is its address", "ip-dst"),
	"layer3-protocol":   protocol,
	"layer4-protocol":   protocol,
	"layer7-protocol":   protocol,
	"first-packet-seen": setTime(key("start")),
}

func protocol(o *observable, v string, _ int, _ map[string]bool) error {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return errEmpty
	}
	o.add(str(v), listOf("protocols"))
	return nil
}

// registryTypes maps MISP's registry value types to the STIX
// windows-registry-datatype-enum (section 6.17.1).
var registryTypes = map[string]string{
	"REG_NONE": "REG_NONE", "REG_SZ": "REG_SZ", "REG_EXPAND_SZ": "REG_EXPAND_SZ", "REG_BINARY": "REG_BINARY",
	"REG_DWORD": "REG_DWORD", "REG_DWORD_LITTLE_ENDIAN": "REG_DWORD_LITTLE_ENDIAN", "REG_DWORD_BIG_ENDIAN": "REG_DWORD_BIG_ENDIAN",
	"REG_LINK": "REG_LINK", "REG_MULTI_SZ": "REG_MULTI_SZ", "REG_RESOURCE_LIST": "REG_RESOURCE_LIST",
	"REG_FULL_RESOURCE_DESCRIPTOR": "REG_FULL_RESOURCE_DESCRIPTION", "REG_FULL_RESOURCE_DESCRIPTION": "REG_FULL_RESOURCE_DESCRIPTION",
	"REG_RESOURCE_REQUIREMENTS_LIST": "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD": "REG_QWORD",
	"REG_INVALID_TYPE": "REG_INVALID_TYPE",
}

var registryRelations = map[string]relation{
	"key": set(key("key")),
	"name": func(o *observable, v string, n int, _ map[string]bool) error {
		o.add(str(v), elem("values", n), key("name"))
		return nil
	},
	"data": func(o *observable, v string, n int, _ map[string]bool) error {
		o.add(str(v), elem("values", n), key("data"))
		return nil
	},
	"data-type": func(o *observable, v string, n int, _ map[string]bool) error {
		t, ok := registryTypes[strings.ToUpper(strings.TrimSpace(v))]
		if !ok {
			return fmt.Errorf("%q is not a registry value type of STIX 2.1", clip(v))
		}
		o.add(str(t), elem("values", n), key("data_type"))
		return nil
	},
	"last-modified": setTime(key("modified_time")),
}

var x509Relations = map[string]relation{
	"x509-fingerprint-md5":    hashRelation("md5"),
	"x509-fingerprint-sha1":   hashRelation("sha1"),
	"x509-fingerprint-sha256": hashRelation("sha256"),
	"serial-number":           set(key("serial_number")),
	"issuer":                  set(key("issuer")),
	"subject":                 set(key("subject")),
	"version":                 set(key("version")),
	"signature_algorithm":     set(key("signature_algorithm")),
	"pubkey-info-algorithm":   set(key("subject_public_key_algorithm")),
	"pubkey-info-modulus":     set(key("subject_public_key_modulus")),
	"pubkey-info-exponent":    setInt(key("subject_public_key_exponent")),
	"validity-not-before":     setTime(key("validity_not_before")),
	"validity-not-after":      setTime(key("validity_not_after")),
	"self_signed": func(o *observable, v string, _ int, _ map[string]bool) error {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not a boolean", clip(v))
		}
		o.add(boolean(b), key("is_self_signed"))
		return nil
	},
}
