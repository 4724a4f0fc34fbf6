package stix1_test

import (
	"slices"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

const ind1 = "/stix:STIX_Package/stix:Indicators/stix:Indicator"

func TestIndicators(t *testing.T) {
	r := mustConvert(t, "indicators.xml", opts())
	tests := []struct {
		src, pattern string
	}{
		{"example:indicator-a1", "[ipv4-addr:value = '198.51.100.7']"},
		{"example:indicator-a2", "[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2', '192.0.2.3')]"},
		{"example:indicator-a3", "[ipv4-addr:value ISSUBSET '203.0.113.0/24']"},
		{"example:indicator-a4", `[domain-name:value = 'evil.example.com'] OR [url:value = 'http://evil.example.com/it\'s\\here']`},
		{"example:indicator-a5", "[file:name = 'dropper.exe' AND file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"},
		{"example:indicator-a6", "[ipv4-addr:value = '198.51.100.7'] AND [ipv4-addr:value ISSUBSET '203.0.113.0/24']"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			o := r.get(t, id("indicator", tt.src))
			if o["pattern"] != tt.pattern {
				t.Errorf("pattern\n got %s\nwant %s", o["pattern"], tt.pattern)
			}
			if o["pattern_type"] != "stix" || o["pattern_version"] != "2.1" {
				t.Errorf("pattern_type %v, pattern_version %v", o["pattern_type"], o["pattern_version"])
			}
		})
	}

	t.Run("Properties", func(t *testing.T) {
		a1 := r.get(t, id("indicator", "example:indicator-a1"))
		want := map[string]any{
			"name": "Malicious IP", "description": "C2 address",
			"created": "2015-04-01T10:00:00.000Z", "modified": "2015-04-01T10:00:00.000Z",
			"valid_from": "2015-04-01T22:00:00.000Z", "valid_until": "2016-04-02T00:00:00.000Z",
			"confidence": 85.0,
		}
		for k, v := range want {
			if a1[k] != v {
				t.Errorf("%s = %v, want %v", k, a1[k], v)
			}
		}
		if got := strs(a1["indicator_types"]); !slices.Equal(got, []string{"unknown"}) {
			t.Errorf("indicator_types %v", got)
		}
		kcp, _ := a1["kill_chain_phases"].([]any)
		if len(kcp) != 1 || kcp[0].(map[string]any)["kill_chain_name"] != "lockheed-martin-cyber-kill-chain" || kcp[0].(map[string]any)["phase_name"] != "command-and-control" {
			t.Errorf("kill_chain_phases %v", kcp)
		}
		// No timestamp on the indicator: the package's, to the millisecond.
		a3 := r.get(t, id("indicator", "example:indicator-a3"))
		if a3["created"] != "2015-04-01T10:00:00.123Z" || a3["valid_from"] != "2015-04-01T10:00:00.123Z" {
			t.Errorf("a3 created %v valid_from %v", a3["created"], a3["valid_from"])
		}
		if got := strs(r.get(t, id("indicator", "example:indicator-a4"))["indicator_types"]); !slices.Equal(got, []string{"malicious-activity"}) {
			t.Errorf("a4 indicator_types %v", got)
		}
	})

	t.Run("IndicatedTTP", func(t *testing.T) {
		// The TTP is defined after the indicator: the relationship waits
		// for it and points at what it became, an infrastructure.
		infra := id("infrastructure", "example:ttp-c2")
		if r.get(t, infra)["name"] != "Botnet C2" {
			t.Error("infrastructure name")
		}
		rel := r.rel(id("indicator", "example:indicator-a1"), "indicates", infra)
		if rel == nil {
			t.Fatal("no indicates relationship")
		}
		want := id("relationship", id("indicator", "example:indicator-a1")+"\x00indicates\x00"+infra)
		if rel["id"] != want {
			t.Errorf("relationship id %v, want %v (from source, type and target)", rel["id"], want)
		}
	})

	t.Run("SourceAndMarking", func(t *testing.T) {
		idents := r.ofType("identity")
		if len(idents) != 1 || idents[0]["name"] != "Example ISAC" || idents[0]["identity_class"] != "organization" {
			t.Fatalf("identities %v", idents)
		}
		for _, o := range r.objs {
			if o["type"] == "identity" {
				continue
			}
			if o["created_by_ref"] != idents[0]["id"] {
				t.Errorf("%s created_by_ref %v", o["id"], o["created_by_ref"])
			}
		}
		for _, o := range r.objs {
			if got := strs(o["object_marking_refs"]); !slices.Equal(got, []string{stix.TLP2Green}) {
				t.Errorf("%s object_marking_refs %v, want TLP:GREEN", o["id"], got)
			}
		}
	})

	t.Run("Report", func(t *testing.T) {
		r.mustEntry(t, ind1+"[1]/indicator:Type", convert.Approximate, "IP Watchlist")
		r.mustEntry(t, ind1+"[1]/indicator:Confidence/stixCommon:Value", convert.Approximate, "85")
		if n := r.rep.Total(convert.NotConverted); n != 0 {
			t.Errorf("%d constructs not converted", n)
		}
	})
}

