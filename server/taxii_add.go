package server

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/publish"
	"github.com/isachub/isachub/taxii"
)

// handleAddObjects adds the objects of an envelope to a collection (TAXII
// 2.1 section 5.4) through the one publishing path (publish.Publish): every
// object is validated, the valid ones are stored in one transaction (or
// queued for moderation, or published anonymously), and the answer is 202
// with a status resource that lists each object as a success, a failure
// with its reason, or pending. The status is kept for the status endpoint
// (section 4.3).
func (s *Server) handleAddObjects(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	sub, err := s.readSubmission(w, r)
	if err != nil {
		return err
	}
	sub.Anonymous = isachub.Anonymous(c.token, sub.Collection, requestedAnonymous(r.Header.Get(HeaderAnonymous)))
	c.anonymous = sub.Anonymous
	out, err := publish.Publish(r.Context(), s.store, s.log, sub)
	if err != nil {
		return err
	}
	if !sub.Anonymous {
		writeTAXII(w, http.StatusAccepted, statusResource(out.Status))
		return nil
	}
	w.Header().Set(HeaderWithdrawalHandle, out.WithdrawalHandle)
	writeTAXII(w, http.StatusAccepted, taxii.AnonymousStatus{Status: statusResource(out.Status), WithdrawalHandle: out.WithdrawalHandle})
	return nil
}

// readSubmission reads the submission a POST to a writable collection
// carries: the envelope's elements, parsed (or with the reason they are no
// STIX object at all). Validating them is publish's.
func (s *Server) readSubmission(w http.ResponseWriter, r *http.Request) (*publish.Submission, error) {
	requested := time.Now()
	c := callerOf(r)
	comm, coll, err := s.writableCollection(r.Context(), c, r.PathValue("root"), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if ct := r.Header.Get("Content-Type"); !taxii.IsTAXII21ContentType(ct) {
		return nil, isachub.Errorf(eUnsupportedMedia, "A POST to an objects endpoint must have Content-Type %s, not %q.", taxii.MediaTypeTAXII21, clip(ct))
	}
	body, err := readBody(w, r, s.maxContentLength(comm.MaxContentLength))
	if err != nil {
		return nil, err
	}
	elems, err := taxii.ReadEnvelope(body, s.cfg.MaxEnvelopeObjects)
	var tooMany *taxii.TooManyObjectsError
	if errors.As(err, &tooMany) {
		return nil, isachub.Errorf(isachub.ETOOLARGE, "%s.", upperFirst(err.Error()))
	} else if err != nil {
		return nil, isachub.Errorf(eUnprocessable, "%s.", upperFirst(err.Error()))
	}
	sub := &publish.Submission{Community: comm, Collection: coll, Org: c.org, Reader: c.reader(), Requested: requested,
		Items: make([]publish.Item, len(elems))}
	for i, e := range elems {
		sub.Items[i] = publish.Item{Path: e.Path, Object: e.Object, Message: e.Message}
	}
	return sub, nil
}

// readBody reads at most limit bytes of the request body; a longer body is
// ETOOLARGE (413), checked against Content-Length first when it is known.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	tooLarge := isachub.Errorf(isachub.ETOOLARGE, "The body is larger than this API root's max_content_length of %d bytes.", limit)
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	// With a Content-Length the body is read into one buffer of its size,
	// not grown by doubling from 512 bytes (7% of what an ingest
	// allocated before this).
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	body := buf.Bytes()
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
