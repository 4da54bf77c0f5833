package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/digest"
)

// Subject is one subject of a stored attestation: the artifact's name as
// the statement gives it and its digests.
type Subject struct {
	Name   string     `json:"name,omitempty"`
	Digest digest.Set `json:"digest"`
}

// Verified is what a Verifier established about one attestation whose
// signature and policy checks passed: the facts the store indexes and
// reports. Empty strings are facts the attestation does not carry (a
// key-signed attestation has no signer identity, an SBOM no builder).
type Verified struct {
	// Format is the attestation's format, e.g. "dsse-envelope",
	// "sigstore-bundle", "pep740-attestation".
	Format        string `json:"format"`
	PredicateType string `json:"predicateType,omitempty"`
	BuilderID     string `json:"builderId,omitempty"`
	SourceURI     string `json:"sourceUri,omitempty"`
	SourceRef     string `json:"sourceRef,omitempty"`
	// SignerIdentity and SignerIssuer are the verified certificate's
	// subject alternative name and OIDC issuer.
	SignerIdentity string `json:"signerIdentity,omitempty"`
	SignerIssuer   string `json:"signerIssuer,omitempty"`
	// KeyID identifies the public key that verified a key-signed
	// attestation.
	KeyID string `json:"keyId,omitempty"`
	// SignedAt is the earliest verified signing time (a transparency log
	// entry or a signed timestamp), absent for key-signed attestations.
	SignedAt *time.Time `json:"signedAt,omitempty"`
	// Publisher is the PEP 740 publisher object the verified certificate
	// belongs to (GitHub, GitLab or Google Trusted Publishing), absent
	// otherwise. The store serves it in PEP 740 provenance objects.
	Publisher json.RawMessage `json:"publisher,omitempty"`
	// Subjects are the statement's subjects (for a message signature, the
	// signed digest with no name).
	Subjects []Subject `json:"subjects,omitempty"`
}

// Record is one stored attestation.
type Record struct {
	// ID is the lowercase hex SHA-256 of Raw.
	ID string `json:"id"`
	Verified
	// VerifiedAt is when the store verified and stored the attestation.
	VerifiedAt time.Time `json:"verifiedAt"`
	// Raw is the attestation exactly as submitted.
	Raw []byte `json:"-"`
}

// SubjectKey is one entry of the subject index: a digest algorithm and its
// lowercase hex value.
type SubjectKey struct {
	Alg string
	Hex string
}

// String returns "alg:hex".
func (k SubjectKey) String() string { return k.Alg + ":" + k.Hex }

// ParseSubjectKey parses "alg:hex" (sha256:HEX and the like). The algorithm
// must be a digest algorithm digest.ValidateValue knows or a plain name of
// letters, digits and '_'; the value must be valid for it. Errors wrap
// ErrInvalidQuery.
func ParseSubjectKey(s string) (SubjectKey, error) {
	alg, hex, ok := strings.Cut(s, ":")
	if !ok || alg == "" || hex == "" {
		return SubjectKey{}, fmt.Errorf("digest %q: want ALG:HEX, e.g. sha256:<64 hex characters>: %w", s, ErrInvalidQuery)
	}
	if len(s) > 300 {
		return SubjectKey{}, fmt.Errorf("digest: %d characters, limit 300: %w", len(s), ErrInvalidQuery)
	}
	for _, c := range alg {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return SubjectKey{}, fmt.Errorf("digest %q: algorithm %q: want letters, digits and '_': %w", s, alg, ErrInvalidQuery)
		}
	}
	if err := digest.ValidateValue(alg, hex); err != nil {
		return SubjectKey{}, fmt.Errorf("digest %s: %w: %w", alg, err, ErrInvalidQuery)
	}
	return SubjectKey{Alg: alg, Hex: hex}, nil
}

// subjectKeys returns the index entries of a record's subjects, without
// duplicates, in subject order.
func subjectKeys(subjects []Subject) []SubjectKey {
	seen := map[SubjectKey]bool{}
	var out []SubjectKey
	for _, s := range subjects {
		for _, alg := range s.Digest.Algorithms() {
			k := SubjectKey{Alg: alg, Hex: s.Digest[alg]}
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// Query selects stored attestations by subject digest.
type Query struct {
	Subject SubjectKey
	// PredicateType, when set, keeps only attestations of that predicate
	// type.
	PredicateType string
	// Limit caps the records returned (1 to MaxLimit; 0 means
	// DefaultLimit).
	Limit int
}

// Limits of a Query.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Validate checks the query; errors wrap ErrInvalidQuery.
func (q Query) Validate() error {
	if q.Subject.Alg == "" || q.Subject.Hex == "" {
		return fmt.Errorf("digest: missing: %w", ErrInvalidQuery)
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		return fmt.Errorf("limit: want 1 to %d, got %d: %w", MaxLimit, q.Limit, ErrInvalidQuery)
	}
	if len(q.PredicateType) > 1000 {
		return fmt.Errorf("predicateType: %d characters, limit 1000: %w", len(q.PredicateType), ErrInvalidQuery)
	}
	return nil
}

// Summary describes what the store holds about one subject digest.
type Summary struct {
	Digest string `json:"digest"`
	// Names are the distinct names the subject has in its attestations.
	Names          []string `json:"names"`
	Attestations   int      `json:"attestations"`
	PredicateTypes []string `json:"predicateTypes"`
	Builders       []string `json:"builders"`
	Sources        []string `json:"sources"`
	Signers        []string `json:"signers"`
	KeyIDs         []string `json:"keyIds"`
	// FirstVerified and LastVerified bound the attestations' VerifiedAt.
	FirstVerified time.Time `json:"firstVerified"`
	LastVerified  time.Time `json:"lastVerified"`
	// FirstSigned and LastSigned bound their SignedAt, when any has one.
	FirstSigned *time.Time `json:"firstSigned,omitempty"`
	LastSigned  *time.Time `json:"lastSigned,omitempty"`
}

// Token is a write token as a Backend stores it: its name and the SHA-256
// of the secret, never the secret.
type Token struct {
	Name      string    `json:"name"`
	Hash      []byte    `json:"-"`
	CreatedAt time.Time `json:"createdAt"`
}
