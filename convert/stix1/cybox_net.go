package stix1

import (
	"strings"
)

// Network objects of CybOX 2.1: Address, DomainName, Hostname, URI, Link,
// AS, NetworkConnection, NetworkSocket and HTTPSession, and the
// SocketAddress and Port inside them.

// mapAddress reads an Address object (AddressObjectType).
func mapAddress(w *ow, p *node) {
	for _, a := range []string{"is_source", "is_destination", "is_spoofed"} {
		if p.hasAttr(a) {
			w.c.approx(p.path()+"/@"+a, w.o.construct, "the address attribute "+a+" has no STIX 2.1 equivalent outside network-traffic; not kept")
		}
	}
	address(w, p)
}

// address writes an address into w and sets w's type from its category:
// ipv4-addr, ipv6-addr (a CIDR block for the -net categories and cidr,
// tested with ISSUBSET in a pattern), email-addr, mac-addr, or
// autonomous-system for asn.
func address(w *ow, p *node) {
	cat := strings.ToLower(strings.TrimSpace(p.attr("category")))
	if cat == "" {
		cat = "ipv4-addr"
	}
	v := p.kid("Address_Value")
	defer w.rest(p)
	if v == nil {
		w.c.skip(p.path(), w.o.construct, "an address without Address_Value is not converted")
		return
	}
	val := v.str()
	switch cat {
	case "ipv4-addr", "ipv4-net", "ipv6-addr", "ipv6-net", "cidr":
		typ := "ipv4-addr"
		if strings.HasPrefix(cat, "ipv6") || (cat == "cidr" && strings.Contains(val, ":")) {
			typ = "ipv6-addr"
		}
		w.setType(typ)
		w.add("value", test{kind: kStr, val: v.text, n: v, cidr: true})
	case "e-mail":
		w.setType("email-addr")
		w.val("value", kStr, v)
	case "mac":
		w.setType("mac-addr")
		w.add("value", test{kind: kStr, val: strings.ReplaceAll(v.text, "-", ":"), n: v, lower: true})
	case "asn":
		w.setType("autonomous-system")
		num := strings.TrimPrefix(strings.TrimPrefix(val, "AS"), "as")
		w.add("number", test{kind: kInt, val: num, n: v})
	default:
		v.used = true
		w.c.skip(p.path(), w.o.construct, "the address category "+quoteText(cat)+" has no STIX 2.1 object; not converted")
	}
}

// mapDomainName reads a DomainName object: domain-name value.
func mapDomainName(w *ow, p *node) {
	w.setType("domain-name")
	if t := p.attr("type"); t != "" && t != "FQDN" {
		w.c.approx(p.path()+"/@type", w.o.construct, "a domain name of type "+quoteText(t)+" is read as a domain-name value")
	}
	w.val("value", kStr, p.kid("Value"))
	resolvesTo(w)
}

// mapHostname reads a Hostname object. STIX 2.1 has no hostname: the
// value is a domain-name.
func mapHostname(w *ow, p *node) {
	w.setType("domain-name")
	v := p.kid("Hostname_Value")
	if v != nil {
		w.c.approx(p.path(), w.o.construct, "STIX 2.1 has no hostname object; the hostname is a domain-name value")
	}
	w.val("value", kStr, v)
	resolvesTo(w)
}

// resolvesTo writes the addresses a domain name's Related_Objects say it
// resolved to (relationship Resolved_To) as resolves_to_refs.
func resolvesTo(w *ow) {
	if w.o.obj == nil {
		return
	}
	rel := w.o.obj.kid("Related_Objects")
	for _, r := range rel.all("Related_Object") {
		if !strings.EqualFold(strings.TrimSpace(vocabText(r.kid("Relationship"))), "Resolved_To") {
			continue
		}
		props := r.kid("Properties")
		if _, local, _ := props.xsiType(); local != "AddressObjectType" {
			continue
		}
		w.o.consumed[r] = true
		r.used = true
		sub := w.refs("resolves_to_refs", "", props)
		address(sub, props)
		if t := sub.typ(); t != "" && t != "ipv4-addr" && t != "ipv6-addr" {
			sub.setType("")
		}
	}
}

