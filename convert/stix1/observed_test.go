package stix1_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

func TestObservedData(t *testing.T) {
	r := mustConvert(t, "observables.xml", opts())
	obs := "/stix:STIX_Package/stix:Observables/cybox:Observable"

	t.Run("File", func(t *testing.T) {
		od := r.get(t, id("observed-data", "example:Observable-file"))
		if od["number_observed"] != 1.0 || od["first_observed"] != "2017-03-04T05:06:07.000Z" || od["last_observed"] != "2017-03-04T05:06:07.000Z" {
			t.Errorf("observed-data %v", od)
		}
		refs := strs(od["object_refs"])
		if len(refs) != 2 {
			t.Fatalf("object_refs %v", refs)
		}
		dir, file := r.get(t, refs[0]), r.get(t, refs[1])
		if dir["type"] != "directory" || dir["path"] != `C:\Temp` {
			t.Errorf("directory %v", dir)
		}
		if file["name"] != "report.doc" || file["size"] != 20480.0 || file["parent_directory_ref"] != dir["id"] {
			t.Errorf("file %v", file)
		}
		if h, _ := file["hashes"].(map[string]any); len(h) != 1 || h["MD5"] != "0cc175b9c0f1b6a831c399e269772661" {
			t.Errorf("hashes %v (the invalid SHA-1 must be left out)", file["hashes"])
		}
		r.mustEntry(t, obs+"[1]/cybox:Object/cybox:Properties/FileObj:Hashes/cyboxCommon:Hash[2]/cyboxCommon:Simple_Hash_Value", convert.NotConverted, "SHA-1")
		r.mustEntry(t, obs+"[1]", convert.Approximate, "number_observed is 1")
	})

	t.Run("DeterministicIDs", func(t *testing.T) {
		for i, o := range r.objs {
			if stix.TypeClass(o["type"].(string)) != stix.ClassSCO {
				continue
			}
			obj, err := stix.ParseObject(r.raws[i])
			if err != nil {
				t.Fatal(err)
			}
			want, ok, err := stix.DeterministicID(obj)
			if err != nil {
				t.Fatal(err)
			}
			if ok && want != o["id"] {
				t.Errorf("%s: id is not the section 2.9 id %s", o["id"], want)
			}
			if !ok && o["type"] != "process" {
				t.Errorf("%s has no deterministic id", o["id"])
			}
		}
	})

	t.Run("Email", func(t *testing.T) {
		od := r.get(t, id("observed-data", "example:Observable-email"))
		refs := strs(od["object_refs"])
		msg := r.get(t, refs[len(refs)-1])
		if msg["type"] != "email-message" || msg["subject"] != "Your invoice" || msg["is_multipart"] != true {
			t.Fatalf("email-message %v", msg)
		}
		if r.get(t, msg["from_ref"].(string))["value"] != "attacker@evil.example" {
			t.Error("from_ref")
		}
		var to []string
		for _, ref := range strs(msg["to_refs"]) {
			to = append(to, r.get(t, ref)["value"].(string))
		}
		if !slices.Equal(to, []string{"a@example.org", "b@example.org"}) {
			t.Errorf("to %v", to)
		}
		parts, _ := msg["body_multipart"].([]any)
		if len(parts) != 1 {
			t.Fatalf("body_multipart %v", parts)
		}
		part := parts[0].(map[string]any)
		if part["content_disposition"] != "attachment" || r.get(t, part["body_raw_ref"].(string))["name"] != "invoice.zip" {
			t.Errorf("attachment %v", part)
		}
	})

	t.Run("NetworkTraffic", func(t *testing.T) {
		refs := strs(r.get(t, id("observed-data", "example:Observable-conn"))["object_refs"])
		nt := r.get(t, refs[len(refs)-1])
		if nt["type"] != "network-traffic" || nt["dst_port"] != 8080.0 || r.get(t, nt["dst_ref"].(string))["value"] != "198.51.100.9" {
			t.Errorf("network-traffic %v", nt)
		}
		if got := strs(nt["protocols"]); !slices.Equal(got, []string{"ipv4"}) {
			t.Errorf("protocols %v", got)
		}
		r.mustEntry(t, obs+"[3]/cybox:Object/cybox:Properties", convert.Approximate, "protocols")
	})

	t.Run("HTTPAndSocket", func(t *testing.T) {
		refs := strs(r.get(t, id("observed-data", "example:Observable-http"))["object_refs"])
		nt := r.get(t, refs[len(refs)-1])
		ext := nt["extensions"].(map[string]any)["http-request-ext"].(map[string]any)
		if ext["request_method"] != "GET" || ext["request_value"] != "/download/payload.bin" || ext["request_version"] != "HTTP/1.1" ||
			ext["request_header"].(map[string]any)["Host"] != "dl.evil.example:8080" {
			t.Errorf("http-request-ext %v", ext)
		}
		if r.get(t, nt["dst_ref"].(string))["value"] != "dl.evil.example" || !slices.Equal(strs(nt["protocols"]), []string{"tcp", "http"}) {
			t.Errorf("network-traffic %v", nt)
		}
		r.mustEntry(t, obs+"[7]/cybox:Object/cybox:Properties", convert.Approximate, "Host header")
		refs = strs(r.get(t, id("observed-data", "example:Observable-socket"))["object_refs"])
		nt = r.get(t, refs[len(refs)-1])
		se := nt["extensions"].(map[string]any)["socket-ext"].(map[string]any)
		if se["address_family"] != "AF_INET" || se["is_listening"] != true || nt["src_port"] != 4444.0 || !slices.Equal(strs(nt["protocols"]), []string{"tcp"}) {
			t.Errorf("socket %v", nt)
		}
	})

	t.Run("ResolvesTo", func(t *testing.T) {
		refs := strs(r.get(t, id("observed-data", "example:Observable-domain"))["object_refs"])
		dn := r.get(t, refs[len(refs)-1])
		rt := strs(dn["resolves_to_refs"])
		if dn["value"] != "resolved.example" || len(rt) != 1 || r.get(t, rt[0])["value"] != "192.0.2.44" {
			t.Errorf("domain-name %v", dn)
		}
	})

	t.Run("ProcessAndRegistry", func(t *testing.T) {
		refs := strs(r.get(t, id("observed-data", "example:Observable-process"))["object_refs"])
		p := r.get(t, refs[len(refs)-1])
		if p["pid"] != 4242.0 || p["command_line"] != "evil.exe -quiet" || r.get(t, p["image_ref"].(string))["name"] != "evil.exe" {
			t.Errorf("process %v", p)
		}
		refs = strs(r.get(t, id("observed-data", "example:Observable-regkey"))["object_refs"])
		k := r.get(t, refs[0])
		want := `{"data":"evil.exe","data_type":"REG_SZ","name":"run"}`
		got, _ := json.Marshal(k["values"].([]any)[0])
		if k["key"] != `HKEY_CURRENT_USER\Software\Evil` || string(got) != want {
			t.Errorf("registry key %v", k)
		}
	})

	t.Run("UsedByIndicator", func(t *testing.T) {
		if r.has(id("observed-data", "example:Observable-pattern")) {
			t.Error("the observable an indicator uses as its pattern was also made observed-data")
		}
		ind := r.get(t, id("indicator", "example:indicator-obsref"))
		if ind["pattern"] != "[domain-name:value = 'used-by-indicator.example']" {
			t.Errorf("pattern %v", ind["pattern"])
		}
		if r.has(id("indicator", "example:indicator-forward")) {
			t.Error("an indicator whose observable idref names nothing was made")
		}
		r.mustEntry(t, ind1+"[2]/indicator:Observable", convert.NotConverted, "names no observable")
		r.mustEntry(t, ind1+"[2]/indicator:Observable", convert.Approximate, "names nothing in this input")
	})
}
