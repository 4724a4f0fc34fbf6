// Package federation moves objects across the border between a community
// and its peers (issue 14): other TAXII 2.1 servers, other isachub hubs
// among them, through package taxii's client.
//
// A pull reads a peer's collection page by page (TAXII 2.1 section 5.3,
// paging as section 3.4 says) and publishes each page in the local
// collection through the one rule of what may be stored (publish.Check:
// pattern.Validate and the collection's TLP rule), as the peer's own local
// organisation, with the objects' origin and the pull's checkpoint in the
// same transaction (isachub.PeerStore.AddPulled): a crash at any moment
// resumes from the checkpoint, and a version pulled again stores nothing,
// so nothing is lost or duplicated. An object that is invalid, or that
// claims to be created by this community's own identity, is refused and
// reported; it never blocks the rest.
//
// A push reads what the local collection received since its checkpoint
// through the policy with the border as the reader
// (isachub.BorderVisibility: TLP:CLEAR to any peer, TLP:GREEN to a trusted
// one, nothing else, and nothing of a sharing group's collection), leaves
// out what came from that same peer (its origin), posts the rest (section
// 5.4), follows each status to completion (section 4.3) and reports what
// the peer refused. New versions and revocations are versions like any
// other: they follow the object they update.
//
// Credentials are sealed at rest with the federation key (Seal, KeyEnv).
package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/publish"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// Syncer runs subscriptions.
type Syncer struct {
	Store isachub.Store
	// Key opens the peers' credentials.
	Key []byte
	Log *slog.Logger
	// ClientOptions are the base options of the clients of peers (their
	// Auth is the peer's); zero values take taxii's defaults.
	ClientOptions taxii.ClientOptions
	// StatusWait bounds how long a push follows one status resource
	// (default 2 minutes).
	StatusWait time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Result is what one run of a subscription did.
type Result struct {
	Subscription *isachub.Subscription
	// Moved counts the objects stored (a pull) or accepted by the peer (a
	// push); Refused those refused, with Refusals saying why (the first
	// hundred); Withheld, for a push, those the border kept back because
	// they came from that peer.
	Moved, Refused, Withheld int
	Refusals                 []string
	Err                      error
}

// maxRefusals bounds Result.Refusals.
const maxRefusals = 100

func (r *Result) refuse(format string, args ...any) {
	r.Refused++
	if len(r.Refusals) < maxRefusals {
		r.Refusals = append(r.Refusals, fmt.Sprintf(format, args...))
	}
}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Syncer) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// Client returns the TAXII client of the peer, with its credential.
func (s *Syncer) Client(p *isachub.Peer) (*taxii.Client, error) {
	cred, err := Open(s.Key, p.ID, p.Credential)
	if err != nil {
		return nil, err
	}
	opts := s.ClientOptions
	switch {
	case p.User != "":
		opts.Auth = taxii.Basic(p.User, cred)
	case cred != "":
		opts.Auth = taxii.Bearer(cred)
	}
	return taxii.NewClient(p.URL, opts)
}

// SyncPeer runs every subscription of the peer once, now, in the order
// they were made, and returns their results.
func (s *Syncer) SyncPeer(ctx context.Context, peerID string) ([]Result, error) {
	if _, err := s.Store.Peer(ctx, peerID); err != nil {
		return nil, err
	}
	subs, err := s.Store.Subscriptions(ctx, peerID)
	if err != nil {
		return nil, err
	}
	results := make([]Result, 0, len(subs))
	for _, sub := range subs {
		results = append(results, s.Run(ctx, sub))
	}
	return results, nil
}

// RunDue runs the subscriptions that are due, at most limit, and returns
// their results: what serve does on its schedule, on every replica.
func (s *Syncer) RunDue(ctx context.Context, limit int) ([]Result, error) {
	due, err := s.Store.DueSubscriptions(ctx, s.now(), limit)
	if err != nil {
		return nil, err
	}
	results := make([]Result, 0, len(due))
	for _, sub := range due {
		// Claimed first, so that of several replicas one runs it; a run
		// that dies holds it until the lease ends.
		if err := s.Store.ClaimSubscription(ctx, sub, s.now().Add(claimLease)); isachub.ErrorCode(err) == isachub.ECONFLICT {
			continue
		} else if err != nil {
			return results, err
		}
		results = append(results, s.Run(ctx, sub))
	}
	return results, nil
}

