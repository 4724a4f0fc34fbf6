package server

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

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
	if ct := r.Header.Get("Content-Type"); !taxii.IsTAXII21ContentType(ct) {
		return isachub.Errorf(eUnsupportedMedia, "A POST to an objects endpoint must have Content-Type %s, not %q.", taxii.MediaTypeTAXII21, clip(ct))
	}
	limit := s.maxContentLength(comm.MaxContentLength)
	body, err := readBody(w, r, limit)
	if err != nil {
		return err
	}
	valid, rejected, err := taxii.ReadEnvelope(body, s.cfg.MaxEnvelopeObjects)
	var tooMany *taxii.TooManyObjectsError
	if errors.As(err, &tooMany) {
		return isachub.Errorf(isachub.ETOOLARGE, "%s.", upperFirst(err.Error()))
	} else if err != nil {
		return isachub.Errorf(eUnprocessable, "%s.", upperFirst(err.Error()))
	}

	st := &isachub.Status{
		CommunityID:      comm.ID,
		CollectionID:     coll.ID,
		OrgID:            c.org.ID,
		Status:           isachub.StatusComplete,
		RequestTimestamp: requested,
		TotalCount:       len(valid) + len(rejected),
	}
	for _, rj := range rejected {
		st.Failures = append(st.Failures, isachub.StatusDetail{ID: rj.ID, Version: rj.Version, Message: rj.Message})
	}
	valid = slices.DeleteFunc(valid, func(o *stix.Object) bool {
		if err := acceptTLP(coll, o); err != nil {
			st.Failures = append(st.Failures, isachub.StatusDetail{ID: o.ID(), Version: o.Version(), Message: isachub.ErrorMessage(err)})
			return true
		}
		return false
	})
	if len(valid) > 0 {
		results, err := s.store.AddObjects(r.Context(), coll.ID, c.org.ID, valid)
		if err != nil {
			return err
		}
		for _, res := range results {
			d := isachub.StatusDetail{ID: res.ID, Version: res.Version}
			if res.Err != nil {
				if isachub.ErrorCode(res.Err) == isachub.EINTERNAL {
					s.log.Error("adding an object failed", "collection", coll.ID, "id", res.ID, "err", res.Err)
				}
				d.Message = isachub.ErrorMessage(res.Err)
				if isachub.ErrorCode(res.Err) == isachub.ECONFLICT {
					// The conflict admits that the id exists: say so only
					// to a caller who may see a version of it.
					sees, err := s.seesObject(r.Context(), c, coll, res.ID)
					if err != nil {
						return err
					}
					if !sees {
						d.Message = "This object cannot be added to this collection by your organisation."
					}
				}
				st.Failures = append(st.Failures, d)
				continue
			}
			st.Successes = append(st.Successes, d)
		}
	}
	if err := s.store.CreateStatus(r.Context(), st); err != nil {
		return err
	}
	writeTAXII(w, http.StatusAccepted, statusResource(st))
	return nil
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
