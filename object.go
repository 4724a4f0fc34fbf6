package isachub

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/isachub/isachub/stix"
)

// ObjectVersion is one version of a STIX object in one collection, stored
// exactly as received, with the fields that queries need extracted.
type ObjectVersion struct {
	CollectionID string
	ID           string // the STIX id
	Type         string
	SpecVersion  string
	Created      string // as received, "" when absent
	Modified     string // as received, "" when absent
	Revoked      bool
	CreatedByRef string
	Markings     []string // object_marking_refs
	// TLP is the version's own TLP level (stix.EffectiveTLP), TLPNone when
	// unmarked; isachub.CollectionTLP applies the collection's default.
	TLP stix.TLP
	// DateAdded is when the collection received this version (TAXII 2.1
	// section 3.2), in microseconds, unique within the collection.
	DateAdded time.Time
	// SubmitterOrgID is the organisation that submitted this version. It is
	// internal: never serialised to a client.
	SubmitterOrgID int64
	Raw            json.RawMessage
}

// Version returns the TAXII version string of v: modified, else created,
// else date_added (for objects, such as SCOs, that have neither).
func (v *ObjectVersion) Version() string {
	switch {
	case v.Modified != "":
		return v.Modified
	case v.Created != "":
		return v.Created
	}
	return FormatTimestamp(v.DateAdded)
}

// FormatTimestamp formats t as a TAXII/STIX timestamp in UTC with
// microsecond precision, for example "2026-11-23T06:22:27.123456Z".
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// ObjectFilter selects object versions of one collection (TAXII 2.1 section
// 3.4). Results are ordered by date_added.
type ObjectFilter struct {
	AddedAfter time.Time // exclusive; zero means no bound
	IDs        []string  // match[id]; ORed
	Types      []string  // match[type]; ORed
	// Versions is match[version]: "first", "last", "all" or timestamps,
	// ORed. Empty means "last".
	Versions []string
	// SpecVersions is match[spec_version]. Empty means the latest spec
	// version of each object.
	SpecVersions []string
	Limit        int    // at most this many; the store caps it at its maximum
	Next         string // opaque cursor from a previous ObjectPage.Next
}

// The page sizes of ObjectFilter.Limit that every store applies (TAXII 2.1
// section 3.4.1: a server may return fewer objects than the limit).
const (
	DefaultPageSize = 100  // used when ObjectFilter.Limit is zero or negative
	MaxPageSize     = 1000 // ObjectFilter.Limit is capped at this
)

// ObjectPage is one page of object versions in date_added order.
type ObjectPage struct {
	Objects []*ObjectVersion
	More    bool   // more versions match after this page
	Next    string // opaque cursor for the next page; "" when !More
}

// AddResult is the outcome of adding one object to a collection.
type AddResult struct {
	ID      string
	Version string
	// Err is nil when the version was stored (or was already there), and
	// an *Error otherwise, for example ECONFLICT when another organisation
	// first published the id.
	Err error
	// Note is, for a success, what the sender should know: that the
	// version was stored already with other content, which is kept
	// (DuplicateNote). "" otherwise.
	Note string
	// Existed is set for a success that stored nothing: the version was
	// stored already (before, or earlier in the same call).
	Existed bool
}

