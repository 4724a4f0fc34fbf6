package export

import "fmt"

// Kind is the kind of an Observable: which blocklist it belongs in.
type Kind string

// The kinds Observables returns.
const (
	KindIPv4   Kind = "ipv4"   // an IPv4 address
	KindIPv6   Kind = "ipv6"   // an IPv6 address
	KindCIDR   Kind = "cidr"   // an IPv4 or IPv6 block shorter than /32 or /128
	KindDomain Kind = "domain" // domain-name:value
	KindURL    Kind = "url"    // url:value
	KindSHA256 Kind = "sha256" // hashes.'SHA-256' of file or artifact
	KindMD5    Kind = "md5"    // hashes.MD5
	KindSHA1   Kind = "sha1"   // hashes.'SHA-1'
	KindEmail  Kind = "email"  // email-addr:value and e-mail message addresses
)

// Kinds lists every Kind in the order the documentation gives them.
var Kinds = []Kind{KindIPv4, KindIPv6, KindCIDR, KindDomain, KindURL, KindSHA256, KindMD5, KindSHA1, KindEmail}

// ParseKind returns the Kind named s ("ipv4", "sha256", ...).
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("export: %q is not a kind (ipv4, ipv6, cidr, domain, url, sha256, md5, sha1, email)", s)
}
