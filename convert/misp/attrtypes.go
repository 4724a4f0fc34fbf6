package misp

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/isachub/isachub/stix"
)

// observableTypes maps each MISP attribute type that describes something
// observable to the function that reads its value (the MISP core format's
// attribute types, draft-dulaunoy-misp-core-format section 2.3; the STIX
// side follows misp-stix's mapping where it has one). A composite type
// (ip-dst|port) joins its parts with "|".
var observableTypes = map[string]func(string) (*observable, error){
	"ip-src":        ipEnd("src"),
	"ip-dst":        ipEnd("dst"),
	"ip-src|port":   ipPort("src"),
	"ip-dst|port":   ipPort("dst"),
	"domain":        domain,
	"hostname":      domain,
	"domain|ip":     domainIP,
	"hostname|port": hostnamePort,
	"url":           urlValue,
	"uri":           urlValue,
	"link":          urlValue,
	"email":         emailAddr,
	"email-src":     emailRole("from"),
	"email-dst":     emailRole("to"),
	"email-subject": emailSubject,
	"email-attachment": func(v string) (*observable, error) {
		if v = strings.TrimSpace(v); v == "" {
			return nil, errEmpty
		}
		o := newObservable("email-message")
		attachment(o, 0, v)
		return o, nil
	},
	"filename":    filename,
	"mac-address": macAddress,
	"AS":          autonomousSystem,
	"user-agent": func(v string) (*observable, error) {
		return nonEmpty("network-traffic", v, key("extensions"), key("http-request-ext"), key("request_header"), key("User-Agent"))
	},
	"http-method": func(v string) (*observable, error) {
		return nonEmpty("network-traffic", strings.TrimSpace(v), key("extensions"), key("http-request-ext"), key("request_method"))
	},
	"port": func(v string) (*observable, error) {
		p, err := parsePort(v)
		if err != nil {
			return nil, err
		}
		o := newObservable("network-traffic")
		o.add(num(p), key("dst_port"))
		return o, nil
	},
	"mutex": func(v string) (*observable, error) { return nonEmpty("mutex", v, key("name")) },
	"regkey": func(v string) (*observable, error) {
		return nonEmpty("windows-registry-key", strings.TrimSpace(v), key("key"))
	},
	"regkey|value": func(v string) (*observable, error) {
		k, data, ok := strings.Cut(v, "|")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, errors.New(`the value is not "key|value"`)
		}
		o := newObservable("windows-registry-key")
		o.add(str(strings.TrimSpace(k)), key("key"))
		o.add(str(data), elem("values", 0), key("data"))
		return o, nil
	},
	"x509-fingerprint-md5":    x509Hash("md5"),
	"x509-fingerprint-sha1":   x509Hash("sha1"),
	"x509-fingerprint-sha256": x509Hash("sha256"),
}

func init() {
	for alg := range hashAlgorithms {
		observableTypes[alg] = fileHash(alg)
		observableTypes["filename|"+alg] = filenameHash(alg)
	}
}

var errEmpty = errors.New("the value is empty")

// nonEmpty is the observable of one non-empty string.
func nonEmpty(root, v string, steps ...step) (*observable, error) {
	if strings.TrimSpace(v) == "" {
		return nil, errEmpty
	}
	o := newObservable(root)
	o.add(str(v), steps...)
	return o, nil
}

// ipAddress reads an IP address or CIDR block: its canonical text, its SCO
// type, and whether it is a block (compared with ISSUBSET in patterns).
func ipAddress(v string) (value, string, error) {
	v = strings.TrimSpace(v)
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return value{}, "", fmt.Errorf("%q is not an IP address or CIDR block", clip(v))
		}
		val := str(p.String())
		val.subset = true
		return val, addrType(p.Addr()), nil
	}
	a, err := netip.ParseAddr(v)
	if err != nil || a.Zone() != "" {
		return value{}, "", fmt.Errorf("%q is not an IP address", clip(v))
	}
	return str(a.String()), addrType(a), nil
}

func addrType(a netip.Addr) string {
	if a.Is4() {
		return "ipv4-addr"
	}
	return "ipv6-addr"
}

