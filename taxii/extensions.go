package taxii

import (
	"encoding/json"

	"github.com/isachub/isachub/convert"
)

// The resources of isachub's own endpoints beside TAXII 2.1 (anonymous
// publishing and moderation), served with the same media type. They are
// here, beside the TAXII resources, so that the server and the command line
// share one definition of the wire format.

// Preview answers POST {api-root}/collections/{id}/preview/: what an
// anonymous submission of the same envelope would publish.
type Preview struct {
	// Objects are exactly the objects that would be published: the
	// community's identity, the sector identity, then the submission.
	Objects []json.RawMessage `json:"objects"`
	// IDs maps each submitted id to the id it would be published under.
	IDs map[string]string `json:"ids"`
	// Dropped are the submitter's identity objects, which are not
	// published.
	Dropped  []string         `json:"dropped,omitempty"`
	Warnings []PreviewWarning `json:"warnings,omitempty"`
	// StableIDs is true when the community keeps a sealed record: the
	// same object submitted again is published under the same id, so a
	// new version updates it. When false, ids are re-minted at random on
	// every submission and the preview's ids are an example.
	StableIDs bool `json:"stable_ids"`
}

// PreviewWarning is something the submitter should look at before
// publishing, in the published object ObjectID.
type PreviewWarning struct {
	ObjectID string `json:"object_id"`
	Path     string `json:"path"`
	Message  string `json:"message"`
}

// AnonymousStatus answers an anonymous POST to an objects endpoint: the
// status resource with the withdrawal handle, which is shown this once
// and never stored.
type AnonymousStatus struct {
	Status
	WithdrawalHandle string `json:"x_isachub_withdrawal_handle"`
}

// WithdrawRequest is the body of POST {api-root}/withdraw/: the
// withdrawal handle of a submission, or, in a community that keeps a sealed
// record, the id of an object one of the caller's organisation's anonymous
// submissions published.
type WithdrawRequest struct {
	Handle   string `json:"handle,omitempty"`
	ObjectID string `json:"object_id,omitempty"`
}

// Withdrawal answers POST {api-root}/withdraw/.
type Withdrawal struct {
	// Revoked are the objects that now have a revoked version.
	Revoked []StatusDetail `json:"revoked,omitempty"`
	// Unchanged are the objects left as they were, with the reason.
	Unchanged []StatusDetail `json:"unchanged,omitempty"`
	// Status is the status resource of a submission that was still
	// waiting for moderation, and now never will be published.
	Status *Status `json:"status,omitempty"`
}

// ImportStatus answers POST {api-root}/collections/{id}/import?format=...
// (issue 11): the status resource of the converted objects' submission,
// the withdrawal handle when it was anonymous, and the conversion report
// (what converted exactly, approximately or not at all, at its place in
// the input).
type ImportStatus struct {
	Status
	WithdrawalHandle string          `json:"x_isachub_withdrawal_handle,omitempty"`
	Report           *convert.Report `json:"x_isachub_conversion_report"`
}
