package server

import (
	"encoding/json"
	"net/http"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// The isachub endpoints of moderation, beside TAXII 2.1: an ISAC analyst
// (isachub.MayModerate) lists the submissions waiting in a moderated
// collection and approves or rejects each. Until then readers see nothing
// of them, and their status resources say pending.

// pendingItem is one submission in the moderation queue.
type pendingItem struct {
	ID          string `json:"id"` // the id of its status resource
	SubmittedAt string `json:"submitted_at"`
	Anonymous   bool   `json:"anonymous"`
	// Organisation is the submitting organisation's slug; absent for an
	// anonymous submission, which the moderators see only as published.
	Organisation string            `json:"organisation,omitempty"`
	Objects      []json.RawMessage `json:"objects"`
}

// moderatedCollection returns the collection of the request if the caller
// may moderate it: 404 when the caller cannot see it, 403 when it may not
// moderate it.
func (s *Server) moderatedCollection(r *http.Request) (*isachub.Collection, error) {
	c := callerOf(r)
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return nil, err
	}
	coll, err := s.collection(r.Context(), c, comm, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !isachub.MayModerate(c.user, c.org, coll) {
		return nil, isachub.Errorf(isachub.EFORBIDDEN, "Only the ISAC's analysts moderate collection %q.", coll.ID)
	}
	return coll, nil
}

// handlePending lists the collection's pending submissions, oldest first.
func (s *Server) handlePending(w http.ResponseWriter, r *http.Request) error {
	coll, err := s.moderatedCollection(r)
	if err != nil {
		return err
	}
	queue, err := s.store.PendingSubmissions(r.Context(), coll.ID)
	if err != nil {
		return err
	}
	items := make([]pendingItem, 0, len(queue))
	for _, p := range queue {
		it := pendingItem{ID: p.ID, SubmittedAt: taxii.FormatTimestamp(p.CreatedAt), Anonymous: p.Anonymous != nil, Objects: p.Objects}
		if p.Anonymous == nil {
			org, err := s.store.OrgByID(r.Context(), p.SubmitterOrgID)
			if err == nil {
				it.Organisation = org.Slug
			} else if isachub.ErrorCode(err) != isachub.ENOTFOUND {
				return err
			}
		}
		items = append(items, it)
	}
	writeTAXII(w, http.StatusOK, map[string]any{"pending": items})
	return nil
}

// handleApprove publishes a pending submission and answers its completed
// status resource.
func (s *Server) handleApprove(w http.ResponseWriter, r *http.Request) error {
	return s.moderate(w, r, "pending.approve", func(p *isachub.Pending, _ string) (*isachub.Status, error) {
		return isachub.Approve(r.Context(), s.store, p)
	})
}

// handleReject drops a pending submission, with an optional reason in the
// body ({"reason": "..."}) that the submitter reads in its status.
func (s *Server) handleReject(w http.ResponseWriter, r *http.Request) error {
	return s.moderate(w, r, "pending.reject", func(p *isachub.Pending, reason string) (*isachub.Status, error) {
		return isachub.Reject(r.Context(), s.store, p, reason)
	})
}

// moderate runs one moderation decision on the pending submission of the
// request and records it in the audit log.
func (s *Server) moderate(w http.ResponseWriter, r *http.Request, action string, decide func(*isachub.Pending, string) (*isachub.Status, error)) error {
	coll, err := s.moderatedCollection(r)
	if err != nil {
		return err
	}
	id := r.PathValue("pending")
	p, err := s.store.Pending(r.Context(), coll.CommunityID, id)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND || (err == nil && p.CollectionID != coll.ID) {
		return isachub.Errorf(isachub.ENOTFOUND, "There is no pending submission %q in collection %q.", clip(id), coll.ID)
	} else if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if raw, err := readBody(w, r, 64<<10); err != nil {
		return err
	} else if len(raw) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			return isachub.Errorf(isachub.EINVALID, `The body must be empty or {"reason": "..."}: %v.`, err)
		}
	}
	st, err := decide(p, body.Reason)
	if err != nil {
		return err
	}
	c := callerOf(r)
	if err := s.store.AppendAudit(r.Context(), &isachub.AuditEntry{CommunityID: coll.CommunityID, UserID: c.user.ID,
		Action: action, Target: p.ID, Detail: body.Reason}); err != nil {
		return err
	}
	writeTAXII(w, http.StatusOK, statusResource(st))
	return nil
}
