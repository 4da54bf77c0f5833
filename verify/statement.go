package verify

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/slsa"
)

// parseStatement decodes a verified DSSE payload as an in-toto statement
// (v1, or v0.1 as SLSA v0.2 generators still write) with slsa.ParseStatement:
// size-limited, strict JSON (no duplicate or case-variant member names), at
// least one subject, each with a well-formed digest, and a valid predicate
// when it is SLSA provenance.
func parseStatement(payloadType string, payload []byte) (*slsa.Statement, error) {
	if payloadType != slsa.PayloadType {
		return nil, fmt.Errorf("payloadType %q is not an in-toto statement (%s): %w", payloadType, slsa.PayloadType, ErrMalformedProvenance)
	}
	st, err := slsa.ParseStatement(payload)
	if err != nil {
		return nil, fmt.Errorf("statement: %w: %w", err, ErrMalformedProvenance)
	}
	return st, nil
}