// ObjectStore keeps object versions.
type ObjectStore interface {
	// AddObjects adds every object to the collection in one transaction on
	// behalf of the submitting organisation, assigning each new version a
	// date_added. An object whose id was first published in the collection
	// by another organisation fails with ECONFLICT in its AddResult and is
	// not stored; a version already stored is a success that stores nothing.
	// The error is non-nil only when nothing was stored.
	AddObjects(ctx context.Context, collectionID string, submitterOrgID int64, objs []*stix.Object) ([]AddResult, error)
	// Objects returns one page of the collection's object versions that
	// see shows. The levels see hides are filtered in the query, before
	// paging, and first, last and the latest spec_version are computed as
	// if their versions did not exist: a reader sees the latest version it
	// is entitled to and nothing of newer ones.
	Objects(ctx context.Context, collectionID string, see Visibility, f ObjectFilter) (*ObjectPage, error)
	// DeleteObject removes the versions of the object that f selects (only
	// f.Versions and f.SpecVersions are read). Only the organisation that
	// first published the id may delete it: others get ENOTFOUND when they
	// cannot read it, and EFORBIDDEN otherwise, as the caller decides.
	DeleteObject(ctx context.Context, collectionID, id string, orgID int64, f ObjectFilter) error
	// SearchObjects runs a full-text query over name, description, pattern
	// and SCO values of the latest versions in the collections of scope
	// only (a collection id to what the caller may see of it), with the
	// query's filters, newest first (SearchQuery). The levels each
	// Visibility hides are left out in the query, before the limit and
	// before SearchScanLimit, so an object whose latest version is hidden
	// is not found and does not count. EINVALID when the text has no word.
	SearchObjects(ctx context.Context, scope map[string]Visibility, q SearchQuery) (*SearchPage, error)
	// CountAdded returns, for each collection of scope, how many versions
	// of each type it received on each day (UTC) that begins after since
	// (FirstDayAfter: counts are kept by whole day), leaving out
	// the levels each Visibility hides. Statistics pass the policy's
	// Reader.StatisticsVisibility, which also leaves out TLP:RED.
	CountAdded(ctx context.Context, scope map[string]Visibility, since time.Time) ([]DailyCount, error)
	// Referring returns the latest versions, in the collections of scope,
	// of the objects that refer to f.ID by one of their References (a
	// relationship's source_ref or target_ref, a sighting's
	// sighting_of_ref, a note's object_refs...), newest first. Revoked
	// versions and the levels each Visibility hides are left out in the
	// query, before the limit.
	Referring(ctx context.Context, scope map[string]Visibility, f ReferenceFilter) ([]*ObjectVersion, error)
	// MostReferenced ranks the ids of the given types, which must be
	// RankedTypes (EINVALID otherwise), by how many latest versions added
	// on the days that begin after since (FirstDayAfter: the stores keep
	// these counts by whole day, as they arrive), in the collections of
	// scope, refer to them (not counting revoked versions or the levels
	// each Visibility hides), most referenced first, at most limit. Only
	// the id and its count are returned: the caller reads each one with
	// its own rights.
	MostReferenced(ctx context.Context, scope map[string]Visibility, types []string, since time.Time, limit int) ([]ReferenceCount, error)
	// Submitted returns the latest versions, in the collections of scope,
	// that the organisation submitted under its name (SubmitterOrgID;
	// anonymous submissions have none), newest first, at most limit
	// (capped at MaxPageSize), without revoked versions or the levels each
	// collection's Visibility hides.
	Submitted(ctx context.Context, scope map[string]Visibility, orgID int64, limit int) ([]*ObjectVersion, error)
}

// ReferenceFilter selects the objects that refer to an id.
type ReferenceFilter struct {
	ID    string   // the id referred to
	Types []string // the referring objects' types; empty means any
	Limit int      // at most this many; capped at MaxPageSize
}

// RankedTypes are the types whose ids MostReferenced ranks: the stores
// count the references to them as objects arrive.
var RankedTypes = []string{"attack-pattern", "campaign", "course-of-action", "identity", "infrastructure",
	"intrusion-set", "location", "malware", "threat-actor", "tool", "vulnerability"}

// CheckRankedTypes returns EINVALID unless every type is one of
// RankedTypes.
func CheckRankedTypes(types []string) error {
	for _, t := range types {
		if !slices.Contains(RankedTypes, t) {
			return Errorf(EINVALID, "The references to %q objects are not counted; only those to %s are.", t, strings.Join(RankedTypes, ", "))
		}
	}
	return nil
}

// ReferenceCount is how many objects refer to an id.
type ReferenceCount struct {
	ID    string
	Count int64
}

// DailyCount is how many object versions of one type one collection
// received on one day (UTC).
type DailyCount struct {
	CollectionID string
	Day          time.Time // midnight UTC
	Type         string
	Count        int64
}

// microsPerDay is the length of a day in the stores' date_added unit.
const microsPerDay = 86400 * 1000000

// DayOf returns the day (midnight UTC) of a date_added in microseconds
// since the epoch, the stores' unit.
func DayOf(dateAddedMicros int64) time.Time {
	return time.UnixMicro(dateAddedMicros - dateAddedMicros%microsPerDay).UTC()
}

// FirstDayAfter returns the start, in microseconds since the epoch, of the
// first day (UTC) that begins after since: where CountAdded's days start.
func FirstDayAfter(since time.Time) int64 {
	m := since.UnixMicro()
	if m < 0 {
		return 0
	}
	return (m/microsPerDay + 1) * microsPerDay
}
