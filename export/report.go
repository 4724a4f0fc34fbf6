package export

// Report says what a writer exported: how many indicators it was given,
// how many produced output, how many rows, lines or rules it wrote, and
// each indicator it did not export with the reason.
type Report struct {
	Indicators int    // indicators passed to Write
	Exported   int    // indicators that produced at least one row, line or rule
	Written    int    // rows, lines or rules written (headers not counted)
	Skipped    []Skip // indicators not exported, in the order written; empty when a SkipFunc took them
}

// Skip is one indicator that produced no output, and why.
type Skip struct {
	ID     string // the indicator's id
	Reason string
}

// reporter is the bookkeeping every writer shares.
type reporter struct {
	rep Report
	// SkipFunc, when set, receives every Skip instead of Report.Skipped,
	// so that an export of any size runs in constant memory.
	SkipFunc func(Skip)
	// Exclude, when set, is asked of every value the CSV and TXT writers
	// would write: a value it returns true for is left out (a known false
	// positive, for example, see package warninglist), and an indicator
	// whose every value is left out is skipped with that reason. The rule
	// writers, which translate an indicator whole or not at all, do not
	// ask it: their caller decides per indicator.
	Exclude func(Observable) bool
}

// excluded reports whether the writer leaves the value out.
func (r *reporter) excluded(o Observable) bool { return r.Exclude != nil && r.Exclude(o) }

// allExcluded is the reason of an indicator whose every value was left
// out by Exclude.
const allExcluded = "every value of the pattern is on a warninglist"

func (r *reporter) skip(id, reason string) {
	s := Skip{ID: id, Reason: reason}
	if r.SkipFunc != nil {
		r.SkipFunc(s)
		return
	}
	r.rep.Skipped = append(r.rep.Skipped, s)
}

// Report returns what the writer has done so far.
func (r *reporter) Report() Report { return r.rep }
