package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/pypi"
)

// Provenance returns the PEP 740 provenance object for a distribution file
// of project at version: the stored certificate-signed attestations that
// have a subject named filename and can be written as PEP 740 attestation
// objects (PEP 740 attestations, and Sigstore bundles or GitHub
// attestations with a DSSE statement, a certificate and a transparency log
// entry), grouped by their publisher. It fails with ErrInvalidQuery when
// filename is not a wheel or sdist name, ErrNotFound when filename is not
// a file of project and version or the store holds no such attestation, or
// the Backend's error.
func (s *Store) Provenance(ctx context.Context, project, version, filename string) (*pypi.Provenance, error) {
	fn, err := pypi.ParseFilename(filename)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidQuery, err)
	}
	if pypi.NormalizeName(fn.Name) != pypi.NormalizeName(project) || !pypi.SameVersion(fn.Version, version) {
		return nil, fmt.Errorf("%s is not a file of %s %s: %w", filename, project, version, ErrNotFound)
	}
	recs, err := s.b.ByName(ctx, filename, MaxLimit)
	if err != nil {
		return nil, err
	}
	prov := &pypi.Provenance{Version: 1, AttestationBundles: []pypi.AttestationBundle{}}
	group := map[string]int{}
	for _, r := range recs {
		if len(r.Publisher) == 0 {
			continue
		}
		a := pep740Attestation(r)
		if a == nil {
			continue
		}
		var pub pypi.Publisher
		if err := json.Unmarshal(r.Publisher, &pub); err != nil {
			continue
		}
		key := string(r.Publisher)
		i, ok := group[key]
		if !ok {
			i = len(prov.AttestationBundles)
			group[key] = i
			prov.AttestationBundles = append(prov.AttestationBundles, pypi.AttestationBundle{Publisher: pub})
		}
		prov.AttestationBundles[i].Attestations = append(prov.AttestationBundles[i].Attestations, *a)
	}
	if len(prov.AttestationBundles) == 0 {
		return nil, fmt.Errorf("no PEP 740 attestation for %s: %w", filename, ErrNotFound)
	}
	return prov, nil
}

// pep740Attestation writes a stored attestation as a PEP 740 attestation
// object, or returns nil when it has no such form.
func pep740Attestation(r *Record) *pypi.Attestation {
	switch attestation.Format(r.Format) {
	case attestation.FormatPEP740Attestation:
		a, err := pypi.ParseAttestationObject(r.Raw)
		if err != nil {
			return nil
		}
		return a
	case attestation.FormatPEP740Provenance:
		p, err := pypi.ParseProvenanceObject(r.Raw)
		if err != nil || len(p.AttestationBundles) != 1 || len(p.AttestationBundles[0].Attestations) != 1 {
			return nil
		}
		return &p.AttestationBundles[0].Attestations[0]
	case attestation.FormatBundle:
		return bundleAttestation(r.Raw)
	case attestation.FormatGitHub:
		var gh struct {
			Bundle json.RawMessage `json:"bundle"`
		}
		if json.Unmarshal(r.Raw, &gh) != nil {
			return nil
		}
		return bundleAttestation(gh.Bundle)
	}
	return nil
}

// bundleAttestation maps a Sigstore bundle to the PEP 740 attestation
// object it is equivalent to (the inverse of pypi.Attestation.BundleJSON):
// a DSSE in-toto statement with one signature, a leaf certificate and at
// least one transparency log entry. Anything else gives nil.
func bundleAttestation(raw []byte) *pypi.Attestation {
	type cert struct {
		RawBytes []byte `json:"rawBytes"`
	}
	var b struct {
		VerificationMaterial struct {
			Certificate          *cert `json:"certificate"`
			X509CertificateChain *struct {
				Certificates []cert `json:"certificates"`
			} `json:"x509CertificateChain"`
			TlogEntries []json.RawMessage `json:"tlogEntries"`
		} `json:"verificationMaterial"`
		DSSEEnvelope *struct {
			Payload     []byte `json:"payload"`
			PayloadType string `json:"payloadType"`
			Signatures  []struct {
				Sig []byte `json:"sig"`
			} `json:"signatures"`
		} `json:"dsseEnvelope"`
	}
	if json.Unmarshal(raw, &b) != nil {
		return nil
	}
	vm, env := b.VerificationMaterial, b.DSSEEnvelope
	var der []byte
	switch {
	case vm.Certificate != nil:
		der = vm.Certificate.RawBytes
	case vm.X509CertificateChain != nil && len(vm.X509CertificateChain.Certificates) > 0:
		der = vm.X509CertificateChain.Certificates[0].RawBytes
	}
	if len(der) == 0 || len(vm.TlogEntries) == 0 || env == nil || env.PayloadType != pypi.PEP740PayloadType || len(env.Signatures) != 1 {
		return nil
	}
	a := &pypi.Attestation{Version: 1}
	a.VerificationMaterial.Certificate = der
	a.VerificationMaterial.TransparencyEntries = vm.TlogEntries
	a.Envelope.Statement = env.Payload
	a.Envelope.Signature = env.Signatures[0].Sig
	return a
}