// mapURI reads a URI (or Link) object: url, or domain-name for type
// "Domain Name".
func mapURI(w *ow, p *node) {
	switch t := p.attr("type"); t {
	case "Domain Name":
		w.setType("domain-name")
	case "General URN":
		w.setType("url")
		w.c.approx(p.path()+"/@type", w.o.construct, "a General URN is read as a url value")
	default:
		w.setType("url")
	}
	w.val("value", kStr, p.kid("Value"))
}

// mapAS reads an AS object: autonomous-system number, name and rir.
func mapAS(w *ow, p *node) {
	w.setType("autonomous-system")
	if n := p.kid("Number"); n != nil {
		num := strings.TrimPrefix(strings.TrimPrefix(n.str(), "AS"), "as")
		w.add("number", test{kind: kInt, val: num, n: n})
	}
	w.val("name", kStr, p.kid("Name"))
	w.val("rir", kStr, p.kid("Regional_Internet_Registry"))
}

// mapNetworkConnection reads a NetworkConnection object: network-traffic
// with its protocols, source and destination.
func mapNetworkConnection(w *ow, p *node) {
	w.setType("network-traffic")
	w.val("start", kTime, p.kid("Creation_Time"))
	for _, l := range []string{"Layer3_Protocol", "Layer4_Protocol", "Layer7_Protocol"} {
		w.list("protocols", p.kid(l), "", true)
	}
	socketAddress(w, p.kid("Source_Socket_Address"), "src")
	socketAddress(w, p.kid("Destination_Socket_Address"), "dst")
	if l7 := p.kid("Layer7_Connections"); l7 != nil {
		if h := l7.kid("HTTP_Session"); h != nil {
			httpRequest(w, h)
			w.rest(h)
		}
		w.rest(l7)
	}
	trafficInstance(w)
}

// mapSocket reads a NetworkSocket object: network-traffic with the
// socket-ext extension.
func mapSocket(w *ow, p *node) {
	w.setType("network-traffic")
	ext := w.dict("extensions").dict("socket-ext")
	ext.val("address_family", kStr, p.kid("Address_Family"))
	ext.val("socket_type", kStr, p.kid("Type"))
	for _, a := range []string{"is_blocking", "is_listening"} {
		if p.hasAttr(a) {
			ext.add(a, test{kind: kBool, val: p.attr(a)})
		}
	}
	if pr := p.kid("Protocol"); pr != nil {
		w.list("protocols", pr, strings.TrimPrefix(strings.ToUpper(pr.str()), "IPPROTO_"), true)
	}
	socketAddress(w, p.kid("Local_Address"), "src")
	socketAddress(w, p.kid("Remote_Address"), "dst")
	if w.o.inst {
		exts, _ := w.m.get("extensions").(*jmap)
		if se, _ := exts.get("socket-ext").(*jmap); se != nil && se.get("address_family") == nil && len(se.keys) > 0 {
			exts.del("socket-ext")
			w.c.approx(p.path(), w.o.construct, "the socket-ext extension needs address_family, which the socket lacks; its other properties are dropped")
		}
	}
	trafficInstance(w)
}

// mapHTTPSession reads an HTTPSession object: network-traffic with the
// http-request-ext extension.
func mapHTTPSession(w *ow, p *node) {
	w.setType("network-traffic")
	httpRequest(w, p)
	if w.o.inst && w.m.get("src_ref") == nil && w.m.get("dst_ref") == nil {
		exts, _ := w.m.get("extensions").(*jmap)
		ext, _ := exts.get("http-request-ext").(*jmap)
		hdr, _ := ext.get("request_header").(*jmap)
		if host, _ := hdr.get("Host").(string); host != "" {
			if h, _, ok := strings.Cut(host, ":"); ok {
				host = h
			}
			d := w.ref("dst_ref", "domain-name", p)
			d.m.set("value", host)
			w.c.approx(p.path(), w.o.construct, "network-traffic needs an end point: the Host header is made its dst_ref")
		}
		if w.m.get("protocols") == nil {
			w.m.set("protocols", []any{"tcp", "http"})
			w.c.approx(p.path(), w.o.construct, "network-traffic needs protocols: an HTTP session is given tcp and http")
		}
	}
	trafficInstance(w)
}

