package warninglist_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/warninglist"
)

// TestBuiltinRanges checks each shipped list against its source's own
// examples and the neighbours just outside its ranges.
func TestBuiltinRanges(t *testing.T) {
	s := MustSet(t, warninglist.Builtin()...)
	tests := []struct {
		list string
		in   []string // addresses on the list
		out  []string // neighbours not on it
	}{
		{"rfc1122-this-network", []string{"0.0.0.0", "0.255.255.255"}, []string{"1.0.0.0"}},
		{"rfc1918-private",
			[]string{"10.0.0.0", "10.255.255.255", "172.16.0.0", "172.31.255.255", "192.168.0.0", "192.168.255.255"},
			[]string{"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0"}},
		{"rfc6598-shared-address-space", []string{"100.64.0.0", "100.127.255.255"}, []string{"100.63.255.255", "100.128.0.0"}},
		{"rfc1122-loopback", []string{"127.0.0.1", "127.255.255.255"}, []string{"126.255.255.255", "128.0.0.0"}},
		{"rfc3927-link-local", []string{"169.254.0.0", "169.254.255.255"}, []string{"169.253.255.255", "169.255.0.0"}},
		{"rfc6890-ietf-protocol-assignments", []string{"192.0.0.8", "192.0.0.170", "192.0.0.255"}, []string{"191.255.255.255", "192.0.1.0"}},
		{"rfc5737-documentation",
			[]string{"192.0.2.0", "192.0.2.255", "198.51.100.1", "203.0.113.254"},
			[]string{"192.0.1.255", "192.0.3.0", "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0"}},
		{"rfc7526-6to4-relay-anycast", []string{"192.88.99.1"}, []string{"192.88.98.255", "192.88.100.0"}},
		{"rfc2544-benchmarking", []string{"198.18.0.0", "198.19.255.255"}, []string{"198.17.255.255", "198.20.0.0"}},
		{"rfc5771-multicast", []string{"224.0.0.1", "233.252.0.1", "239.255.255.255"}, []string{"223.255.255.255", "240.0.0.0"}},
		{"rfc1112-reserved", []string{"240.0.0.0", "255.255.255.254"}, []string{"239.255.255.255"}},
		{"rfc919-limited-broadcast", []string{"255.255.255.255"}, []string{"255.255.255.254"}},
		{"rfc7534-as112", []string{"192.175.48.6", "192.31.196.1", "2620:4f:8000::6", "2001:4:112::1"}, []string{"192.175.49.0", "192.31.197.0", "2620:4f:8001::"}},
		{"rfc4291-unspecified", []string{"::"}, []string{"::2"}},
		{"rfc4291-loopback", []string{"::1"}, []string{"::", "::2"}},
		{"rfc4291-link-local", []string{"fe80::1", "febf:ffff::1"}, []string{"fe7f:ffff::1", "fec0::"}},
		{"rfc4291-multicast", []string{"ff02::1", "ff0e::101"}, []string{"feff:ffff::"}},
		{"rfc4193-unique-local", []string{"fc00::", "fd12:3456:789a:1::1", "fdff:ffff::1"}, []string{"fbff:ffff::1", "fe00::"}},
		{"rfc3849-documentation", []string{"2001:db8::", "2001:db8:ffff:ffff::1"}, []string{"2001:db7:ffff::1", "2001:db9::"}},
		{"rfc9637-documentation", []string{"3fff::", "3fff:fff:ffff::1"}, []string{"3ffe:ffff::1", "3fff:1000::"}},
		{"rfc6666-discard-only", []string{"100::", "100::ffff:ffff:ffff:ffff"}, []string{"100:0:0:1::"}},
		{"rfc6052-nat64-well-known", []string{"64:ff9b::192.0.2.33", "64:ff9b::ffff:ffff"}, []string{"64:ff9b::1:0:0", "64:ff9a::"}},
		{"rfc8215-nat64-local-use", []string{"64:ff9b:1::1"}, []string{"64:ff9b:2::"}},
		{"rfc5180-benchmarking", []string{"2001:2::1", "2001:2:0:ffff::1"}, []string{"2001:2:1::", "2001:1:ffff::"}},
		{"rfc7343-orchid-v2", []string{"2001:20::1", "2001:2f:ffff::1"}, []string{"2001:30::", "2001:1f::"}},
		{"google-public-dns", []string{"8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844"}, []string{"8.8.8.7", "8.8.8.9", "2001:4860:4860::8889"}},
		{"cloudflare-dns", []string{"1.1.1.1", "1.0.0.1", "2606:4700:4700::1111", "2606:4700:4700::1001"}, []string{"1.1.1.4", "1.0.0.0", "2606:4700:4700::1110"}},
		{"quad9-dns", []string{"9.9.9.9", "149.112.112.112", "2620:fe::fe", "2620:fe::9"}, []string{"9.9.9.8", "149.112.112.113", "2620:fe::ff"}},
		{"opendns", []string{"208.67.222.222", "208.67.220.220", "2620:119:35::35", "2620:119:53::53"}, []string{"208.67.222.221", "2620:119:35::34"}},
		{"adguard-dns", []string{"94.140.14.14", "94.140.15.15", "2a10:50c0::ad1:ff", "2a10:50c0::ad2:ff"}, []string{"94.140.14.13", "2a10:50c0::ad3:ff"}},
		{"cloud-metadata", []string{"169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200", "168.63.129.16"}, []string{"169.254.169.255", "fd00:ec2::255", "100.100.100.201"}},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			if s.List(tt.list) == nil {
				t.Fatalf("no shipped list %q", tt.list)
			}
			for _, v := range tt.in {
				if hits := s.Match(ipKind(v), v); !onList(hits, tt.list) {
					t.Errorf("Match(%q) = %v, want a hit on %s", v, listNames(hits), tt.list)
				}
			}
			for _, v := range tt.out {
				if hits := s.Match(ipKind(v), v); onList(hits, tt.list) {
					t.Errorf("Match(%q) = %v, want no hit on %s", v, hits, tt.list)
				}
			}
		})
	}
}

