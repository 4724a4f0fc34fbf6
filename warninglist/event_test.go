package warninglist_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/warninglist"
)

func TestEventFired(t *testing.T) {
	top := MustLoad(t, "top-sites", ".wikipedia.org\n"+strings.Repeat("d41d8cd98f00b204e9800998ecf8427e\n", 1))
	s := MustSet(t, append(warninglist.Default().Lists(), top)...)
	tests := []struct {
		name, event, pattern string
		want                 []string // Warning.String of each
	}{
		{"OKPrivateSource", `{"source.ip":"10.0.0.5","destination.ip":"185.220.101.1"}`,
			"[ipv4-addr:value ISSUBSET '0.0.0.0/0']", nil}, // fires on 185.220.101.1 too
		{"OKOnlyPrivate", `{"source.ip":"10.0.0.5","destination.ip":"192.168.1.1"}`,
			"[ipv4-addr:value ISSUBSET '0.0.0.0/0']", []string{
				"ipv4 10.0.0.5 is on the warninglist rfc1918-private",
				"ipv4 192.168.1.1 is on the warninglist rfc1918-private"}},
		{"OKResolver", `{"source.ip":"10.0.0.5","destination":{"ip":"8.8.8.8","port":53}}`,
			"[network-traffic:dst_ref.value = '8.8.8.8' AND network-traffic:dst_port = 53]", []string{
				"ipv4 8.8.8.8 is on the warninglist google-public-dns"}}, // not 10.0.0.5
		{"OKUnrelatedValueNotNamed", `{"source.ip":"10.0.0.5","dns":{"question":{"name":"bad.example.net"}}}`,
			"[domain-name:value = 'bad.example.net']", []string{
				"domain bad.example.net is on the warninglist rfc2606-reserved-names"}},
		{"OKFileList", `{"dns.question.name":"en.wikipedia.org"}`,
			"[domain-name:value LIKE '%.org']", []string{"domain en.wikipedia.org is on the warninglist top-sites"}},
		{"OKHash", `{"file":{"hash":{"md5":"D41D8CD98F00B204E9800998ECF8427E","sha256":"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"}}}`,
			"[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']", []string{
				"md5 d41d8cd98f00b204e9800998ecf8427e is on the warninglist top-sites"}},
		{"OKHashOtherFires", `{"file":{"hash":{"md5":"D41D8CD98F00B204E9800998ECF8427E","sha256":"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"}}}`,
			"[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E' OR file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", nil},
		{"OKNeedsTwo", `{"source.ip":"10.0.0.5","destination.ip":"192.168.1.1","destination.port":443}`,
			"[network-traffic:src_ref.value = '10.0.0.5' AND network-traffic:dst_ref.value = '192.168.1.1']", []string{
				"ipv4 10.0.0.5 is on the warninglist rfc1918-private",
				"ipv4 192.168.1.1 is on the warninglist rfc1918-private"}},
		{"OKCompound", `{"source.ip":"185.220.101.1","url.full":"http://example.com/x"}`,
			"[ipv4-addr:value = '185.220.101.1'] OR [url:value = 'http://example.com/x']", nil},
		{"OKNothingWarned", `{"source.ip":"185.220.101.1"}`, "[ipv4-addr:value = '185.220.101.1']", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, err := pattern.ParseEvent([]byte(tt.event))
			if err != nil {
				t.Fatal(err)
			}
			p, err := pattern.Parse(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			ev := s.Event(obs...)
			var got []string
			for _, w := range ev.Fired(p) {
				got = append(got, w.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			// The event is left as it was: the pattern still fires on it.
			if !p.MatchOne(obs[0]) {
				t.Errorf("the pattern does not fire on the event")
			}
		})
	}
}

func TestWarningString(t *testing.T) {
	w := warninglist.Warning{Kind: "ipv4", Value: "169.254.169.254", Hits: warninglist.Default().Match("ipv4", "169.254.169.254")}
	if got, want := w.String(), "ipv4 169.254.169.254 is on the warninglist rfc3927-link-local, cloud-metadata"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
