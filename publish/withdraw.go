package publish

import (
	"context"
	"encoding/json"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// Withdrawal is what withdrawing a published anonymous submission did:
// the objects that got a revoked version, and those left as they were,
// each with the reason.
type Withdrawal struct {
	Revoked   []isachub.StatusDetail
	Unchanged []isachub.StatusDetail
}

// Revoke withdraws a published anonymous submission: every object it
// published that can be revoked and is not yet gets a new version with
// revoked set (STIX 2.1 section 3.6), under the community's identity, so
// that readers who already have it learn it is withdrawn; then the
// submission is marked withdrawn. SCOs and marking definitions have no
// revoked property (STIX 2.1 sections 6 and 7.2) and stay as they are. A
// submission still waiting for moderation leaves the queue instead
// (isachub.WithdrawPending).
func Revoke(ctx context.Context, store isachub.Store, rec *isachub.AnonymousSubmission) (*Withdrawal, error) {
	resp := &Withdrawal{}
	now := time.Now().UTC()
	var revoked []*stix.Object
	for _, id := range rec.ObjectIDs {
		// Unrestricted: the hub revokes what the submission published, on
		// the submitter's behalf, whatever its TLP; nothing read is shown
		// but the object's id and version, which the submitter sent.
		p, err := store.Objects(ctx, rec.CollectionID, isachub.Unrestricted(), isachub.ObjectFilter{IDs: []string{id}, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(p.Objects) == 0 {
			resp.Unchanged = append(resp.Unchanged, isachub.StatusDetail{ID: id, Message: "The object is no longer in the collection."})
			continue
		}
		v := p.Objects[0]
		switch {
		case v.Revoked:
			resp.Unchanged = append(resp.Unchanged, isachub.StatusDetail{ID: id, Version: v.Version(), Message: "The object is already revoked."})
			continue
		case v.Modified == "":
			resp.Unchanged = append(resp.Unchanged, isachub.StatusDetail{ID: id, Version: v.Version(),
				Message: "A " + v.Type + " cannot be revoked in STIX 2.1; it stays in the collection."})
			continue
		}
		o, err := revokedVersion(v, now)
		if err != nil {
			return nil, err
		}
		revoked = append(revoked, o)
	}
	if len(revoked) > 0 {
		results, err := store.AddObjects(ctx, rec.CollectionID, 0, revoked)
		if err != nil {
			return nil, err
		}
		for _, res := range results {
			d := isachub.StatusDetail{ID: res.ID, Version: res.Version}
			if res.Err != nil {
				d.Message = isachub.ErrorMessage(res.Err)
				resp.Unchanged = append(resp.Unchanged, d)
				continue
			}
			resp.Revoked = append(resp.Revoked, d)
		}
	}
	if rec.WithdrawnAt.IsZero() {
		if err := store.MarkWithdrawn(ctx, rec.CommunityID, rec.ID, now); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// revokedVersion returns the next version of v with revoked set: modified
// is now, or one millisecond after v's modified when the clock says
// otherwise, so that the new version is always the latest. It must pass
// the one rule of what may be stored (pattern.Validate) like any other.
func revokedVersion(v *isachub.ObjectVersion, now time.Time) (*stix.Object, error) {
	var props map[string]json.RawMessage
	if err := json.Unmarshal(v.Raw, &props); err != nil {
		return nil, err
	}
	modified := now.Truncate(time.Millisecond)
	if prev, err := time.Parse(time.RFC3339Nano, v.Modified); err == nil && !modified.After(prev) {
		modified = prev.Truncate(time.Millisecond).Add(time.Millisecond)
	}
	props["revoked"] = json.RawMessage("true")
	props["modified"], _ = json.Marshal(modified.Format("2006-01-02T15:04:05.000Z"))
	raw, err := json.Marshal(props)
	if err != nil {
		return nil, err
	}
	o, err := stix.ParseObject(raw)
	if err != nil {
		return nil, err
	}
	if res := pattern.Validate(o); !res.Valid() {
		return nil, isachub.Errorf(isachub.EINTERNAL, "the revoked version of %s is not valid: %s: %s", v.ID, res.Errors[0].Path, res.Errors[0].Message)
	}
	return o, nil
}
