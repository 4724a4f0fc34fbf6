package stix1

import "github.com/isachub/isachub/convert"

// rentry is one report entry held back: the report of a top-level
// observable's pattern is written only when an indicator uses it, and that
// of its observed-data only when the observed-data is sent.
type rentry struct {
	outcome   convert.Outcome
	path      string
	construct string
	reason    string
}

func (c *conv) entry(e rentry) {
	e.reason = c.intern(e.reason)
	if c.buf != nil {
		*c.buf = append(*c.buf, e)
		return
	}
	switch e.outcome {
	case convert.Converted:
		c.rep.Count(e.construct)
	case convert.Approximate:
		c.rep.Approx(e.path, e.construct, e.reason)
	default:
		c.rep.Skip(e.path, e.construct, e.reason)
	}
}

// count records that construct converted exactly.
func (c *conv) count(construct string) {
	c.entry(rentry{outcome: convert.Converted, construct: construct})
}

// approx records that the construct at path converted, losing what reason says.
func (c *conv) approx(path, construct, reason string) {
	c.entry(rentry{outcome: convert.Approximate, path: path, construct: construct, reason: reason})
}

// skip records that the construct at path was not converted, and why.
func (c *conv) skip(path, construct, reason string) {
	c.skips++
	c.entry(rentry{outcome: convert.NotConverted, path: path, construct: construct, reason: reason})
}

// collect runs fn with the report entries it makes held back, and returns
// them.
func (c *conv) collect(fn func()) []rentry {
	prev := c.buf
	var got []rentry
	c.buf = &got
	defer func() { c.buf = prev }()
	fn()
	return got
}

// replay writes held-back entries.
func (c *conv) replay(es []rentry) {
	for _, e := range es {
		c.entry(e)
	}
}

// rest reports every child of n that the conversion did not read.
func (c *conv) rest(n *node, construct string) {
	if n == nil {
		return
	}
	for _, k := range n.kids {
		if !k.used {
			c.skip(k.path(), construct, "STIX 1.x "+k.name()+" has no STIX 2.1 equivalent here; not converted")
		}
	}
}

// intern returns one copy of each reason, which many entries share in a
// large package (the same vocabulary value on every indicator).
func (c *conv) intern(s string) string {
	if s == "" {
		return s
	}
	if t, ok := c.reasons[s]; ok {
		return t
	}
	if len(c.reasons) < 1<<14 {
		c.reasons[s] = s
	}
	return s
}
