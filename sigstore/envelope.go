package sigstore

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"fmt"

	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/pedigree-dev/pedigree/dsse"
)

// VerifyEnvelope verifies a bare DSSE envelope (one outside a Sigstore
// bundle) with the Verifier's public keys: it passes when at least one
// signature verifies over PAE(payloadType, payload) with one of the keys.
// Key ids in the envelope are hints and are not trusted to pick a key. RSA
// signatures may be PKCS#1 v1.5 or PSS (in-toto tooling signs with PSS).
//
// A bare envelope has no transparency log evidence, so a certificate-signed
// envelope cannot be verified at all (attestation.Parse turns one into a
// bundle, which VerifyBundle refuses with ErrNoTimestamp). Errors wrap
// ErrKeyRequired (no keys), ErrIdentity (an identity was asked for),
// ErrBundle (malformed envelope) or ErrVerification.
func (v *Verifier) VerifyEnvelope(env *dsse.Envelope, o VerifyOptions) (*Result, error) {
	if env == nil || env.PayloadType == "" {
		return nil, fmt.Errorf("%w: DSSE envelope: missing payloadType", ErrBundle)
	}
	if len(env.Signatures) == 0 {
		return nil, fmt.Errorf("%w: DSSE envelope: no signature", ErrBundle)
	}
	if len(v.keys) == 0 {
		return nil, fmt.Errorf("%w: a bare DSSE envelope can only be verified with a public key", ErrKeyRequired)
	}
	if o.Identity != nil {
		return nil, fmt.Errorf("%w: a certificate identity was asked for, but a bare DSSE envelope is verified with a key", ErrIdentity)
	}
	pae := dsse.PAE(env.PayloadType, env.Payload)
	for _, s := range env.Signatures {
		for _, k := range v.keys {
			if k.verifyDSSE(s.Sig, pae) {
				return &Result{
					PayloadType: env.PayloadType,
					Payload:     append([]byte(nil), env.Payload...),
					Signer:      Signer{KeyID: k.id},
				}, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: none of the envelope's %d signature(s) verifies with the given public key(s)", ErrVerification, len(env.Signatures))
}

// verifyDSSE reports whether sig is k's signature over pae.
func (k *trustedKey) verifyDSSE(sig, pae []byte) bool {
	if k.dsse.VerifySignature(bytes.NewReader(sig), bytes.NewReader(pae)) == nil {
		return true
	}
	if pub, ok := k.pub.(*rsa.PublicKey); ok {
		pss, err := signature.LoadRSAPSSVerifier(pub, crypto.SHA256, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
		return err == nil && pss.VerifySignature(bytes.NewReader(sig), bytes.NewReader(pae)) == nil
	}
	return false
}
