package misp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/isachub/isachub/convert"
)

const format = "misp"

// Convert reads MISP JSON from r: the {"Event": {...}} form, a JSON list of
// those, or the REST events/restSearch answer ({"response": [ {"Event":
// ...}, ... ]}), and sends each STIX 2.1 object it makes to sink. The
// report has Format "misp" and Input = input.
//
// It returns a *convert.FormatError when the input cannot be read as MISP
// JSON at all (not JSON, larger than MaxInput, nested deeper than MaxDepth,
// no Event), with the JSON path where reading stopped. Everything else it
// cannot convert exactly is an entry of the report, at its JSON path
// ($.Event.Attribute[3]). Given the same input and opts.Now, the objects
// are the same bytes in the same order. An error of sink stops the
// conversion and is returned.
func Convert(r io.Reader, input string, opts convert.Options, sink convert.Sink) (*convert.Report, error) {
	rep := convert.NewReport(input, format)
	data, err := readInput(r)
	if err != nil {
		return rep, err
	}
	root, err := decode(data)
	if err != nil {
		return rep, err
	}
	data = nil // the tree holds what is needed
	c := newConverter(opts, rep)
	events, err := c.events(root)
	if err != nil {
		return rep, err
	}
	for _, ev := range events {
		c.indexClusters(ev.m)
	}
	for _, ev := range events {
		c.event(ev.m, ev.path)
	}
	return rep, c.emit(sink)
}

// located is an event and its JSON path.
type located struct {
	m    map[string]any
	path string
}

// events finds the events of the three input shapes. An element of a list
// that holds no event is a report entry; an input without any event is a
// FormatError.
func (c *converter) events(root any) ([]located, error) {
	var list []any
	var base string
	switch v := root.(type) {
	case map[string]any:
		if ev, ok := v["Event"]; ok {
			m, ok := asObject(ev)
			if !ok {
				return nil, formatError("$.Event", errors.New("Event is "+kindOf(ev)+", not an object"))
			}
			return []located{{m, "$.Event"}}, nil
		}
		resp, ok := v["response"]
		if !ok {
			return nil, formatError("$", errors.New(`no MISP event: expected {"Event": {...}}, a list of those or {"response": [...]}`))
		}
		if list, ok = resp.([]any); !ok {
			return nil, formatError("$.response", errors.New("response is "+kindOf(resp)+", not a list of events"))
		}
		base = "$.response"
	case []any:
		list, base = v, "$"
	default:
		return nil, formatError("$", errors.New("no MISP event: the input is "+kindOf(root)))
	}
	var out []located
	firstBad := ""
	for i, e := range list {
		p := index(base, i)
		wrapper, _ := asObject(e)
		ev, has := wrapper["Event"]
		m, ok := asObject(ev)
		if !ok {
			why := "is " + kindOf(e) + ` without an "Event" object`
			if has {
				p, why = field(p, "Event"), "is "+kindOf(ev)+", not an object"
			}
			c.rep.Skip(p, "event", "not a MISP event: "+why)
			if firstBad == "" {
				firstBad = p
			}
			continue
		}
		out = append(out, located{m, field(p, "Event")})
	}
	if len(out) == 0 && firstBad != "" {
		return nil, formatError(firstBad, errors.New("no MISP event in the list"))
	}
	return out, nil
}

// converter holds the objects made so far, in the order made, one per id.
// They are all kept until the end (memory proportional to the input), so
// that an SCO or galaxy object that several attributes share is emitted
// once, with the strictest of their TLP markings.
type converter struct {
	opts     convert.Options
	rep      *convert.Report
	objs     []*object
	byID     map[string]*object
	keys     map[string]string // MISP uuids used so far, to the path of first use
	scoIDs   map[string]string // SCO content to its deterministic id
	clusters map[string]string // galaxy tag name (lower case) to its cluster's uuid
	buf      bytes.Buffer
}

func newConverter(opts convert.Options, rep *convert.Report) *converter {
	return &converter{
		opts: opts, rep: rep,
		byID:     map[string]*object{},
		keys:     map[string]string{},
		scoIDs:   map[string]string{},
		clusters: map[string]string{},
	}
}

// add keeps o, or merges it into the object of the same id made before,
// and returns the one kept.
func (c *converter) add(o *object) *object {
	if old, ok := c.byID[o.id]; ok {
		old.merge(o)
		return old
	}
	c.byID[o.id] = o
	c.objs = append(c.objs, o)
	return o
}

// emit sends every object to sink in the order made.
func (c *converter) emit(sink convert.Sink) error {
	for _, o := range c.objs {
		c.buf.Reset()
		o.marshal(&c.buf)
		if err := sink(json.RawMessage(bytes.Clone(c.buf.Bytes()))); err != nil {
			return err
		}
		c.rep.Objects++
	}
	return nil
}
