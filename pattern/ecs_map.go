package pattern

import (
	"net/netip"
	"strings"
)

// ecsEndpoint holds the field names of one ECS endpoint (source,
// destination, client, server), built once.
type ecsEndpoint struct {
	ip, address, port, bytes, packets, mac, domain string
}

func newECSEndpoint(prefix string) ecsEndpoint {
	return ecsEndpoint{
		ip: prefix + ".ip", address: prefix + ".address", port: prefix + ".port",
		bytes: prefix + ".bytes", packets: prefix + ".packets", mac: prefix + ".mac",
		domain: prefix + ".domain",
	}
}

// ecsSides are the two ends of network-traffic: source (or, for what
// source lacks, client) and destination (or server).
var ecsSides = []struct {
	stix string
	ends [2]ecsEndpoint
}{
	{"src", [2]ecsEndpoint{newECSEndpoint("source"), newECSEndpoint("client")}},
	{"dst", [2]ecsEndpoint{newECSEndpoint("destination"), newECSEndpoint("server")}},
}

// ecsNetwork maps source.*, destination.*, client.*, server.* and
// network.* to address SCOs and one network-traffic.
func ecsNetwork(f ecsFields, b *scoBuilder) error {
	nt := map[string]any{"type": "network-traffic"}
	used := false
	for _, side := range ecsSides {
		for _, e := range side.ends {
			if err := ecsEndpointFields(f, b, e, side.stix, nt, &used); err != nil {
				return err
			}
		}
	}
	var protocols []any
	for _, name := range []string{"network.type", "network.transport", "network.protocol"} {
		s, ok, err := f.str(name)
		if err != nil {
			return err
		}
		if ok {
			protocols = append(protocols, strings.ToLower(s))
		}
	}
	if len(protocols) > 0 {
		nt["protocols"] = protocols
		used = true
	}
	if err := ecsHTTP(f, nt); err != nil {
		return err
	}
	if used {
		b.add(nt)
	}
	return nil
}

// ecsEndpointFields maps one endpoint's fields, filling only the
// network-traffic properties an earlier endpoint of the same side left
// unset. An address that is not an IP address is a domain name.
func ecsEndpointFields(f ecsFields, b *scoBuilder, e ecsEndpoint, stix string, nt map[string]any, used *bool) error {
	ref := stix + "_ref"
	if s, ok, err := f.str(e.ip); err != nil {
		return err
	} else if ok {
		k, err := b.ip(e.ip, s)
		if err != nil {
			return err
		}
		if _, set := nt[ref]; !set {
			nt[ref] = k
		}
		*used = true
	}
	if s, ok, err := f.str(e.address); err != nil {
		return err
	} else if ok {
		if _, perr := netip.ParseAddr(strings.TrimSpace(s)); perr == nil {
			k, _ := b.ip(e.address, s)
			if _, set := nt[ref]; !set {
				nt[ref] = k
			}
			*used = true
		} else {
			b.value("domain-name", s)
		}
	}
	for _, p := range [...]struct{ field, prop string }{
		{e.port, stix + "_port"}, {e.bytes, stix + "_byte_count"}, {e.packets, stix + "_packets"},
	} {
		n, ok, err := f.integer(p.field)
		if err != nil {
			return err
		}
		if _, set := nt[p.prop]; ok && !set {
			nt[p.prop] = n
			*used = true
		}
	}
	if s, ok, err := f.str(e.mac); err != nil {
		return err
	} else if ok {
		b.mac(s)
	}
	if s, ok, err := f.str(e.domain); err != nil {
		return err
	} else if ok {
		b.value("domain-name", s)
	}
	return nil
}

// ecsHTTP adds the http-request-ext extension to network-traffic for
// http.request.method, url.path and user_agent.original.
func ecsHTTP(f ecsFields, nt map[string]any) error {
	method, ok, err := f.str("http.request.method")
	if err != nil || !ok {
		return err
	}
	ext := map[string]any{"request_method": strings.ToLower(method)}
	if err := setStr(f, "url.path", ext, "request_value"); err != nil {
		return err
	}
	headers := map[string]any{}
	if err := setStr(f, "user_agent.original", headers, "User-Agent"); err != nil {
		return err
	}
	if err := setStr(f, "url.domain", headers, "Host"); err != nil {
		return err
	}
	if len(headers) > 0 {
		ext["request_header"] = headers
	}
	nt["extensions"] = map[string]any{"http-request-ext": ext}
	return nil
}