// ipEnd is ip-src or ip-dst: one end of a network-traffic, as misp-stix
// maps it, so that the direction is kept.
func ipEnd(side string) func(string) (*observable, error) {
	return func(v string) (*observable, error) {
		val, typ, err := ipAddress(v)
		if err != nil {
			return nil, err
		}
		o := newObservable("network-traffic")
		o.add(val, ref(side+"_ref", typ), key("value"))
		return o, nil
	}
}

// ipPort is ip-src|port or ip-dst|port.
func ipPort(side string) func(string) (*observable, error) {
	return func(v string) (*observable, error) {
		i := strings.LastIndexByte(v, '|')
		if i < 0 {
			return nil, errors.New(`the value is not "address|port"`)
		}
		val, typ, err := ipAddress(v[:i])
		if err != nil {
			return nil, err
		}
		p, err := parsePort(v[i+1:])
		if err != nil {
			return nil, err
		}
		o := newObservable("network-traffic")
		o.add(val, ref(side+"_ref", typ), key("value"))
		o.add(num(p), key(side+"_port"))
		return o, nil
	}
}

func parsePort(v string) (int64, error) {
	v = strings.TrimSpace(v)
	p, err := strconv.ParseInt(v, 10, 64)
	if err != nil || p < 0 || p > 65535 || !isDigits(v) {
		return 0, fmt.Errorf("%q is not a port number (0-65535)", clip(v))
	}
	return p, nil
}

func domain(v string) (*observable, error) {
	return nonEmpty("domain-name", strings.TrimSpace(v), key("value"))
}

func domainIP(v string) (*observable, error) {
	d, ip, ok := strings.Cut(v, "|")
	if !ok || strings.TrimSpace(d) == "" {
		return nil, errors.New(`the value is not "domain|address"`)
	}
	val, typ, err := ipAddress(ip)
	if err != nil || val.subset {
		return nil, fmt.Errorf("%q is not an IP address", clip(ip))
	}
	o := newObservable("domain-name")
	o.add(str(strings.TrimSpace(d)), key("value"))
	o.add(val, refs("resolves_to_refs", typ, 0), key("value"))
	return o, nil
}

func hostnamePort(v string) (*observable, error) {
	i := strings.LastIndexByte(v, '|')
	if i < 0 || strings.TrimSpace(v[:i]) == "" {
		return nil, errors.New(`the value is not "hostname|port"`)
	}
	p, err := parsePort(v[i+1:])
	if err != nil {
		return nil, err
	}
	o := newObservable("network-traffic")
	o.add(str(strings.TrimSpace(v[:i])), ref("dst_ref", "domain-name"), key("value"))
	o.add(num(p), key("dst_port"))
	return o, nil
}

func urlValue(v string) (*observable, error) {
	return nonEmpty("url", strings.TrimSpace(v), key("value"))
}

func emailAddr(v string) (*observable, error) {
	return nonEmpty("email-addr", strings.TrimSpace(v), key("value"))
}

// emailRole is email-src (the message's from_ref) or email-dst (one of its
// to_refs).
func emailRole(role string) func(string) (*observable, error) {
	return func(v string) (*observable, error) {
		if v = strings.TrimSpace(v); v == "" {
			return nil, errEmpty
		}
		o := newObservable("email-message")
		if role == "from" {
			o.add(str(v), ref("from_ref", "email-addr"), key("value"))
		} else {
			o.add(str(v), refs("to_refs", "email-addr", 0), key("value"))
		}
		return o, nil
	}
}

func emailSubject(v string) (*observable, error) {
	if v == "" {
		return nil, errEmpty
	}
	o := newObservable("email-message")
	o.add(str(v), key("subject"))
	return o, nil
}

// attachment adds attachment i, a file named name, to an email-message
// (section 6.6: body_multipart with body_raw_ref).
func attachment(o *observable, i int, name string) {
	o.add(str(name), elem("body_multipart", i), ref("body_raw_ref", "file"), key("name"))
	disp := str(`attachment; filename="` + strings.ReplaceAll(name, `"`, `'`) + `"`)
	disp.scoOnly = true
	o.add(disp, elem("body_multipart", i), key("content_disposition"))
}

