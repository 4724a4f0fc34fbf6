package pattern

import (
	"slices"
	"strings"
	"sync"
)

// Index matches one event against many patterns at once (issue: "which of
// the community's indicators fire on my logs?"). Each pattern is filed
// under keys derived from its comparisons, one of which an event must
// produce for the pattern to match it:
//
//   - '=' and IN on any path with a string, integer, float or boolean
//     literal: a hash lookup of (path, value);
//   - ipv4-addr:value and ipv6-addr:value with '=', IN or ISSUBSET and an
//     address or CIDR literal: a prefix lookup (one hash table per prefix
//     length in use), so an observed address finds every block holding it;
//   - LIKE and MATCHES with at least three characters of required literal
//     text (the longest run between LIKE wildcards, or text every match of
//     the regular expression contains): a trigram of that text, looked up
//     among the trigrams of the observed strings at that path, then the
//     whole text is searched for before the pattern becomes a candidate
//     (only ASCII text is used, so that this holds whether the matcher
//     compares as written or in Unicode NFC);
//   - anything else (!=, <, >, NOT, EXISTS, ISSUPERSET, timestamp, hex and
//     binary literals, LIKE '%a%', properties ending in _hex or _bin): the
//     type of object the comparison is about.
//
// AND takes the most selective operand's keys, OR the union of its
// operands' keys, so a pattern with an OR is filed under several keys; a
// pattern with no usable key at all would be evaluated for every event (no
// pattern of the grammar is in that case: every comparison names an
// object type). Only the candidates an event's keys select are evaluated,
// with the full matcher, so the index returns exactly the patterns that
// Match finds true for the event.
//
// Multi-observation patterns: the index is stateless and answers for one
// event at a time. An event is the list of observations passed to Match
// (one for an ECS event, one per observed-data for a STIX bundle), and a
// pattern is reported when Pattern.Match finds it true over that list. A
// FOLLOWEDBY, an observation AND or a REPEATS n TIMES can therefore fire
// on a bundle that holds enough observations (or on an observation whose
// number_observed counts for several), but never by combining separate
// events; correlating events over time is left to Pattern.Match over a
// window of observations. Their keys are those of their most selective
// operand (AND, FOLLOWEDBY) or of all operands (OR).
//
// Add must not be called concurrently with Match; once the Adds are done,
// Match is safe for concurrent use.
type Index struct {
	entries []ixEntry

	fields  []*ixField
	byName  map[string]*ixField
	byType  map[string]*ixObjType  // object type -> its fields and entries
	always  []int32                // entries evaluated for every event
	tri     map[uint64][]ixTriPost // field id << 32 | trigram -> entries
	triBits []uint64               // a bit per hash of the tri keys in use

	scratch sync.Pool
}

// ixEntry is one indexed pattern.
type ixEntry struct {
	id     string
	p      *Pattern
	meta   any
	simple bool // one bracketed expression, no qualifiers: MatchOne per observation
}

// ixField is one (object type, path) the index has keys for.
type ixField struct {
	id      uint32
	path    ObjectPath
	exact   map[string][]int32 // value key -> entries; nil when none
	tri     bool               // has trigram keys
	v4, v6  *ixPrefixTable
	triSize map[uint32]int // trigram -> posting size, to spread LIKE keys
}

// ixTriPost is an entry filed under a trigram, with the whole text the
// value must contain: checking it before evaluation keeps the candidates
// to the values that really contain the text.
type ixTriPost struct {
	n    int32
	text string
}

// ixObjType is what the index keeps for one object type: the fields with
// keys, and the entries that only need an object of the type.
type ixObjType struct {
	fields  []*ixField
	entries []int32
}

// objectType returns the ixObjType of an object type, making it if needed.
func (ix *Index) objectType(typ string) *ixObjType {
	t := ix.byType[typ]
	if t == nil {
		t = &ixObjType{}
		ix.byType[typ] = t
	}
	return t
}

// Hit is one pattern that matched an event.
type Hit struct {
	ID      string   // the id given to Add
	Pattern *Pattern // the pattern
	Meta    any      // the meta given to Add
	// ObservedDataIDs lists the ids of the observations that took part in
	// the match ("" for an ECS event, which has no id): for a pattern of
	// one bracketed expression without qualifiers, every observation of
	// the event that matches it; otherwise those of the first match
	// Pattern.Match finds.
	ObservedDataIDs []string
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		byName: map[string]*ixField{},
		byType: map[string]*ixObjType{},
		tri:    map[uint64][]ixTriPost{},
	}
}

// Len returns the number of patterns in the index.
func (ix *Index) Len() int { return len(ix.entries) }

// Add files pattern p under id; meta is returned with every Hit of p (for
// example the indicator it came from).
func (ix *Index) Add(id string, p *Pattern, meta any) {
	n := int32(len(ix.entries))
	s, ok := p.Root.(*ObservationSimple)
	ix.entries = append(ix.entries, ixEntry{id: id, p: p, meta: meta, simple: ok && len(s.Qualifiers) == 0})
	req := ixObservationReq(p.Root)
	if req.any || len(req.keys) == 0 {
		ix.always = append(ix.always, n)
		return
	}
	seen := map[ixKey]bool{}
	for _, k := range req.keys {
		kk := k
		kk.path = nil
		if k.path != nil {
			kk.typ = ixPathName(*k.path)
		}
		if seen[kk] {
			continue // OR of equal keys: file once
		}
		seen[kk] = true
		ix.addKey(n, k)
	}
}

func (ix *Index) field(p *ObjectPath) *ixField {
	name := ixPathName(*p)
	if f, ok := ix.byName[name]; ok {
		return f
	}
	f := &ixField{id: uint32(len(ix.fields)), path: *p}
	ix.fields = append(ix.fields, f)
	ix.byName[name] = f
	t := ix.objectType(p.ObjectType)
	t.fields = append(t.fields, f)
	return f
}

