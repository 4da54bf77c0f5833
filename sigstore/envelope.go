package sigstore

import (
	"errors"
	"fmt"

	"github.com/pedigree-dev/pedigree/dsse"
)

// VerifyEnvelope verifies a bare DSSE envelope (one outside a Sigstore
// bundle) with the Verifier's public keys, by dsse.Verifier's rule: it
// passes when a signature verifies over PAE(payloadType, payload) with one
// of the keys, and fails when a signature whose keyid names one of the keys
// does not verify. Key ids are hints, never trusted to pick a key. RSA
// signatures may be PSS or PKCS#1 v1.5, ECDSA signatures ASN.1 DER or IEEE
// P1363 (r||s, as KMS-backed signers such as the SLSA VSA vectors' write).
// Result.Signer.KeyID is the keys.ID of the (first, sorted) key that
// verified.
//
// A bare envelope has no transparency log evidence, so a certificate-signed
// envelope cannot be verified at all (attestation.Parse turns one into a
// bundle, which VerifyBundle refuses with ErrNoTimestamp). Errors wrap
// ErrKeyRequired (no keys), ErrIdentity (an identity was asked for),
// ErrBundle (malformed envelope, wrapping dsse.ErrMalformed or
// dsse.ErrNoSignature) or ErrVerification (wrapping dsse.ErrSignature or
// dsse.ErrUnknownKey).
func (v *Verifier) VerifyEnvelope(env *dsse.Envelope, o VerifyOptions) (*Result, error) {
	if env == nil || env.PayloadType == "" {
		return nil, fmt.Errorf("%w: DSSE envelope: missing payloadType", ErrBundle)
	}
	if len(env.Signatures) == 0 {
		return nil, fmt.Errorf("%w: DSSE envelope: no signature", ErrBundle)
	}
	if len(v.keys) == 0 {
		return nil, fmt.Errorf("%w: a bare DSSE envelope carries no certificate or transparency log evidence; it can only be verified with a public key", ErrKeyRequired)
	}
	if o.Identity != nil {
		return nil, fmt.Errorf("%w: a certificate identity was asked for, but a bare DSSE envelope is verified with a key", ErrIdentity)
	}
	payload, ids, err := v.envelopes.Verify(env)
	switch {
	case errors.Is(err, dsse.ErrMalformed), errors.Is(err, dsse.ErrNoSignature):
		return nil, fmt.Errorf("%w: DSSE envelope: %w", ErrBundle, err)
	case err != nil:
		return nil, fmt.Errorf("%w: DSSE envelope: %w", ErrVerification, err)
	case len(ids) == 0:
		return nil, fmt.Errorf("%w: DSSE envelope: no key verified it", ErrVerification)
	}
	return &Result{
		PayloadType: env.PayloadType,
		Payload:     append([]byte(nil), payload...),
		Signer:      Signer{KeyID: ids[0]},
	}, nil
}
