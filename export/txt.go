package export

import (
	"bufio"
	"io"
)

// TXTWriter writes the observables of one Kind, one value per line
// ("\n"), for firewalls and proxies that import plain lists. It does not
// remove duplicates across indicators (that would need memory growing
// with the export): a value several indicators name is written once per
// indicator. An indicator with no observable of the kind is recorded in
// the Report (or given to SkipFunc).
type TXTWriter struct {
	reporter
	w    *bufio.Writer
	kind Kind
	obs  []Observable
}

// NewTXTWriter returns a TXTWriter of the values of kind.
func NewTXTWriter(w io.Writer, kind Kind) *TXTWriter {
	return &TXTWriter{w: bufio.NewWriter(w), kind: kind}
}

// Write writes the values of one indicator.
func (t *TXTWriter) Write(ind Indicator) error {
	t.rep.Indicators++
	obs, reason := indicatorObservables(t.obs[:0], ind)
	t.obs = obs
	if reason != "" {
		t.skip(ind.ID, reason)
		return nil
	}
	n, excluded := 0, 0
	for _, o := range obs {
		if o.Kind != t.kind {
			continue
		}
		if t.excluded(o) {
			excluded++
			continue
		}
		t.w.WriteString(o.Value)
		if err := t.w.WriteByte('\n'); err != nil {
			return err
		}
		n++
	}
	if n == 0 && excluded > 0 {
		t.skip(ind.ID, allExcluded)
		return nil
	}
	if n == 0 {
		t.skip(ind.ID, "the pattern names no "+string(t.kind)+" value")
		return nil
	}
	t.rep.Exported++
	t.rep.Written += n
	return nil
}

// Flush writes any buffered lines to the underlying writer.
func (t *TXTWriter) Flush() error { return t.w.Flush() }
