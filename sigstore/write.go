package sigstore

import (
	"bytes"
	"crypto"
	"fmt"

	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/bundlejson"
)

// NewDSSEBundle wraps a signed DSSE envelope into a key-signed Sigstore
// bundle v0.3 (media type application/vnd.dev.sigstore.bundle.v0.3+json)
// whose public key hint is keys.ID(pub). The output is deterministic: the
// same envelope and key give the same bytes. The envelope must carry
// exactly one signature, made by pub as Sigstore verifies it (ECDSA with
// the curve's default hash, pure Ed25519, RSA PKCS#1 v1.5 with SHA-256);
// its key id is dropped, since sigstore-go rejects any keyid but the key's
// SSH fingerprint. Errors wrap ErrBundle (no or several signatures), ErrKey
// (unsupported key) or ErrVerification (the signature is not pub's).
func NewDSSEBundle(env *dsse.Envelope, pub crypto.PublicKey) ([]byte, error) {
	if env == nil || env.PayloadType == "" {
		return nil, fmt.Errorf("%w: DSSE envelope: missing payloadType", ErrBundle)
	}
	if len(env.Signatures) != 1 {
		return nil, fmt.Errorf("%w: DSSE envelope: a bundle holds exactly one signature, got %d", ErrBundle, len(env.Signatures))
	}
	k, err := newTrustedKey(pub)
	if err != nil {
		return nil, err
	}
	sig := env.Signatures[0].Sig
	if k.dsse.VerifySignature(bytes.NewReader(sig), bytes.NewReader(dsse.PAE(env.PayloadType, env.Payload))) != nil {
		return nil, fmt.Errorf("%w: the envelope's signature does not verify with key %s as a Sigstore bundle verifier checks it (RSA needs PKCS#1 v1.5, Ed25519 pure Ed25519)", ErrVerification, k.id)
	}
	data, err := bundlejson.Marshal(bundlejson.DSSE{KeyHint: k.id, PayloadType: env.PayloadType, Payload: env.Payload, Signature: sig})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundle, err)
	}
	if _, err := ParseBundle(data); err != nil {
		return nil, err
	}
	return data, nil
}
