package isachub

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub/stix"
)

// Feed is a saved filter over a community's collections, owned by one
// organisation, for the team that acts on what it selects: a SOC's SIEM,
// an incident responder, vulnerability management. It is served as a
// read-only TAXII 2.1 collection with its own id, as exports (CSV,
// blocklists, Suricata and Snort rules, STIX bundles) and as push. A feed
// never shows more than its reader may see: it reads through the same
// policy as every other path (Reader.FeedSources), and only narrows.
type Feed struct {
	ID          string // a UUID; also the id of the feed's TAXII collection
	CommunityID int64
	// OrgID is the organisation whose members may read the feed. A feed
	// of the ISAC's staff organisation (Org.Staff) is for every member of
	// the community.
	OrgID int64
	// Everyone is set by the store: the owner is the ISAC's staff
	// organisation, so the feed is for every member of the community.
	Everyone    bool
	Title       string
	Description string
	// Preset is the name of the preset the filter came from ("" when
	// made by hand); the filter is stored whole, so a later change of the
	// presets does not change an existing feed.
	Preset    string
	Filter    FeedFilter
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FeedFilter selects object versions for a feed. Every field narrows; the
// zero value selects every version its reader may see.
type FeedFilter struct {
	// Collections are the ids of the community's collections read; empty
	// means every collection the reader may open.
	Collections []string `json:"collections,omitempty"`
	// Types are the STIX types selected; empty means every type.
	Types []string `json:"types,omitempty"`
	// Labels selects versions with at least one of these labels.
	Labels []string `json:"labels,omitempty"`
	// MinConfidence, when above 0, selects versions whose confidence is at
	// least this; versions without confidence are left out.
	MinConfidence int `json:"min_confidence,omitempty"`
	// TLPCeiling is the most restrictive TLP level the feed yields
	// ("clear", "green", "amber", "amber+strict", "red"); "" means no
	// ceiling beyond what the reader may see.
	TLPCeiling string `json:"tlp_ceiling,omitempty"`
	// KillChainPhases selects versions with one of these phases, written
	// "chain:phase" (for example "mitre-attack:initial-access") or just
	// "phase" for that phase in any kill chain.
	KillChainPhases []string `json:"kill_chain_phases,omitempty"`
	// CreatedAfter and ModifiedAfter select versions created or modified
	// at or after the instant; zero means no bound.
	CreatedAfter  time.Time `json:"created_after,omitzero"`
	ModifiedAfter time.Time `json:"modified_after,omitzero"`
	// MaxAgeDays, when above 0, selects versions modified (or, without
	// modified, created) within that many days before the read.
	MaxAgeDays int `json:"max_age_days,omitempty"`
	// ActiveOnly leaves out revoked versions and indicators whose
	// valid_until has passed.
	ActiveOnly bool `json:"active_only,omitempty"`
	// MinScore, when above 0, keeps the indicators whose decay score
	// (DecayScore, decay.go: confidence halved by age per half-life,
	// restored by sightings) is at least this, 1 to 100; other types pass.
	MinScore int `json:"min_score,omitempty"`
	// Targets, when not empty, selects what concerns these identities
	// (sectors, or organisations named as targets): the identities
	// themselves, the relationships whose target_ref is one of them, and
	// the objects those relationships start from (a campaign that targets
	// the sector, the indicator that indicates malware...: only one step).
	Targets []string `json:"targets,omitempty"`
	// Warninglists is what the feed's exports do with values that are
	// known false positives (package warninglist: private and reserved
	// ranges, public resolvers, ...): "" nothing, "flag" list them in the
	// export's report and, in rule files, a comment, "drop" leave them
	// out of CSV and blocklists and leave out of rule files the
	// indicators that name one.
	Warninglists string `json:"warninglists,omitempty"`
}

// FeedPresets are the filters of the five functions a member organisation
// has, by the name `isachub admin feed add --preset` takes. None yields
// TLP:RED: RED is for named people, not for the tools and teams a feed
// serves (a feed made by hand may set its ceiling to red).
//
//   - soc (detection and monitoring): indicators, active only (not
//     revoked, not past valid_until), up to TLP:AMBER+STRICT; what a SIEM
//     or an IDS loads.
//   - incident-response: what stands behind an alert: reports, indicators,
//     malware, tools, attack patterns, intrusion sets, campaigns,
//     infrastructure, observed data, sightings, notes and the
//     relationships between them, not revoked.
//   - vulnerability (vulnerability management): vulnerabilities and the
//     courses of action and relationships around them (what exploits
//     them, what mitigates them), not revoked.
//   - engineering (security engineering): attack patterns, courses of
//     action and their relationships (mitigates, uses), not revoked: the
//     ATT&CK-mapped material detections and controls are built from.
//   - risk (risk management): campaigns, threat actors, intrusion sets,
//     reports, identities and locations modified within the last 30
//     days, not revoked: the month's strategic picture.
var FeedPresets = map[string]FeedFilter{
	"soc": {Types: []string{"indicator"}, ActiveOnly: true, TLPCeiling: "amber+strict"},
	"incident-response": {Types: []string{"attack-pattern", "campaign", "indicator", "infrastructure", "intrusion-set",
		"malware", "note", "observed-data", "relationship", "report", "sighting", "tool"}, ActiveOnly: true, TLPCeiling: "amber+strict"},
	"vulnerability": {Types: []string{"course-of-action", "relationship", "vulnerability"}, ActiveOnly: true, TLPCeiling: "amber+strict"},
	"engineering":   {Types: []string{"attack-pattern", "course-of-action", "relationship"}, ActiveOnly: true, TLPCeiling: "amber+strict"},
	"risk": {Types: []string{"campaign", "identity", "intrusion-set", "location", "report", "threat-actor"},
		ActiveOnly: true, MaxAgeDays: 30, TLPCeiling: "amber+strict"},
}

// FeedPresetNames are the names of FeedPresets, in the order the
// documentation gives them.
var FeedPresetNames = []string{"soc", "incident-response", "vulnerability", "engineering", "risk"}

// Validate returns EINVALID when the feed cannot be stored: no title, an
// id that is not a lower-case UUID (the id of its TAXII collection), or a
// filter that cannot be applied (FeedFilter.Validate). Both stores call
// it.
func (f *Feed) Validate() error {
	if strings.TrimSpace(f.Title) == "" {
		return Errorf(EINVALID, "A feed needs a title.")
	}
	if f.ID != "" {
		if u, err := uuid.Parse(f.ID); err != nil || u.String() != f.ID {
			return Errorf(EINVALID, "A feed's id must be a UUID in lower case, such as %s; %q is not.", uuid.Nil, clipText(f.ID))
		}
	}
	return f.Filter.Validate()
}

// Validate returns EINVALID, naming the field, when the filter cannot be
// applied: an unknown TLP level, a type that is not a STIX type name, a
// negative bound, an identity that is no identity id.
func (f *FeedFilter) Validate() error {
	if f.TLPCeiling != "" {
		if l, err := stix.ParseTLP(f.TLPCeiling); err != nil || l == stix.TLPNone {
			return Errorf(EINVALID, "tlp_ceiling %q is not a TLP level (clear, green, amber, amber+strict or red).", clipText(f.TLPCeiling))
		}
	}
	for _, t := range f.Types {
		if msg := stix.CheckTypeName(t); msg != "" {
			return Errorf(EINVALID, "types: %q is not a STIX type name: it %s.", clipText(t), msg)
		}
	}
	for _, id := range f.Targets {
		if stix.IDType(id) != "identity" || stix.CheckID(id) != "" {
			return Errorf(EINVALID, "targets: %q is not an identity id.", clipText(id))
		}
	}
	switch {
	case f.Warninglists != "" && f.Warninglists != "flag" && f.Warninglists != "drop":
		return Errorf(EINVALID, "warninglists %q is not flag or drop.", clipText(f.Warninglists))
	case f.MinConfidence < 0 || f.MinConfidence > 100:
		return Errorf(EINVALID, "min_confidence %d is outside 0 to 100.", f.MinConfidence)
	case f.MinScore < 0 || f.MinScore > 100:
		return Errorf(EINVALID, "min_score %d is outside 0 to 100.", f.MinScore)
	case f.MaxAgeDays < 0:
		return Errorf(EINVALID, "max_age_days %d is negative.", f.MaxAgeDays)
	}
	for _, field := range [][]string{f.Collections, f.Labels, f.KillChainPhases} {
		for _, s := range field {
			if s == "" || len(s) > 256 {
				return Errorf(EINVALID, "collections, labels and kill_chain_phases take non-empty values of at most 256 bytes.")
			}
		}
	}
	return nil
}

// clipText shortens s for an error message.
func clipText(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// Ceiling returns the filter's TLP ceiling, stix.TLPRed when it has none.
func (f *FeedFilter) Ceiling() stix.TLP {
	if l, err := stix.ParseTLP(f.TLPCeiling); err == nil && l != stix.TLPNone {
		return l
	}
	return stix.TLPRed
}

// Reads reports whether the feed reads the collection: one of its
// Collections, or any when it names none.
func (f *FeedFilter) Reads(collectionID string) bool {
	return len(f.Collections) == 0 || slices.Contains(f.Collections, collectionID)
}

// Selects reports whether the parsed version o passes the filter at the
// instant now, with targeted the ids Targets selects (FeedTargets); the
// collection and TLP were applied by the read. Types are checked too, so
// that a caller may pass versions read without them.
func (f *FeedFilter) Selects(o *stix.Object, now time.Time, targeted map[string]bool) bool {
	if len(f.Types) > 0 && !slices.Contains(f.Types, o.Type()) {
		return false
	}
	if f.ActiveOnly && (o.Revoked() || Expired(o, now)) {
		return false
	}
	if len(f.Labels) > 0 && !slices.ContainsFunc(o.Strings("labels"), func(l string) bool { return slices.Contains(f.Labels, l) }) {
		return false
	}
	if f.MinConfidence > 0 {
		c, ok := confidence(o)
		if !ok || c < f.MinConfidence {
			return false
		}
	}
	if len(f.KillChainPhases) > 0 && !f.inPhases(o) {
		return false
	}
	if !f.CreatedAfter.IsZero() && !atOrAfter(o.Created(), f.CreatedAfter) {
		return false
	}
	if !f.ModifiedAfter.IsZero() && !atOrAfter(o.Modified(), f.ModifiedAfter) {
		return false
	}
	if f.MaxAgeDays > 0 {
		stamp := o.Modified()
		if stamp == "" {
			stamp = o.Created()
		}
		if !atOrAfter(stamp, now.Add(-time.Duration(f.MaxAgeDays)*24*time.Hour)) {
			return false
		}
	}
	if len(f.Targets) > 0 && !targeted[o.ID()] {
		if o.Type() != "relationship" || !slices.Contains(f.Targets, o.String("target_ref")) {
			return false
		}
	}
	return true
}

// Expired reports whether an indicator's valid_until is at or before now
// (STIX 2.1 section 4.7: the indicator is no longer valid from then).
func Expired(o *stix.Object, now time.Time) bool {
	s := o.String("valid_until")
	if s == "" {
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return err == nil && !t.After(now)
}

// atOrAfter reports whether the STIX timestamp s is at or after t; an
// absent or unreadable timestamp is not.
func atOrAfter(s string, t time.Time) bool {
	v, err := time.Parse(time.RFC3339Nano, s)
	return err == nil && !v.Before(t)
}

// confidence returns the version's confidence (STIX 2.1 section 3.2).
func confidence(o *stix.Object) (int, bool) {
	raw, ok := o.Property("confidence")
	if !ok {
		return 0, false
	}
	n := 0
	for _, b := range raw {
		if b < '0' || b > '9' {
			return 0, false
		}
		n = n*10 + int(b-'0')
		if n > 100 {
			return 0, false
		}
	}
	return n, len(raw) > 0
}

// inPhases reports whether one of o's kill_chain_phases is one of the
// filter's.
func (f *FeedFilter) inPhases(o *stix.Object) bool {
	raw, ok := o.Property("kill_chain_phases")
	if !ok {
		return false
	}
	var phases []struct {
		Chain string `json:"kill_chain_name"`
		Phase string `json:"phase_name"`
	}
	if json.Unmarshal(raw, &phases) != nil {
		return false
	}
	for _, p := range phases {
		if slices.Contains(f.KillChainPhases, p.Chain+":"+p.Phase) || slices.Contains(f.KillChainPhases, p.Phase) {
			return true
		}
	}
	return false
}

// FeedStore keeps feeds. Every method is scoped to one community.
type FeedStore interface {
	// CreateFeed stores f, setting f.ID (a new UUID) when empty, and
	// f.CreatedAt and f.UpdatedAt. An id already used by a feed or a
	// collection of the hub is ECONFLICT; an organisation not of the
	// community is ENOTFOUND.
	CreateFeed(ctx context.Context, f *Feed) error
	// Feed returns the community's feed with the id, or ENOTFOUND.
	Feed(ctx context.Context, communityID int64, id string) (*Feed, error)
	// Feeds returns the community's feeds, ordered by title, then id.
	Feeds(ctx context.Context, communityID int64) ([]*Feed, error)
	// DeleteFeed removes the community's feed with the id and the tokens
	// bound to it, or returns ENOTFOUND.
	DeleteFeed(ctx context.Context, communityID int64, id string) error
	// RuleSIDs returns, for each indicator id, its rule number: a number
	// from 0 given to each id the first time it is asked for and kept for
	// ever, so that an indicator's Suricata and Snort sids never change.
	// Numbers are dense and hub-wide.
	RuleSIDs(ctx context.Context, indicatorIDs []string) (map[string]int64, error)
}
