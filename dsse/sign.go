package dsse

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/pedigree-dev/pedigree/keys"
)

// More errors returned by Sign and Verify.
var (
	// ErrUnknownKey: no signature of the envelope is attributable to any
	// of the keys given (each names another key id).
	ErrUnknownKey = errors.New("envelope is not signed by any of the given keys")
	// ErrSignature: a signature that claims one of the given keys does not
	// verify: the payload, payloadType or signature bytes were changed.
	ErrSignature = errors.New("signature does not verify")
	// ErrNoKey: Verify or NewVerifier was given no public key.
	ErrNoKey = errors.New("no public key to verify with")
)

// MaxSignatures bounds the signatures Verify looks at in one envelope, so
// that a hostile envelope cannot make it try millions of keys.
const MaxSignatures = 64

// RSAScheme is the RSA signature padding: DSSE envelopes use RSA-PSS (what
// go-securesystemslib and in-toto verify), Sigstore bundles PKCS#1 v1.5
// (sigstore-go's default for RSA keys). Both hash with SHA-256.
type RSAScheme int

const (
	// RSAPSS is RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
	RSAPSS RSAScheme = iota
	// RSAPKCS1v15 is RSASSA-PKCS1-v1_5 with SHA-256.
	RSAPKCS1v15
)

// String names the scheme: "RSA-PSS" or "RSA-PKCS1v15".
func (s RSAScheme) String() string {
	switch s {
	case RSAPSS:
		return "RSA-PSS"
	case RSAPKCS1v15:
		return "RSA-PKCS1v15"
	}
	return fmt.Sprintf("RSAScheme(%d)", int(s))
}

// SignOptions control Sign.
type SignOptions struct {
	// KeyID is written as the signature's keyid; empty means the key's
	// pedigree id (keys.ID: hex SHA-256 of its SPKI).
	KeyID string
	// OmitKeyID leaves keyid empty, as a DSSE envelope inside a Sigstore
	// bundle needs (the bundle's public-key hint names the key instead).
	OmitKeyID bool
	// RSAScheme is the padding for RSA keys; the zero value is RSAPSS.
	RSAScheme RSAScheme
}

// Sign signs the DSSE pre-authentication encoding of payloadType and the
// exact payload bytes with signer and returns a one-signature envelope.
//
// Ed25519 signs the PAE itself (deterministic: the same key and payload
// give the same envelope); ECDSA signs its SHA-256 (P-256), SHA-384 (P-384)
// or SHA-512 (P-521) digest and writes ASN.1 DER signatures, as cosign and
// sigstore-go expect; RSA signs the SHA-256 digest with opts.RSAScheme.
// The signature is verified before Sign returns.
//
// It fails with ErrMalformed for an empty payloadType, keys.ErrUnsupportedKey
// for keys pedigree does not accept, and the signer's own error otherwise.
func Sign(signer crypto.Signer, payloadType string, payload []byte, opts SignOptions) (*Envelope, error) {
	if signer == nil {
		return nil, fmt.Errorf("sign: nil signer: %w", keys.ErrUnsupportedKey)
	}
	if payloadType == "" {
		return nil, fmt.Errorf("payloadType: empty: %w", ErrMalformed)
	}
	pub := signer.Public()
	if err := keys.CheckPublicKey(pub); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if opts.RSAScheme != RSAPSS && opts.RSAScheme != RSAPKCS1v15 {
		return nil, fmt.Errorf("sign: %v: %w", opts.RSAScheme, keys.ErrUnsupportedKey)
	}
	msg := newMessage(payloadType, payload)
	var (
		sig []byte
		err error
	)
	switch pub.(type) {
	case ed25519.PublicKey:
		sig, err = signer.Sign(rand.Reader, msg.pae, crypto.Hash(0))
	case *ecdsa.PublicKey, *rsa.PublicKey:
		h := hashFor(pub)
		var so crypto.SignerOpts = h
		if _, ok := pub.(*rsa.PublicKey); ok && opts.RSAScheme == RSAPSS {
			so = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}
		}
		sig, err = signer.Sign(rand.Reader, msg.digest(h), so)
	}
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if !verifySig(pub, []RSAScheme{opts.RSAScheme}, msg, sig) {
		return nil, fmt.Errorf("sign: the signer's signature does not verify with its own public key: %w", ErrSignature)
	}
	keyID := opts.KeyID
	switch {
	case opts.OmitKeyID:
		keyID = ""
	case keyID == "":
		if keyID, err = keys.ID(pub); err != nil {
			return nil, fmt.Errorf("sign: %w", err)
		}
	}
	return &Envelope{
		PayloadType: payloadType,
		Payload:     payload,
		Signatures:  []Signature{{KeyID: keyID, Sig: sig}},
	}, nil
}

// hashFor returns the digest a key signs: SHA-256 except for ECDSA P-384
// (SHA-384) and P-521 (SHA-512), matching go-securesystemslib and
// sigstore-go's defaults.
func hashFor(pub crypto.PublicKey) crypto.Hash {
	if k, ok := pub.(*ecdsa.PublicKey); ok {
		switch k.Curve {
		case elliptic.P384():
			return crypto.SHA384
		case elliptic.P521():
			return crypto.SHA512
		}
	}
	return crypto.SHA256
}

// message is the PAE that is signed or verified, with its digests: each is
// computed once, however many keys and signatures are checked against it.
type message struct {
	pae  []byte
	sums map[crypto.Hash][]byte
}

func newMessage(payloadType string, payload []byte) *message {
	return &message{pae: PAE(payloadType, payload), sums: make(map[crypto.Hash][]byte, 1)}
}

// digest returns the hash h of the PAE.
func (m *message) digest(h crypto.Hash) []byte {
	sum, ok := m.sums[h]
	if !ok {
		d := h.New()
		d.Write(m.pae)
		sum = d.Sum(nil)
		m.sums[h] = sum
	}
	return sum
}

// verifyP1363 checks an ECDSA signature written as r || s, each the size
// of the curve order.
func verifyP1363(pub crypto.PublicKey, m *message, sig []byte) bool {
	k, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return false
	}
	n := (k.Curve.Params().BitSize + 7) / 8
	if len(sig) != 2*n {
		return false
	}
	r, s := new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])
	return ecdsa.Verify(k, m.digest(hashFor(k)), r, s)
}

// verifySig checks one signature over m with pub; RSA signatures are tried
// with each scheme in schemes.
func verifySig(pub crypto.PublicKey, schemes []RSAScheme, m *message, sig []byte) bool {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return ed25519.Verify(k, m.pae, sig)
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, m.digest(hashFor(k)), sig)
	case *rsa.PublicKey:
		digest := m.digest(crypto.SHA256)
		for _, s := range schemes {
			var err error
			switch s {
			case RSAPSS:
				err = rsa.VerifyPSS(k, crypto.SHA256, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto, Hash: crypto.SHA256})
			case RSAPKCS1v15:
				err = rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig)
			default:
				continue
			}
			if err == nil {
				return true
			}
		}
	}
	return false
}
