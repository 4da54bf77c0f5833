package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pedigree-dev/pedigree/slsa"
)

// PredicateVSA is the SLSA Verification Summary Attestation v1 predicate
// type.
const PredicateVSA = "https://slsa.dev/verification_summary/v1"

// ErrVSAMismatch: a verification summary does not say what the policy asks
// (verifier, resource, result or levels), or a VSA came without a policy.
var ErrVSAMismatch = errors.New("verification summary mismatch")

// VSAPolicy is what a SLSA Verification Summary must say, with
// slsa-verifier verify-vsa's meaning.
type VSAPolicy struct {
	// VerifierID must be the summary's verifier.id (required).
	VerifierID string
	// ResourceURI must be the summary's resourceUri (required).
	ResourceURI string
	// VerifiedLevels must each be claimed: SLSA_<TRACK>_LEVEL_<N> is met by
	// the same track at level N or higher, any other level verbatim.
	VerifiedLevels []string
	// KeyID, when set, is the key id the envelope's verifying signature
	// must carry (slsa-verifier's --public-key-id).
	KeyID string
}

// IsZero reports whether no VSA policy was given.
func (p VSAPolicy) IsZero() bool {
	return p.VerifierID == "" && p.ResourceURI == "" && len(p.VerifiedLevels) == 0 && p.KeyID == ""
}

// Validate checks the policy's own values; errors wrap ErrInvalidPolicy.
func (p VSAPolicy) Validate() error {
	if p.IsZero() {
		return nil
	}
	if p.VerifierID == "" || p.ResourceURI == "" {
		return fmt.Errorf("a verification summary policy needs a verifier ID and a resource URI: %w", ErrInvalidPolicy)
	}
	if _, err := slsaLevels(p.VerifiedLevels); err != nil {
		return fmt.Errorf("%v: %w", err, ErrInvalidPolicy)
	}
	return nil
}

// vsaPredicate is the part of a VSA v1 predicate the policy reads.
type vsaPredicate struct {
	Verifier struct {
		ID string `json:"id"`
	} `json:"verifier"`
	TimeVerified       *slsa.Time `json:"timeVerified"`
	ResourceURI        string     `json:"resourceUri"`
	VerificationResult string     `json:"verificationResult"`
	VerifiedLevels     []string   `json:"verifiedLevels"`
}

// CheckVSA applies p to a verified SLSA Verification Summary: the verifier
// and resource must be the expected ones, the result PASSED, and every
// expected level claimed (a SLSA track level is met by an equal or higher
// level of the same track). Subjects are matched by the caller. Errors wrap
// ErrUnknownPredicate, ErrMalformedProvenance, ErrInvalidPolicy or
// ErrVSAMismatch.
func CheckVSA(st *slsa.Statement, p VSAPolicy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.IsZero() {
		return fmt.Errorf("a verification summary needs a policy: give --verifier-id and --resource-uri: %w", ErrVSAMismatch)
	}
	if st == nil || st.PredicateType != PredicateVSA {
		pt := ""
		if st != nil {
			pt = st.PredicateType
		}
		return fmt.Errorf("predicate type %q is not a verification summary (%s): %w", pt, PredicateVSA, ErrUnknownPredicate)
	}
	var pred vsaPredicate
	dec := json.NewDecoder(bytes.NewReader(st.Predicate))
	if err := dec.Decode(&pred); err != nil {
		return fmt.Errorf("predicate: %v: %w", err, ErrMalformedProvenance)
	}
	if pred.Verifier.ID == "" {
		return fmt.Errorf("predicate.verifier.id: missing: %w", ErrMalformedProvenance)
	}
	if pred.Verifier.ID != p.VerifierID {
		return fmt.Errorf("verifier %s, want %s: %w", pred.Verifier.ID, p.VerifierID, ErrVSAMismatch)
	}
	if pred.ResourceURI == "" {
		return fmt.Errorf("predicate.resourceUri: missing: %w", ErrMalformedProvenance)
	}
	if pred.ResourceURI != p.ResourceURI {
		return fmt.Errorf("resource %s, want %s: %w", pred.ResourceURI, p.ResourceURI, ErrVSAMismatch)
	}
	if pred.VerificationResult != "PASSED" {
		return fmt.Errorf("verification result %q, not PASSED: %w", pred.VerificationResult, ErrVSAMismatch)
	}
	got, err := slsaLevels(pred.VerifiedLevels)
	if err != nil {
		return fmt.Errorf("predicate.verifiedLevels: %v: %w", err, ErrMalformedProvenance)
	}
	// In the policy's order, so that the reason is the same every time.
	for _, l := range p.VerifiedLevels {
		track, level, isSLSA, _ := slsaLevel(l) // p.Validate checked it
		if !isSLSA {
			if !slices.Contains(pred.VerifiedLevels, l) {
				return fmt.Errorf("the summary does not claim level %s (it claims %s): %w", l, strings.Join(pred.VerifiedLevels, ", "), ErrVSAMismatch)
			}
			continue
		}
		if have, ok := got[track]; !ok || have < level {
			return fmt.Errorf("the summary claims no SLSA_%s_LEVEL_%d or higher (it claims %s): %w", track, level, strings.Join(pred.VerifiedLevels, ", "), ErrVSAMismatch)
		}
	}
	return nil
}

// slsaLevels reads the SLSA_<TRACK>_LEVEL_<N> entries of levels into the
// highest level per track; other entries are ignored.
func slsaLevels(levels []string) (map[string]int, error) {
	out := map[string]int{}
	for _, l := range levels {
		track, n, ok, err := slsaLevel(l)
		if err != nil {
			return nil, err
		}
		if ok {
			out[track] = max(out[track], n)
		}
	}
	return out, nil
}

// slsaLevel reads one SLSA_<TRACK>_LEVEL_<N> entry; ok is false for a
// level outside SLSA's (no SLSA_ prefix).
func slsaLevel(l string) (track string, n int, ok bool, err error) {
	if !strings.HasPrefix(l, "SLSA_") {
		return "", 0, false, nil
	}
	parts := strings.SplitN(l, "_", 4)
	if len(parts) != 4 || parts[1] == "" || parts[2] != "LEVEL" {
		return "", 0, false, fmt.Errorf("level %q is not SLSA_<TRACK>_LEVEL_<N>", l)
	}
	n, err = strconv.Atoi(parts[3])
	if err != nil || n < 0 {
		return "", 0, false, fmt.Errorf("level %q is not SLSA_<TRACK>_LEVEL_<N>", l)
	}
	return parts[1], n, true, nil
}
