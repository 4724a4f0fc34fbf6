package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// handleAddObjects adds the objects of an envelope to a collection (TAXII
// 2.1 section 5.4). Every object is validated; the valid ones are stored in
// one transaction, and the answer is 202 with a status resource that lists
// each object as a success or a failure with its reason. The status is kept
// for the status endpoint (section 4.3).
func (s *Server) handleAddObjects(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	requested := time.Now()
	comm, coll, err := s.writableCollection(r.Context(), c, r.PathValue("root"), r.PathValue("id"))
	if err != nil {
		return err
	}
	valid, failures, err := s.readSubmission(w, r, comm, coll)
	if err != nil {
		return err
	}
	st := &isachub.Status{
		CommunityID:      comm.ID,
		CollectionID:     coll.ID,
		OrgID:            c.org.ID,
		Status:           isachub.StatusComplete,
		RequestTimestamp: requested,
		TotalCount:       len(valid) + len(failures),
		Failures:         failures,
	}
	if isachub.Anonymous(c.token, coll, requestedAnonymous(r.Header.Get(HeaderAnonymous))) {
		c.anonymous = true
		return s.addAnonymous(w, r, c, comm, coll, valid, st)
	}
	switch {
	case len(valid) == 0:
	case coll.Moderated:
		if err := s.queue(r.Context(), st, valid, nil); err != nil {
			return err
		}
		writeTAXII(w, http.StatusAccepted, statusResource(st))
		return nil
	default:
		results, err := s.store.AddObjects(r.Context(), coll.ID, c.org.ID, valid)
		if err != nil {
			return err
		}
		if err := s.recordResults(r.Context(), c, coll, st, results, nil); err != nil {
			return err
		}
	}
	if err := s.store.CreateStatus(r.Context(), st); err != nil {
		return err
	}
	writeTAXII(w, http.StatusAccepted, statusResource(st))
	return nil
}

// addAnonymous publishes the valid objects of a submission anonymously
// (isachub.Anonymous), or queues them when the collection is moderated. The
// status resource names no organisation and lists the published ids; the
// answer alone carries the withdrawal handle.
func (s *Server) addAnonymous(w http.ResponseWriter, r *http.Request, c *caller, comm *isachub.Community, coll *isachub.Collection, valid []*stix.Object, st *isachub.Status) error {
	if len(st.Failures) > 0 {
		return wholeOrNothing(st.Failures)
	}
	if len(valid) == 0 {
		return isachub.Errorf(eUnprocessable, "The envelope holds no objects to publish.")
	}
	a, err := anonymise(comm, coll, c.org, valid)
	if err != nil {
		return err
	}
	st.OrgID = 0
	st.TotalCount = len(a.result.Objects)
	if coll.Moderated {
		if err := s.queue(r.Context(), st, a.publish, a); err != nil {
			return err
		}
	} else {
		results, err := s.store.AddAnonymous(r.Context(), coll.ID, a.publish, a.rec)
		if err != nil {
			return err
		}
		// From here on the objects are published: the answer must reach
		// the submitter with its withdrawal handle whatever else fails, or
		// it could never withdraw them (the hub may not know who it is).
		st.ID = uuid.NewString()
		if err := s.recordResults(r.Context(), c, coll, st, results, a.isPublished); err != nil {
			s.log.Error("checking the conflicts of an anonymous submission failed", "status", st.ID, "err", err)
		}
		if err := s.store.CreateStatus(r.Context(), st); err != nil {
			s.log.Error("storing the status of an anonymous submission failed; the answer carries it", "status", st.ID, "err", err)
		}
	}
	w.Header().Set(HeaderWithdrawalHandle, a.handle)
	writeTAXII(w, http.StatusAccepted, taxii.AnonymousStatus{Status: statusResource(st), WithdrawalHandle: a.handle})
	return nil
}

// queue puts a submission to a moderated collection in the moderation queue
// (isachub.Pending) and stores its status as pending. a is the anonymised
// submission, nil when the submission is not anonymous.
func (s *Server) queue(ctx context.Context, st *isachub.Status, objs []*stix.Object, a *anonymised) error {
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
	if err := s.store.CreatePending(ctx, p); err != nil {
		return err
	}
	if err := s.store.CreateStatus(ctx, st); err != nil {
		if derr := s.store.DeletePending(ctx, p.CommunityID, p.ID); derr != nil {
			s.log.Error("removing a queued submission whose status could not be stored", "id", p.ID, "err", derr)
		}
		return err
	}
	return nil
}

// recordResults adds the outcome of each stored object to the status;
// include, when not nil, picks the results that belong in it.
func (s *Server) recordResults(ctx context.Context, c *caller, coll *isachub.Collection, st *isachub.Status, results []isachub.AddResult, include func(id string) bool) error {
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
			s.log.Error("adding an object failed", "collection", coll.ID, "id", res.ID, "err", res.Err)
		}
		d.Message = isachub.ErrorMessage(res.Err)
		if isachub.ErrorCode(res.Err) == isachub.ECONFLICT {
			// The conflict admits that the id exists: say so only to a
			// caller who may see a version of it.
			sees, err := s.seesObject(ctx, c, coll, res.ID)
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

// readSubmission reads the envelope a POST to a collection carries: the
// objects that are valid STIX 2.1 and that the collection may hold, and a
// failure for each other one.
func (s *Server) readSubmission(w http.ResponseWriter, r *http.Request, comm *isachub.Community, coll *isachub.Collection) ([]*stix.Object, []isachub.StatusDetail, error) {
	if ct := r.Header.Get("Content-Type"); !taxii.IsTAXII21ContentType(ct) {
		return nil, nil, isachub.Errorf(eUnsupportedMedia, "A POST to an objects endpoint must have Content-Type %s, not %q.", taxii.MediaTypeTAXII21, clip(ct))
	}
	body, err := readBody(w, r, s.maxContentLength(comm.MaxContentLength))
	if err != nil {
		return nil, nil, err
	}
	valid, rejected, err := taxii.ReadEnvelope(body, s.cfg.MaxEnvelopeObjects)
	var tooMany *taxii.TooManyObjectsError
	if errors.As(err, &tooMany) {
		return nil, nil, isachub.Errorf(isachub.ETOOLARGE, "%s.", upperFirst(err.Error()))
	} else if err != nil {
		return nil, nil, isachub.Errorf(eUnprocessable, "%s.", upperFirst(err.Error()))
	}
	var failures []isachub.StatusDetail
	for _, rj := range rejected {
		failures = append(failures, isachub.StatusDetail{ID: rj.ID, Version: rj.Version, Message: rj.Message})
	}
	valid = slices.DeleteFunc(valid, func(o *stix.Object) bool {
		if err := acceptTLP(coll, o); err != nil {
			failures = append(failures, isachub.StatusDetail{ID: o.ID(), Version: o.Version(), Message: isachub.ErrorMessage(err)})
			return true
		}
		return false
	})
	return valid, failures, nil
}

// readBody reads at most limit bytes of the request body; a longer body is
// ETOOLARGE (413), checked against Content-Length first when it is known.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	tooLarge := isachub.Errorf(isachub.ETOOLARGE, "The body is larger than this API root's max_content_length of %d bytes.", limit)
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, tooLarge
	} else if err != nil {
		return nil, isachub.Errorf(isachub.EINVALID, "The body could not be read: %v", err)
	}
	return body, nil
}

// upperFirst capitalises the first letter of a message.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
