package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"strings"
)

// Algorithm names a kind of key pair Generate makes.
type Algorithm string

// The algorithms Generate supports, as `pedigree keygen --algorithm` spells
// them.
const (
	Ed25519   Algorithm = "ed25519"
	ECDSAP256 Algorithm = "ecdsa-p256"
	ECDSAP384 Algorithm = "ecdsa-p384"
	RSA3072   Algorithm = "rsa-3072"
)

// Algorithms returns the algorithms Generate supports, default first.
func Algorithms() []Algorithm {
	return []Algorithm{Ed25519, ECDSAP256, ECDSAP384, RSA3072}
}

// ParseAlgorithm returns the Algorithm named s (case-insensitive) or an error
// wrapping ErrUnknownAlgorithm that lists the supported names.
func ParseAlgorithm(s string) (Algorithm, error) {
	for _, a := range Algorithms() {
		if strings.EqualFold(s, string(a)) {
			return a, nil
		}
	}
	names := make([]string, 0, 4)
	for _, a := range Algorithms() {
		names = append(names, string(a))
	}
	return "", fmt.Errorf("%q (want one of %s): %w", s, strings.Join(names, ", "), ErrUnknownAlgorithm)
}

// Generate makes a new private key of the given algorithm from the system's
// secure random source. It fails with ErrUnknownAlgorithm for any other
// algorithm.
func Generate(alg Algorithm) (crypto.Signer, error) {
	switch alg {
	case Ed25519:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("generate %s key: %w", alg, err)
		}
		return priv, nil
	case ECDSAP256, ECDSAP384:
		curve := elliptic.P256()
		if alg == ECDSAP384 {
			curve = elliptic.P384()
		}
		priv, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("generate %s key: %w", alg, err)
		}
		return priv, nil
	case RSA3072:
		priv, err := rsa.GenerateKey(rand.Reader, 3072)
		if err != nil {
			return nil, fmt.Errorf("generate %s key: %w", alg, err)
		}
		return priv, nil
	}
	return nil, fmt.Errorf("%q: %w", alg, ErrUnknownAlgorithm)
}

// AlgorithmOf names the algorithm of a public key as pedigree prints it:
// "ed25519", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521" or "rsa-<bits>". It
// fails with ErrUnsupportedKey for keys CheckPublicKey refuses.
func AlgorithmOf(pub crypto.PublicKey) (string, error) {
	if err := CheckPublicKey(pub); err != nil {
		return "", err
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return string(Ed25519), nil
	case *ecdsa.PublicKey:
		return "ecdsa-p" + strings.TrimPrefix(k.Curve.Params().Name, "P-"), nil
	case *rsa.PublicKey:
		return fmt.Sprintf("rsa-%d", k.N.BitLen()), nil
	}
	return "", fmt.Errorf("key type %T: %w", pub, ErrUnsupportedKey)
}
