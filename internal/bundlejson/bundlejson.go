// Package bundlejson writes the one Sigstore bundle layout pedigree
// produces: a bundle v0.3 (media type
// application/vnd.dev.sigstore.bundle.v0.3+json) over a DSSE envelope with
// one signature and no key id, signed with a certificate or a public key
// hint. Package sigstore writes it for pedigree's own signatures, package
// attestation for DSSE envelopes that embed their certificate, and package
// pypi for PEP 740 attestation objects; it lives below all three so that
// pypi need not import sigstore-go. Nothing here checks a signature: the
// callers parse (and verify) what they write.
package bundlejson

import (
	"encoding/json"
	"fmt"
)

// DSSE is the content of a bundle.
type DSSE struct {
	// KeyHint names the signing public key; without one, Certificate is
	// the signing certificate (DER).
	Certificate []byte
	KeyHint     string
	// TlogEntries are transparency log entries in the bundle's JSON form,
	// written as given.
	TlogEntries []json.RawMessage
	// PayloadType, Payload and Signature are the DSSE envelope's.
	PayloadType string
	Payload     []byte
	Signature   []byte
}

type rawBytes struct {
	RawBytes []byte `json:"rawBytes"`
}

type publicKey struct {
	Hint string `json:"hint"`
}

type signature struct {
	Sig []byte `json:"sig"`
}

// Marshal returns the bundle's JSON, the same bytes for the same content.
// It fails when a transparency log entry is not valid JSON.
func Marshal(d DSSE) ([]byte, error) {
	out := struct {
		MediaType            string `json:"mediaType"`
		VerificationMaterial struct {
			PublicKey   *publicKey        `json:"publicKey,omitempty"`
			Certificate *rawBytes         `json:"certificate,omitempty"`
			TlogEntries []json.RawMessage `json:"tlogEntries,omitempty"`
		} `json:"verificationMaterial"`
		DSSEEnvelope struct {
			Payload     []byte      `json:"payload"`
			PayloadType string      `json:"payloadType"`
			Signatures  []signature `json:"signatures"`
		} `json:"dsseEnvelope"`
	}{MediaType: "application/vnd.dev.sigstore.bundle.v0.3+json"}
	if d.KeyHint != "" {
		out.VerificationMaterial.PublicKey = &publicKey{Hint: d.KeyHint}
	} else {
		out.VerificationMaterial.Certificate = &rawBytes{RawBytes: d.Certificate}
	}
	out.VerificationMaterial.TlogEntries = d.TlogEntries
	out.DSSEEnvelope.Payload = d.Payload
	out.DSSEEnvelope.PayloadType = d.PayloadType
	out.DSSEEnvelope.Signatures = []signature{{Sig: d.Signature}}
	data, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("bundle JSON: %w", err)
	}
	return data, nil
}
