package attestation_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// FuzzParse seeds from testdata and, when ../shared is present, from the
// PEP 740, slsa-github-generator and VSA vectors. Whatever parses must
// carry something to verify and verify or fail with a sentinel error.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, sub := range []string{"pypi", "vsa", "slsa-github-generator/gha_generic/v2.1.0", "slsa-github-generator/gha_delegator/v2.1.0"} {
		if dir := testshared.Path("vectors", sub); dir != "" {
			more, _ := filepath.Glob(filepath.Join(dir, "*"))
			seeds = append(seeds, more...)
		}
	}
	for _, s := range seeds {
		if fi, err := os.Stat(s); err != nil || fi.Size() > 1<<20 {
			continue
		}
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add(envelopeWithCert(f))
	f.Add([]byte("{\"bundle\":{}}\n{\"attestations\":[]}\n"))
	v, err := sigstore.NewVerifier()
	if err != nil {
		f.Fatal(err)
	}
	sentinels := []error{
		attestation.ErrUnknownFormat, attestation.ErrMalformed, attestation.ErrTooLarge, attestation.ErrNoAttestations,
	}
	verifySentinels := []error{
		sigstore.ErrBundle, sigstore.ErrVerification, sigstore.ErrNoTimestamp, sigstore.ErrKeyRequired,
		sigstore.ErrMessageDigest, attestation.ErrUnsigned, attestation.ErrPublisher,
	}
	isOneOf := func(err error, set []error) bool {
		for _, s := range set {
			if errors.Is(err, s) {
				return true
			}
		}
		return false
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := attestation.Parse(data, "fuzz")
		if err != nil {
			if !isOneOf(err, sentinels) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		for _, it := range items {
			if it.Bundle == nil && it.Envelope == nil && it.Statement == nil {
				t.Fatalf("item %s carries nothing", it.Source)
			}
			if _, err := attestation.Verify(v, it, sigstore.VerifyOptions{}); err != nil && !isOneOf(err, verifySentinels) {
				t.Fatalf("verification error without a sentinel: %v", err)
			}
		}
	})
}
