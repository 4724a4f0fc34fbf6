// Package publish is the one path by which objects enter a collection:
// validation, the TLP check, anonymisation, moderation queueing, storing
// and recording the TAXII status resource, in that order, for every way in
// (a TAXII POST, the anonymous preview, and the web form, the importers and
// federation pulls to come). Withdrawing an anonymous submission (Revoke)
// lives here too. The server's handlers only decode the request and write
// the answer; approving and rejecting what waits for moderation are
// isachub.Approve and isachub.Reject.
//
// The rules it applies are the hub's: an object may be stored when
// pattern.Validate accepts it (STIX 2.1 with its indicator pattern, section
// 9) and the collection may hold its TLP (isachub.AcceptTLP); whether a
// submission is anonymous is isachub.Anonymous; what anonymising does is
// package anon. TAXII 2.1 section 5.4 defines the status that a submission
// answers: one entry per object, as a success, a failure with its reason,
// or pending while the ISAC's analysts moderate it.
package publish

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// Item is one object of a submission, with where it was in what the
// submitter sent (a JSONPath such as "$.objects[3]"), for messages. An item
// whose Object is nil is an element that was not a STIX object at all: it
// fails with Message.
type Item struct {
	Path    string
	Object  *stix.Object
	Message string
}

// Submission is what one submitter asks to publish in one collection.
type Submission struct {
	Community  *isachub.Community
	Collection *isachub.Collection
	// Org is the submitting organisation; Reader is the submitter as the
	// policy sees it (a conflict admits an id exists only to a reader who
	// may see a version of it).
	Org    *isachub.Org
	Reader isachub.Reader
	// Anonymous is isachub.Anonymous's answer for the submission.
	Anonymous bool
	Items     []Item
	// Requested is when the request arrived (the status's
	// request_timestamp); zero means now.
	Requested time.Time
}

// Outcome is what a submission answers.
type Outcome struct {
	// Status is the TAXII status resource, stored under Status.ID. For an
	// anonymous submission it names no organisation.
	Status *isachub.Status
	// WithdrawalHandle is, for an anonymous submission, the secret with
	// which its submitter can withdraw it: shown once, kept by the hub
	// only as its hash (HashHandle).
	WithdrawalHandle string
}

// Publish validates the submission's objects and publishes the valid ones:
// into the collection, or into its moderation queue when it is moderated;
// under the community's identity when the submission is anonymous (whole or
// not at all). The status resource is stored and returned. An error means
// nothing was published, with one exception that the answer must survive:
// once an anonymous submission is stored, failures to record its status
// are logged and the outcome is returned, so that the submitter receives
// its withdrawal handle (the hub may not know who it is).
func Publish(ctx context.Context, store isachub.Store, log *slog.Logger, sub *Submission) (*Outcome, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	valid, failures := Check(sub.Collection, sub.Items)
	requested := sub.Requested
	if requested.IsZero() {
		requested = time.Now()
	}
	st := &isachub.Status{
		CommunityID:      sub.Community.ID,
		CollectionID:     sub.Collection.ID,
		OrgID:            sub.Org.ID,
		Status:           isachub.StatusComplete,
		RequestTimestamp: requested,
		TotalCount:       len(valid) + len(failures),
		Failures:         failures,
	}
	if sub.Anonymous {
		return publishAnonymous(ctx, store, log, sub, valid, st)
	}
	switch {
	case len(valid) == 0:
	case sub.Collection.Moderated:
		if err := queue(ctx, store, log, st, valid, nil); err != nil {
			return nil, err
		}
		return &Outcome{Status: st}, nil
	default:
		results, err := store.AddObjects(ctx, sub.Collection.ID, sub.Org.ID, valid)
		if err != nil {
			return nil, err
		}
		if err := record(ctx, store, log, sub, st, results, nil); err != nil {
			return nil, err
		}
	}
	if err := store.CreateStatus(ctx, st); err != nil {
		return nil, err
	}
	return &Outcome{Status: st}, nil
}

// Check splits items into the objects that coll may store and a failure
// for each other one: the one rule for "this object may be stored"
// (pattern.Validate) and the collection's TLP rule (isachub.AcceptTLP).
func Check(coll *isachub.Collection, items []Item) (valid []*stix.Object, failures []isachub.StatusDetail) {
	for _, it := range items {
		o := it.Object
		if o == nil {
			failures = append(failures, isachub.StatusDetail{ID: it.Path, Message: it.Message})
			continue
		}
		if res := pattern.Validate(o); !res.Valid() {
			id := o.ID()
			if id == "" {
				id = it.Path
			}
			failures = append(failures, isachub.StatusDetail{ID: id, Version: o.Version(), Message: ValidationMessage(it.Path, res.Errors)})
			continue
		}
		if err := isachub.AcceptTLP(coll, isachub.CollectionTLP(coll, stix.EffectiveTLP(o))); err != nil {
			failures = append(failures, isachub.StatusDetail{ID: o.ID(), Version: o.Version(), Message: isachub.ErrorMessage(err)})
			continue
		}
		valid = append(valid, o)
	}
	return valid, failures
}

