// Package keys loads, generates and fingerprints the signing keys pedigree
// uses: Ed25519, ECDSA P-256/P-384 and RSA, as PKCS#8 private keys (optionally
// passphrase-encrypted) and SPKI public keys in PEM.
package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
)

// MaxPEMSize bounds the key files this package reads (1 MiB).
const MaxPEMSize = 1 << 20

// Errors returned by this package.
var (
	// ErrNoPEM: the input holds no PEM block of the expected type.
	ErrNoPEM = errors.New("no PEM key found")
	// ErrUnsupportedKey: the key type, curve or size is not one pedigree accepts.
	ErrUnsupportedKey = errors.New("unsupported key")
	// ErrUnknownAlgorithm: an algorithm name is not one Generate knows.
	ErrUnknownAlgorithm = errors.New("unknown key algorithm")
	// ErrEncrypted: the private key is passphrase-encrypted and no
	// passphrase was given.
	ErrEncrypted = errors.New("private key is encrypted: a passphrase is needed")
	// ErrPassphrase: decrypting the private key failed (wrong passphrase
	// or corrupted data).
	ErrPassphrase = errors.New("wrong passphrase or corrupted encrypted key")
)

// ParsePublicKeyPEM parses the first "PUBLIC KEY" (SPKI) PEM block in data.
// It accepts Ed25519, ECDSA P-256/P-384/P-521 and RSA keys of at least 2048
// bits and fails with ErrNoPEM or ErrUnsupportedKey otherwise.
func ParsePublicKeyPEM(data []byte) (crypto.PublicKey, error) {
	block, err := findPEM(data, pemPublicKey, func(b *pem.Block) bool { return b.Type == pemPublicKey })
	if err != nil {
		return nil, err
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("PUBLIC KEY: %w: %v", ErrUnsupportedKey, err)
	}
	if err := CheckPublicKey(pub); err != nil {
		return nil, err
	}
	return pub, nil
}

// findPEM returns the first PEM block in data that match accepts. It fails
// with ErrNoPEM, naming want, when there is none, and when data is larger
// than MaxPEMSize.
func findPEM(data []byte, want string, match func(*pem.Block) bool) (*pem.Block, error) {
	if len(data) > MaxPEMSize {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), MaxPEMSize, ErrNoPEM)
	}
	for rest := data; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			return nil, fmt.Errorf("want a PEM block of type %s: %w", want, ErrNoPEM)
		}
		if match(block) {
			return block, nil
		}
	}
}

// CheckPublicKey fails with ErrUnsupportedKey unless pub is an Ed25519 key,
// an ECDSA key on P-256, P-384 or P-521, or an RSA key of 2048 bits or more.
func CheckPublicKey(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return fmt.Errorf("ed25519 key of %d bytes: %w", len(k), ErrUnsupportedKey)
		}
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
		default:
			return fmt.Errorf("ECDSA curve %s: %w", k.Curve.Params().Name, ErrUnsupportedKey)
		}
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return fmt.Errorf("RSA key of %d bits (want >= 2048): %w", k.N.BitLen(), ErrUnsupportedKey)
		}
	default:
		return fmt.Errorf("key type %T: %w", pub, ErrUnsupportedKey)
	}
	return nil
}

// ID returns the key id pedigree uses for a public key: the lowercase hex
// SHA-256 of its DER SubjectPublicKeyInfo. It fails with ErrUnsupportedKey
// for a key x509 cannot marshal.
func ID(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), nil
}
