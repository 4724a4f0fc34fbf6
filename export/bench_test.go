package export_test

import (
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/isachub/isachub/export"
)

// benchIndicators returns n generated indicators cycling through the
// common shapes: IPv4, domain, URL, network-traffic, hash, IPv6 CIDR.
func benchIndicators(n int) []export.Indicator {
	out := make([]export.Indicator, n)
	for i := range out {
		var p string
		switch i % 6 {
		case 0:
			p = fmt.Sprintf("[ipv4-addr:value = '198.%d.%d.%d']", i>>16&255, i>>8&255, i&255)
		case 1:
			p = fmt.Sprintf("[domain-name:value = 'host%d.example.com']", i)
		case 2:
			p = fmt.Sprintf("[url:value = 'http://host%d.example.com/gate.php?id=%d']", i, i)
		case 3:
			p = fmt.Sprintf("[network-traffic:dst_ref.value = '203.0.%d.%d' AND network-traffic:dst_port = %d]", i>>8&255, i&255, 1024+i%5000)
		case 4:
			p = fmt.Sprintf("[file:hashes.'SHA-256' = '%064x']", i)
		case 5:
			p = fmt.Sprintf("[ipv6-addr:value ISSUBSET '2001:db8:%x::/48']", i&0xffff)
		}
		ind := testIndicator(p)
		ind.SID = 1_000_000 + i*export.MaxRulesPerIndicator%1_000_000_000
		out[i] = ind
	}
	return out
}

// writer is what every exporter offers.
type writer interface {
	Write(export.Indicator) error
	Flush() error
}

// benchExport writes b.N indicators (generated beforehand, 4096 distinct
// ones cycled) and reports indicators per second and allocations and
// heap growth per indicator. Run with -benchtime 1000000x for an export
// of a million indicators.
func benchExport(b *testing.B, w writer) {
	inds := benchIndicators(4096)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := w.Write(inds[i%len(inds)]); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "indicators/s")
	b.ReportMetric(max(0, float64(after.HeapAlloc)-float64(before.HeapAlloc)), "heap-growth-B")
}

func BenchmarkExportCSV(b *testing.B) {
	w := export.NewCSVWriter(io.Discard)
	benchExport(b, w)
}

func BenchmarkExportSuricata(b *testing.B) {
	w := export.NewSuricataWriter(io.Discard)
	w.SkipFunc = func(export.Skip) {} // hashes are reported; keep memory constant
	benchExport(b, w)
}

func BenchmarkExportSnort(b *testing.B) {
	w := export.NewSnortWriter(io.Discard)
	w.SkipFunc = func(export.Skip) {}
	benchExport(b, w)
}
