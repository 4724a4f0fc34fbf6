package warninglist_test

import (
	"fmt"
	"strings"

	"github.com/isachub/isachub/warninglist"
)

func ExampleSet_Match() {
	s := warninglist.Default()
	for _, h := range s.Match(warninglist.KindURL, "http://169.254.169.254/latest/meta-data/") {
		fmt.Printf("%s: %s\n", h.List, h.Entry)
	}
	fmt.Println(len(s.Match(warninglist.KindDomain, "example.com.evil.net")))
	// Output:
	// rfc3927-link-local: 169.254.0.0/16
	// cloud-metadata: 169.254.169.254
	// 0
}

func ExampleLoad() {
	top, err := warninglist.Load("top-sites", strings.NewReader(`
# domains never exported as indicators
.google.com     # the name and every name under it
blogspot.com    # the name only: tenants stay reportable
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	top.Description = "Most visited sites"
	s, err := warninglist.NewSet(append(warninglist.Builtin(), top)...)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range []string{"mail.google.com", "blogspot.com", "attacker.blogspot.com"} {
		fmt.Println(v, s.Match(warninglist.KindDomain, v))
	}

	_, err = warninglist.Load("bad", strings.NewReader("example.com\n10.1.2.3/8\n"))
	fmt.Println(err)
	// Output:
	// mail.google.com [{top-sites .google.com the name and every name under it}]
	// blogspot.com [{top-sites blogspot.com the name only: tenants stay reportable}]
	// attacker.blogspot.com []
	// warninglist "bad": line 2: CIDR range "10.1.2.3/8" has host bits set (the range is 10.0.0.0/8)
}
