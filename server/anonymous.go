package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/stix"
)

// Anonymous publishing (issue 6): a submission is re-issued under the
// community's identity by package anon, and the hub keeps who sent it
// according to the community's policy (isachub.Community.Record). Whether a
// submission is anonymous is isachub.Anonymous; this file prepares one.

// HeaderAnonymous asks for one submission to be published anonymously
// ("true"), whatever the token and collection say.
const HeaderAnonymous = "X-Isachub-Anonymous"

// HeaderWithdrawalHandle carries, in the answer to an anonymous POST, the
// secret handle with which the submitter can withdraw what it published.
// It is shown once and kept by the hub only as a SHA-256 hash.
const HeaderWithdrawalHandle = "X-Isachub-Withdrawal-Handle"

// handlePrefix starts every withdrawal handle.
const handlePrefix = "isachub-withdraw_"

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

// requestedAnonymous reports whether the request asks for anonymity with
// HeaderAnonymous.
func requestedAnonymous(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes":
		return true
	}
	return false
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
	a.handle = handlePrefix + base64.RawURLEncoding.EncodeToString(secret)
	a.rec = &isachub.AnonymousSubmission{
		CommunityID:  comm.ID,
		CollectionID: coll.ID,
		HandleHash:   hashHandle(a.handle),
	}
	if comm.Record() == isachub.RecordSealed {
		a.rec.OrgID = org.ID
	}
	for _, o := range a.result.Objects {
		a.rec.ObjectIDs = append(a.rec.ObjectIDs, o.ID())
	}
	return a, nil
}

// hashHandle returns what the store keeps of a withdrawal handle.
func hashHandle(handle string) []byte {
	sum := sha256.Sum256([]byte(handle))
	return sum[:]
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
	return isachub.Errorf(eUnprocessable, "%s", b.String())
}

// isPublished reports whether an add result belongs to the submission
// rather than to the community and sector identities published with it.
func (a *anonymised) isPublished(id string) bool {
	return id != a.publish[0].ID() && id != a.publish[1].ID()
}