// ecsHost maps host.ip and host.mac.
func ecsHost(f ecsFields, b *scoBuilder) error {
	if _, err := b.ips(f, "host.ip"); err != nil {
		return err
	}
	macs, err := f.strs("host.mac")
	if err != nil {
		return err
	}
	for _, m := range macs {
		b.mac(m)
	}
	return nil
}

// ecsDNS maps dns.question.name and dns.resolved_ip.
func ecsDNS(f ecsFields, b *scoBuilder) error {
	name, ok, err := f.str("dns.question.name")
	if err != nil || !ok {
		return err
	}
	key := b.value("domain-name", name)
	resolved, err := b.ips(f, "dns.resolved_ip")
	if err != nil {
		return err
	}
	if len(resolved) > 0 {
		b.objs[key]["resolves_to_refs"] = resolved
	}
	return nil
}

// ecsURL maps url.full, url.original and url.domain.
func ecsURL(f ecsFields, b *scoBuilder) error {
	for _, name := range []string{"url.full", "url.original", "url.domain"} {
		s, ok, err := f.str(name)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if name == "url.domain" {
			b.value("domain-name", s)
		} else {
			b.value("url", s)
		}
	}
	return nil
}

// hashAlgorithms maps ECS hash field suffixes to STIX hash algorithm names
// (the hashing-algorithm-ov vocabulary).
var hashAlgorithms = []struct{ ecs, stix string }{
	{"md5", "MD5"}, {"sha1", "SHA-1"}, {"sha256", "SHA-256"}, {"sha512", "SHA-512"},
	{"sha384", "SHA-384"}, {"ssdeep", "SSDEEP"}, {"tlsh", "TLSH"},
}

// hashFieldNames holds, for each prefix that has hashes, the ECS field
// name of each algorithm ("file.hash.sha256"), so none is built per event.
var hashFieldNames = func() map[string][]string {
	m := map[string][]string{}
	for _, prefix := range []string{"file", "process", "process.parent", "tls.server", "tls.client"} {
		for _, a := range hashAlgorithms {
			m[prefix] = append(m[prefix], prefix+".hash."+a.ecs)
		}
	}
	return m
}()

// hashes reads PREFIX.hash.* into a STIX hashes dictionary; nil when there
// is none.
func hashes(f ecsFields, prefix string) (map[string]any, error) {
	var h map[string]any
	for i, name := range hashFieldNames[prefix] {
		s, ok, err := f.str(name)
		if err != nil {
			return nil, err
		}
		if ok {
			if h == nil {
				h = map[string]any{}
			}
			h[hashAlgorithms[i].stix] = s
		}
	}
	return h, nil
}

// splitPath splits a Windows or POSIX file path into directory and name.
func splitPath(p string) (dir, name string) {
	i := strings.LastIndexAny(p, `/\`)
	if i < 0 {
		return "", p
	}
	return p[:i], p[i+1:]
}

// fileObject builds a file SCO from PREFIX.{hash.*,name,size,path,directory,
// mime_type}; it returns "" when none of them is present.
func fileObject(f ecsFields, b *scoBuilder, prefix, fallbackName string) (string, error) {
	file := map[string]any{"type": "file"}
	h, err := hashes(f, prefix)
	if err != nil {
		return "", err
	}
	if len(h) > 0 {
		file["hashes"] = h
	}
	if err := setStr(f, prefix+".name", file, "name"); err != nil {
		return "", err
	}
	if err := setInt(f, prefix+".size", file, "size"); err != nil {
		return "", err
	}
	if err := setStr(f, prefix+".mime_type", file, "mime_type"); err != nil {
		return "", err
	}
	dir, ok, err := f.str(prefix + ".directory")
	if err != nil {
		return "", err
	}
	if path, ok2, err := f.str(prefix + ".path"); err != nil {
		return "", err
	} else if ok2 {
		d, n := splitPath(path)
		if _, has := file["name"]; !has && n != "" {
			file["name"] = n
		}
		if !ok && d != "" {
			dir, ok = d, true
		}
	}
	if _, has := file["name"]; !has && fallbackName != "" {
		file["name"] = fallbackName
	}
	if ok {
		file["parent_directory_ref"] = b.add(map[string]any{"type": "directory", "path": dir})
	}
	if len(file) == 1 {
		return "", nil
	}
	return b.add(file), nil
}

// ecsFile maps file.*.
func ecsFile(f ecsFields, b *scoBuilder) error {
	_, err := fileObject(f, b, "file", "")
	return err
}