// socketAddress writes a SocketAddress (IP_Address or Hostname, Port) as
// the src or dst end of network-traffic.
func socketAddress(w *ow, sa *node, dir string) {
	if sa == nil {
		return
	}
	ip, host := sa.kid("IP_Address"), sa.kid("Hostname")
	switch {
	case ip != nil:
		r := w.ref(dir+"_ref", "", ip)
		address(r, ip)
		if host != nil {
			host.useAll()
			w.c.skip(host.path(), w.o.construct, "network-traffic has one "+dir+"_ref: the IP address is kept, the hostname dropped")
		}
	case host != nil:
		r := w.ref(dir+"_ref", "domain-name", host)
		r.val("value", kStr, host.kid("Hostname_Value"))
		w.rest(host)
	}
	if port := sa.kid("Port"); port != nil {
		w.val(dir+"_port", kInt, port.kid("Port_Value"))
		if l4 := port.kid("Layer4_Protocol"); l4 != nil {
			w.list("protocols", l4, "", true)
		}
		w.rest(port)
	}
	w.rest(sa)
}

// trafficInstance completes network-traffic for observed data: protocols
// are required, and when the input names none the address type gives
// "ipv4" or "ipv6".
func trafficInstance(w *ow) {
	if !w.o.inst || w.m.get("protocols") != nil {
		return
	}
	for _, k := range []string{"src_ref", "dst_ref"} {
		if s, _ := w.m.get(k).(*sco); s != nil && (s.typ == "ipv4-addr" || s.typ == "ipv6-addr") {
			w.m.set("protocols", []any{strings.TrimSuffix(s.typ, "-addr")})
			w.c.approx(w.s.path, w.o.construct, "network-traffic needs protocols: the address type gives "+strings.TrimSuffix(s.typ, "-addr"))
			return
		}
	}
}

// httpRequest writes the client request of an HTTP session (the first
// HTTP_Request_Response) as the http-request-ext extension.
func httpRequest(w *ow, p *node) {
	rrs := p.all("HTTP_Request_Response")
	if len(rrs) == 0 {
		return
	}
	for _, extra := range rrs[1:] {
		extra.useAll()
		w.c.skip(extra.path(), w.o.construct, "network-traffic holds one http-request-ext: only the first request is converted")
	}
	rr := rrs[0]
	req := rr.kid("HTTP_Client_Request")
	ext := w.dict("extensions").dict("http-request-ext")
	if line := req.kid("HTTP_Request_Line"); line != nil {
		ext.val("request_method", kStr, line.kid("HTTP_Method"))
		ext.val("request_value", kStr, line.kid("Value"))
		ext.val("request_version", kStr, line.kid("Version"))
		w.rest(line)
	}
	if hdr := req.kid("HTTP_Request_Header"); hdr != nil {
		if ph := hdr.kid("Parsed_Header"); ph != nil {
			h := ext.dict("request_header")
			for _, k := range ph.kids {
				if !family(k.space) {
					continue
				}
				name := strings.ReplaceAll(k.local, "_", "-")
				if k.local == "Host" {
					dn := k.kid("Domain_Name").kid("Value")
					if dn == nil {
						continue
					}
					val := dn.text
					if port := k.kid("Port").kid("Port_Value"); port != nil {
						port.used = true
						val = strings.TrimSpace(val) + ":" + port.str()
					}
					k.useAll()
					h.add(name, test{kind: kStr, val: val, n: dn})
					continue
				}
				vn := textNode(k)
				if vn == nil || !keyRe.MatchString(name) {
					continue
				}
				k.useAll()
				h.val(name, kStr, vn)
			}
			w.rest(ph)
		}
		w.rest(hdr)
	}
	if body := req.kid("HTTP_Message_Body"); body != nil {
		ext.val("message_body_length", kInt, body.kid("Length"))
		w.rest(body)
	}
	w.rest(req)
	w.rest(rr)
	if w.o.inst {
		exts, _ := w.m.get("extensions").(*jmap)
		if e, _ := exts.get("http-request-ext").(*jmap); e != nil && len(e.keys) > 0 && (e.get("request_method") == nil || e.get("request_value") == nil) {
			exts.del("http-request-ext")
			w.c.approx(rr.path(), w.o.construct, "the http-request-ext extension needs request_method and request_value (HTTP_Request_Line); the request is dropped")
		}
	}
}

// textNode returns n when it holds text, else its first descendant that
// does (a parsed header holding an Address or URI object).
func textNode(n *node) *node {
	if len(n.kids) == 0 {
		if n.str() == "" {
			return nil
		}
		return n
	}
	for _, k := range n.kids {
		if t := textNode(k); t != nil {
			return t
		}
	}
	return nil
}