// ValidationMessage joins an object's validation errors, each with its
// JSONPath in what was sent (itemPath is the object's own), at most ten of
// them.
func ValidationMessage(itemPath string, issues []stix.Issue) string {
	var b strings.Builder
	b.WriteString("invalid STIX 2.1: ")
	for i, is := range issues {
		if i > 0 {
			b.WriteString("; ")
		}
		if i == 10 {
			fmt.Fprintf(&b, "and %d more", len(issues)-i)
			break
		}
		p := itemPath
		if is.Path != "" {
			p += "." + is.Path
		}
		b.WriteString(p + ": " + is.Message)
	}
	return b.String()
}

// queue puts a submission to a moderated collection in the moderation
// queue (isachub.Pending) and stores its status as pending. a is the
// anonymised submission, nil when the submission is not anonymous.
func queue(ctx context.Context, store isachub.Store, log *slog.Logger, st *isachub.Status, objs []*stix.Object, a *anonymised) error {
	st.ID = uuid.NewString()
	st.Status = isachub.StatusPending
	p := &isachub.Pending{ID: st.ID, CommunityID: st.CommunityID, CollectionID: st.CollectionID, SubmitterOrgID: st.OrgID}
	for _, o := range objs {
		p.Objects = append(p.Objects, o.Raw())
		if a == nil || a.isPublished(o.ID()) {
			st.Pendings = append(st.Pendings, isachub.StatusDetail{ID: o.ID(), Version: o.Version(),
				Message: "The submission waits for approval by the ISAC's analysts."})
		}
	}
	if a != nil {
		p.Anonymous = a.rec
	}
	// The queue first: a status that says pending must have its queued
	// submission. If the status cannot be stored, the submission leaves
	// the queue again, so that nothing half-made is left to approve.
	if err := store.CreatePending(ctx, p); err != nil {
		return err
	}
	if err := store.CreateStatus(ctx, st); err != nil {
		if derr := store.DeletePending(ctx, p.CommunityID, p.ID); derr != nil {
			log.Error("removing a queued submission whose status could not be stored", "id", p.ID, "err", derr)
		}
		return err
	}
	return nil
}

// record adds the outcome of each stored object to the status; include,
// when not nil, picks the results that belong in it.
func record(ctx context.Context, store isachub.Store, log *slog.Logger, sub *Submission, st *isachub.Status, results []isachub.AddResult, include func(id string) bool) error {
	for _, res := range results {
		if include != nil && !include(res.ID) {
			continue
		}
		d := isachub.StatusDetail{ID: res.ID, Version: res.Version}
		if res.Err == nil {
			d.Message = res.Note
			st.Successes = append(st.Successes, d)
			continue
		}
		if isachub.ErrorCode(res.Err) == isachub.EINTERNAL {
			log.Error("adding an object failed", "collection", sub.Collection.ID, "id", res.ID, "err", res.Err)
		}
		d.Message = isachub.ErrorMessage(res.Err)
		if isachub.ErrorCode(res.Err) == isachub.ECONFLICT {
			// The conflict admits that the id exists: say so only to a
			// submitter who may see a version of it.
			sees, err := SeesObject(ctx, store, sub.Reader, sub.Collection, res.ID)
			if err != nil {
				return err
			}
			if !sees {
				d.Message = "This object cannot be added to this collection by your organisation."
			}
		}
		st.Failures = append(st.Failures, d)
	}
	return nil
}

// SeesObject reports whether the reader may see any version of the object
// in a collection: what a refusal or a conflict message may admit exists.
func SeesObject(ctx context.Context, store isachub.Store, r isachub.Reader, coll *isachub.Collection, id string) (bool, error) {
	if !r.MayOpen(coll) {
		return false, nil
	}
	p, err := store.Objects(ctx, coll.ID, r.Visibility(coll), isachub.ObjectFilter{IDs: []string{id},
		Versions: []string{"all"}, SpecVersions: []string{"2.0", "2.1"}, Limit: 1})
	if err != nil {
		return false, err
	}
	return len(p.Objects) > 0, nil
}
