package server

import (
	"context"
	"time"

	"github.com/isachub/isachub"
)

// peerState is a peer of a community with its subscriptions, as the
// staff's page and /metrics report them (issue 14: status per
// subscription). The peer's credential is never read from it.
type peerState struct {
	Peer *isachub.Peer
	Subs []*isachub.Subscription
}

// peerStates returns the community's peers, by name, each with its
// subscriptions, oldest first.
func peerStates(ctx context.Context, store isachub.Store, communityID int64) ([]peerState, error) {
	peers, err := store.Peers(ctx, communityID)
	if err != nil {
		return nil, err
	}
	out := make([]peerState, 0, len(peers))
	for _, p := range peers {
		subs, err := store.Subscriptions(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, peerState{Peer: p, Subs: subs})
	}
	return out, nil
}

// subscriptionLag is how far behind the subscription is at now: the time
// since its last success, or since it was made when it never succeeded,
// so that a subscription that never worked shows as behind.
func subscriptionLag(s *isachub.Subscription, now time.Time) time.Duration {
	since := s.LastSuccess
	if since.IsZero() {
		since = s.CreatedAt
	}
	return max(now.Sub(since), 0)
}
