package stix1

import (
	"encoding/xml"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/isachub/isachub/convert"
)

// pkgCtx is one STIX_Package (the root, or one in Related_Packages).
type pkgCtx struct {
	parent      *pkgCtx
	path        string
	key         string // the package id, or a key made of its path
	ctx         *cctx  // what the package gives every construct in it
	reportMarks marks  // markings of the header alone
	header      *node
	hasReports  bool
	refs        [][]byte // the ids of every object made in it, as JSON strings in chunks
	nrefs       int
}

// refChunk is the size of the chunks of pkgCtx.refs, which grow without
// the copies (and the doubled capacity) of one large slice.
const refChunk = 64 << 10

// addRef records the id of an object made in the package: 17 bytes, the
// index of its type in refTypes and its UUID.
func (p *pkgCtx) addRef(id string, types *refTypes) {
	typ, u, ok := strings.Cut(id, "--")
	parsed, err := uuid.Parse(u)
	if !ok || err != nil {
		return
	}
	if len(p.refs) == 0 || len(p.refs[len(p.refs)-1])+17 > refChunk {
		p.refs = append(p.refs, make([]byte, 0, refChunk))
	}
	last := &p.refs[len(p.refs)-1]
	*last = append(*last, types.index(typ))
	*last = append(*last, parsed[:]...)
	p.nrefs++
}

// eachRef calls fn with each id recorded, in order.
func (p *pkgCtx) eachRef(types *refTypes, fn func(id string)) {
	for _, ch := range p.refs {
		for i := 0; i+17 <= len(ch); i += 17 {
			var u uuid.UUID
			copy(u[:], ch[i+1:i+17])
			fn(types.names[ch[i]] + "--" + u.String())
		}
	}
}

// refTypes numbers the object types of recorded ids.
type refTypes struct{ names []string }

func (t *refTypes) index(typ string) byte {
	for i, n := range t.names {
		if n == typ {
			return byte(i)
		}
	}
	if len(t.names) == 255 {
		return 255
	}
	t.names = append(t.names, typ)
	return byte(len(t.names) - 1)
}

// versions are the STIX 1.x versions this package reads as they are.
var versions = map[string]bool{"1.1.1": true, "1.2": true, "1.1": true, "": true}

// pkg converts one package, streaming its sections (STIX 1.2 Part 2,
// STIXType): each construct is decoded, converted and dropped in turn.
func (c *conv) pkg(start xml.StartElement, parent *pkgCtx, path string) error {
	p := &pkgCtx{parent: parent, path: path}
	c.pkgs = append(c.pkgs, p)
	root := c.rd.newNode(start, nil)
	root.base = path
	p.key = root.attr("id")
	if p.key == "" {
		p.key = "package\x00" + path + "\x00" + root.attr("timestamp")
	}
	ctx := &cctx{pkg: p, created: c.now, modified: c.now}
	if parent != nil {
		ctx.created, ctx.modified = parent.ctx.created, parent.ctx.modified
		ctx.createdBy = parent.ctx.createdBy
		ctx.marks = parent.ctx.marks
	}
	if ts := c.timeAttr(root, "timestamp", "package"); ts != "" {
		ctx.created, ctx.modified = ts, ts
	}
	p.ctx = ctx
	if v := root.attr("version"); !versions[v] {
		c.approx(path+"/@version", "package", "STIX version "+quoteText(v)+" is read as STIX 1.2")
	}
	c.count("package")
	counts := map[string]int{}
	err := c.rd.children(func(t xml.StartElement) error {
		seg := qname(t.Name.Space, t.Name.Local)
		counts[seg]++
		if counts[seg] > 1 {
			seg += "[" + strconv.Itoa(counts[seg]) + "]"
		}
		sub := path + "/" + seg
		if t.Name.Space != nsStix {
			c.skip(sub, "package", "the element "+qname(t.Name.Space, t.Name.Local)+" is not part of a STIX 1.x package; not converted")
			return c.rd.skip()
		}
		var err error
		switch t.Name.Local {
		case "STIX_Header":
			var n *node
			n, err = c.rd.tree(t, sub)
			if err == nil {
				c.header(p, n)
			}
		case "Observables":
			err = c.section(p, sub, map[string]func(*cctx, *node){"Observable": c.topObservable})
		case "Indicators":
			err = c.section(p, sub, map[string]func(*cctx, *node){"Indicator": c.topIndicator})
		case "TTPs":
			err = c.section(p, sub, map[string]func(*cctx, *node){"TTP": c.topTTP, "Kill_Chains": c.killChains})
		case "Exploit_Targets":
			err = c.section(p, sub, map[string]func(*cctx, *node){"Exploit_Target": c.topExploitTarget})
		case "Incidents":
			err = c.section(p, sub, map[string]func(*cctx, *node){"Incident": c.topIncident})
		case "Courses_Of_Action":
			err = c.section(p, sub, map[string]func(*cctx, *node){"Course_Of_Action": c.topCOA})
		case "Campaigns":
			err = c.section(p, sub, map[string]func(*cctx, *node){"Campaign": c.topCampaign})
		case "Threat_Actors":
			err = c.section(p, sub, map[string]func(*cctx, *node){"Threat_Actor": c.topThreatActor})
		case "Reports":
			p.hasReports = true
			err = c.section(p, sub, map[string]func(*cctx, *node){"Report": c.topReport})
		case "Related_Packages":
			err = c.relatedPackages(p, sub)
		default:
			c.skip(sub, "package", "STIX 1.x "+qname(t.Name.Space, t.Name.Local)+" is not converted")
			err = c.rd.skip()
		}
		if errors.Is(err, errTooLarge) {
			c.skip(sub, "package", "larger than the limit for one construct; not converted")
			err = nil
		}
		if err == nil && c.stopped() {
			err = errStop
		}
		c.retry(false)
		return err
	})
	return err
}

