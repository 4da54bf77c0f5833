package keys

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
)

// PEM block types this package reads and writes.
const (
	pemPublicKey           = "PUBLIC KEY"
	pemPrivateKey          = "PRIVATE KEY"
	pemEncryptedPrivateKey = "ENCRYPTED PRIVATE KEY"
	pemECPrivateKey        = "EC PRIVATE KEY"
	pemRSAPrivateKey       = "RSA PRIVATE KEY"
	pemSigstorePrivateKey  = "ENCRYPTED SIGSTORE PRIVATE KEY"
	pemCosignPrivateKey    = "ENCRYPTED COSIGN PRIVATE KEY"
)

// MarshalPrivateKeyPEM encodes key as PKCS#8 PEM. With an empty passphrase
// the block is "PRIVATE KEY"; otherwise it is "ENCRYPTED PRIVATE KEY",
// PBES2 with PBKDF2-HMAC-SHA256 (600,000 iterations, random 16-byte salt)
// and AES-256-CBC, the format `openssl pkey -in KEY -passin ...` reads. It
// fails with ErrUnsupportedKey for keys CheckPublicKey refuses.
func MarshalPrivateKeyPEM(key crypto.Signer, passphrase []byte) ([]byte, error) {
	return marshalPrivateKeyPEM(key, passphrase, pbkdf2Iterations)
}

func marshalPrivateKeyPEM(key crypto.Signer, passphrase []byte, iterations int) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("nil key: %w", ErrUnsupportedKey)
	}
	if err := CheckPublicKey(key.Public()); err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
	}
	if len(passphrase) == 0 {
		return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
	}
	enc, err := encryptPKCS8(der, passphrase, iterations)
	if err != nil {
		return nil, fmt.Errorf("encrypt private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemEncryptedPrivateKey, Bytes: enc}), nil
}

// ParsePrivateKeyPEM reads the first private key in data: PKCS#8 "PRIVATE
// KEY", PBES2-encrypted PKCS#8 "ENCRYPTED PRIVATE KEY" (PBKDF2 with
// HMAC-SHA-1/256/384/512, AES-128/192/256-CBC), or the traditional
// unencrypted "EC PRIVATE KEY" (SEC 1) and "RSA PRIVATE KEY" (PKCS#1) that
// older openssl commands write. Other PEM blocks (EC PARAMETERS, public
// keys) are skipped.
//
// It fails with ErrNoPEM when there is no private key, ErrEncrypted when the
// key is encrypted and passphrase is empty, ErrPassphrase when decryption
// fails, and ErrUnsupportedKey for other encryption schemes (legacy
// "Proc-Type: 4,ENCRYPTED" PEM, scrypt, cosign's format) and for keys
// CheckPublicKey refuses.
func ParsePrivateKeyPEM(data, passphrase []byte) (crypto.Signer, error) {
	block, err := findPEM(data, "PRIVATE KEY or ENCRYPTED PRIVATE KEY", func(b *pem.Block) bool {
		switch b.Type {
		case pemPrivateKey, pemECPrivateKey, pemRSAPrivateKey, pemEncryptedPrivateKey, pemSigstorePrivateKey, pemCosignPrivateKey:
			return true
		}
		return legacyEncrypted(b)
	})
	if err != nil {
		return nil, err
	}
	if legacyEncrypted(block) {
		return nil, fmt.Errorf("%s: legacy PEM encryption (DEK-Info) is not supported, convert with `openssl pkcs8 -topk8 -v2 aes-256-cbc`: %w", block.Type, ErrUnsupportedKey)
	}
	var key any
	switch block.Type {
	case pemPrivateKey:
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case pemECPrivateKey:
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case pemRSAPrivateKey:
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case pemEncryptedPrivateKey:
		if len(passphrase) == 0 {
			return nil, fmt.Errorf("%s: %w", block.Type, ErrEncrypted)
		}
		der, derr := decryptPKCS8(block.Bytes, passphrase)
		if derr != nil {
			return nil, derr
		}
		key, err = x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			// A wrong key can survive the padding check by chance;
			// the DER inside is garbage then.
			return nil, fmt.Errorf("%s: %w", block.Type, ErrPassphrase)
		}
	default: // pemSigstorePrivateKey, pemCosignPrivateKey
		return nil, fmt.Errorf("%s: cosign's encrypted key format is not supported; use a PKCS#8 key (`pedigree keygen` or openssl): %w", block.Type, ErrUnsupportedKey)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", block.Type, ErrUnsupportedKey, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s: key type %T: %w", block.Type, key, ErrUnsupportedKey)
	}
	if err := CheckPublicKey(signer.Public()); err != nil {
		return nil, fmt.Errorf("%s: %w", block.Type, err)
	}
	return signer, nil
}

// legacyEncrypted reports whether b uses the legacy PEM encryption
// ("Proc-Type: 4,ENCRYPTED" and DEK-Info headers).
func legacyEncrypted(b *pem.Block) bool {
	return strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED")
}

// MarshalPublicKeyPEM encodes pub as an SPKI "PUBLIC KEY" PEM block. It
// fails with ErrUnsupportedKey for keys CheckPublicKey refuses.
func MarshalPublicKeyPEM(pub crypto.PublicKey) ([]byte, error) {
	if err := CheckPublicKey(pub); err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPublicKey, Bytes: der}), nil
}