// claimLease is how long a claimed subscription is held by the replica
// that runs it, should that replica die before recording the run.
const claimLease = 15 * time.Minute

// Run runs the subscription once and records its outcome (its checkpoint
// is recorded page by page as it goes). The error of the run is in the
// Result, and in the subscription's LastError.
func (s *Syncer) Run(ctx context.Context, sub *isachub.Subscription) Result {
	res := Result{Subscription: sub}
	started := s.now()
	peer, err := s.Store.Peer(ctx, sub.PeerID)
	var coll *isachub.Collection
	if err == nil {
		coll, err = s.Store.Collection(ctx, sub.CommunityID, sub.Local)
	}
	var client *taxii.Client
	if err == nil {
		client, err = s.Client(peer)
	}
	if err == nil {
		switch sub.Direction {
		case isachub.Pull:
			err = s.pull(ctx, peer, coll, client, sub, &res)
		case isachub.Push:
			err = s.push(ctx, peer, coll, client, sub, &res)
		default:
			err = fmt.Errorf("a subscription is a pull or a push, not %q", sub.Direction)
		}
	}
	res.Err = err
	sub.LastRun = started
	interval := sub.Interval
	if interval <= 0 {
		interval = isachub.DefaultSyncInterval
	}
	sub.NextRun = started.Add(interval)
	if err == nil {
		sub.LastSuccess, sub.LastError = s.now(), ""
	} else {
		sub.LastError = clip(err.Error(), 1000)
	}
	if rerr := s.Store.RecordSync(context.WithoutCancel(ctx), sub); rerr != nil && !errors.Is(rerr, context.Canceled) {
		s.log().Error("federation: recording a sync", "subscription", sub.ID, "err", rerr)
	}
	s.log().Info("federation: sync", "subscription", sub.ID, "peer", sub.PeerID, "direction", sub.Direction,
		"moved", res.Moved, "refused", res.Refused, "withheld", res.Withheld, "err", err)
	return res
}

// pullPage is the most objects a pull asks for at once.
const pullPage = 1000

