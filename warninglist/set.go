package warninglist

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
)

// A Set is a group of lists indexed for Match. It is immutable and safe
// for concurrent use.
type Set struct {
	lists  []*List
	names  []string
	byName map[string]int

	// Every index maps a key to the head of a chain in refs.
	refs   []ref
	v4     map[uint64]int32 // prefix length<<32 | masked address
	v4lens []int            // prefix lengths present, longest first
	v6     map[v6key]int32
	v6lens []int
	names1 map[string]int32 // domain names, exact
	trees  map[string]int32 // ".name" entries, keyed without the dot
	urls   map[string]int32 // normURL form
	emails map[string]int32 // case-folded
	hashes map[string]int32 // lower-case hex
}

type ref struct{ list, entry, next int32 }

type v6key struct{ hi, lo, bits uint64 }

// NewSet indexes lists for Match. List names must be unique and
// non-empty. The lists must not be modified afterwards.
func NewSet(lists ...*List) (*Set, error) {
	s := &Set{
		byName: make(map[string]int, len(lists)),
		v4:     map[uint64]int32{},
		v6:     map[v6key]int32{},
		names1: map[string]int32{},
		trees:  map[string]int32{},
		urls:   map[string]int32{},
		emails: map[string]int32{},
		hashes: map[string]int32{},
	}
	for li, l := range lists {
		if l == nil || l.Name == "" {
			return nil, fmt.Errorf("warninglist: NewSet: list %d has no name", li)
		}
		if _, dup := s.byName[l.Name]; dup {
			return nil, fmt.Errorf("warninglist: NewSet: two lists named %q", l.Name)
		}
		s.byName[l.Name] = li
		s.lists = append(s.lists, l)
		s.names = append(s.names, l.Name)
		for ei, e := range l.entries {
			s.index(int32(li), int32(ei), e)
		}
	}
	return s, nil
}

func (s *Set) index(li, ei int32, e Entry) {
	switch e.Kind {
	case KindIPv4, KindIPv6:
		a, bits := e.prefix.Addr(), e.prefix.Bits()
		if a.Is4() {
			s.v4lens = addLen(s.v4lens, bits)
			addRef(s, s.v4, v4Key(a.As4(), bits), li, ei)
		} else {
			s.v6lens = addLen(s.v6lens, bits)
			addRef(s, s.v6, v6Key(a.As16(), bits), li, ei)
		}
	case KindDomain:
		if e.tree {
			addRef(s, s.trees, e.Value[1:], li, ei)
		} else {
			addRef(s, s.names1, e.Value, li, ei)
		}
	case KindURL:
		addRef(s, s.urls, e.Value, li, ei)
	case KindEmail:
		addRef(s, s.emails, e.Value, li, ei)
	default:
		addRef(s, s.hashes, e.Value, li, ei)
	}
}

// addRef chains entry ei of list li under key k, once per list: a value
// written twice in one list is one entry.
func addRef[K comparable](s *Set, m map[K]int32, k K, li, ei int32) {
	head, ok := m[k]
	if !ok {
		head = -1
	}
	for i := head; i >= 0; i = s.refs[i].next {
		if s.refs[i].list == li {
			return
		}
	}
	m[k] = int32(len(s.refs))
	s.refs = append(s.refs, ref{li, ei, head})
}

func addLen(lens []int, bits int) []int {
	if slices.Contains(lens, bits) {
		return lens
	}
	lens = append(lens, bits)
	slices.SortFunc(lens, func(a, b int) int { return b - a })
	return lens
}

func v4Key(a [4]byte, bits int) uint64 {
	u := binary.BigEndian.Uint32(a[:])
	return uint64(bits)<<32 | uint64(mask32(u, bits))
}

func mask32(u uint32, bits int) uint32 { return u &^ (1<<(32-bits) - 1) }

func v6Key(a [16]byte, bits int) v6key {
	hi, lo := binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(a[8:])
	return mask128(hi, lo, bits)
}

func mask128(hi, lo uint64, bits int) v6key {
	if bits <= 64 {
		return v6key{hi &^ (1<<(64-bits) - 1), 0, uint64(bits)}
	}
	return v6key{hi, lo &^ (1<<(128-bits) - 1), uint64(bits)}
}

// Lists returns the set's lists in the order given to NewSet.
func (s *Set) Lists() []*List { return slices.Clone(s.lists) }

// List returns the list named name, or nil.
func (s *Set) List(name string) *List {
	if i, ok := s.byName[name]; ok {
		return s.lists[i]
	}
	return nil
}

// Default returns the set of the shipped lists (Builtin) but
// rfc7686-onion, built once and shared.
func Default() *Set { return defaultSet() }

var defaultSet = sync.OnceValue(func() *Set {
	s, err := NewSet(defaultLists()...)
	if err != nil {
		panic(err) // the shipped lists are tested
	}
	return s
})

// hits turns the chains found by a match into Hits, ordered by list (in
// the order given to NewSet) and then by entry, without duplicates.
func (s *Set) hits(found []int32) []Hit {
	if len(found) == 0 {
		return nil
	}
	slices.SortFunc(found, func(a, b int32) int {
		ra, rb := s.refs[a], s.refs[b]
		return cmp.Or(cmp.Compare(ra.list, rb.list), cmp.Compare(ra.entry, rb.entry))
	})
	found = slices.Compact(found)
	out := make([]Hit, len(found))
	for i, f := range found {
		r := s.refs[f]
		e := &s.lists[r.list].entries[r.entry]
		out[i] = Hit{List: s.names[r.list], Entry: e.Value, Note: e.Note}
	}
	return out
}

// chain appends every ref of the chain starting at head.
func (s *Set) chain(found []int32, head int32) []int32 {
	for i := head; i >= 0; i = s.refs[i].next {
		found = append(found, i)
	}
	return found
}