func TestConditions(t *testing.T) {
	r := mustConvert(t, "conditions.xml", opts())
	tests := []struct{ src, pattern string }{
		{"contains", "[url:value LIKE '%/gate.php%']"},
		{"starts", "[url:value LIKE 'https://login.%']"},
		{"ends", "[domain-name:value LIKE '%.evil.example']"},
		{"notequal", "[file:name != 'explorer.exe' AND file:size > 1048576]"},
		{"between", "[(file:size >= 100 AND file:size <= 200) AND (file:mtime > t'2014-01-01T00:00:00.000Z' AND file:mtime < t'2014-02-01T00:00:00.000Z')]"},
		{"regex", `[file:name MATCHES '^inv[0-9]+\\.pdf\\.exe$']`},
		{"bitwise", "[file:name = 'a.exe']"},
		{"nocase", `[file:name MATCHES '(?i)\\ASetup\\.EXE\\z']`},
		{"percent", "[url:value MATCHES '100%_off']"},
		{"all", "[(url:value LIKE '%evil%' AND url:value LIKE '%login%')]"},
		{"any-contains", "[(url:value LIKE '%evil%' OR url:value LIKE '%login%')]"},
		{"none", "[domain-name:value NOT IN ('a.example', 'b.example')]"},
		{"delim", "[domain-name:value IN ('a.example', 'b.example')]"},
		{"dropped", "[domain-name:value = 'kept.example']"},
		{"escape", `[file:name = 'evil.dll' AND file:parent_directory_ref.path = 'C:\\Users\\O\'Brien\\AppData']`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			o := r.get(t, id("indicator", "example:indicator-"+tt.src))
			if o["pattern"] != tt.pattern {
				t.Errorf("pattern\n got %s\nwant %s", o["pattern"], tt.pattern)
			}
		})
	}
	t.Run("Report", func(t *testing.T) {
		props := "/indicator:Observable/cybox:Object/cybox:Properties"
		r.mustEntry(t, ind1+"[6]"+props+"/FileObj:File_Name", convert.Approximate, "FitsPattern is MATCHES")
		r.mustEntry(t, ind1+"[7]"+props+"/FileObj:Size_In_Bytes", convert.NotConverted, "BitwiseAnd")
		r.mustEntry(t, ind1+"[7]/indicator:Observable/cybox:Object", convert.Approximate, "matches more")
		r.mustEntry(t, ind1+"[15]"+props+"/FileObj:File_Name", convert.NotConverted, "regular expression")
		r.mustEntry(t, ind1+"[15]", convert.NotConverted, "no observable that converts")
		r.mustEntry(t, ind1+"[16]/indicator:Observable/cybox:Observable_Composition/cybox:Observable[2]", convert.Approximate, "matches less")
		if r.has(id("indicator", "example:indicator-badregex")) {
			t.Error("an indicator without a pattern was made")
		}
	})
}

