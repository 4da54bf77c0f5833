package pypi

// PEP 740 (index-hosted attestations): attestation objects, provenance
// objects and their publishers, and the mapping of an attestation object to
// the equivalent Sigstore bundle v0.3.

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pedigree-dev/pedigree/internal/bundlejson"
)

// MaxPEP740Size bounds the PEP 740 objects ParseAttestationObject and
// ParseProvenanceObject accept (64 MiB).
const MaxPEP740Size = 64 << 20

// PEP740PayloadType is the DSSE payload type of a PEP 740 attestation's
// statement: an in-toto statement in JSON.
const PEP740PayloadType = "application/vnd.in-toto+json"

// Errors for PEP 740 objects, wrapped with the field path concerned.
var (
	// ErrPEP740: the input is not a valid PEP 740 attestation or provenance
	// object (malformed JSON, unknown field, missing or malformed member,
	// unsupported version).
	ErrPEP740 = errors.New("invalid PEP 740 object")
	// ErrPEP740TooLarge: the input exceeds MaxPEP740Size.
	ErrPEP740TooLarge = errors.New("PEP 740 object too large")
)

// Attestation is a PEP 740 attestation object: a DSSE-signed in-toto
// statement with the material to verify it. Byte fields are standard
// base64 in JSON.
type Attestation struct {
	// Version is always 1.
	Version              int                             `json:"version"`
	VerificationMaterial AttestationVerificationMaterial `json:"verification_material"`
	Envelope             AttestationEnvelope             `json:"envelope"`
}

// AttestationVerificationMaterial is a PEP 740 attestation's
// verification_material.
type AttestationVerificationMaterial struct {
	// Certificate is the DER signing certificate.
	Certificate []byte `json:"certificate"`
	// TransparencyEntries are Rekor entries in the Sigstore protobuf JSON
	// form of a bundle's tlogEntries; at least one.
	TransparencyEntries []json.RawMessage `json:"transparency_entries"`
}

// AttestationEnvelope is a PEP 740 attestation's envelope: the statement
// bytes and the DSSE signature over PAE(PEP740PayloadType, statement).
type AttestationEnvelope struct {
	Statement []byte `json:"statement"`
	Signature []byte `json:"signature"`
}

// Provenance is a PEP 740 provenance object, as an index serves it for a
// distribution file: attestations grouped by the publisher that uploaded
// them.
type Provenance struct {
	// Version is always 1.
	Version            int                 `json:"version"`
	AttestationBundles []AttestationBundle `json:"attestation_bundles"`
}

// AttestationBundle is one entry of a provenance object's
// attestation_bundles: a publisher and the attestations it published.
type AttestationBundle struct {
	Publisher    Publisher     `json:"publisher"`
	Attestations []Attestation `json:"attestations"`
}

// Publisher is a PEP 740 publisher: the Trusted Publisher identity an index
// saw upload the attestations. Known kinds are "GitHub" (Repository,
// Workflow, Environment), "GitLab" (Repository, WorkflowFilepath,
// Environment) and "Google" (Email); other kinds and members are kept in
// Raw and Claims. It is what the index says, not something a signature
// proves: check it against the verified signing certificate.
type Publisher struct {
	Kind             string `json:"kind"`
	Repository       string `json:"repository,omitempty"`
	Workflow         string `json:"workflow,omitempty"`
	WorkflowFilepath string `json:"workflow_filepath,omitempty"`
	Environment      string `json:"environment,omitempty"`
	Email            string `json:"email,omitempty"`
	// Claims is PEP 740's optional free-form claims object.
	Claims map[string]any `json:"claims,omitempty"`
	// Raw is the publisher object as the index wrote it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a publisher, keeping the raw object; a null member
// (PyPI writes "environment": null) is read as empty.
func (p *Publisher) UnmarshalJSON(data []byte) error {
	type plain Publisher // without this method
	var q plain
	if err := json.Unmarshal(data, &q); err != nil {
		return err
	}
	q.Raw = append(json.RawMessage(nil), data...)
	*p = Publisher(q)
	return nil
}

// ParseAttestationObject parses a PEP 740 attestation object. It rejects
// unknown members, a version other than 1, a missing or unparsable
// certificate, no transparency entry, and an empty statement or signature.
// Errors wrap ErrPEP740 (or ErrPEP740TooLarge over MaxPEP740Size) and name
// the field. Nothing is verified.
func ParseAttestationObject(data []byte) (*Attestation, error) {
	if len(data) > MaxPEP740Size {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), MaxPEP740Size, ErrPEP740TooLarge)
	}
	var a Attestation
	if err := decodeStrict(data, &a); err != nil {
		return nil, err
	}
	if err := a.validate(""); err != nil {
		return nil, err
	}
	return &a, nil
}

