package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/warninglist"
)

// Warninglists in matching (issue 10): an indicator that fires on an
// event only because of the event's values on a warninglist (the
// server's Config.Warninglists: the shipped lists and the operator's
// files) is flagged in the answer, or left out with warninglists=drop.
// warninglist.Event.Fired decides which values an indicator fires on.

// Modes of the warninglists query parameter of POST /{root}/match.
const (
	matchWarnFlag = "flag" // the default: keep the hit, name the lists
	matchWarnDrop = "drop" // leave the hit out, count it
	matchWarnOff  = "off"  // check nothing
)

// matchWarner checks the hits of one match request against the
// warninglists.
type matchWarner struct {
	set      *warninglist.Set
	mode     string
	patterns map[string]*pattern.Pattern // by text; nil: does not parse
}

// matchWarnings reads the request's warninglists parameter.
func (s *Server) matchWarnings(r *http.Request) (*matchWarner, error) {
	mode := r.URL.Query().Get("warninglists")
	switch mode {
	case "":
		mode = matchWarnFlag
	case matchWarnFlag, matchWarnDrop, matchWarnOff:
	default:
		return nil, isachub.Errorf(isachub.EINVALID, "warninglists is flag (the default), drop or off, not %q.", clip(mode))
	}
	return &matchWarner{set: s.cfg.Warninglists, mode: mode, patterns: map[string]*pattern.Pattern{}}, nil
}

// event checks an event's values; nil when the mode is off.
func (m *matchWarner) event(obs []*pattern.Observation) *warninglist.Event {
	if m.mode == matchWarnOff {
		return nil
	}
	return m.set.Event(obs...)
}

// check returns the warned values of ev that the indicator whose pattern
// is text fires on (nil: none), and whether the hit is to be left out.
func (m *matchWarner) check(ev *warninglist.Event, text string) (warned []warninglist.Warning, drop bool) {
	if ev == nil || ev.Len() == 0 {
		return nil, false
	}
	p, ok := m.patterns[text]
	if !ok {
		p, _ = pattern.Parse(text)
		m.patterns[text] = p
	}
	if p == nil {
		return nil, false
	}
	warned = ev.Fired(p)
	return warned, warned != nil && m.mode == matchWarnDrop
}

// flag names, on a hit, the lists of the values it fired on and why, as
// the exports' reports do.
func (h *matchHit) flag(warned []warninglist.Warning) {
	reasons := make([]string, len(warned))
	for i, w := range warned {
		reasons[i] = w.String()
		for _, l := range w.Lists() {
			if !slices.Contains(h.Warninglist, l) {
				h.Warninglist = append(h.Warninglist, l)
			}
		}
	}
	h.WarninglistReason = strings.Join(reasons, "; ")
}