func filename(v string) (*observable, error) {
	return nonEmpty("file", v, key("name"))
}

// hashAlgorithms maps the MISP hash attribute types to their names in the
// STIX hash-algorithm-ov (section 10.6), with the hex length of those
// stix.CheckHash does not know.
var hashAlgorithms = map[string]struct {
	name   string
	hexLen int
}{
	"md5": {"MD5", 0}, "sha1": {"SHA-1", 0}, "sha224": {"SHA-224", 56}, "sha256": {"SHA-256", 0},
	"sha384": {"SHA-384", 96}, "sha512": {"SHA-512", 0}, "sha3-256": {"SHA3-256", 0},
	"sha3-512": {"SHA3-512", 0}, "ssdeep": {"SSDEEP", 0}, "tlsh": {"TLSH", 0},
}

// hashValue checks a hash of a MISP hash type and returns its STIX
// algorithm name and value (hex in lower case).
func hashValue(mispType, v string) (string, string, error) {
	alg, ok := hashAlgorithms[mispType]
	if !ok {
		return "", "", fmt.Errorf("%s is not a hash type", mispType)
	}
	v = strings.TrimSpace(v)
	if mispType != "ssdeep" && mispType != "tlsh" {
		v = strings.ToLower(v)
	}
	msg := stix.CheckHash(alg.name, v)
	if alg.hexLen > 0 && (len(v) != alg.hexLen || strings.Trim(v, "0123456789abcdef") != "") {
		msg = fmt.Sprintf("a %s hash must be exactly %d hex digits", alg.name, alg.hexLen)
	}
	if msg != "" || v == "" {
		return "", "", fmt.Errorf("%q is not a valid %s hash (%s)", clip(v), alg.name, msg)
	}
	return alg.name, v, nil
}

func fileHash(mispType string) func(string) (*observable, error) {
	return func(v string) (*observable, error) {
		alg, h, err := hashValue(mispType, v)
		if err != nil {
			return nil, err
		}
		o := newObservable("file")
		o.add(str(h), key("hashes"), key(alg))
		return o, nil
	}
}

// filenameHash is filename|md5 and its kin; the hash never holds a "|",
// so the name is everything before the last one.
func filenameHash(mispType string) func(string) (*observable, error) {
	return func(v string) (*observable, error) {
		i := strings.LastIndexByte(v, '|')
		if i <= 0 {
			return nil, fmt.Errorf(`the value is not "filename|%s"`, mispType)
		}
		alg, h, err := hashValue(mispType, v[i+1:])
		if err != nil {
			return nil, err
		}
		o := newObservable("file")
		o.add(str(v[:i]), key("name"))
		o.add(str(h), key("hashes"), key(alg))
		return o, nil
	}
}

func x509Hash(mispType string) func(string) (*observable, error) {
	return func(v string) (*observable, error) {
		alg, h, err := hashValue(mispType, v)
		if err != nil {
			return nil, err
		}
		o := newObservable("x509-certificate")
		o.add(str(h), key("hashes"), key(alg))
		return o, nil
	}
}

// macAddress reads a MAC-48 address with ':' or '-' between the octets,
// or none, and writes it as section 6.9 requires: lower case, colons.
func macAddress(v string) (*observable, error) {
	hex := strings.ToLower(strings.NewReplacer(":", "", "-", "", ".", "").Replace(strings.TrimSpace(v)))
	if len(hex) != 12 || strings.Trim(hex, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("%q is not a MAC-48 address", clip(v))
	}
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(hex[i : i+2])
	}
	o := newObservable("mac-addr")
	o.add(str(b.String()), key("value"))
	return o, nil
}

// autonomousSystem reads "AS174" or "174".
func autonomousSystem(v string) (*observable, error) {
	s := strings.TrimSpace(v)
	if len(s) > 2 && strings.EqualFold(s[:2], "AS") {
		s = strings.TrimSpace(s[2:])
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || !isDigits(s) {
		return nil, fmt.Errorf("%q is not an AS number", clip(v))
	}
	o := newObservable("autonomous-system")
	o.add(num(int64(n)), key("number"))
	return o, nil
}

// clip shortens a value quoted in a report entry.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}
