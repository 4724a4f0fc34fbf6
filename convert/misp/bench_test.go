package misp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/convert/misp"
)

// benchEvent returns one MISP event of n attributes of a mix seen in
// real feeds: addresses, domains, URLs, hashes, file names with hashes,
// e-mail senders, address|port pairs and comments, about 60% meant for
// detection, some with tags, sightings and galaxies, and some values
// repeated (so SCOs are shared).
func benchEvent(n int) []byte {
	attrs := make([]any, 0, n)
	for i := range n {
		var typ, val string
		switch i % 10 {
		case 0, 1:
			typ, val = "ip-dst", fmt.Sprintf("198.51.%d.%d", i/250%250, i%250)
		case 2:
			typ, val = "domain", fmt.Sprintf("host%d.example.com", i%4000)
		case 3:
			typ, val = "url", fmt.Sprintf("http://host%d.example.com/path/%d?q='x'", i%4000, i)
		case 4:
			typ, val = "md5", fmt.Sprintf("%032x", i)
		case 5:
			typ, val = "sha256", fmt.Sprintf("%064x", i)
		case 6:
			typ, val = "filename|sha1", fmt.Sprintf("C:\\Users\\x\\file%d.exe|%040x", i, i)
		case 7:
			typ, val = "email-src", fmt.Sprintf("sender%d@example.org", i%500)
		case 8:
			typ, val = "ip-src|port", fmt.Sprintf("203.0.%d.%d|%d", i/250%250, i%250, 1024+i%6000)
		case 9:
			typ, val = "hostname", fmt.Sprintf("mail%d.example.net", i)
		}
		a := map[string]any{
			"id": fmt.Sprint(i), "uuid": fmt.Sprintf("0b000000-0000-4000-8000-%012x", i), "type": typ, "category": "Network activity",
			"value": val, "to_ids": i%5 < 3, "timestamp": fmt.Sprint(1704164645 + i), "comment": "", "deleted": false, "distribution": "5",
		}
		if i%7 == 0 {
			a["Tag"] = []any{map[string]any{"name": "tlp:green"}, map[string]any{"name": "kill-chain:Delivery"}}
		}
		if i%50 == 0 {
			a["Sighting"] = []any{map[string]any{"type": "0", "date_sighting": fmt.Sprint(1704200000 + i), "source": "SIEM"}}
		}
		if i%100 == 0 {
			a["Galaxy"] = []any{map[string]any{"type": "mitre-attack-pattern", "GalaxyCluster": []any{map[string]any{
				"uuid": "2e34237d-8574-43f6-aace-ae2915de8597", "value": "Spearphishing Attachment - T1566.001",
				"meta": map[string]any{"external_id": []any{"T1566.001"}}}}}}
		}
		attrs = append(attrs, a)
	}
	ev := map[string]any{"Event": map[string]any{
		"uuid": "0b000000-0000-4000-8000-ffffffffffff", "info": "Benchmark event", "date": "2024-01-02", "timestamp": "1704164645",
		"Orgc":      map[string]any{"name": "ACME CERT", "uuid": "a2000000-0000-4000-8000-0000000000ff"},
		"Tag":       []any{map[string]any{"name": "tlp:amber"}, map[string]any{"name": "misp-galaxy:threat-actor=\"Sofacy\""}},
		"Attribute": attrs,
	}}
	data, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return data
}

// BenchmarkConvertEvent converts one event of 10,000 attributes and
// reports attributes per second (the target is at least 20,000).
func BenchmarkConvertEvent(b *testing.B) {
	const n = 10000
	data := benchEvent(n)
	objects := 0
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		rep, err := misp.Convert(bytes.NewReader(data), "bench", convert.Options{Now: now}, func(json.RawMessage) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		objects = rep.Objects
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "attrs/s")
	b.ReportMetric(float64(objects), "objects/event")
}

// TestBenchEvent checks that the benchmark's event converts cleanly.
func TestBenchEvent(t *testing.T) {
	r := run(t, benchEvent(500), convert.Options{Now: now})
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkObjects(t, r, true)
	if r.rep.Total(convert.NotConverted) != 0 || r.rep.Total(convert.Approximate) != 0 {
		t.Errorf("entries:\n%s", r.entries())
	}
}
