package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/isachub/isachub"
)

// The staff's federation page (issue 14): the community's peers and the
// state of each subscription, as `isachub admin peer list` and /metrics
// show it, for the people who run the ISAC (isachub.MayWatchPeers). It
// shows no object, and never a peer's credential or user name.

// peerView is a peer as the page shows it: never its credential.
type peerView struct {
	ID, Name, URL string
	Trusted       bool
	Added         time.Time
	Subs          []subscriptionView
}

// subscriptionView is a subscription's state as the page shows it.
// Collection is the local collection when the viewer may open it, else
// nil (the page then names only its id).
type subscriptionView struct {
	ID, Remote, Local string
	Pull              bool
	Collection        *isachub.Collection
	Every             string
	LastRun           time.Time
	LastSuccess       time.Time
	Lag               string
	LastError         string
	Moved, Refused    int64
}

// State is the subscription's state in a word, said in text and not only
// in colour: "failing", "not run yet" or "ok".
func (sv subscriptionView) State() string {
	switch {
	case sv.LastError != "":
		return "failing"
	case sv.LastRun.IsZero():
		return "not run yet"
	}
	return "ok"
}

// failingView is a failing subscription, as the page's summary names it.
type failingView struct {
	ID, Peer, Into string
	Pull           bool
}

// peersCommunity returns the community whose peers the request shows: the
// viewer's own, or for the hub operator any by ?community=; EFORBIDDEN
// when the viewer may not watch its peers.
func (s *Server) peersCommunity(r *http.Request, v *viewer) (*isachub.Community, error) {
	return s.staffCommunity(r, v, isachub.MayWatchPeers, "Only the ISAC's staff see this page.")
}

// handlePeersPage lists the community's peers and their subscriptions.
func (s *Server) handlePeersPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	comm, err := s.peersCommunity(r, v)
	if err != nil {
		return err
	}
	states, err := peerStates(ctx, s.store, comm.ID)
	if err != nil {
		return err
	}
	sc, err := s.viewerScope(ctx, v)
	if err != nil {
		return err
	}
	now := s.now()
	var peers []peerView
	var failing []failingView
	for _, ps := range states {
		pv := peerView{ID: ps.Peer.ID, Name: ps.Peer.Name, URL: ps.Peer.URL, Trusted: ps.Peer.Trusted, Added: ps.Peer.CreatedAt}
		for _, sub := range ps.Subs {
			sv := subscriptionView{ID: sub.ID, Remote: sub.Remote, Local: sub.Local, Pull: sub.Direction == isachub.Pull,
				Collection: sc.byID[sub.Local], Every: durationText(sub.Interval),
				LastRun: sub.LastRun, LastSuccess: sub.LastSuccess, LastError: sub.LastError, Moved: sub.Moved, Refused: sub.Refused}
			if sub.Interval <= 0 {
				sv.Every = durationText(isachub.DefaultSyncInterval)
			}
			if !sub.LastSuccess.IsZero() || !sub.LastRun.IsZero() {
				sv.Lag = durationText(subscriptionLag(sub, now))
			}
			if sv.LastError != "" {
				into := sv.Local
				if sv.Collection != nil {
					into = sv.Collection.Title
				}
				failing = append(failing, failingView{ID: sv.ID, Peer: pv.Name, Pull: sv.Pull, Into: into})
			}
			pv.Subs = append(pv.Subs, sv)
		}
		peers = append(peers, pv)
	}
	s.render(w, r, v, "peers", page{Title: "Federation", Nav: "peers", Data: map[string]any{
		"Community": comm, "Other": comm.ID != v.comm.ID, "Peers": peers, "Failing": failing,
	}})
	return nil
}

// durationText is d for a person: "40 s", "12 min", "3 h 5 min", "2 days".
func durationText(d time.Duration) string {
	switch d = d.Round(time.Second); {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
