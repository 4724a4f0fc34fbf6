package warninglist_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/isachub/isachub/warninglist"
)

func TestMatchKinds(t *testing.T) {
	custom := MustLoad(t, "custom", `
# operator's list
.corp.example.net    # our domains
exact.example.org
https://Status.Vendor.io/health
noc@Vendor.io
D41D8CD98F00B204E9800998ECF8427E   # empty file, MD5
da39a3ee5e6b4b0d3255bfef95601890afd80709
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
203.0.113.0/25
2001:db8:1::/48
`)
	s := MustSet(t, append(warninglist.Builtin(), custom)...)
	tests := []struct {
		name, kind, value string
		want              []string // list names, in order
	}{
		// Addresses and ranges.
		{"IPv4", "ipv4", "10.1.2.3", []string{"rfc1918-private"}},
		{"IPv4Public", "ipv4", "8.8.8.9", nil},
		{"IPv4Spaces", "ipv4", " 10.1.2.3\n", []string{"rfc1918-private"}},
		{"IPv4AsIPv6Kind", "ipv6", "192.168.1.1", []string{"rfc1918-private"}},
		{"IPv6Zone", "ipv6", "fe80::1%eth0", []string{"rfc4291-link-local"}},
		{"IPv4Mapped", "ipv6", "::ffff:10.0.0.1", []string{"rfc1918-private"}},
		{"IPv4MappedRange", "cidr", "::ffff:10.0.0.0/104", []string{"rfc1918-private"}},
		{"TwoLists", "ipv4", "169.254.169.254", []string{"rfc3927-link-local", "cloud-metadata"}},
		{"CustomAndBuiltin", "ipv4", "203.0.113.7", []string{"rfc5737-documentation", "custom"}},
		{"CIDRInside", "cidr", "10.20.0.0/16", []string{"rfc1918-private"}},
		{"CIDRSame", "cidr", "172.16.0.0/12", []string{"rfc1918-private"}},
		{"CIDRHostBits", "cidr", "10.20.30.40/16", []string{"rfc1918-private"}},
		{"CIDROverlapOnly", "cidr", "10.0.0.0/7", nil},
		{"CIDRAll", "cidr", "0.0.0.0/0", nil},
		{"CIDRAllIPv6", "cidr", "::/0", nil},
		{"CIDRSingle", "cidr", "8.8.8.8/32", []string{"google-public-dns"}},
		{"CIDRAroundSingle", "cidr", "8.8.8.0/24", nil},
		{"CIDRPartlyCustom", "cidr", "203.0.113.0/24", []string{"rfc5737-documentation"}},
		{"CIDRIPv4Kind", "ipv4", "192.168.0.0/24", []string{"rfc1918-private"}},
		{"CIDRIPv6", "cidr", "2001:db8:1:2::/64", []string{"rfc3849-documentation", "custom"}},
		{"BadAddress", "ipv4", "10.0.0.256", nil},
		{"LeadingZeros", "ipv4", "010.0.0.1", nil},
		{"BadCIDR", "cidr", "10.0.0.0/33", nil},

		// Domain names.
		{"Domain", "domain", "www.example.com", []string{"rfc2606-reserved-names"}},
		{"DomainUpper", "domain", "WWW.Example.COM", []string{"rfc2606-reserved-names"}},
		{"DomainTrailingDot", "domain", "example.com.", []string{"rfc2606-reserved-names"}},
		{"DomainLookAlike", "domain", "notexample.com", nil},
		{"DomainSuffixAttack", "domain", "example.com.evil.net", nil},
		{"DomainTreeApex", "domain", "corp.example.net", []string{"rfc2606-reserved-names", "custom"}},
		{"DomainExactOnly", "domain", "exact.example.org", []string{"rfc2606-reserved-names", "custom"}},
		{"DomainExactNotSub", "domain", "www.exact.example.org", []string{"rfc2606-reserved-names"}},
		{"DomainIsAddress", "domain", "10.0.0.1", []string{"rfc1918-private"}},
		{"DomainEmpty", "domain", "", nil},
		{"DomainDot", "domain", ".", nil},

		// URLs: by host, or listed exactly.
		{"URLHost", "url", "http://www.example.com/login.php", []string{"rfc2606-reserved-names"}},
		{"URLHostUpperPort", "url", "HTTPS://User:pw@WWW.EXAMPLE.NET:8443/x?y#z", []string{"rfc2606-reserved-names"}},
		{"URLIPv4", "url", "http://192.168.0.1:8080/admin", []string{"rfc1918-private"}},
		{"URLIPv6", "url", "http://[fe80::1%25eth0]:80/", []string{"rfc4291-link-local"}},
		{"URLMetadata", "url", "http://169.254.169.254/latest/meta-data/iam/", []string{"rfc3927-link-local", "cloud-metadata"}},
		{"URLGoogleMetadata", "url", "http://metadata.google.internal/computeMetadata/v1/", []string{"icann-internal", "cloud-metadata"}},
		{"URLNoScheme", "url", "www.example.org/path", []string{"rfc2606-reserved-names"}},
		{"URLLookAlike", "url", "http://example.com.evil.net/", nil},
		{"URLUserinfoTrick", "url", "http://example.com@evil.net/", nil},
		{"URLExact", "url", "https://status.vendor.IO/health", []string{"custom"}},
		{"URLExactOtherPath", "url", "https://status.vendor.io/other", nil},
		{"URLPublic", "url", "https://evil.net/", nil},

		// Email addresses: by domain, or listed exactly.
		{"Email", "email", "alice@example.com", []string{"rfc2606-reserved-names"}},
		{"EmailSubdomain", "email", "bob@mail.corp.example.net", []string{"rfc2606-reserved-names", "custom"}},
		{"EmailLiteral", "email", "x@[192.0.2.1]", []string{"rfc5737-documentation"}},
		{"EmailLiteralIPv6", "email", "x@[IPv6:2001:db8::1]", []string{"rfc3849-documentation"}},
		{"EmailExactUpper", "email", "NOC@vendor.io", []string{"custom"}},
		{"EmailOther", "email", "abuse@vendor.io", nil},
		{"EmailLookAlike", "email", "alice@notexample.com", nil},
		{"EmailNoAt", "email", "example.com", nil},

		// Hashes.
		{"MD5", "md5", "d41d8cd98f00b204e9800998ecf8427e", []string{"custom"}},
		{"MD5Upper", "md5", "D41D8CD98F00B204E9800998ECF8427E", []string{"custom"}},
		{"SHA1", "sha1", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", []string{"custom"}},
		{"SHA1Dash", "sha-1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", []string{"custom"}},
		{"SHA256", "sha256", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", []string{"custom"}},
		{"SHA256Other", "sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b856", nil},
		{"HashNotHex", "md5", "z41d8cd98f00b204e9800998ecf8427e", nil},
		{"HashShort", "md5", "d41d8cd98f00b204e9800998ecf8427", nil},

		{"UnknownKind", "mutex", "example.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := listNames(s.Match(tt.kind, tt.value))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Match(%q, %q) lists (-want +got):\n%s", tt.kind, tt.value, diff)
			}
		})
	}
}