func ipKind(v string) string {
	if strings.Contains(v, ":") {
		return warninglist.KindIPv6
	}
	return warninglist.KindIPv4
}

func TestBuiltinDomains(t *testing.T) {
	s := MustSet(t, warninglist.Builtin()...)
	tests := []struct {
		list string
		in   []string
		out  []string
	}{
		{"rfc2606-reserved-names",
			[]string{"example.com", "www.example.com", "a.b.example.net", "example.org", "example", "foo.example", "test", "x.test", "invalid", "nothing.invalid", "localhost", "app.localhost"},
			[]string{"notexample.com", "example.com.evil.net", "examplecom", "example.co", "example.com-evil.net", "mytest", "test.com", "localhost.evil.com"}},
		{"rfc6762-local", []string{"printer.local", "local"}, []string{"local.com", "mylocal"}},
		{"rfc8375-home-arpa", []string{"home.arpa", "nas.home.arpa"}, []string{"arpa", "myhome.arpa", "home.arpa.example.net"}},
		{"rfc9476-alt", []string{"alt", "name.gnu.alt"}, []string{"alt.com", "salt"}},
		{"icann-internal", []string{"internal", "db.corp.internal"}, []string{"internal.com", "notinternal"}},
		{"rfc7686-onion", []string{"onion", "3g2upl4pq6kufc4m.onion"}, []string{"onion.com", "bunion"}},
		{"cloud-metadata", []string{"metadata.google.internal"}, []string{"google.internal", "x.metadata.google.internal"}},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			for _, v := range tt.in {
				if hits := s.Match(warninglist.KindDomain, v); !onList(hits, tt.list) {
					t.Errorf("Match(domain, %q) = %v, want a hit on %s", v, listNames(hits), tt.list)
				}
			}
			for _, v := range tt.out {
				if hits := s.Match(warninglist.KindDomain, v); onList(hits, tt.list) {
					t.Errorf("Match(domain, %q) = %v, want no hit on %s", v, hits, tt.list)
				}
			}
		})
	}
}

// TestBuiltinMetadata checks that every shipped list is described and
// that every entry cites its source.
func TestBuiltinMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range warninglist.Builtin() {
		if seen[l.Name] {
			t.Errorf("two shipped lists named %q", l.Name)
		}
		seen[l.Name] = true
		if l.Description == "" || l.Source == "" || l.Len() == 0 || len(l.Kinds()) == 0 {
			t.Errorf("list %q: description %q, source %q, %d entries, kinds %v", l.Name, l.Description, l.Source, l.Len(), l.Kinds())
		}
		for _, e := range l.Entries() {
			if !strings.Contains(e.Note, "RFC") && !strings.Contains(e.Note, "https://") && !strings.Contains(e.Note, "OpenDNS") &&
				!strings.Contains(e.Note, "Umbrella") && !strings.Contains(e.Note, "SAC113") {
				t.Errorf("list %q entry %q: note %q cites no source", l.Name, e.Value, e.Note)
			}
		}
	}
}

func TestDefault(t *testing.T) {
	d := warninglist.Default()
	if d != warninglist.Default() {
		t.Error("Default builds a new set on each call")
	}
	var names []string
	for _, l := range d.Lists() {
		names = append(names, l.Name)
	}
	if slices.Contains(names, "rfc7686-onion") {
		t.Error("Default includes rfc7686-onion")
	}
	if got, want := len(names), len(warninglist.Builtin())-1; got != want {
		t.Errorf("Default has %d lists, want %d", got, want)
	}
	if hits := d.Match(warninglist.KindDomain, "abc.onion"); hits != nil {
		t.Errorf("Default: Match(abc.onion) = %v, want none", hits)
	}
}