// pull reads the peer's collection from the checkpoint on.
func (s *Syncer) pull(ctx context.Context, peer *isachub.Peer, coll *isachub.Collection, client *taxii.Client,
	sub *isachub.Subscription, res *Result) error {
	comm, err := s.community(ctx, sub.CommunityID)
	if err != nil {
		return err
	}
	// Every version, not the latest alone (the default of section
	// 3.4.1's match[version]): a version overtaken by a newer one before
	// the pull read it is part of the remote set all the same.
	q := taxii.PageQuery{Limit: pullPage, Match: map[string][]string{"version": {"all"}, "spec_version": {"2.0", "2.1"}}}
	if sub.Checkpoint != "" {
		t, err := taxii.ParseTimestamp(sub.Checkpoint)
		if err != nil {
			return fmt.Errorf("the subscription's checkpoint %q: %v", sub.Checkpoint, err)
		}
		// added_after is exclusive: start a microsecond before, so that
		// versions added at the checkpoint's instant but not yet read are
		// read; those stored already store nothing.
		q.AddedAfter = t.Add(-time.Microsecond)
	}
	// Reading and checking a page (the network, the peer's serving, JSON
	// and pattern parsing) overlaps with storing the one before it: at
	// most two pages ahead (one checked and waiting, one being read), so
	// memory stays bounded. Pages are stored in
	// the order they were read, and a page read before the peer failed is
	// stored before the error is returned, as if read one at a time.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan checkedPage, 1)
	var readErr error
	go func() {
		defer close(pages)
		readErr = client.EachPage(ctx, sub.Remote, q, func(p *taxii.ObjectsPage) error {
			select {
			case pages <- checkPage(comm, coll, p):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	for p := range pages {
		if err := s.storePage(ctx, peer, sub, p, res); err != nil {
			cancel()
			for range pages {
			}
			return err
		}
	}
	return readErr
}

// checkedPage is a pulled page once parsed and checked: what may be
// stored, and why the rest may not.
type checkedPage struct {
	valid         []*stix.Object
	refusals      []string
	objects       int
	dateAddedLast time.Time
}

// checkPage parses and checks a pulled page, as any POST would be.
func checkPage(comm *isachub.Community, coll *isachub.Collection, p *taxii.ObjectsPage) checkedPage {
	out := checkedPage{objects: len(p.Objects), dateAddedLast: p.DateAddedLast}
	refuse := func(format string, args ...any) { out.refusals = append(out.refusals, fmt.Sprintf(format, args...)) }
	items := make([]publish.Item, 0, len(p.Objects))
	for i, raw := range p.Objects {
		item := publish.Item{Path: fmt.Sprintf("object %d of the page", i+1)}
		obj, err := stix.ParseObject(raw)
		switch {
		case err != nil:
			refuse("%s: not a STIX object: %v", item.Path, err)
			continue
		// UUIDs are compared case-insensitively (RFC 9562 section 4),
		// and STIX's identifier pattern allows upper-case hex.
		case comm.IdentityID != "" && strings.EqualFold(obj.CreatedByRef(), comm.IdentityID):
			refuse("%s: %s claims to be created by this community's own identity %s", item.Path, obj.ID(), comm.IdentityID)
			continue
		}
		item.Object = obj
		items = append(items, item)
	}
	valid, failures := publish.Check(coll, items)
	for _, f := range failures {
		refuse("%s %s: %s", f.ID, f.Version, f.Message)
	}
	out.valid = valid
	return out
}

// storePage stores a checked page with the subscription's next checkpoint
// and totals in one transaction, and counts what moved and what was
// refused. A version stored already (the one at the checkpoint's instant,
// read again on resuming) is neither moved nor refused.
func (s *Syncer) storePage(ctx context.Context, peer *isachub.Peer, sub *isachub.Subscription, p checkedPage, res *Result) error {
	for _, r := range p.refusals {
		res.refuse("%s", r)
	}
	next := *sub
	if !p.dateAddedLast.IsZero() {
		next.Checkpoint = taxii.FormatTimestamp(p.dateAddedLast)
	}
	// What parsing and checking refused; AddPulled counts the rest with the
	// checkpoint, as CountPulled does here once it returns.
	next.Refused += int64(p.objects - len(p.valid))
	if len(p.valid) == 0 {
		if err := s.Store.RecordSync(ctx, &next); err != nil {
			return err
		}
	} else {
		results, err := s.Store.AddPulled(ctx, &next, peer.OrgID, p.valid, s.now())
		if err != nil {
			return err
		}
		for _, r := range results {
			if r.Err != nil {
				res.refuse("%s %s: %s", r.ID, r.Version, isachub.ErrorMessage(r.Err))
			}
		}
		res.Moved += next.CountPulled(results)
	}
	*sub = next
	return nil
}

// pushPage is the most local versions a push reads at once.
const pushPage = 500

// push sends what the local collection received since the checkpoint and
// may cross the border.
func (s *Syncer) push(ctx context.Context, peer *isachub.Peer, coll *isachub.Collection, client *taxii.Client,
	sub *isachub.Subscription, res *Result) error {
	if err := isachub.CheckPushable(coll); err != nil {
		return err
	}
	root, err := client.APIRoot(ctx)
	if err != nil {
		return err
	}
	vis := isachub.BorderVisibility(peer, coll)
	f := isachub.ObjectFilter{Versions: []string{"all"}, SpecVersions: []string{"2.0", "2.1"}, Limit: pushPage}
	if sub.Checkpoint != "" {
		t, err := taxii.ParseTimestamp(sub.Checkpoint)
		if err != nil {
			return fmt.Errorf("the subscription's checkpoint %q: %v", sub.Checkpoint, err)
		}
		f.AddedAfter = t
	}
	for {
		page, err := s.Store.Objects(ctx, coll.ID, vis, f)
		if err != nil {
			return err
		}
		if len(page.Objects) == 0 {
			return nil
		}
		ids := make([]string, len(page.Objects))
		for i, v := range page.Objects {
			ids[i] = v.ID
		}
		origins, err := s.Store.Origins(ctx, coll.ID, ids)
		if err != nil {
			return err
		}
		var out [][]byte
		for _, v := range page.Objects {
			if cameFrom(origins[v.ID], peer.ID) {
				res.Withheld++
				continue
			}
			out = append(out, v.Raw)
		}
		for _, env := range envelopes(out, root.MaxContentLength) {
			st, err := client.AddObjects(ctx, sub.Remote, env)
			if err != nil {
				return err
			}
			// Follow the status to completion for a while; what is still
			// pending then (a moderated collection, a slow server) counts
			// as accepted, as the peer said.
			wctx, cancel := context.WithTimeout(ctx, s.statusWait())
			if done, err := client.WaitStatus(wctx, st); err == nil {
				st = done
			} else if ctx.Err() != nil || wctx.Err() == nil {
				cancel()
				return err
			}
			cancel()
			res.Moved += st.SuccessCount + st.PendingCount
			for _, fd := range st.Failures {
				res.refuse("%s %s: the peer refused it: %s", taxii.Printable(fd.ID, 200), taxii.Printable(fd.Version, 40), taxii.Printable(fd.Message, 500))
			}
			sub.Moved += int64(st.SuccessCount + st.PendingCount)
			sub.Refused += int64(st.FailureCount)
		}
		sub.Checkpoint = taxii.FormatTimestamp(page.Objects[len(page.Objects)-1].DateAdded)
		if err := s.Store.RecordSync(ctx, sub); err != nil {
			return err
		}
		if !page.More {
			return nil
		}
		f.Next = page.Next
	}
}

// community returns the community with the id.
func (s *Syncer) community(ctx context.Context, id int64) (*isachub.Community, error) {
	comms, err := s.Store.Communities(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range comms {
		if c.ID == id {
			return c, nil
		}
	}
	return nil, isachub.Errorf(isachub.ENOTFOUND, "Community %d not found.", id)
}

func (s *Syncer) statusWait() time.Duration {
	if s.StatusWait > 0 {
		return s.StatusWait
	}
	return 2 * time.Minute
}

// cameFrom reports whether the origins name the peer.
func cameFrom(origins []isachub.Origin, peerID string) bool {
	for _, o := range origins {
		if o.PeerID == peerID {
			return true
		}
	}
	return false
}

// envelopes packs objects, in order, into TAXII envelopes (section 3.7) of
// at most limit bytes each (the peer's max_content_length) and at most
// pushPage objects; an object larger than limit alone goes in an envelope
// of its own, for the peer to refuse.
func envelopes(objs [][]byte, limit int64) [][]byte {
	const overhead = len(`{"objects":[]}`)
	var out [][]byte
	var cur []byte
	n := 0
	flush := func() {
		if n > 0 {
			out = append(out, append(cur, ']', '}'))
		}
		cur, n = nil, 0
	}
	for _, o := range objs {
		if n > 0 && (int64(len(cur)+1+len(o)+2) > limit || n == pushPage) {
			flush()
		}
		if n == 0 {
			cur = make([]byte, 0, min(int64(overhead+len(o))*4, max(limit, int64(overhead+len(o)))))
			cur = append(cur, `{"objects":[`...)
		} else {
			cur = append(cur, ',')
		}
		cur = append(cur, o...)
		n++
	}
	flush()
	return out
}

// clip shortens an error for the subscription's LastError.
func clip(s string, max int) string {
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

// Loop runs the due subscriptions every interval until ctx ends: serve's
// schedule. Errors of the store are logged and retried at the next tick;
// a subscription's own error is in its LastError.
func (s *Syncer) Loop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.RunDue(ctx, 20); err != nil && ctx.Err() == nil {
			s.log().Error("federation: running due subscriptions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
