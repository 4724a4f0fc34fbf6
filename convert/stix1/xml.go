package stix1

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/isachub/isachub/convert"
)

// limits bound what one conversion may read and hold. A test may lower
// them (export_test.go).
var limits = struct {
	input     int64 // bytes of input
	construct int64 // bytes of one top-level construct, and of one XML token
	depth     int   // element nesting
	nodes     int   // elements of one top-level construct
}{
	input:     512 << 20,
	construct: 64 << 20,
	depth:     256,
	nodes:     500_000,
}

// errTooLarge is what tree returns for a construct past the limits; the
// reader has skipped to its end and can go on.
var errTooLarge = errors.New("construct too large")

// limitReader counts what the decoder reads: it refuses input past
// limits.input, and a single XML token past limits.construct (the decoder
// holds a token whole, so this bounds its memory).
type limitReader struct {
	r     io.Reader
	n     int64
	token int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.token > limits.construct {
		return 0, fmt.Errorf("a single XML token is larger than %d MiB", limits.construct>>20)
	}
	if l.n >= limits.input {
		var one [1]byte
		for range 8 {
			k, err := l.r.Read(one[:])
			if k > 0 {
				return 0, fmt.Errorf("the input is larger than %d MiB", limits.input>>20)
			}
			if err != nil {
				return 0, err
			}
		}
		return 0, fmt.Errorf("the input is larger than %d MiB", limits.input>>20)
	}
	if rest := limits.input - l.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	k, err := l.r.Read(p)
	l.n += int64(k)
	l.token += int64(k)
	return k, err
}

// frame is one open element, for the path of an error.
type frame struct {
	seg    string
	counts map[string]int
}

// reader decodes the input token by token with encoding/xml in strict
// mode: namespaces resolved by URI, no DTD (a DOCTYPE is refused, so no
// entity is ever declared), bounded depth, size and token size.
type reader struct {
	d      *xml.Decoder
	lim    *limitReader
	depth  int
	scope  *scope
	scopes []*scope
	stack  []frame
}

func newReader(r io.Reader) *reader {
	lim := &limitReader{r: r}
	d := xml.NewDecoder(bufio.NewReaderSize(lim, 64<<10))
	d.Strict = true
	return &reader{d: d, lim: lim, stack: []frame{{}}}
}

// fail makes the FormatError of an input that cannot be read, at the
// element where reading stopped.
func (r *reader) fail(err error) error {
	return &convert.FormatError{Format: "stix1", Path: r.where(), Err: err}
}

// where returns the path of the innermost open element.
func (r *reader) where() string {
	var b strings.Builder
	for _, f := range r.stack[1:] {
		b.WriteString("/")
		b.WriteString(f.seg)
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// next returns the next token, keeping depth, namespace scopes and the
// path up to date. io.EOF is returned as is; every other error is a
// *convert.FormatError.
func (r *reader) next() (xml.Token, error) {
	r.lim.token = 0
	tok, err := r.d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, r.fail(err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		r.depth++
		if r.depth > limits.depth {
			return nil, r.fail(fmt.Errorf("elements nest deeper than %d levels", limits.depth))
		}
		r.scopes = append(r.scopes, r.scope)
		var decl map[string]string
		for _, a := range t.Attr {
			switch {
			case a.Name.Space == nsXMLNS:
				if decl == nil {
					decl = map[string]string{}
				}
				decl[a.Name.Local] = a.Value
			case a.Name.Space == "" && a.Name.Local == "xmlns":
				if decl == nil {
					decl = map[string]string{}
				}
				decl[""] = a.Value
			}
		}
		if decl != nil {
			r.scope = &scope{prefix: decl, parent: r.scope}
		}
		parent := &r.stack[len(r.stack)-1]
		seg := qname(t.Name.Space, t.Name.Local)
		if parent.counts == nil {
			parent.counts = map[string]int{}
		}
		parent.counts[seg]++
		if n := parent.counts[seg]; n > 1 {
			seg += "[" + strconv.Itoa(n) + "]"
		}
		r.stack = append(r.stack, frame{seg: seg})
	case xml.EndElement:
		r.depth--
		r.scope = r.scopes[len(r.scopes)-1]
		r.scopes = r.scopes[:len(r.scopes)-1]
		r.stack = r.stack[:len(r.stack)-1]
	case xml.Directive:
		return nil, r.fail(errors.New("a DOCTYPE or other DTD declaration is not accepted (no DTDs, no entities)"))
	}
	return tok, nil
}

// nextOrFail is next with an early end of input turned into an error.
func (r *reader) nextOrFail() (xml.Token, error) {
	tok, err := r.next()
	if err == io.EOF {
		return nil, r.fail(io.ErrUnexpectedEOF)
	}
	return tok, err
}

// root reads up to the root element and returns its start.
func (r *reader) root() (xml.StartElement, error) {
	for {
		tok, err := r.next()
		if err == io.EOF {
			return xml.StartElement{}, r.fail(errors.New("the input has no root element"))
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if strings.TrimSpace(strings.TrimPrefix(string(t), "\uFEFF")) != "" {
				return xml.StartElement{}, r.fail(errors.New("the input is not XML: text before the root element"))
			}
		}
	}
}

// end reads what follows the root element: only comments, processing
// instructions and white space may.
func (r *reader) end() error {
	for {
		tok, err := r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return r.fail(errors.New("a second element after the root element"))
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return r.fail(errors.New("text after the root element"))
			}
		}
	}
}

// children calls fn for the start of each child element of the element
// just opened, until it closes. fn must read the child to its end (tree,
// skip or children).
func (r *reader) children(fn func(xml.StartElement) error) error {
	d := r.depth
	for {
		tok, err := r.nextOrFail()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			if r.depth < d {
				return nil
			}
		}
	}
}

// skip reads the element just opened to its end.
func (r *reader) skip() error {
	d := r.depth
	for {
		tok, err := r.nextOrFail()
		if err != nil {
			return err
		}
		if _, ok := tok.(xml.EndElement); ok && r.depth < d {
			return nil
		}
	}
}

// tree decodes the element just opened, whose path is base, into a node
// tree. Past limits.construct bytes or limits.nodes elements it reads on to
// the end of the element without keeping it and returns errTooLarge.
func (r *reader) tree(start xml.StartElement, base string) (*node, error) {
	d := r.depth
	from := r.d.InputOffset()
	root := r.newNode(start, nil)
	root.base = base
	cur, count, tooBig := root, 1, false
	for {
		tok, err := r.nextOrFail()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if tooBig {
				continue
			}
			count++
			if count > limits.nodes || r.d.InputOffset()-from > limits.construct {
				tooBig = true
				continue
			}
			n := r.newNode(t, cur)
			cur.kids = append(cur.kids, n)
			cur = n
		case xml.EndElement:
			if r.depth < d {
				if tooBig {
					return nil, errTooLarge
				}
				return root, nil
			}
			if !tooBig {
				cur = cur.parent
			}
		case xml.CharData:
			if tooBig {
				continue
			}
			if r.d.InputOffset()-from > limits.construct {
				tooBig = true
				continue
			}
			if cur.text == "" {
				cur.text = string(t)
			} else {
				cur.text += string(t)
			}
		}
	}
}

func (r *reader) newNode(t xml.StartElement, parent *node) *node {
	n := &node{space: t.Name.Space, local: t.Name.Local, parent: parent, scope: r.scope}
	for _, a := range t.Attr {
		if a.Name.Space == nsXMLNS || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		n.attrs = append(n.attrs, a)
	}
	return n
}
