package server

import (
	"context"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// receivedView is where a version came from, for the staff: the peer's
// name and when it arrived (issue 14: provenance visible to the ISAC's
// staff).
type receivedView struct {
	Peer string
	At   time.Time
}

// received returns, by version (ObjectVersion.Version), where the
// versions of the object came from, when the viewer may watch the
// community's peers (isachub.MayWatchPeers); for anyone else an empty
// map, read from nothing, so that a member's page never names a peer.
// versions are those the viewer may see already: provenance adds nothing
// to what the policy shows of the object.
func (s *Server) received(ctx context.Context, v *viewer, coll *isachub.Collection, id string, versions []*isachub.ObjectVersion) (map[string][]receivedView, error) {
	out := map[string][]receivedView{}
	if !isachub.MayWatchPeers(v.user, v.org, coll.CommunityID) {
		return out, nil
	}
	origins, err := s.store.ObjectOrigins(ctx, coll.ID, id)
	if err != nil || len(origins) == 0 {
		return out, err
	}
	peers, err := s.store.Peers(ctx, coll.CommunityID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, p := range peers {
		names[p.ID] = p.Name
	}
	byKey := map[string][]isachub.Origin{}
	for version, os := range origins {
		byKey[versionKey(version)] = append(byKey[versionKey(version)], os...)
	}
	for _, ver := range versions {
		key := ver.Modified
		if key == "" {
			key = ver.Created
		}
		for _, o := range byKey[versionKey(key)] {
			name, ok := names[o.PeerID]
			if !ok {
				name = "(a removed peer)"
			}
			out[ver.Version()] = append(out[ver.Version()], receivedView{Peer: name, At: o.ReceivedAt})
		}
	}
	return out, nil
}

// versionKey is a version's timestamp in one spelling, so that the
// origin's and the stored version's compare whatever their precision.
func versionKey(ts string) string {
	if t, err := stix.ParseTimestamp(ts); err == nil {
		return isachub.FormatTimestamp(t)
	}
	return ts
}
