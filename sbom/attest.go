package sbom

import (
	"encoding/json"
	"fmt"

	"github.com/pedigree-dev/pedigree/slsa"
)

// Predicate types of SBOM attestations, as the in-toto attestation
// framework's SPDX and CycloneDX predicates name them.
const (
	PredicateSPDX      = "https://spdx.dev/Document/v2.3"
	PredicateCycloneDX = "https://cyclonedx.org/bom/v1.6"
)

// PredicateType returns the in-toto predicate type of an SBOM format, or
// "" for an unknown format.
func PredicateType(format Format) string {
	switch format {
	case FormatSPDXJSON:
		return PredicateSPDX
	case FormatCycloneDXJSON:
		return PredicateCycloneDX
	}
	return ""
}

// Statement returns the SBOM in the given format as the predicate of an
// in-toto Statement v1 about the project's own distribution files (the
// Artifacts with Root set, by file name and SHA-256), and the statement's
// RFC 8785 canonical JSON: the bytes to sign. It returns an error wrapping
// ErrNoSubjects when Options.Dists held none of the project's files, the
// errors of Encode, and slsa's errors if the statement cannot be built.
func (i *Inventory) Statement(format Format) (*slsa.Statement, []byte, error) {
	var subjects []slsa.ResourceDescriptor
	for _, a := range i.artifacts {
		if a.Root {
			subjects = append(subjects, slsa.ResourceDescriptor{Name: a.Name, Digest: a.Digest})
		}
	}
	if len(subjects) == 0 {
		return nil, nil, fmt.Errorf("an SBOM attestation is about the project's distribution files, and none of %s's was given: %w", i.inv.root.name, ErrNoSubjects)
	}
	doc, err := i.Encode(format)
	if err != nil {
		return nil, nil, err
	}
	st, err := slsa.NewStatement(subjects, PredicateType(format), json.RawMessage(doc))
	if err != nil {
		return nil, nil, fmt.Errorf("in-toto statement: %w", err)
	}
	payload, err := slsa.Canonical(st)
	if err != nil {
		return nil, nil, fmt.Errorf("in-toto statement: %w", err)
	}
	return st, payload, nil
}
