package isachub

import "time"

// SearchScanLimit bounds the full-text matches, in what the caller may
// see, that one search examines: the most recently added ones. A page and
// its filters are computed over these alone; SearchPage.Partial says when
// there were more, so a common word with a narrow filter costs a bounded
// time and the caller is told to refine the words.
const SearchScanLimit = 10_000

// SearchQuery is what Store.SearchObjects looks for: the latest versions
// whose searchable text (SearchText) holds every word of Text, and that
// pass every filter that is set. The results come newest first (most
// recently added), Limit of them (capped at MaxPageSize) after skipping
// Offset.
type SearchQuery struct {
	Text  string
	Types []string // any of these types; empty means any
	// Label is a value the version's labels must hold; "" means any.
	Label string
	// MinConfidence keeps versions whose confidence is at least this;
	// 0 means any, including versions without a confidence.
	MinConfidence int
	// CreatedFrom and CreatedUntil bound the created property, and
	// AddedFrom and AddedUntil the date added, each by whole days (UTC),
	// both included; the zero time leaves that side open.
	CreatedFrom, CreatedUntil time.Time
	AddedFrom, AddedUntil     time.Time
	// SubmitterOrgID keeps what this organisation submitted under its name
	// (anonymous submissions have none); 0 means anyone.
	SubmitterOrgID int64
	Offset, Limit  int
}

// SearchPage is one page of a search's results.
type SearchPage struct {
	Versions []*ObjectVersion
	// More is true when results follow this page.
	More bool
	// Partial is true when the words match more than SearchScanLimit
	// versions that the caller may see: the page and its filters covered
	// the most recent SearchScanLimit of them.
	Partial bool
}

// DayRange turns a range of whole days (UTC, both included; a zero time
// leaves that side open) into the half-open range of instants
// [from, until). ok is false when both sides are open.
func DayRange(fromDay, untilDay time.Time) (from, until time.Time, ok bool) {
	if fromDay.IsZero() && untilDay.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	from = time.Unix(0, 0).UTC()
	if !fromDay.IsZero() {
		from = fromDay.UTC().Truncate(24 * time.Hour)
	}
	// The open end, and the latest end, is the last day of year 9999:
	// later instants would print with five digits and sort before the
	// stores' RFC 3339 text.
	until = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	if next := untilDay.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1); !untilDay.IsZero() && next.Before(until) {
		until = next
	}
	return from, until, true
}