// section streams the constructs of one section (stix:Indicators, ...):
// each child element named in conv is decoded and converted.
func (c *conv) section(p *pkgCtx, path string, conv map[string]func(*cctx, *node)) error {
	counts := map[string]int{}
	return c.rd.children(func(t xml.StartElement) error {
		seg := qname(t.Name.Space, t.Name.Local)
		counts[seg]++
		base := path + "/" + seg + "[" + strconv.Itoa(counts[seg]) + "]"
		fn := conv[t.Name.Local]
		if fn == nil || !family(t.Name.Space) {
			c.skip(base, "package", "STIX 1.x "+seg+" is not converted here")
			return c.rd.skip()
		}
		n, err := c.rd.tree(t, base)
		if errors.Is(err, errTooLarge) {
			c.skip(base, t.Name.Local, "the construct is larger than the limit of "+strconv.FormatInt(limits.construct>>20, 10)+" MiB or "+strconv.Itoa(limits.nodes)+" elements; not converted")
			return nil
		}
		if err != nil {
			return err
		}
		fn(p.ctx, n)
		if c.stopped() {
			return errStop
		}
		return nil
	})
}

// relatedPackages streams the packages inside Related_Packages (each
// stix:Related_Package holds one stix:Package).
func (c *conv) relatedPackages(p *pkgCtx, path string) error {
	i := 0
	return c.rd.children(func(t xml.StartElement) error {
		i++
		sub := path + "/" + qname(t.Name.Space, t.Name.Local) + "[" + strconv.Itoa(i) + "]"
		if t.Name.Local != "Related_Package" || !family(t.Name.Space) {
			c.skip(sub, "package", "not a Related_Package; not converted")
			return c.rd.skip()
		}
		return c.rd.children(func(t xml.StartElement) error {
			inner := sub + "/" + qname(t.Name.Space, t.Name.Local)
			if t.Name.Local == "Package" && family(t.Name.Space) {
				return c.pkg(t, p, inner)
			}
			c.skip(inner, "package", "STIX 1.x "+qname(t.Name.Space, t.Name.Local)+" of a related package is not converted")
			return c.rd.skip()
		})
	})
}

// header reads the STIX_Header: its markings and source apply to the whole
// package; Title, Description and Package_Intent are kept for the package
// report.
func (c *conv) header(p *pkgCtx, n *node) {
	c.handling(n.kid("Handling"), p.ctx, true)
	if is := n.kid("Information_Source"); is != nil {
		p.ctx.createdBy = c.source(is, p.ctx)
	}
	p.header = n
	for _, k := range []string{"Title", "Description", "Short_Description", "Package_Intent"} {
		n.all(k)
	}
	c.rest(n, "header")
}

// packageReport makes the report of a package that has a STIX_Header and
// no Report of its own: it holds every object made from the package.
func (c *conv) packageReport(p *pkgCtx) {
	if p.header == nil || p.hasReports {
		return
	}
	n := p.header
	if p.nrefs == 0 {
		c.skip(n.path(), "header", "the package made no object, so no report holds them")
		return
	}
	id := convert.ID("stix1", "report", p.key)
	d := newDraft("report", id, n.path(), "header", p.parent)
	ctx := *p.ctx
	ctx.marks = ctx.marks.with(p.reportMarks)
	c.common(d, &ctx)
	name := n.kidStr("Title")
	if name == "" {
		name = "STIX 1.x package"
	}
	d.str("name", name)
	d.str("description", texts(n, "Description"))
	d.strs("report_types", c.vocabs(n.all("Package_Intent"), reportTypes, "header", "report_types"))
	d.str("published", ctx.modified)
	c.finish(d, &ctx)
	// object_refs goes last and may be large (every object of the
	// package): the report is validated with its first reference, the
	// others being ids of objects validated when sent, then written once.
	raw, _, _ := d.render(true)
	var first string
	p.eachRef(&c.refTypes, func(id string) {
		if first == "" {
			first = id
		}
	})
	head := append(raw[:len(raw)-1:len(raw)-1], `,"object_refs":[`...)
	probe := append(convert.AppendString(slices.Clip(head), first), ']', '}')
	if !c.valid(probe, n.path(), "header") {
		return
	}
	full := make([]byte, 0, len(head)+p.nrefs*(len(first)+3)+2)
	full = append(full, head...)
	k := 0
	p.eachRef(&c.refTypes, func(id string) {
		if k > 0 {
			full = append(full, ',')
		}
		full = convert.AppendString(full, id)
		k++
	})
	p.refs = nil
	full = append(full, ']', '}')
	if c.send(full, id, "", p.parent) {
		c.count("header")
	}
}
