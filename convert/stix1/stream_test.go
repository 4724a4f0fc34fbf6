package stix1_test

import (
	"encoding/json"
	"runtime"
	"testing"

	"github.com/isachub/isachub/convert/stix1"
)

// TestLargePackageBoundedMemory converts a generated package of about
// 100 MB, streamed from a generator, and checks that the heap stays
// bounded: the converter holds one construct at a time, and per object
// only its id (for the package report) and a few bytes of bookkeeping.
// Its indicators convert exactly, since the report itself holds one entry
// per approximate construct.
func TestLargePackageBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 100 MB")
	}
	const size = 100 << 20
	const limit = 100 << 20
	gen := &genPackage{size: size, exact: true}
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	objects, indicators := 0, 0
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	rep, err := stix1.Convert(gen, "generated.xml", opts(), func(raw json.RawMessage) error {
		objects++
		if len(raw) > 12 && string(raw[:22]) == `{"type":"indicator","s` {
			indicators++
		}
		if objects%20000 == 0 {
			sample()
		}
		return nil
	})
	sample()
	if err != nil {
		t.Fatal(err)
	}
	if gen.out < size {
		t.Fatalf("generated only %d bytes", gen.out)
	}
	if indicators != gen.n || rep.Objects != objects {
		t.Fatalf("%d indicators of %d, %d objects reported of %d", indicators, gen.n, rep.Objects, objects)
	}
	t.Logf("%d MB in, %d indicators, %d objects, peak HeapInuse %d MB", gen.out>>20, indicators, objects, peak>>20)
	if peak > limit {
		t.Errorf("peak HeapInuse %d MB, want under %d MB", peak>>20, limit>>20)
	}
}
