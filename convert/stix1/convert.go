package stix1

import (
	"errors"
	"fmt"
	"io"

	"github.com/isachub/isachub/convert"
)

// Convert reads a STIX 1.x package (stix:STIX_Package, possibly with
// nested Related_Packages) from r and sends each STIX 2.1 object it makes
// to sink. The report has Format "stix1" and Input = input.
//
// It returns a *convert.FormatError when the input cannot be read as STIX
// 1.x XML (not well-formed XML, a DTD, a root other than STIX_Package in
// the STIX 1.x namespace, past the size and depth limits), with the path
// where reading stopped; objects already sent to sink stay sent. An error
// of sink stops the conversion and is returned as is. The report is never
// nil.
func Convert(r io.Reader, input string, opts convert.Options, sink convert.Sink) (*convert.Report, error) {
	c := newConv(opts, sink, convert.NewReport(input, "stix1"))
	err := c.run(newReader(r))
	if c.err != nil && (err == nil || errors.Is(err, errStop)) {
		err = c.err
	}
	return c.rep, err
}

// conv is the state of one conversion.
type conv struct {
	opts convert.Options
	sink convert.Sink
	rep  *convert.Report
	now  string
	rd   *reader
	err  error // the sink's error, which stops the conversion

	buf *[]rentry // when set, report entries are collected, not written

	pkgs []*pkgCtx // every package, in the order they start

	emitted      map[uint64]struct{}       // objects sent (id and modified)
	seen         map[uint64]int64          // 1.x ids converted: the created (Unix ms) of their first version
	made         map[string][]string       // 1.x TTP and exploit target ids: what they became
	refSeen      map[string]struct{}       // idrefs met
	refs         []refUse                  // idrefs met, in order, for the final check
	cache        map[string]*cached        // pattern expressions of observables, objects, indicators
	cached       int                       // bytes held by cache
	exprs        map[string]string         // pattern expressions of inner observables, objects, indicators
	exprBytes    int                       // bytes held by exprs
	topID        string                    // the top-level observable being read, cached apart
	reasons      map[string]string         // report reasons, interned
	refTypes     refTypes                  // the types of the ids packages record
	heldBytes    int                       // bytes of observed data held back
	heldQ        []*cached                 // top-level observables, in order, whose observed data may be held
	heldHead     int                       // the first of heldQ not yet sent or dropped
	skips        int                       // entries "not converted" so far
	phases       map[string]phaseName      // kill chain phases by phase_id
	chains       map[string]string         // kill chain names by id
	waiters      []*waiter                 // objects that wait for what the input has not said yet
	waiting      int                       // bytes held by waiters
	pendingRels  map[string]*pendingTarget // relationships waiting for a TTP or exploit target
	pendingOrder []string                  // their idrefs, in order
	ctxs         map[string]*cctx          // contexts the waiting relationships share
	rels         map[string]*relInfo       // relationship details they share
}

// refUse is one idref the input uses, for reporting those that point at
// nothing.
type refUse struct{ idref, path, construct string }

func newConv(opts convert.Options, sink convert.Sink, rep *convert.Report) *conv {
	return &conv{
		opts:        opts,
		sink:        sink,
		rep:         rep,
		now:         opts.Timestamp(),
		emitted:     map[uint64]struct{}{},
		pendingRels: map[string]*pendingTarget{},
		ctxs:        map[string]*cctx{},
		rels:        map[string]*relInfo{},
		seen:        map[uint64]int64{},
		made:        map[string][]string{},
		refSeen:     map[string]struct{}{},
		cache:       map[string]*cached{},
		exprs:       map[string]string{},
		reasons:     map[string]string{},
		phases:      map[string]phaseName{},
		chains:      map[string]string{},
	}
}

// run converts the document: the root package, then what waited to the
// end, then the reports of the packages.
func (c *conv) run(rd *reader) error {
	c.rd = rd
	start, err := rd.root()
	if err != nil {
		return err
	}
	if start.Name.Space != nsStix || start.Name.Local != "STIX_Package" {
		return rd.fail(fmt.Errorf("the root element is %s, not stix:STIX_Package in the STIX 1.x namespace %s", qname(start.Name.Space, start.Name.Local), nsStix))
	}
	if err := c.pkg(start, nil, "/stix:STIX_Package"); err != nil {
		return err
	}
	if err := rd.end(); err != nil {
		return err
	}
	c.retry(true)
	c.flushObservables()
	c.checkRefs()
	for i := len(c.pkgs) - 1; i >= 0; i-- {
		c.packageReport(c.pkgs[i])
	}
	return nil
}

// stopped reports whether the sink has failed.
func (c *conv) stopped() bool { return c.err != nil }

// errStop ends the streaming loops once the sink has failed.
var errStop = errors.New("stopped")
