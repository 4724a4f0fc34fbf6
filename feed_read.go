package isachub

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/isachub/isachub/stix"
)

// FeedScanLimit bounds the versions one ReadFeed call examines: a page
// may hold fewer versions than its limit when the feed's filter leaves
// most out, with More set and Next where the examination stopped (TAXII
// 2.1 section 3.4.1 lets a server return fewer objects than asked).
const FeedScanLimit = 10000

// FeedPage is one page of a feed: the versions, in date_added order
// across the feed's collections, and each one's parsed object.
type FeedPage struct {
	ObjectPage
	Parsed []*stix.Object
	// Position is the cursor of how far the read examined, set whether or
	// not More is: a reader that follows the feed as it grows (a live
	// stream) reads on from it later, without examining again what the
	// filter left out.
	Position string
}

// ReadFeed returns one page of the feed as a TAXII collection would (TAXII
// 2.1 section 5.3): the versions that each source's read (Store.Objects
// with f and the source's Visibility, which FeedSources computed from the
// policy) returns and that the feed's filter selects at now, merged in
// order of date_added, then collection id. f.AddedAfter, f.Types (within
// the feed's), f.IDs, f.Versions and f.SpecVersions apply as on a
// collection; f.Next is a cursor of a previous FeedPage of the same feed.
func ReadFeed(ctx context.Context, store ObjectStore, fd *Feed, sources []FeedSource, f ObjectFilter, now time.Time) (*FeedPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	pos := feedPosition{at: f.AddedAfter, coll: positionAll}
	if f.Next != "" {
		var err error
		if pos, err = parseFeedCursor(f.Next); err != nil {
			return nil, err
		}
	}
	types := f.Types
	if len(fd.Filter.Types) > 0 {
		types = fd.Filter.Types
		if len(f.Types) > 0 {
			types = slices.DeleteFunc(slices.Clone(f.Types), func(t string) bool { return !slices.Contains(fd.Filter.Types, t) })
			if len(types) == 0 {
				return &FeedPage{Position: pos.cursor()}, nil
			}
		}
	}
	targeted, err := feedTargets(ctx, store, fd, sources)
	if err != nil {
		return nil, err
	}
	heads := make([]*feedHead, 0, len(sources))
	for _, src := range sources {
		h := &feedHead{src: src, after: pos.at, more: true}
		if src.Collection.ID > pos.coll && !pos.at.IsZero() {
			// Versions of this collection at pos.at itself come after
			// the position: read from that instant on (date_added is in
			// microseconds, ObjectFilter.AddedAfter exclusive).
			h.after = pos.at.Add(-time.Microsecond)
		}
		heads = append(heads, h)
	}
	page := &FeedPage{}
	chunk := min(limit, MaxPageSize)
	for scanned := 0; len(page.Objects) < limit && scanned < FeedScanLimit; scanned++ {
		var next *feedHead
		for _, h := range heads {
			if err := h.fill(ctx, store, f, types, chunk); err != nil {
				return nil, err
			}
			if len(h.buf) > 0 && (next == nil || h.before(next)) {
				next = h
			}
		}
		if next == nil {
			page.Position = pos.cursor()
			return page, nil
		}
		v := next.buf[0]
		next.buf = next.buf[1:]
		pos = feedPosition{at: v.DateAdded, coll: v.CollectionID}
		o, err := stix.ParseObject(v.Raw)
		if err != nil {
			return nil, Errorf(EINTERNAL, "stored version %s of %s cannot be read: %v", v.Version(), v.ID, err)
		}
		if !fd.Filter.Selects(o, now, targeted) {
			continue
		}
		if fresh, err := keepsScore(ctx, store, &fd.Filter, sources, o, now); err != nil {
			return nil, err
		} else if fresh {
			page.Objects = append(page.Objects, v)
			page.Parsed = append(page.Parsed, o)
		}
	}
	for _, h := range heads {
		if err := h.fill(ctx, store, f, types, chunk); err != nil {
			return nil, err
		}
		if len(h.buf) > 0 {
			page.More = true
		}
	}
	page.Position = pos.cursor()
	if page.More {
		page.Next = page.Position
	}
	return page, nil
}

// feedHead is the read position in one source collection of a feed.
type feedHead struct {
	src   FeedSource
	buf   []*ObjectVersion
	after time.Time // the next read's AddedAfter
	more  bool      // the collection may hold more after buf
}

// fill reads the collection's next versions when its buffer is empty.
func (h *feedHead) fill(ctx context.Context, store ObjectStore, f ObjectFilter, types []string, chunk int) error {
	if len(h.buf) > 0 || !h.more {
		return nil
	}
	p, err := store.Objects(ctx, h.src.Collection.ID, h.src.See, ObjectFilter{
		AddedAfter: h.after, IDs: f.IDs, Types: types, Versions: f.Versions, SpecVersions: f.SpecVersions, Limit: chunk,
	})
	if err != nil {
		return err
	}
	h.buf, h.more = p.Objects, p.More
	if n := len(p.Objects); n > 0 {
		h.after = p.Objects[n-1].DateAdded
	} else {
		h.more = false
	}
	return nil
}

