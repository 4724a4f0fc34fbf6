package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/publish"
	"github.com/isachub/isachub/taxii"
)

// The isachub endpoints of anonymous publishing, beside TAXII 2.1: the
// community's identity, the preview of an anonymous submission and the
// withdrawal of one.

// handlePreview answers what an anonymous POST of the same envelope to the
// collection would publish, without storing anything.
func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	c.anonymous = true
	sub, err := s.readSubmission(w, r)
	if err != nil {
		return err
	}
	p, err := publish.PreviewAnonymous(sub)
	if err != nil {
		return err
	}
	resp := taxii.Preview{IDs: p.IDs, Dropped: p.Dropped, StableIDs: p.StableIDs}
	for _, w := range p.Warnings {
		resp.Warnings = append(resp.Warnings, taxii.PreviewWarning{ObjectID: w.ObjectID, Path: w.Path, Message: w.Message})
	}
	for _, o := range p.Objects {
		resp.Objects = append(resp.Objects, o.Raw())
	}
	writeTAXII(w, http.StatusOK, resp)
	return nil
}

// handleIdentity serves the community's own STIX identity, under which
// anonymous submissions are re-issued (their created_by_ref), and the
// generic identity of its sector (their where_sighted_refs), as an
// envelope. Both are also published with every anonymous submission, in
// the collection that receives it.
func (s *Server) handleIdentity(w http.ResponseWriter, r *http.Request) error {
	comm, err := s.community(r.Context(), callerOf(r), r.PathValue("root"))
	if err != nil {
		return err
	}
	writeTAXII(w, http.StatusOK, taxii.Envelope{Objects: []json.RawMessage{
		anon.CommunityIdentity(comm).Raw(), anon.SectorIdentity(comm).Raw()}})
	return nil
}

// handleWithdraw withdraws an anonymous submission by its handle: each
// object it published gets a new version with revoked set (STIX 2.1
// section 3.6), under the community's identity, so that readers who already
// have it learn it is withdrawn. A submission still waiting for moderation
// leaves the queue. The handle alone is the proof: the hub may not know
// who submitted, and the request is not logged with the caller's name. In a
// community that keeps a sealed record, the submitting organisation may
// instead name an object its submission published (withdrawObject).
func (s *Server) handleWithdraw(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	c.anonymous = true
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return err
	}
	if !c.reader().InCommunity(comm.ID) {
		return isachub.Errorf(isachub.EFORBIDDEN, "Only a member of the community can withdraw its submissions.")
	}
	body, err := readBody(w, r, 4096)
	if err != nil {
		return err
	}
	var req taxii.WithdrawRequest
	err = json.Unmarshal(body, &req)
	switch {
	case err == nil && req.Handle == "" && req.ObjectID != "":
		resp, err := s.withdrawObject(r.Context(), c, comm, req.ObjectID)
		if err != nil {
			return err
		}
		writeTAXII(w, http.StatusOK, resp)
		return nil
	case err != nil || !strings.HasPrefix(req.Handle, publish.HandlePrefix):
		return isachub.Errorf(isachub.EINVALID, `The body must be {"handle": "%s..."}, with the withdrawal handle the anonymous submission answered, `+
			`or, where the community keeps a sealed record, {"object_id": "..."} with an object your organisation published anonymously.`, publish.HandlePrefix)
	}
	hash := publish.HashHandle(req.Handle)
	rec, err := s.store.AnonymousByHandle(r.Context(), comm.ID, hash)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		p, err := s.pendingByHandle(r.Context(), comm, hash)
		if err != nil {
			return err
		}
		st, err := isachub.WithdrawPending(r.Context(), s.store, p)
		if err != nil {
			return err
		}
		res := statusResource(st)
		writeTAXII(w, http.StatusOK, taxii.Withdrawal{Status: &res})
		return nil
	} else if err != nil {
		return err
	}
	resp, err := s.revoke(r.Context(), rec)
	if err != nil {
		return err
	}
	writeTAXII(w, http.StatusOK, resp)
	return nil
}

// withdrawObject withdraws, without the handle, every anonymous submission
// of the caller's organisation that published the object, in a community
// that keeps a sealed record (which alone can tell whose it is). To anyone
// else the object's submissions do not exist: the answer is the one for an
// object no anonymous submission published.
func (s *Server) withdrawObject(ctx context.Context, c *caller, comm *isachub.Community, id string) (*taxii.Withdrawal, error) {
	if comm.Record() != isachub.RecordSealed {
		return nil, isachub.Errorf(isachub.EINVALID,
			"This community keeps no record of who submitted, so only the withdrawal handle can withdraw a submission.")
	}
	notFound := isachub.Errorf(isachub.ENOTFOUND, "No anonymous submission of your organisation published %q.", clip(id))
	if !plausibleName(id) {
		return nil, notFound
	}
	recs, err := s.store.AnonymousSubmissions(ctx, comm.ID, id)
	if err != nil {
		return nil, err
	}
	resp := &taxii.Withdrawal{}
	found := false
	for _, rec := range recs {
		if rec.OrgID == 0 || rec.OrgID != c.org.ID {
			continue
		}
		found = true
		one, err := s.revoke(ctx, rec)
		if err != nil {
			return nil, err
		}
		resp.Revoked = append(resp.Revoked, one.Revoked...)
		resp.Unchanged = append(resp.Unchanged, one.Unchanged...)
	}
	if !found {
		return nil, notFound
	}
	return resp, nil
}

// errUnknownHandle is the one answer to a handle that withdraws nothing.
func errUnknownHandle() error {
	return isachub.Errorf(isachub.ENOTFOUND, "No submission of this community has this withdrawal handle.")
}

// pendingByHandle finds the anonymous submission with the handle hash in
// the moderation queues of the community.
func (s *Server) pendingByHandle(ctx context.Context, comm *isachub.Community, hash []byte) (*isachub.Pending, error) {
	colls, err := s.store.Collections(ctx, comm.ID)
	if err != nil {
		return nil, err
	}
	for _, coll := range colls {
		if !coll.Moderated {
			continue
		}
		queue, err := s.store.PendingSubmissions(ctx, coll.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range queue {
			if p.Anonymous != nil && subtle.ConstantTimeCompare(p.Anonymous.HandleHash, hash) == 1 {
				return p, nil
			}
		}
	}
	return nil, errUnknownHandle()
}

// revoke withdraws a published anonymous submission (publish.Revoke) and
// answers what it did.
func (s *Server) revoke(ctx context.Context, rec *isachub.AnonymousSubmission) (*taxii.Withdrawal, error) {
	wd, err := publish.Revoke(ctx, s.store, rec)
	if err != nil {
		return nil, err
	}
	return &taxii.Withdrawal{Revoked: statusDetails(wd.Revoked), Unchanged: statusDetails(wd.Unchanged)}, nil
}
