package dsse

import (
	"crypto"
	"fmt"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/keys"
)

// Verifier checks envelopes against a fixed set of public keys. Build it
// once with NewVerifier and use it for many envelopes; it is safe for
// concurrent use.
//
// The rule, applied to every envelope:
//   - the envelope must have a payloadType, between 1 and MaxSignatures
//     signatures and no empty signature (else ErrMalformed/ErrNoSignature);
//   - each signature is tried against every given key (the keyid is a hint,
//     never trusted);
//   - a signature whose keyid names one of the given keys but does not
//     verify with it fails the whole envelope with ErrSignature, even when
//     another signature verifies: it is evidence of tampering;
//   - otherwise the envelope passes when at least one signature verifies,
//     and Verify returns the payload and the ids of the keys that verified;
//   - when none verifies, the error is ErrSignature if some signature has
//     an empty keyid (it may be one of ours, over changed bytes), and
//     ErrUnknownKey when every signature names a key that was not given.
//
// Signatures by keys that were not given are otherwise ignored: they are
// neither trusted nor held against the envelope.
type Verifier struct {
	keys    []verifierKey
	schemes []RSAScheme
	p1363   bool
}

type verifierKey struct {
	pub crypto.PublicKey
	id  string
}

// VerifierOption configures a Verifier.
type VerifierOption func(*Verifier)

// WithRSASchemes sets the RSA paddings accepted. The default accepts both
// RSA-PSS (DSSE's convention) and PKCS#1 v1.5 (what Sigstore bundles
// carry), each with SHA-256; WithRSASchemes(RSAPSS) accepts only PSS.
func WithRSASchemes(schemes ...RSAScheme) VerifierOption {
	return func(v *Verifier) { v.schemes = slices.Clone(schemes) }
}

// WithECDSARawSignatures also accepts ECDSA signatures in the fixed-size
// IEEE P1363 form (r || s), which some key-managed signers write (Google's
// BCID verification summaries, for one). ASN.1 DER is always accepted.
func WithECDSARawSignatures() VerifierOption {
	return func(v *Verifier) { v.p1363 = true }
}

// NewVerifier returns a Verifier for exactly the given public keys. It
// fails with ErrNoKey when pubs is empty and with keys.ErrUnsupportedKey
// for a key pedigree does not accept; duplicate keys count once.
func NewVerifier(pubs []crypto.PublicKey, opts ...VerifierOption) (*Verifier, error) {
	if len(pubs) == 0 {
		return nil, ErrNoKey
	}
	v := &Verifier{schemes: []RSAScheme{RSAPSS, RSAPKCS1v15}}
	for _, o := range opts {
		o(v)
	}
	if len(v.schemes) == 0 {
		return nil, fmt.Errorf("no RSA scheme accepted: %w", keys.ErrUnsupportedKey)
	}
	for i, pub := range pubs {
		if err := keys.CheckPublicKey(pub); err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
		id, err := keys.ID(pub)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
		if !slices.ContainsFunc(v.keys, func(k verifierKey) bool { return k.id == id }) {
			v.keys = append(v.keys, verifierKey{pub: pub, id: id})
		}
	}
	return v, nil
}

// Verify checks e by the rule documented on Verifier and returns its
// payload and the sorted ids (keys.ID) of the given keys that signed it.
// Check e.PayloadType before using the payload. Errors: ErrMalformed,
// ErrNoSignature, ErrSignature, ErrUnknownKey, each naming the signature.
func (v *Verifier) Verify(e *Envelope) (payload []byte, keyIDs []string, err error) {
	switch {
	case e == nil:
		return nil, nil, fmt.Errorf("nil envelope: %w", ErrMalformed)
	case e.PayloadType == "":
		return nil, nil, fmt.Errorf("payloadType: empty: %w", ErrMalformed)
	case len(e.Signatures) == 0:
		return nil, nil, fmt.Errorf("signatures: %w", ErrNoSignature)
	case len(e.Signatures) > MaxSignatures:
		return nil, nil, fmt.Errorf("signatures: %d, limit %d: %w", len(e.Signatures), MaxSignatures, ErrMalformed)
	}
	for i, s := range e.Signatures {
		if len(s.Sig) == 0 {
			return nil, nil, fmt.Errorf("signatures[%d].sig: empty: %w", i, ErrMalformed)
		}
	}
	msg := newMessage(e.PayloadType, e.Payload)
	var (
		verified   []string
		unattrib   = -1 // first failing signature with an empty keyid
		otherIDs   []string
		claimedBad error
	)
	for i, s := range e.Signatures {
		ok := false
		for _, k := range v.keys {
			if verifySig(k.pub, v.schemes, msg, s.Sig) || v.p1363 && verifyP1363(k.pub, msg, s.Sig) {
				ok = true
				if !slices.Contains(verified, k.id) {
					verified = append(verified, k.id)
				}
				break
			}
		}
		if ok {
			continue
		}
		switch {
		case s.KeyID == "":
			if unattrib < 0 {
				unattrib = i
			}
		case slices.ContainsFunc(v.keys, func(k verifierKey) bool { return k.id == s.KeyID }):
			if claimedBad == nil {
				claimedBad = fmt.Errorf("signatures[%d] (keyid %s): %w", i, s.KeyID, ErrSignature)
			}
		default:
			otherIDs = append(otherIDs, s.KeyID)
		}
	}
	switch {
	case claimedBad != nil:
		return nil, nil, claimedBad
	case len(verified) > 0:
		slices.Sort(verified)
		return e.Payload, verified, nil
	case unattrib >= 0:
		return nil, nil, fmt.Errorf("signatures[%d]: %w with any of the %d given keys", unattrib, ErrSignature, len(v.keys))
	}
	return nil, nil, fmt.Errorf("signed by keyid %s, given %s: %w", strings.Join(otherIDs, ", "), v.ids(), ErrUnknownKey)
}

func (v *Verifier) ids() string {
	ids := make([]string, len(v.keys))
	for i, k := range v.keys {
		ids[i] = k.id
	}
	return strings.Join(ids, ", ")
}

// Verify checks e against exactly the given public keys with the default
// Verifier rule (see Verifier) and returns the payload and the ids of the
// keys that signed it. Errors: ErrNoKey, keys.ErrUnsupportedKey and those
// of Verifier.Verify.
func (e *Envelope) Verify(pubs ...crypto.PublicKey) (payload []byte, keyIDs []string, err error) {
	v, err := NewVerifier(pubs)
	if err != nil {
		return nil, nil, err
	}
	return v.Verify(e)
}