func (ix *Index) addKey(n int32, k ixKey) {
	switch k.kind {
	case ixTypeKey:
		t := ix.objectType(k.typ)
		t.entries = append(t.entries, n)
	case ixExact:
		f := ix.field(k.path)
		if f.exact == nil {
			f.exact = map[string][]int32{}
		}
		f.exact[k.value] = append(f.exact[k.value], n)
	case ixCIDR:
		f := ix.field(k.path)
		t := &f.v4
		if k.prefix.Addr().Is6() {
			t = &f.v6
		}
		if *t == nil {
			*t = newIxPrefixTable(k.prefix.Addr().BitLen())
		}
		(*t).add(k.prefix, n)
	case ixKeyTrigram:
		f := ix.field(k.path)
		f.tri = true
		if f.triSize == nil {
			f.triSize = map[uint32]int{}
		}
		best, bestScore, bestSize := uint32(0), -1, 0
		for i := 0; i+3 <= len(k.value); i++ {
			t := ixTrigram(k.value, i)
			sc, size := ixTrigramScore(k.value, i), f.triSize[t]
			if sc > bestScore || sc == bestScore && size < bestSize {
				best, bestScore, bestSize = t, sc, size
			}
		}
		f.triSize[best]++
		key := uint64(f.id)<<32 | uint64(best)
		ix.tri[key] = append(ix.tri[key], ixTriPost{n: n, text: k.value})
		if ix.triBits == nil {
			ix.triBits = make([]uint64, ixTriBits/64)
		}
		h := ixTriHash(key)
		ix.triBits[h/64] |= 1 << (h % 64)
	}
}

// ixTriBits is the size of the trigram filter in bits (128 KiB): it
// answers "no entry" for most trigrams of an observed string without a
// map lookup.
const ixTriBits = 1 << 20

// ixTriHash hashes a trigram key into the filter.
func ixTriHash(key uint64) uint64 {
	key *= 0x9E3779B97F4A7C15
	return key >> (64 - 20)
}

// ixScratch is per-call working memory, pooled.
type ixScratch struct {
	cands  []int32
	values []any
	types  []string
}

// Match returns the patterns that match the event made of obs, in the
// order they were added. It evaluates only the candidates the event's
// keys select (and the patterns that have no keys). A pattern whose
// evaluation fails (for example a qualifier needing timestamps the event
// lacks) counts as not matching.
func (ix *Index) Match(obs ...*Observation) []Hit {
	sc, _ := ix.scratch.Get().(*ixScratch)
	if sc == nil {
		sc = &ixScratch{}
	}
	cands := ix.candidates(obs, sc)
	var hits []Hit
	for _, n := range cands {
		e := &ix.entries[n]
		if e.simple {
			var ids []string
			for _, o := range obs {
				if e.p.MatchOne(o) {
					ids = append(ids, o.ID)
				}
			}
			if ids != nil {
				hits = append(hits, Hit{ID: e.id, Pattern: e.p, Meta: e.meta, ObservedDataIDs: ids})
			}
			continue
		}
		r, err := e.p.Match(obs)
		if err == nil && r.Matched {
			hits = append(hits, Hit{ID: e.id, Pattern: e.p, Meta: e.meta, ObservedDataIDs: r.ObservedDataIDs})
		}
	}
	sc.cands = cands[:0]
	ix.scratch.Put(sc)
	return hits
}

// candidates lists, sorted and without duplicates, the entries whose keys
// the event hits.
func (ix *Index) candidates(obs []*Observation, sc *ixScratch) []int32 {
	cands := append(sc.cands[:0], ix.always...)
	types := sc.types[:0]
	for _, o := range obs {
		for _, sco := range o.Objects {
			typ, _ := sco["type"].(string)
			if typ == "" {
				continue
			}
			t := ix.byType[typ]
			if t == nil {
				continue
			}
			if len(t.entries) > 0 && !slices.Contains(types, typ) {
				types = append(types, typ)
				cands = append(cands, t.entries...)
			}
			for _, f := range t.fields {
				vals := ixResolve(o, sco, f.path.Steps, sc.values[:0])
				for _, v := range vals {
					cands = ix.lookup(f, v, cands)
				}
				clear(vals)
				sc.values = vals[:0]
			}
		}
	}
	sc.types = types[:0]
	if len(cands) > 1 {
		slices.Sort(cands)
		cands = slices.Compact(cands)
	}
	return cands
}

// lookup appends the entries filed under the keys of one observed value.
func (ix *Index) lookup(f *ixField, v any, cands []int32) []int32 {
	if f.v4 != nil || f.v6 != nil {
		if s, ok := v.(string); ok {
			if p, ok := ixPrefix(s); ok {
				if p.Addr().Is4() && f.v4 != nil {
					cands = f.v4.lookup(p, cands)
				} else if p.Addr().Is6() && f.v6 != nil {
					cands = f.v6.lookup(p, cands)
				}
			}
		}
	}
	if f.exact != nil {
		if k, ok := ixValueKey(v); ok {
			cands = append(cands, f.exact[k]...)
		}
	}
	if f.tri {
		if s, ok := v.(string); ok {
			s = ixNFCASCII(s)
			base := uint64(f.id) << 32
			for i := 0; i+3 <= len(s); i++ {
				key := base | uint64(ixTrigram(s, i))
				if h := ixTriHash(key); ix.triBits[h/64]&(1<<(h%64)) == 0 {
					continue // no entry under this trigram: skip the map
				}
				for _, p := range ix.tri[key] {
					if strings.Contains(s, p.text) {
						cands = append(cands, p.n)
					}
				}
			}
		}
	}
	return cands
}
