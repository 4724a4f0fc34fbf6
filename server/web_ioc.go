package server

import (
	"context"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// The IOC look-up: a value a member pasted (an address, a domain, a URL,
// an email address, a file hash) becomes a one-object observation, matched
// against every indicator's pattern with the pattern package's index, not
// by text search: a CIDR range, a LIKE or a MATCHES pattern fires too.
//
// The index holds every indicator version of the hub's collections, for
// the hub itself; what a viewer is shown is decided afterwards, per hit,
// by the store's query with the viewer's Visibility (the latest version the
// viewer may see must be the version that fired), so a version the viewer
// may not see, or one deleted since it was indexed, is never answered.

// iocIndex is the server's index of indicator patterns, refreshed from
// the store before each look-up with what was added since the last.
type iocIndex struct {
	mu    sync.RWMutex // refresh writes, look-ups read
	ix    *pattern.Index
	after map[string]time.Time // collection id -> last date_added indexed
}

// iocMeta is what a hit carries: where the version is.
type iocMeta struct {
	collectionID, id, version string
}

func newIOCIndex() *iocIndex {
	return &iocIndex{ix: pattern.NewIndex(), after: map[string]time.Time{}}
}

// refresh indexes the indicator versions added to the collections since
// the last refresh.
func (x *iocIndex) refresh(ctx context.Context, store isachub.Store, colls []*isachub.Collection) error {
	for _, c := range colls {
		f := isachub.ObjectFilter{Types: []string{"indicator"}, Versions: []string{"all"}, SpecVersions: []string{"2.1", "2.0"},
			AddedAfter: x.after[c.ID], Limit: isachub.MaxPageSize}
		for {
			// Unrestricted: the index works for the hub; each hit is
			// checked against the viewer's Visibility before it is shown.
			page, err := store.Objects(ctx, c.ID, isachub.Unrestricted(), f)
			if err != nil {
				return err
			}
			for _, v := range page.Objects {
				if v.DateAdded.After(x.after[c.ID]) {
					x.after[c.ID] = v.DateAdded
				}
				o, err := stix.ParseObject(v.Raw)
				if err != nil {
					continue
				}
				p, err := pattern.Parse(o.String("pattern"))
				if err != nil {
					continue // stored before the pattern check, or not stix
				}
				x.ix.Add(c.ID+" "+v.ID+" "+v.Version(), p, iocMeta{collectionID: c.ID, id: v.ID, version: v.Version()})
			}
			if !page.More {
				break
			}
			f.Next = page.Next
		}
	}
	return nil
}

// match returns the hits of an observation, after a refresh.
func (x *iocIndex) match(ctx context.Context, store isachub.Store, colls []*isachub.Collection, obs *pattern.Observation) ([]iocMeta, error) {
	if err := x.update(ctx, store, colls); err != nil {
		return nil, err
	}
	return x.lookup(obs), nil
}

// update refreshes the index once, for a request that then looks up many
// events.
func (x *iocIndex) update(ctx context.Context, store isachub.Store, colls []*isachub.Collection) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.refresh(ctx, store, colls)
}

// lookup returns the hits of one event (its observations), as the index
// stands; look-ups run side by side.
func (x *iocIndex) lookup(obs ...*pattern.Observation) []iocMeta {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out []iocMeta
	for _, h := range x.ix.Match(obs...) {
		out = append(out, h.Meta.(iocMeta))
	}
	return out
}

var hexRE = regexp.MustCompile(`^[0-9a-fA-F]+$`)

// iocObservation turns a pasted value into the observation its kind
// implies, and says what kind it took it for. ok is false for a value of
// no kind it knows.
func iocObservation(value string) (obs *pattern.Observation, kind string, ok bool) {
	value = strings.TrimSpace(value)
	value = strings.NewReplacer("[.]", ".", "(.)", ".", "hxxp", "http").Replace(value) // defanged forms
	sco := map[string]any{}
	switch {
	case value == "" || len(value) > 2048 || strings.ContainsAny(value, " \t\r\n"):
		return nil, "", false
	case isIP(value):
		addr, _ := netip.ParseAddr(value)
		sco["type"], kind = "ipv4-addr", "IPv4 address"
		if addr.Unmap().Is6() {
			sco["type"], kind = "ipv6-addr", "IPv6 address"
		}
		sco["value"] = addr.Unmap().String()
	case strings.Contains(value, "://"):
		sco["type"], sco["value"], kind = "url", value, "URL"
	case strings.Count(value, "@") == 1 && strings.Contains(value[strings.Index(value, "@"):], "."):
		sco["type"], sco["value"], kind = "email-addr", value, "email address"
	case hexRE.MatchString(value) && hashAlgorithm(len(value)) != "":
		alg := hashAlgorithm(len(value))
		sco["type"], sco["hashes"], kind = "file", map[string]any{alg: strings.ToLower(value)}, alg+" hash"
	case strings.Contains(value, ".") && !strings.ContainsAny(value, "/:@"):
		sco["type"], sco["value"], kind = "domain-name", strings.ToLower(strings.TrimSuffix(value, ".")), "domain name"
	default:
		return nil, "", false
	}
	return &pattern.Observation{Objects: map[string]map[string]any{"0": sco}, NumberObserved: 1}, kind, true
}

func isIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// hashAlgorithm names the hash of a hex digest of n digits.
func hashAlgorithm(n int) string {
	switch n {
	case 32:
		return "MD5"
	case 40:
		return "SHA-1"
	case 64:
		return "SHA-256"
	case 128:
		return "SHA-512"
	}
	return ""
}

// lookUpIOC returns the indicators whose pattern fires on the value that
// the viewer may see, as the latest version each shows them.
func (s *Server) lookUpIOC(ctx context.Context, sc *scope, obs *pattern.Observation) ([]*isachub.ObjectVersion, error) {
	hits, err := s.ioc.match(ctx, s.store, sc.colls, obs)
	if err != nil {
		return nil, err
	}
	fired := map[[2]string]map[string]bool{} // (collection, id) -> versions that fired
	var order [][2]string
	for _, h := range hits {
		if _, ok := sc.byID[h.collectionID]; !ok {
			continue // a collection the viewer may not open
		}
		k := [2]string{h.collectionID, h.id}
		if fired[k] == nil {
			fired[k] = map[string]bool{}
			order = append(order, k)
		}
		fired[k][h.version] = true
	}
	var out []*isachub.ObjectVersion
	for _, k := range order {
		page, err := s.store.Objects(ctx, k[0], sc.see[k[0]], isachub.ObjectFilter{IDs: []string{k[1]}, Versions: []string{"last"}, Limit: 1})
		if err != nil {
			return nil, err
		}
		for _, v := range page.Objects {
			if fired[k][v.Version()] {
				v.CollectionID = k[0]
				out = append(out, v)
			}
		}
		if len(out) >= 200 {
			break
		}
	}
	return out, nil
}
