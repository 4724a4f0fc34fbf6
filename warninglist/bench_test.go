package warninglist_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/isachub/isachub/warninglist"
)

// mix is a spread of indicator values, most of them on no list, as an
// export sees them.
var mix = []struct{ kind, value string }{
	{"ipv4", "203.0.113.7"},
	{"ipv4", "45.33.32.156"},
	{"ipv4", "10.20.30.40"},
	{"ipv4", "8.8.8.8"},
	{"ipv6", "2a03:2880:f10c:83:face:b00c:0:25de"},
	{"ipv6", "fe80::1"},
	{"cidr", "185.220.100.0/22"},
	{"domain", "login.microsoftonline.com.evil-domain.ru"},
	{"domain", "www.example.com"},
	{"domain", "update.badcdn.net"},
	{"url", "http://malware.badcdn.net:8080/payload.bin?id=7"},
	{"url", "http://169.254.169.254/latest/meta-data/"},
	{"email", "phisher@badcdn.net"},
	{"md5", "44d88612fea8a8f36de82e1278abb02f"},
	{"sha1", "3395856ce81f2b7382dee72602f798b642f14140"},
	{"sha256", "275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F"},
}

// BenchmarkMatch reports the cost of Match for one value of the mix on
// the shipped lists.
func BenchmarkMatch(b *testing.B) {
	s := warninglist.Default()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v := mix[i%len(mix)]
		s.Match(v.kind, v.value)
		i++
	}
}

// BenchmarkMatchLarge adds an operator's list of 100,000 domain names
// and 10,000 ranges to the shipped lists.
func BenchmarkMatchLarge(b *testing.B) {
	var sb strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&sb, ".site%d.example-top.com\n", i)
	}
	for i := range 10_000 {
		fmt.Fprintf(&sb, "%d.%d.%d.0/24\n", 100+i%50, i/256%256, i%256)
	}
	l, err := warninglist.Load("top", strings.NewReader(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	s := MustSet(b, append(warninglist.Builtin(), l)...)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v := mix[i%len(mix)]
		s.Match(v.kind, v.value)
		i++
	}
}
