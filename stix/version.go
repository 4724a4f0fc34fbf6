package stix

import "fmt"

// CheckNewVersion reports why next may not follow prev as a new version of
// the same object (section 3.6), or nil when it may: the id and type are
// the same, created and created_by_ref do not change (only the creator
// versions an object), prev is not revoked (revocation is final), and
// next.modified is later than prev.modified. Objects without modified
// (SCOs, marking definitions) are not versioned this way and always pass.
func CheckNewVersion(prev, next *Object) error {
	if prev.ID() != next.ID() {
		return fmt.Errorf("the versions have different ids: %s and %s", prev.ID(), next.ID())
	}
	if prev.Modified() == "" || next.Modified() == "" {
		return nil
	}
	if prev.Revoked() {
		return fmt.Errorf("%s was revoked at %s; a revoked object must not be versioned again (section 3.6)", prev.ID(), prev.Modified())
	}
	if prev.Created() != next.Created() {
		return fmt.Errorf("created must stay %s in every version of %s (section 3.6)", prev.Created(), prev.ID())
	}
	if prev.CreatedByRef() != next.CreatedByRef() {
		return fmt.Errorf("created_by_ref must stay %q: only the creator of %s may version it (section 3.6)", prev.CreatedByRef(), prev.ID())
	}
	pm, err1 := ParseTimestamp(prev.Modified())
	nm, err2 := ParseTimestamp(next.Modified())
	if err1 == nil && err2 == nil && !nm.After(pm) {
		return fmt.Errorf("modified %s must be later than the previous version's %s (section 3.6)", next.Modified(), prev.Modified())
	}
	return nil
}
