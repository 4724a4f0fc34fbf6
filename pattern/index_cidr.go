package pattern

import (
	"net/netip"
	"slices"
)

// ixPrefixTable maps prefixes of one address family to entries, one hash
// table per prefix length in use: an address is looked up once per length.
// IPv4 prefixes are keyed by their 32-bit value, IPv6 ones by the prefix.
type ixPrefixTable struct {
	lens []int // prefix lengths in use, ascending
	v4   []map[uint32][]int32
	v6   []map[netip.Prefix][]int32
}

func newIxPrefixTable(bits int) *ixPrefixTable {
	if bits == 32 {
		return &ixPrefixTable{v4: make([]map[uint32][]int32, 33)}
	}
	return &ixPrefixTable{v6: make([]map[netip.Prefix][]int32, bits+1)}
}

// ixV4 returns the 32-bit value of an IPv4 address.
func ixV4(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// ixMask4 keeps the first l bits of an IPv4 value.
func ixMask4(v uint32, l int) uint32 {
	if l == 0 {
		return 0
	}
	return v &^ (1<<(32-l) - 1)
}

func (t *ixPrefixTable) add(p netip.Prefix, n int32) {
	l := p.Bits()
	if t.v4 != nil {
		if t.v4[l] == nil {
			t.v4[l] = map[uint32][]int32{}
			t.lens = append(t.lens, l)
			slices.Sort(t.lens)
		}
		k := ixMask4(ixV4(p.Addr()), l)
		t.v4[l][k] = append(t.v4[l][k], n)
		return
	}
	if t.v6[l] == nil {
		t.v6[l] = map[netip.Prefix][]int32{}
		t.lens = append(t.lens, l)
		slices.Sort(t.lens)
	}
	t.v6[l][p] = append(t.v6[l][p], n)
}

// lookup appends the entries of every filed prefix that contains p.
func (t *ixPrefixTable) lookup(p netip.Prefix, cands []int32) []int32 {
	if t.v4 != nil {
		v := ixV4(p.Addr())
		for _, l := range t.lens {
			if l > p.Bits() {
				break
			}
			cands = append(cands, t.v4[l][ixMask4(v, l)]...)
		}
		return cands
	}
	for _, l := range t.lens {
		if l > p.Bits() {
			break
		}
		q, err := p.Addr().Prefix(l)
		if err != nil {
			continue
		}
		cands = append(cands, t.v6[l][q]...)
	}
	return cands
}
