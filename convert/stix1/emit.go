package stix1

import (
	"fmt"
	"strings"

	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// maxWaiting bounds the bytes of objects that wait for a later part of the
// input (a kill chain definition, a TTP that an idref names before it is
// defined); past it the oldest is made with what is known.
const maxWaiting = 32 << 20

// draft is an object being made: its properties in the order they are
// written, some of which (kill_chain_phases, a pattern with idrefs,
// object_refs) may wait for what the input says later.
type draft struct {
	typ, id   string
	path      string // the 1.x construct, for the report
	construct string
	pkg       *pkgCtx
	props     []dprop
	onEmit    []func()
	size      int
	countAs   string // the construct counted converted once the object is sent
}

type dprop struct {
	key      string
	raw      []byte
	late     func(final bool) ([]byte, bool)
	required bool
}

func newDraft(typ, id, path, construct string, pkg *pkgCtx) *draft {
	return &draft{typ: typ, id: id, path: path, construct: construct, pkg: pkg}
}

// set adds a property with its JSON value.
func (d *draft) set(key string, raw []byte) {
	d.props = append(d.props, dprop{key: key, raw: raw})
	d.size += len(key) + len(raw) + 8
}

// str adds a string property unless v is empty.
func (d *draft) str(key, v string) {
	if v != "" {
		d.set(key, jstr(v))
	}
}

// strs adds a list of strings unless it is empty.
func (d *draft) strs(key string, v []string) {
	if len(v) > 0 {
		d.set(key, jstrs(v))
	}
}

// late adds a property whose value f gives once it is known: f returns
// ok false while it must wait, and must answer (with what it knows) when
// final. A nil value omits the property; a required one then stops the
// object.
func (d *draft) late(key string, required bool, f func(final bool) ([]byte, bool)) {
	d.props = append(d.props, dprop{key: key, late: f, required: required})
	d.size += 256
}

// render writes the object, or says it must wait (ready false), or names
// the required property it lacks.
func (d *draft) render(final bool) (raw []byte, ready bool, missing string) {
	var o jobj
	for _, p := range d.props {
		v := p.raw
		if p.late != nil {
			var ok bool
			v, ok = p.late(final)
			if !ok && !final {
				return nil, false, ""
			}
		}
		if v == nil {
			if p.required {
				return nil, true, p.key
			}
			continue
		}
		o.raw(p.key, v)
	}
	return o.bytes(), true, ""
}

// submit sends the draft now if nothing in it waits, else keeps it until
// it can be made.
func (c *conv) submit(d *draft) {
	if c.tryDraft(d, false) {
		return
	}
	c.wait(d.size, func(final bool) bool { return c.tryDraft(d, final) })
}

func (c *conv) tryDraft(d *draft, final bool) bool {
	raw, ready, missing := d.render(final)
	if !ready {
		return false
	}
	if missing != "" {
		c.skip(d.path, d.construct, fmt.Sprintf("no STIX 2.1 %s is made: it needs %s, which could not be made from the input", d.typ, missing))
		return true
	}
	if c.emit(raw, d.path, d.construct, d.pkg) {
		for _, f := range d.onEmit {
			f()
		}
		if d.countAs != "" {
			c.count(d.countAs)
		}
	}
	return true
}

// waiter is something that waits for a later part of the input.
type waiter struct {
	size int
	try  func(final bool) bool
}

func (c *conv) wait(size int, try func(final bool) bool) {
	c.waiters = append(c.waiters, &waiter{size: size, try: try})
	c.waiting += size
	for c.waiting > maxWaiting && len(c.waiters) > 0 {
		w := c.waiters[0]
		c.waiters = c.waiters[1:]
		c.waiting -= w.size
		w.try(true)
	}
}

// retry gives every waiter another go; final makes each with what is known.
func (c *conv) retry(final bool) {
	c.retryRels(final)
	if len(c.waiters) == 0 {
		return
	}
	ws := c.waiters
	c.waiters = nil
	c.waiting = 0
	var keep []*waiter
	for _, w := range ws {
		if !w.try(final) {
			keep = append(keep, w)
		}
	}
	// Waiters added while retrying (none today) go after those kept.
	c.waiters = append(keep, c.waiters...)
	for _, w := range c.waiters {
		c.waiting += w.size
	}
}

// emit checks one object with pattern.Validate, the hub's rule of what may
// be stored, and sends it unless an equal one (same id and modified) was
// sent before. It reports false when the object is not sent.
func (c *conv) emit(raw []byte, path, construct string, pkg *pkgCtx) bool {
	if c.err != nil {
		return false
	}
	o, err := stix.ParseObject(raw)
	if err != nil {
		c.skip(path, construct, "internal error, the object made is not JSON: "+err.Error())
		return false
	}
	if res := pattern.Validate(o); !res.Valid() {
		e := res.Errors[0]
		c.skip(path, construct, fmt.Sprintf("the STIX 2.1 %s made from it would not be valid (%s: %s); not converted", o.Type(), e.Path, e.Message))
		return false
	}
	return c.send(raw, o.ID(), o.Modified(), pkg)
}

// valid reports whether raw passes pattern.Validate, and reports it when
// not.
func (c *conv) valid(raw []byte, path, construct string) bool {
	o, err := stix.ParseObject(raw)
	if err != nil {
		c.skip(path, construct, "internal error, the object made is not JSON: "+err.Error())
		return false
	}
	if res := pattern.Validate(o); !res.Valid() {
		e := res.Errors[0]
		c.skip(path, construct, fmt.Sprintf("the STIX 2.1 %s made from it would not be valid (%s: %s); not converted", o.Type(), e.Path, e.Message))
		return false
	}
	return true
}

// send sends a valid object to the sink unless an equal one was sent.
func (c *conv) send(raw []byte, id, modified string, pkg *pkgCtx) bool {
	if c.err != nil {
		return false
	}
	k := sentKey(id, modified)
	if _, dup := c.emitted[k]; dup {
		return true
	}
	c.emitted[k] = struct{}{}
	if err := c.sink(raw); err != nil {
		c.err = err
		return false
	}
	c.rep.Objects++
	if !strings.HasPrefix(id, "marking-definition--") {
		for p := pkg; p != nil; p = p.parent {
			p.addRef(id, &c.refTypes)
		}
	}
	return true
}

// sentKey is the key of an object in the set of those sent: 64 bits of a
// hash of its id and modified, small enough for millions of objects.
func sentKey(id, modified string) uint64 { return hashKey(id + "\x00" + modified) }
