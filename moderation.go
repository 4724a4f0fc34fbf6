package isachub

import (
	"context"

	"github.com/isachub/isachub/stix"
)

// Moderation: a submission to a moderated collection (Collection.Moderated)
// waits in the queue (PendingStore) until an ISAC analyst (MayModerate)
// approves or rejects it. Approve and Reject are the only ways out of the
// queue, for the server and the command line alike.

// Approve publishes a pending submission: its objects are added to the
// collection (anonymously when it is anonymous), its status resource is
// completed with each object's outcome, and it leaves the queue. Each step
// can be repeated: an approval cut off half way is finished by approving
// again, and stores nothing twice.
func Approve(ctx context.Context, store Store, p *Pending) (*Status, error) {
	objs := make([]*stix.Object, 0, len(p.Objects))
	for i, raw := range p.Objects {
		o, err := stix.ParseObject(raw)
		if err != nil {
			return nil, Errorf(EINTERNAL, "pending submission %s: object %d no longer parses: %v", p.ID, i, err)
		}
		objs = append(objs, o)
	}
	var results []AddResult
	var err error
	if p.Anonymous != nil {
		rec := *p.Anonymous
		rec.ID = p.ID // a retried approval finds the record stored
		results, err = store.AddAnonymous(ctx, p.CollectionID, objs, &rec)
	} else {
		results, err = store.AddObjects(ctx, p.CollectionID, p.SubmitterOrgID, objs)
	}
	if err != nil {
		return nil, err
	}
	outcome := make(map[string]AddResult, len(results))
	for _, r := range results {
		outcome[r.ID+"\x00"+r.Version] = r
	}
	return finishPending(ctx, store, p, func(d StatusDetail) (StatusDetail, bool) {
		r, found := outcome[d.ID+"\x00"+d.Version]
		if !found {
			return StatusDetail{ID: d.ID, Version: d.Version, Message: "The object was not stored."}, false
		}
		if r.Err != nil {
			return StatusDetail{ID: d.ID, Version: d.Version, Message: ErrorMessage(r.Err)}, false
		}
		return StatusDetail{ID: d.ID, Version: d.Version, Message: r.Note}, true
	})
}

// Reject removes a pending submission from the queue without publishing
// anything: its status resource lists every object as a failure with the
// moderators' reason.
func Reject(ctx context.Context, store Store, p *Pending, reason string) (*Status, error) {
	msg := "The ISAC's moderators did not approve this submission."
	if reason != "" {
		msg += " Reason: " + reason
	}
	return finishPending(ctx, store, p, func(d StatusDetail) (StatusDetail, bool) {
		return StatusDetail{ID: d.ID, Version: d.Version, Message: msg}, false
	})
}

// WithdrawPending removes a pending submission from the queue at its
// submitter's request: its status resource lists every object as a failure
// that says so.
func WithdrawPending(ctx context.Context, store Store, p *Pending) (*Status, error) {
	return finishPending(ctx, store, p, func(d StatusDetail) (StatusDetail, bool) {
		return StatusDetail{ID: d.ID, Version: d.Version, Message: "The submitter withdrew this submission before it was approved."}, false
	})
}

// finishPending moves every pending entry of p's status to the successes or
// failures that outcome gives, completes the status and removes p from the
// queue.
func finishPending(ctx context.Context, store Store, p *Pending, outcome func(StatusDetail) (StatusDetail, bool)) (*Status, error) {
	st, err := store.Status(ctx, p.CommunityID, p.ID)
	if ErrorCode(err) == ENOTFOUND {
		// Its status was never stored (the server removes such a
		// submission from the queue, unless that failed too): decide on
		// a status of its own, so that it can leave the queue.
		st = &Status{ID: p.ID, CommunityID: p.CommunityID, CollectionID: p.CollectionID, OrgID: p.SubmitterOrgID, Status: StatusPending,
			RequestTimestamp: p.CreatedAt, TotalCount: len(p.Objects)}
		for _, raw := range p.Objects {
			if o, err := stix.ParseObject(raw); err == nil {
				st.Pendings = append(st.Pendings, StatusDetail{ID: o.ID(), Version: o.Version()})
			}
		}
		err = store.CreateStatus(ctx, st)
	}
	if err != nil {
		return nil, err
	}
	for _, d := range st.Pendings {
		if nd, ok := outcome(d); ok {
			st.Successes = append(st.Successes, nd)
		} else {
			st.Failures = append(st.Failures, nd)
		}
	}
	st.Pendings = nil
	st.Status = StatusComplete
	if err := store.UpdateStatus(ctx, st); err != nil {
		return nil, err
	}
	if err := store.DeletePending(ctx, p.CommunityID, p.ID); err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	return st, nil
}