// before reports whether h's next version comes before o's: by date_added,
// then collection id.
func (h *feedHead) before(o *feedHead) bool {
	a, b := h.buf[0], o.buf[0]
	if !a.DateAdded.Equal(b.DateAdded) {
		return a.DateAdded.Before(b.DateAdded)
	}
	return a.CollectionID < b.CollectionID
}

// feedPosition is how far a feed's read has gone: every version whose
// (date_added, collection id) is at or before (at, coll) was examined.
type feedPosition struct {
	at   time.Time
	coll string
}

// positionAll sorts after every collection id (UUIDs in lower-case hex),
// so that a position at an instant covers every collection's versions of
// that instant: what added_after, which is exclusive, means.
const positionAll = "~"

func (p feedPosition) cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(p.at.UnixMicro(), 10) + " " + p.coll))
}

func parseFeedCursor(s string) (feedPosition, error) {
	bad := Errorf(EINVALID, "The next cursor %q is not one this feed gave.", clipText(s))
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return feedPosition{}, bad
	}
	at, coll, ok := strings.Cut(string(b), " ")
	us, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || coll == "" || len(coll) > 128 {
		return feedPosition{}, bad
	}
	return feedPosition{at: time.UnixMicro(us).UTC(), coll: coll}, nil
}

// feedTargets returns the ids of the objects a feed with Targets selects
// besides the identities and relationships themselves: those with a
// relationship, visible to the reader in the feed's sources, whose
// target_ref is one of the Targets (at most MaxPageSize relationships per
// target, the most recent). Nil when the feed has no Targets.
func feedTargets(ctx context.Context, store ObjectStore, fd *Feed, sources []FeedSource) (map[string]bool, error) {
	if len(fd.Filter.Targets) == 0 {
		return nil, nil
	}
	scope := make(map[string]Visibility, len(sources))
	for _, s := range sources {
		scope[s.Collection.ID] = s.See
	}
	out := make(map[string]bool)
	for _, target := range fd.Filter.Targets {
		out[target] = true
		rels, err := store.Referring(ctx, scope, ReferenceFilter{ID: target, Types: []string{"relationship"}, Limit: MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, v := range rels {
			var r struct {
				Source string `json:"source_ref"`
				Target string `json:"target_ref"`
			}
			if json.Unmarshal(v.Raw, &r) == nil && r.Target == target {
				out[r.Source] = true
			}
		}
	}
	return out, nil
}

// keepsScore reports whether o passes the filter's min_score at now
// (decay.go): an indicator whose score is below it even with the latest
// sighting of it that the feed's sources let the reader see is left out.
// The sightings are read only for an indicator that fails without them.
func keepsScore(ctx context.Context, store ObjectStore, f *FeedFilter, sources []FeedSource, o *stix.Object, now time.Time) (bool, error) {
	if f.MinScore <= 0 || o.Type() != "indicator" {
		return true, nil
	}
	if DecayScore(o, now, time.Time{}) >= f.MinScore {
		return true, nil
	}
	scope := make(map[string]Visibility, len(sources))
	for _, s := range sources {
		scope[s.Collection.ID] = s.See
	}
	sightings, err := store.Referring(ctx, scope, ReferenceFilter{ID: o.ID(), Types: []string{"sighting"}, Limit: MaxPageSize})
	if err != nil {
		return false, err
	}
	var last time.Time
	for _, v := range sightings {
		s, err := stix.ParseObject(v.Raw)
		if err != nil || s.String("sighting_of_ref") != o.ID() {
			continue
		}
		if t := SightingLastSeen(s); t.After(last) {
			last = t
		}
	}
	return DecayScore(o, now, last) >= f.MinScore, nil
}

// FeedObjectCursor returns the cursor of the position just after v in a
// read of a feed: the id of v's event in a live stream.
func FeedObjectCursor(v *ObjectVersion) string {
	return feedPosition{at: v.DateAdded, coll: v.CollectionID}.cursor()
}

// CheckFeedCursor returns EINVALID when s is not a cursor of a feed.
func CheckFeedCursor(s string) error {
	_, err := parseFeedCursor(s)
	return err
}

// FeedCursor returns the cursor of a position just after the given
// instant in every collection (ReadFeed's f.Next from it reads what was
// added after t): where a live stream that starts now begins.
func FeedCursor(t time.Time) string { return feedPosition{at: t, coll: positionAll}.cursor() }
