package verify

import (
	"bytes"
	"fmt"
	"path"
	"slices"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
	"github.com/pedigree-dev/pedigree/slsa"
)

// PredicatePyPIPublish is PyPI's publish attestation predicate type (PEP
// 740); its predicate is null.
const PredicatePyPIPublish = "https://docs.pypi.org/attestations/publish/v1"

// PEP740Options are the inputs of CheckPEP740 besides the statement.
type PEP740Options struct {
	// Filename is the distribution's file name (a base name:
	// "pkg-1.0-py3-none-any.whl" or "pkg-1.0.tar.gz").
	Filename string
	// Digest is the distribution's digest; its sha256 is required.
	Digest digest.Set
}

// CheckPEP740 applies PEP 740's rules to a verified statement about a
// Python distribution, as pypi-attestations does: exactly one subject, whose
// name parses (PEP 427 wheel or PEP 625 sdist) to the same distribution as
// the file (project name normalized, version compared as PEP 440, wheel
// tags compared as sets), whose sha256 is the file's, and a predicate of type
// https://docs.pypi.org/attestations/publish/v1 (null) or SLSA provenance v1.
// Errors wrap ErrDistributionMismatch, ErrSubjectMismatch or
// ErrUnknownPredicate.
func CheckPEP740(st *slsa.Statement, o PEP740Options) error {
	if st == nil {
		return fmt.Errorf("no statement: %w", ErrMalformedProvenance)
	}
	if len(st.Subject) != 1 {
		return fmt.Errorf("a PEP 740 attestation has exactly one subject, this one has %d: %w", len(st.Subject), ErrDistributionMismatch)
	}
	subject := st.Subject[0]
	if subject.Name == "" {
		return fmt.Errorf("subject[0].name: missing: %w", ErrDistributionMismatch)
	}
	if o.Filename == "" {
		return fmt.Errorf("a PEP 740 attestation describes a distribution file; give the file, not only its digest: %w", ErrDistributionMismatch)
	}
	want, err := pypi.ParseFilename(path.Base(o.Filename))
	if err != nil {
		return fmt.Errorf("artifact: %v: %w", err, ErrDistributionMismatch)
	}
	got, err := pypi.ParseFilename(subject.Name)
	if err != nil {
		return fmt.Errorf("subject[0].name: %v: %w", err, ErrDistributionMismatch)
	}
	if !sameDistribution(got, want) {
		return fmt.Errorf("subject %s is not the distribution %s: %w", subject.Name, path.Base(o.Filename), ErrDistributionMismatch)
	}
	sum, ok := o.Digest[digest.SHA256]
	if !ok {
		return fmt.Errorf("the artifact's sha256 is unknown: %w", ErrSubjectMismatch)
	}
	if subject.Digest[digest.SHA256] != sum {
		return fmt.Errorf("subject %s has sha256 %q, the file has %s: %w", subject.Name, subject.Digest[digest.SHA256], sum, ErrSubjectMismatch)
	}
	switch st.PredicateType {
	case PredicatePyPIPublish:
		if p := bytes.TrimSpace(st.Predicate); len(p) != 0 && !bytes.Equal(p, []byte("null")) && !bytes.Equal(p, []byte("{}")) {
			return fmt.Errorf("predicate of %s must be null: %w", PredicatePyPIPublish, ErrMalformedProvenance)
		}
	case slsa.PredicateProvenanceV1:
	default:
		return fmt.Errorf("predicate type %q is neither %s nor %s: %w", st.PredicateType, PredicatePyPIPublish, slsa.PredicateProvenanceV1, ErrUnknownPredicate)
	}
	return nil
}

// sameDistribution compares two parsed distribution file names the way
// packaging does: normalized project name, equal PEP 440 versions, same
// build tag, same set of wheel tags; sdists also need the same archive type.
func sameDistribution(a, b pypi.Filename) bool {
	if a.Kind != b.Kind || a.NormalizedName != b.NormalizedName || !pypi.SameVersion(a.Version, b.Version) ||
		a.Build != b.Build || a.Extension != b.Extension {
		return false
	}
	tagSet := func(f pypi.Filename) []string {
		var out []string
		for _, t := range f.Tags() {
			out = append(out, t.String())
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(tagSet(a), tagSet(b))
}
