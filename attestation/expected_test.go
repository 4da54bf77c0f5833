package attestation_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// signatureLevelFailures are the non-conformance rows of EXPECTED.tsv that
// must fail at the signature layer (trust root, signer identity, subject
// digest). The other failing rows fail on SLSA policy (tag, branch,
// builder, source), which package verify checks: their signatures verify.
var signatureLevelFailures = map[string]bool{
	"generic/wrong-root":                true, // signed under public-good, checked against staging
	"maven/cross-artifact":              true, // artifact digest not among subjects
	"pypi/sdist-wrong-identity":         true,
	"pypi/sdist-wrong-artifact":         true,
	"pypi/wheel-staging-vs-public-good": true,
}

// TestExpectedSignatures runs the pypi/ and slsa-github-generator rows of
// EXPECTED.tsv through Parse and Verify: the attestation must parse, its
// signature verify against the row's trusted root with the row's identity
// (for slsa-github-generator rows, the generator's own builder workflows),
// and a statement subject match the artifact's digest.
func TestExpectedSignatures(t *testing.T) {
	dir, rows := testshared.Expected(t)
	verifiers := map[string]*sigstore.Verifier{}
	total, agree := 0, 0
	for _, r := range rows {
		id := r["id"]
		if strings.HasPrefix(id, "conformance/") {
			continue
		}
		total++
		wantFail := signatureLevelFailures[id]
		if r["expect"] == "fail" && !wantFail {
			// A policy failure: make sure the row says so, so a new
			// signature-level row cannot hide here.
			note := r["note"]
			if !strings.Contains(note, "mismatch") && !strings.Contains(note, "not a tag") && !strings.Contains(note, "named explicitly") {
				t.Errorf("%s: expected to fail for a reason this test does not classify (%q)", id, note)
			}
		}
		t.Run(id, func(t *testing.T) {
			trPath := filepath.Join(dir, r["trusted_root"])
			v, ok := verifiers[trPath]
			if !ok {
				tr, err := sigstore.LoadTrustedRoot(trPath)
				if err != nil {
					t.Fatal(err)
				}
				if v, err = sigstore.NewVerifier(sigstore.WithTrustedRoot(tr)); err != nil {
					t.Fatal(err)
				}
				verifiers[trPath] = v
			}
			identity := &sigstore.Identity{Issuer: r["issuer"], SAN: r["identity"], SANRegexp: r["identity_regexp"]}
			if r["issuer"] == "" {
				identity = &sigstore.Identity{Issuer: ghIssuer, SANRegexp: slsaGeneratorBuilder}
			}
			var want digest.Set
			if a, ok := strings.CutPrefix(r["artifact"], "sha256:"); ok {
				want = sha256Set(a)
			} else {
				want = fileDigest(t, filepath.Join(dir, r["artifact"]))
			}
			err := verifyRow(filepath.Join(dir, r["attestation"]), v, identity, want)
			switch {
			case wantFail && err == nil:
				t.Errorf("want a signature-level failure, got pass")
			case !wantFail && err != nil:
				t.Errorf("want pass, got %v", err)
			default:
				agree++
				if err != nil {
					t.Logf("failed as expected: %v", err)
				}
			}
		})
	}
	t.Logf("pypi and slsa-github-generator rows: %d of %d as expected at the signature layer", agree, total)
	if total < 50 {
		t.Errorf("only %d non-conformance rows in EXPECTED.tsv", total)
	}
}

func verifyRow(path string, v *sigstore.Verifier, identity *sigstore.Identity, want digest.Set) error {
	items, err := attestation.ParseFile(path)
	if err != nil {
		return err
	}
	for _, it := range items {
		var o sigstore.VerifyOptions
		o.Identity = identity
		o.ArtifactDigest = want
		res, err := attestation.Verify(v, it, o)
		if err != nil {
			return err
		}
		if res.Payload != nil {
			if err := subjectMatches(res.Payload, want); err != nil {
				return err
			}
		}
	}
	if len(items) == 0 {
		return errors.New("no attestation")
	}
	return nil
}
