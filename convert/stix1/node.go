package stix1

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"strconv"
	"strings"
)

// node is one element of a top-level construct, decoded into a small tree
// (the package streams: only one construct is held at a time).
type node struct {
	space, local string
	attrs        []xml.Attr
	text         string
	kids         []*node
	parent       *node
	scope        *scope
	// base is the path of a construct's root element; children compute
	// theirs from it.
	base string
	used bool
}

// scope is the namespace declarations in force at an element, for the
// QNames inside attribute values (xsi:type) that encoding/xml does not
// resolve.
type scope struct {
	prefix map[string]string
	parent *scope
}

func (s *scope) lookup(prefix string) (string, bool) {
	for ; s != nil; s = s.parent {
		if uri, ok := s.prefix[prefix]; ok {
			return uri, true
		}
	}
	return "", false
}

// resolve splits a QName value such as "AddressObj:AddressObjectType" into
// its namespace URI and local name. An unprefixed name takes the default
// namespace, as XML Schema reads xsi:type.
func (s *scope) resolve(q string) (uri, local string, ok bool) {
	q = strings.TrimSpace(q)
	prefix, local, found := strings.Cut(q, ":")
	if !found {
		prefix, local = "", q
	}
	uri, ok = s.lookup(prefix)
	if !ok && prefix == "" {
		return "", local, local != ""
	}
	return uri, local, ok && local != ""
}

// is reports whether n is the element local in namespace space.
func (n *node) is(space, local string) bool {
	return n != nil && n.local == local && n.space == space
}

// attr returns the value of the unqualified attribute name, or "".
func (n *node) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// hasAttr reports whether the unqualified attribute is present.
func (n *node) hasAttr(name string) bool {
	for _, a := range n.attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return true
		}
	}
	return false
}

// xsiType returns the resolved xsi:type of n, and its text as written
// for the report.
func (n *node) xsiType() (uri, local, raw string) {
	if n == nil {
		return "", "", ""
	}
	for _, a := range n.attrs {
		if a.Name.Space == nsXSI && a.Name.Local == "type" {
			uri, local, _ = n.scope.resolve(a.Value)
			return uri, local, a.Value
		}
	}
	return "", "", ""
}

// kid returns the first child element with this local name in one of the
// STIX family namespaces, and marks it used.
func (n *node) kid(local string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.local == local && family(k.space) {
			k.used = true
			return k
		}
	}
	return nil
}

// all returns every child element with this local name in a STIX family
// namespace, and marks them used.
func (n *node) all(local string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.local == local && family(k.space) {
			k.used = true
			out = append(out, k)
		}
	}
	return out
}

// str returns the trimmed text of n, or "" for nil.
func (n *node) str() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.text)
}

// kidStr returns the trimmed text of the child local.
func (n *node) kidStr(local string) string { return n.kid(local).str() }

// strs returns the trimmed texts of every child local that has text.
func (n *node) strs(local string) []string {
	var out []string
	for _, k := range n.all(local) {
		if s := k.str(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// useAll marks n and everything below it used.
func (n *node) useAll() {
	n.used = true
	for _, k := range n.kids {
		k.useAll()
	}
}

// path returns the XPath-like location of n in the input, with the
// conventional prefixes and a position where siblings share the name.
func (n *node) path() string {
	if n.parent == nil {
		return n.base
	}
	pos, count := 0, 0
	for _, s := range n.parent.kids {
		if s.local == n.local && s.space == n.space {
			count++
			if s == n {
				pos = count
			}
		}
	}
	seg := qname(n.space, n.local)
	if count > 1 {
		seg += "[" + strconv.Itoa(pos) + "]"
	}
	return n.parent.path() + "/" + seg
}

// name returns the conventional qualified name of n.
func (n *node) name() string { return qname(n.space, n.local) }

// digest returns a short hash of the subtree, for identifiers of
// constructs that carry no id of their own.
func (n *node) digest() string {
	h := sha1.New()
	var walk func(*node)
	walk = func(m *node) {
		h.Write([]byte(m.space + "\x00" + m.local + "\x00"))
		for _, a := range m.attrs {
			h.Write([]byte(a.Name.Space + "\x00" + a.Name.Local + "\x00" + a.Value + "\x00"))
		}
		h.Write([]byte(strings.TrimSpace(m.text)))
		h.Write([]byte{1})
		for _, k := range m.kids {
			walk(k)
		}
		h.Write([]byte{2})
	}
	walk(n)
	return hex.EncodeToString(h.Sum(nil)[:10])
}