// ParseProvenanceObject parses a PEP 740 provenance object: version 1, at
// least one attestation bundle, each with a publisher kind and at least one
// valid attestation object. Errors wrap ErrPEP740 (or ErrPEP740TooLarge)
// and name the field, e.g.
// "attestation_bundles[0].attestations[1].envelope.signature: empty".
// Nothing is verified.
func ParseProvenanceObject(data []byte) (*Provenance, error) {
	if len(data) > MaxPEP740Size {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), MaxPEP740Size, ErrPEP740TooLarge)
	}
	var p Provenance
	if err := decodeStrict(data, &p); err != nil {
		return nil, err
	}
	if p.Version != 1 {
		return nil, fmt.Errorf("version: want 1, got %d: %w", p.Version, ErrPEP740)
	}
	if len(p.AttestationBundles) == 0 {
		return nil, fmt.Errorf("attestation_bundles: empty: %w", ErrPEP740)
	}
	for i, ab := range p.AttestationBundles {
		path := fmt.Sprintf("attestation_bundles[%d]", i)
		if ab.Publisher.Kind == "" {
			return nil, fmt.Errorf("%s.publisher.kind: missing: %w", path, ErrPEP740)
		}
		if len(ab.Attestations) == 0 {
			return nil, fmt.Errorf("%s.attestations: empty: %w", path, ErrPEP740)
		}
		for j := range ab.Attestations {
			if err := ab.Attestations[j].validate(fmt.Sprintf("%s.attestations[%d].", path, j)); err != nil {
				return nil, err
			}
		}
	}
	return &p, nil
}

// decodeStrict decodes one JSON value, refusing unknown members (the
// publisher object, which is open-ended, decodes itself) and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrPEP740, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: data after the JSON object", ErrPEP740)
	}
	return nil
}

func (a *Attestation) validate(path string) error {
	if a.Version != 1 {
		return fmt.Errorf("%sversion: want 1, got %d: %w", path, a.Version, ErrPEP740)
	}
	vm := a.VerificationMaterial
	if len(vm.Certificate) == 0 {
		return fmt.Errorf("%sverification_material.certificate: missing: %w", path, ErrPEP740)
	}
	if _, err := x509.ParseCertificate(vm.Certificate); err != nil {
		return fmt.Errorf("%sverification_material.certificate: %v: %w", path, err, ErrPEP740)
	}
	if len(vm.TransparencyEntries) == 0 {
		return fmt.Errorf("%sverification_material.transparency_entries: want at least one entry: %w", path, ErrPEP740)
	}
	for i, e := range vm.TransparencyEntries {
		if t := bytes.TrimSpace(e); len(t) == 0 || t[0] != '{' {
			return fmt.Errorf("%sverification_material.transparency_entries[%d]: want an object: %w", path, i, ErrPEP740)
		}
	}
	if len(a.Envelope.Statement) == 0 {
		return fmt.Errorf("%senvelope.statement: empty: %w", path, ErrPEP740)
	}
	if len(a.Envelope.Signature) == 0 {
		return fmt.Errorf("%senvelope.signature: empty: %w", path, ErrPEP740)
	}
	return nil
}

// BundleJSON returns the Sigstore bundle v0.3 equivalent to the attestation
// object (the mapping pypi-attestations makes): the certificate as the
// bundle's certificate, the transparency entries as its tlogEntries, and a
// DSSE envelope of payload type PEP740PayloadType with the statement as
// payload and one signature with an empty key id. It fails with ErrPEP740
// when a transparency entry is not JSON.
func (a *Attestation) BundleJSON() ([]byte, error) {
	data, err := bundlejson.Marshal(bundlejson.DSSE{
		Certificate: a.VerificationMaterial.Certificate,
		TlogEntries: a.VerificationMaterial.TransparencyEntries,
		PayloadType: PEP740PayloadType,
		Payload:     a.Envelope.Statement,
		Signature:   a.Envelope.Signature,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPEP740, err)
	}
	return data, nil
}