func TestCyboxObjects(t *testing.T) {
	r := mustConvert(t, "cybox.xml", opts())
	tests := []struct{ src, pattern string }{
		{"email", "[email-message:from_ref.value = 'attacker@evil.example' AND email-message:to_refs[*].value = 'victim@example.org' AND email-message:cc_refs[*].value = 'boss@example.org' AND email-message:subject LIKE '%invoice%' AND email-message:date = t'2016-01-01T08:30:00.000Z' AND email-message:additional_header_fields.'X-Mailer' = 'Evil Mailer 1.0' AND email-message:body_multipart[*].body_raw_ref.name = 'invoice.pdf.exe']"},
		{"netconn", "[network-traffic:protocols[*] = 'ipv4' AND network-traffic:protocols[*] = 'tcp' AND network-traffic:src_ref.value = '10.0.0.5' AND network-traffic:dst_ref.value = '198.51.100.9' AND network-traffic:dst_port = 443]"},
		{"socket", "[network-traffic:extensions.'socket-ext'.address_family = 'AF_INET' AND network-traffic:extensions.'socket-ext'.socket_type = 'SOCK_STREAM' AND network-traffic:extensions.'socket-ext'.is_listening = true AND network-traffic:protocols[*] = 'tcp' AND network-traffic:src_port = 4444]"},
		{"http", "[network-traffic:extensions.'http-request-ext'.request_method = 'POST' AND network-traffic:extensions.'http-request-ext'.request_value = '/gate.php' AND network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/4.0 (compatible; MSIE 6.0)' AND network-traffic:extensions.'http-request-ext'.request_header.Host = 'c2.evil.example']"},
		{"registry", `[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' AND windows-registry-key:values[*].name = 'updater' AND windows-registry-key:values[*].data LIKE '%evil.exe%']`},
		{"process", "[process:pid = 1234 AND process:command_line = 'svch0st.exe' AND process:parent_ref.pid = 4 AND process:extensions.'windows-process-ext'.window_title = 'hidden']"},
		{"mutex", `[mutex:name = 'Global\\evil-mutex']`},
		{"account", "[user-account:account_login = 'backdoor' AND user-account:display_name = 'Backup Operator' AND user-account:is_disabled = false AND user-account:extensions.'unix-account-ext'.shell = '/bin/sh']"},
		{"artifact", "[artifact:mime_type = 'application/octet-stream' AND artifact:payload_bin = b'TVqQAAMAAAAEAAAA']"},
		{"x509", "[x509-certificate:serial_number = '36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06' AND x509-certificate:issuer LIKE '%Evil CA%' AND x509-certificate:validity_not_after < t'2017-01-01T00:00:00.000Z']"},
		{"as", "[autonomous-system:number = 64496 AND autonomous-system:name = 'Bulletproof Hosting']"},
		{"host", "[domain-name:value = 'workstation-7']"},
		{"mac", "[mac-addr:value = '00:0c:29:ab:cd:ef']"},
		{"email-addr", "[email-addr:value = 'spam@evil.example']"},
		{"ipv6", "[ipv6-addr:value = '2001:db8::1']"},
		{"link", "[url:value = 'http://evil.example/landing']"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			o := r.get(t, id("indicator", "example:indicator-"+tt.src))
			if o["pattern"] != tt.pattern {
				t.Errorf("pattern\n got %s\nwant %s", o["pattern"], tt.pattern)
			}
		})
	}
	t.Run("Report", func(t *testing.T) {
		obj := "/indicator:Observable/cybox:Object"
		r.mustEntry(t, ind1+"[1]"+obj+"/cybox:Properties/EmailMessageObj:Links", convert.NotConverted, "no links")
		r.mustEntry(t, ind1+"[5]"+obj+"/cybox:Properties/WinRegistryKeyObj:Values/WinRegistryKeyObj:Value", convert.Approximate, "same element")
		r.mustEntry(t, ind1+"[6]"+obj+"/cybox:Properties/ProcessObj:Name", convert.Approximate, "command_line")
		r.mustEntry(t, ind1+"[12]"+obj+"/cybox:Properties", convert.Approximate, "no hostname")
		r.mustEntry(t, ind1+"[17]"+obj+"/cybox:Properties", convert.NotConverted, "WinServiceObj:WindowsServiceObjectType")
		if r.has(id("indicator", "example:indicator-service")) {
			t.Error("an indicator of an unknown object type was made")
		}
	})
}
