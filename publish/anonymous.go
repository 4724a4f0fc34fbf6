package publish

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/stix"
)

// Anonymous publishing (issue 6): a submission is re-issued under the
// community's identity by package anon, and the hub keeps who sent it
// according to the community's policy (isachub.Community.Record).

// HandlePrefix starts every withdrawal handle.
const HandlePrefix = "isachub-withdraw_"

// HashHandle returns what the store keeps of a withdrawal handle: its
// SHA-256.
func HashHandle(handle string) []byte {
	sum := sha256.Sum256([]byte(handle))
	return sum[:]
}

// anonymised is a submission ready to be published anonymously.
type anonymised struct {
	// publish is what goes into the collection: the community's identity
	// and the sector identity, then the anonymised objects.
	publish []*stix.Object
	result  *anon.Result
	// rec is the record to store with the objects; handle is the secret
	// whose hash it holds.
	rec    *isachub.AnonymousSubmission
	handle string
	// stableIDs reports whether the re-minted ids are the same on every
	// submission of the same objects by the organisation (sealed record),
	// rather than fresh at random (no record).
	stableIDs bool
}

// isPublished reports whether an id belongs to the submission rather than
// to the community and sector identities published with it.
func (a *anonymised) isPublished(id string) bool {
	return id != a.publish[0].ID() && id != a.publish[1].ID()
}

// Preview is what an anonymous submission would publish, without storing
// anything: the objects as they would be published (the community's and
// the sector's identities first), how ids would be re-minted, what
// anonymising dropped and the warnings it gave.
type Preview struct {
	Objects   []*stix.Object
	IDs       map[string]string
	Dropped   []string
	Warnings  []anon.Warning
	StableIDs bool
}

// PreviewAnonymous checks the submission as Publish would for an anonymous
// one and returns what it would publish.
func PreviewAnonymous(sub *Submission) (*Preview, error) {
	valid, failures := Check(sub.Collection, sub.Items)
	a, err := prepareAnonymous(sub, valid, failures)
	if err != nil {
		return nil, err
	}
	return &Preview{Objects: a.publish, IDs: a.result.IDs, Dropped: a.result.Dropped, Warnings: a.result.Warnings, StableIDs: a.stableIDs}, nil
}

// prepareAnonymous applies the whole-or-nothing rule and anonymises valid.
func prepareAnonymous(sub *Submission, valid []*stix.Object, failures []isachub.StatusDetail) (*anonymised, error) {
	if len(failures) > 0 {
		return nil, wholeOrNothing(failures)
	}
	if len(valid) == 0 {
		return nil, isachub.Errorf(isachub.EUNPROCESSABLE, "The submission holds no objects to publish.")
	}
	return anonymise(sub.Community, sub.Collection, sub.Org, valid)
}

// publishAnonymous publishes the valid objects of a submission anonymously,
// or queues them when the collection is moderated. The status names no
// organisation and lists the published ids; the outcome alone carries the
// withdrawal handle.
func publishAnonymous(ctx context.Context, store isachub.Store, log *slog.Logger, sub *Submission, valid []*stix.Object, st *isachub.Status) (*Outcome, error) {
	a, err := prepareAnonymous(sub, valid, st.Failures)
	if err != nil {
		return nil, err
	}
	st.OrgID = 0
	st.TotalCount = len(a.result.Objects)
	if sub.Collection.Moderated {
		if err := queue(ctx, store, log, st, a.publish, a); err != nil {
			return nil, err
		}
		return &Outcome{Status: st, WithdrawalHandle: a.handle}, nil
	}
	results, err := store.AddAnonymous(ctx, sub.Collection.ID, a.publish, a.rec)
	if err != nil {
		return nil, err
	}
	// From here on the objects are published: the answer must reach the
	// submitter with its withdrawal handle whatever else fails, or it
	// could never withdraw them (the hub may not know who it is).
	st.ID = uuid.NewString()
	if err := record(ctx, store, log, sub, st, results, a.isPublished); err != nil {
		log.Error("checking the conflicts of an anonymous submission failed", "status", st.ID, "err", err)
	}
	if err := store.CreateStatus(ctx, st); err != nil {
		log.Error("storing the status of an anonymous submission failed; the answer carries it", "status", st.ID, "err", err)
	}
	return &Outcome{Status: st, WithdrawalHandle: a.handle}, nil
}

// anonymise re-issues objs, submitted by org to coll, under comm's
// identity, and prepares the record and withdrawal handle of the
// submission.
func anonymise(comm *isachub.Community, coll *isachub.Collection, org *isachub.Org, objs []*stix.Object) (*anonymised, error) {
	rules, err := anon.Compile(org.Redaction, org.Name)
	if err != nil {
		return nil, err
	}
	a := &anonymised{stableIDs: comm.Record() == isachub.RecordSealed}
	var key []byte
	if a.stableIDs {
		key = anon.OrgKey(comm.AnonSecret, org.ID)
	} else {
		// Nothing may link the submission to the organisation, not even a
		// key the hub could recompute: the ids are re-minted at random.
		key = make([]byte, 32)
		rand.Read(key)
	}
	commIdentity, sector := anon.CommunityIdentity(comm), anon.SectorIdentity(comm)
	var submitter []string
	if org.IdentityID != "" {
		submitter = append(submitter, org.IdentityID)
	}
	a.result, err = anon.Anonymise(objs, anon.Config{
		CommunityIdentity: commIdentity.ID(),
		SectorIdentity:    sector.ID(),
		Submitter:         submitter,
		Rules:             rules,
		Key:               key,
	})
	if err != nil {
		return nil, err
	}
	a.publish = append([]*stix.Object{commIdentity, sector}, a.result.Objects...)

	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("reading random handle bytes: %w", err)
	}
	a.handle = HandlePrefix + base64.RawURLEncoding.EncodeToString(secret)
	a.rec = &isachub.AnonymousSubmission{
		CommunityID:  comm.ID,
		CollectionID: coll.ID,
		HandleHash:   HashHandle(a.handle),
	}
	if comm.Record() == isachub.RecordSealed {
		a.rec.OrgID = org.ID
	}
	for _, o := range a.result.Objects {
		a.rec.ObjectIDs = append(a.rec.ObjectIDs, o.ID())
	}
	return a, nil
}

// wholeOrNothing is the error for an anonymous submission in which some
// objects failed: an anonymous submission is published whole or not at
// all, so that its references stay consistent and no status resource keeps
// an id the submitter sent.
func wholeOrNothing(failures []isachub.StatusDetail) error {
	var b strings.Builder
	fmt.Fprintf(&b, "An anonymous submission is published whole or not at all, and %d of its objects cannot be published:", len(failures))
	for i, f := range failures {
		if i == 10 {
			fmt.Fprintf(&b, " and %d more.", len(failures)-i)
			break
		}
		fmt.Fprintf(&b, " %s: %s", f.ID, f.Message)
	}
	return isachub.Errorf(isachub.EUNPROCESSABLE, "%s", b.String())
}
