package export

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/isachub/isachub/pattern"
)

// CSVHeader is the header row CSVWriter writes first.
var CSVHeader = []string{
	"value", "kind", "indicator id", "name", "TLP", "confidence",
	"valid_from", "valid_until", "labels", "kill-chain phases", "created", "modified",
}

// CSVWriter writes one CSV row (RFC 4180, through encoding/csv) per
// observable of each indicator, after a header row (CSVHeader). It holds
// one indicator at a time, so its memory does not grow with the export.
// An indicator with no observables, or whose pattern does not parse,
// writes no row and is recorded in the Report (or given to SkipFunc).
type CSVWriter struct {
	reporter
	w   *csv.Writer
	obs []Observable
	row [12]string
	sb  strings.Builder
	// EscapeFormulas, when set, prefixes a cell that begins with = + - @
	// tab or carriage return with a single quote, so that a spreadsheet
	// shows it rather than evaluating it. It alters the values, so leave
	// it off for files that programs import.
	EscapeFormulas bool
}

// NewCSVWriter returns a CSVWriter writing to w; the header row is
// buffered at once.
func NewCSVWriter(w io.Writer) *CSVWriter {
	c := &CSVWriter{w: csv.NewWriter(w)}
	_ = c.w.Write(CSVHeader) // an error stays in the csv.Writer for Flush
	return c
}

// Write writes the rows of one indicator. The error is the underlying
// writer's; an indicator that cannot be exported is reported, not an
// error.
func (c *CSVWriter) Write(ind Indicator) error {
	c.rep.Indicators++
	obs, reason := indicatorObservables(c.obs[:0], ind)
	c.obs = obs
	if reason != "" {
		c.skip(ind.ID, reason)
		return nil
	}
	r := &c.row
	r[2], r[3], r[4] = ind.ID, ind.Name, ind.TLP
	r[5] = ""
	if ind.Confidence != nil {
		r[5] = strconv.Itoa(*ind.Confidence)
	}
	r[6], r[7] = ind.ValidFrom, ind.ValidUntil
	r[8] = c.join(ind.Labels)
	r[9] = c.join(ind.KillChainPhases)
	r[10], r[11] = ind.Created, ind.Modified
	n := 0
	for _, o := range obs {
		if c.excluded(o) {
			continue
		}
		n++
		r[0], r[1] = o.Value, string(o.Kind)
		row := r[:]
		if c.EscapeFormulas {
			row = escapeRow(row)
		}
		if err := c.w.Write(row); err != nil {
			return err
		}
		c.rep.Written++
	}
	if n == 0 {
		c.skip(ind.ID, allExcluded)
		return nil
	}
	c.rep.Exported++
	return nil
}

// join joins a list with ";"; it returns the one element itself without
// copying.
func (c *CSVWriter) join(l []string) string {
	switch len(l) {
	case 0:
		return ""
	case 1:
		return l[0]
	}
	c.sb.Reset()
	for i, s := range l {
		if i > 0 {
			c.sb.WriteByte(';')
		}
		c.sb.WriteString(s)
	}
	return c.sb.String()
}

// Flush writes any buffered rows to the underlying writer.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

func escapeRow(row []string) []string {
	out := make([]string, len(row))
	for i, s := range row {
		if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
			s = "'" + s
		}
		out[i] = s
	}
	return out
}

// indicatorObservables appends the observables of ind to dst; reason is
// non-empty when there is none to export.
func indicatorObservables(dst []Observable, ind Indicator) ([]Observable, string) {
	if ind.PatternType != "" && ind.PatternType != "stix" {
		return dst, "pattern_type " + strconv.Quote(ind.PatternType) + " is not a STIX pattern"
	}
	pat, err := pattern.Parse(ind.Pattern)
	if err != nil {
		return dst, "the pattern does not parse: " + err.Error()
	}
	n := len(dst)
	dst = appendObservables(dst, pat)
	if len(dst) == n {
		return dst, "the pattern names no value by = or IN that a blocklist can hold"
	}
	return dst, ""
}
