package stix1_test

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/isachub/isachub/convert/stix1"
)

// BenchmarkConvertPackage converts a generated STIX 1.2 package of 10,000
// indicators (addresses, domains, URLs and file hashes in turn) and
// reports indicators per second; the target is at least 5,000.
func BenchmarkConvertPackage(b *testing.B) {
	const n = 10_000
	data, err := io.ReadAll(&genPackage{limit: n})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		objects := 0
		_, err := stix1.Convert(bytes.NewReader(data), "bench.xml", opts(), func(json.RawMessage) error {
			objects++
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if objects < n {
			b.Fatalf("%d objects", objects)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "indicators/s")
}
