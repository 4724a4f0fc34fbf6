package anon_test

import (
	"fmt"
	"testing"

	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/stix"
)

// benchBundle builds a submission of n objects shaped like a member's daily
// share: per group of 10, one identity reference, indicators with free
// text, a malware, relationships, a sighting, observed-data and SCOs.
func benchBundle(tb testing.TB, n int) []*stix.Object {
	tb.Helper()
	const ts = "2026-11-20T09:15:00.000Z"
	id := func(typ string, i int) string { return fmt.Sprintf("%s--%08x-1111-4111-8111-%012x", typ, i, i) }
	var raws []string
	raws = append(raws, `{"type":"identity","spec_version":"2.1","id":"`+acmeID+`","created":"`+ts+`","modified":"`+ts+`","name":"Acme Airlines","identity_class":"organization"}`)
	for i := 0; len(raws) < n; i++ {
		common := `"spec_version":"2.1","created_by_ref":"` + acmeID + `","created":"` + ts + `","modified":"` + ts + `","object_marking_refs":["` + stix.TLP2Amber + `"]`
		raws = append(raws,
			`{"type":"indicator","id":"`+id("indicator", i)+`",`+common+`,"name":"Phish `+fmt.Sprint(i)+`","description":"Seen at mail.acme-air.example from 10.20.30.`+fmt.Sprint(i%250)+`; ask soc@acme-air.example. Acme Airlines case ACME-`+fmt.Sprint(i)+`.","pattern":"[ipv4-addr:value = '198.51.100.`+fmt.Sprint(i%250)+`']","pattern_type":"stix","valid_from":"`+ts+`"}`,
			`{"type":"malware","id":"`+id("malware", i)+`",`+common+`,"name":"Kit `+fmt.Sprint(i)+`","is_family":false}`,
			`{"type":"relationship","id":"`+id("relationship", i)+`",`+common+`,"relationship_type":"indicates","source_ref":"`+id("indicator", i)+`","target_ref":"`+id("malware", i)+`"}`,
			`{"type":"sighting","id":"`+id("sighting", i)+`",`+common+`,"sighting_of_ref":"`+id("indicator", i)+`","where_sighted_refs":["`+acmeID+`"],"observed_data_refs":["`+id("observed-data", i)+`"]}`,
			`{"type":"observed-data","id":"`+id("observed-data", i)+`",`+common+`,"first_observed":"`+ts+`","last_observed":"`+ts+`","number_observed":1,"object_refs":["`+id("ipv4-addr", i)+`","`+id("network-traffic", i)+`","`+id("file", i)+`"]}`,
			`{"type":"ipv4-addr","spec_version":"2.1","id":"`+id("ipv4-addr", i)+`","value":"198.51.100.`+fmt.Sprint(i%250)+`"}`,
			`{"type":"network-traffic","spec_version":"2.1","id":"`+id("network-traffic", i)+`","src_ref":"`+id("ipv4-addr", i)+`","dst_port":443,"protocols":["tcp"]}`,
			`{"type":"file","spec_version":"2.1","id":"`+id("file", i)+`","name":"invoice`+fmt.Sprint(i)+`.pdf","hashes":{"SHA-256":"`+fmt.Sprintf("%064x", i)+`"}}`,
			`{"type":"note","id":"`+id("note", i)+`",`+common+`,"content":"Analyst note from Acme Airlines about `+id("indicator", i)+`","object_refs":["`+id("indicator", i)+`","`+acmeID+`"]}`,
			`{"type":"report","id":"`+id("report", i)+`",`+common+`,"name":"Daily `+fmt.Sprint(i)+`","published":"`+ts+`","object_refs":["`+id("indicator", i)+`","`+id("malware", i)+`","`+id("relationship", i)+`"]}`,
		)
	}
	return mustParse(tb, raws[:n]...)
}

// BenchmarkAnonymise anonymises a 1,000-object submission; objects/s is
// the throughput.
func BenchmarkAnonymise(b *testing.B) {
	objs := benchBundle(b, 1000)
	cfg := acmeConfig(b)
	if res, err := anon.Anonymise(objs, cfg); err != nil {
		b.Fatal(err)
	} else {
		for _, o := range res.Objects {
			if r := stix.Validate(o); !r.Valid() {
				b.Fatalf("%s: %v", o.Raw(), r.Errors)
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := anon.Anonymise(objs, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(objs))*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}