func TestMatchHit(t *testing.T) {
	l := MustLoad(t, "ops", "10.0.0.0/8   # lab network\n10.1.0.0/16 # lab, building 1\n10.1.0.0/16 # written twice\n")
	s := MustSet(t, l)
	want := []warninglist.Hit{
		{List: "ops", Entry: "10.0.0.0/8", Note: "lab network"},
		{List: "ops", Entry: "10.1.0.0/16", Note: "lab, building 1"},
	}
	if diff := cmp.Diff(want, s.Match("ipv4", "10.1.2.3")); diff != "" {
		t.Errorf("Match (-want +got):\n%s", diff)
	}
	d := warninglist.Default()
	got := d.Match("ipv4", "192.0.2.10")
	want = []warninglist.Hit{{List: "rfc5737-documentation", Entry: "192.0.2.0/24", Note: "RFC 5737 section 3: TEST-NET-1"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Default Match (-want +got):\n%s", diff)
	}
	if l := d.List(got[0].List); l == nil || l.Source != "RFC 5737 section 3" {
		t.Errorf("List(%q) = %+v", got[0].List, l)
	}
}

func TestNewSet(t *testing.T) {
	a := MustLoad(t, "a", "example.com\n")
	t.Run("ErrDuplicate", func(t *testing.T) {
		if _, err := warninglist.NewSet(a, MustLoad(t, "a", "example.org\n")); err == nil {
			t.Error("NewSet with two lists named a: no error")
		}
	})
	t.Run("ErrNoName", func(t *testing.T) {
		if _, err := warninglist.NewSet(&warninglist.List{}); err == nil {
			t.Error("NewSet with an unnamed list: no error")
		}
	})
	t.Run("Empty", func(t *testing.T) {
		s := MustSet(t)
		if hits := s.Match("ipv4", "10.0.0.1"); hits != nil {
			t.Errorf("empty set: Match = %v", hits)
		}
	})
}

func TestMatchURLHost(t *testing.T) {
	s := warninglist.Default()
	for _, tt := range []struct {
		url  string
		want []string
	}{
		{"http://::1/", []string{"rfc4291-loopback"}}, // unbracketed: not a port
		{"http://[::1]:8080/", []string{"rfc4291-loopback"}},
		{"http://127.0.0.1:8080/", []string{"rfc1122-loopback"}},
		{`http://evil.net\@example.com/`, nil},
		{"//www.example.com/x", []string{"rfc2606-reserved-names"}}, // network-path reference
	} {
		if diff := cmp.Diff(tt.want, listNames(s.Match("url", tt.url))); diff != "" {
			t.Errorf("Match(url, %q) lists (-want +got):\n%s", tt.url, diff)
		}
	}
}
