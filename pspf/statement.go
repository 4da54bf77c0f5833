package pspf

import (
	"encoding/json"
	"fmt"

	"github.com/pedigree-dev/pedigree/slsa"
)

// PredicateType is the in-toto predicate type of a statement whose
// predicate is a PSPF provenance record. flavor's record names no artifact;
// pedigree wraps it in a statement whose subject is the package's digest.
// The URI is under pedigree's own namespace; version 1 is the nine-key
// record exactly as flavor writes it.
const PredicateType = "https://pedigree.dev/pspf-record/v1"

// NewStatement returns an in-toto Statement v1 with the given subjects and
// the record as predicate (its Marshal bytes), built and validated by
// slsa.NewStatement. Every subject needs a name and a valid digest set; it
// fails with ErrNoSubject (wrapped with the subject's index, and with the
// slsa package's error for a malformed digest) otherwise, or with
// ErrInvalidString from Marshal.
func NewStatement(r *Record, subjects []slsa.ResourceDescriptor) (*slsa.Statement, error) {
	if len(subjects) == 0 {
		return nil, fmt.Errorf("subject: %w", ErrNoSubject)
	}
	for i, s := range subjects {
		if s.Name == "" {
			return nil, fmt.Errorf("subject[%d].name: empty: %w", i, ErrNoSubject)
		}
		if err := s.Digest.Validate(); err != nil {
			return nil, fmt.Errorf("subject[%d].digest: %w: %w", i, ErrNoSubject, err)
		}
	}
	pred, err := r.Marshal()
	if err != nil {
		return nil, err
	}
	st, err := slsa.NewStatement(subjects, PredicateType, json.RawMessage(pred))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoSubject, err)
	}
	return st, nil
}

// FromStatement returns the record carried by a statement of
// PredicateType. It fails with ErrPredicateType for any other predicate
// type, and with the errors of ParseRecord for a malformed predicate.
func FromStatement(st *slsa.Statement) (*Record, error) {
	if st.PredicateType != PredicateType {
		return nil, fmt.Errorf("predicateType %q: want %q: %w", st.PredicateType, PredicateType, ErrPredicateType)
	}
	r, err := ParseRecord(st.Predicate)
	if err != nil {
		return nil, fmt.Errorf("predicate: %w", err)
	}
	return r, nil
}
