package verify

import (
	"encoding/json"
	"fmt"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// parseStatement decodes a verified DSSE payload as an in-toto statement
// (v1, or v0.1 as SLSA v0.2 generators still write) with at least one
// subject, each with a well-formed digest. The payload was size-limited by
// the envelope or bundle it came in.
func parseStatement(payloadType string, payload []byte) (*slsa.Statement, error) {
	if payloadType != slsa.PayloadType {
		return nil, fmt.Errorf("payloadType %q is not an in-toto statement (%s): %w", payloadType, slsa.PayloadType, ErrMalformedProvenance)
	}
	var st slsa.Statement
	if err := json.Unmarshal(payload, &st); err != nil {
		return nil, fmt.Errorf("statement: %v: %w", err, ErrMalformedProvenance)
	}
	if st.Type != slsa.StatementTypeV1 && st.Type != slsa.StatementTypeV01 {
		return nil, fmt.Errorf("statement _type %q is not in-toto Statement v1 or v0.1: %w", st.Type, ErrMalformedProvenance)
	}
	if st.PredicateType == "" {
		return nil, fmt.Errorf("statement predicateType: missing: %w", ErrMalformedProvenance)
	}
	if len(st.Subject) == 0 {
		return nil, fmt.Errorf("statement subject: empty: %w", ErrMalformedProvenance)
	}
	for i, s := range st.Subject {
		if err := s.Digest.Validate(); err != nil {
			return nil, fmt.Errorf("subject[%d].digest: %v: %w", i, err, ErrMalformedProvenance)
		}
	}
	return &st, nil
}

// subjectAlgorithms are the digest algorithms pedigree computes for an
// artifact to compare it with statement subjects.
var subjectAlgorithms = []string{digest.SHA256, digest.SHA512}

// matchSubject returns the index of the first subject whose digest agrees
// with the artifact's on every algorithm both know (and they share at
// least one), or -1.
func matchSubject(st *slsa.Statement, d digest.Set) int {
	for i, s := range st.Subject {
		if d.Matches(s.Digest) {
			return i
		}
	}
	return -1
}
