package stix

// Issue is one problem found by Validate: Path is where, relative to the
// object ("created", "external_references[0].url"; "" for the object
// itself), and Message says what is wrong in words a person can act on.
type Issue struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Result is the outcome of validating one object. Errors break a MUST of
// STIX 2.1; Warnings break a SHOULD (open vocabularies, for example).
type Result struct {
	Errors   []Issue
	Warnings []Issue
}

// Valid reports whether the object has no errors.
func (r *Result) Valid() bool { return len(r.Errors) == 0 }
