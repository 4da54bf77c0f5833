package keys

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"hash"
)

// Encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo) with PBES2 (RFC 8018):
// PBKDF2 with an HMAC-SHA-1/SHA-2 PRF and AES-CBC. This is what
// `openssl pkcs8 -topk8 -v2 aes-256-cbc` and `openssl genpkey -aes-256-cbc`
// write and what openssl, Python's cryptography and Java read as
// "ENCRYPTED PRIVATE KEY".

var (
	oidPBES2          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt         = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}
	oidHMACWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

// The parameters pedigree writes: 600,000 PBKDF2-HMAC-SHA256 iterations
// (OWASP's 2023 figure for that PRF), a 16-byte salt and AES-256-CBC.
// Reading accepts up to maxPBKDF2Iterations so a hostile key file cannot
// pin a CPU for minutes.
const (
	pbkdf2Iterations    = 600_000
	maxPBKDF2Iterations = 10_000_000
	saltSize            = 16
)

type encryptedPrivateKeyInfo struct {
	Algorithm     pkix.AlgorithmIdentifier
	EncryptedData []byte
}

type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	KeyLength      int                      `asn1:"optional"`
	PRF            pkix.AlgorithmIdentifier `asn1:"optional"`
}

// encryptPKCS8 wraps a DER PKCS#8 PrivateKeyInfo in an
// EncryptedPrivateKeyInfo with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC).
func encryptPKCS8(der, passphrase []byte, iterations int) ([]byte, error) {
	salt := make([]byte, saltSize)
	iv := make([]byte, aes.BlockSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	if _, err := rand.Read(iv); err != nil {
		return nil, err
	}
	key, err := pbkdf2.Key(sha256.New, string(passphrase), salt, iterations, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(der)%aes.BlockSize
	plain := append(bytes.Clone(der), bytes.Repeat([]byte{byte(pad)}, pad)...)
	ct := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, plain)

	kdfParams, err := asn1.Marshal(pbkdf2Params{
		Salt:           salt,
		IterationCount: iterations,
		PRF:            pkix.AlgorithmIdentifier{Algorithm: oidHMACWithSHA256, Parameters: asn1.NullRawValue},
	})
	if err != nil {
		return nil, err
	}
	ivParam, err := asn1.Marshal(iv)
	if err != nil {
		return nil, err
	}
	params, err := asn1.Marshal(pbes2Params{
		KeyDerivationFunc: pkix.AlgorithmIdentifier{Algorithm: oidPBKDF2, Parameters: asn1.RawValue{FullBytes: kdfParams}},
		EncryptionScheme:  pkix.AlgorithmIdentifier{Algorithm: oidAES256CBC, Parameters: asn1.RawValue{FullBytes: ivParam}},
	})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm:     pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: asn1.RawValue{FullBytes: params}},
		EncryptedData: ct,
	})
}

// decryptPKCS8 returns the DER PrivateKeyInfo inside an
// EncryptedPrivateKeyInfo. Schemes other than PBES2 with PBKDF2 and AES-CBC
// fail with ErrUnsupportedKey; a failed decryption with ErrPassphrase.
func decryptPKCS8(der, passphrase []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if err := unmarshalAll(der, &info); err != nil {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: %w: %v", ErrUnsupportedKey, err)
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: encryption scheme %s (want PBES2): %w", info.Algorithm.Algorithm, ErrUnsupportedKey)
	}
	var params pbes2Params
	if err := unmarshalAll(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: PBES2 parameters: %w: %v", ErrUnsupportedKey, err)
	}
	kdf := params.KeyDerivationFunc
	switch {
	case kdf.Algorithm.Equal(oidScrypt):
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: scrypt key derivation is not supported (re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc`): %w", ErrUnsupportedKey)
	case !kdf.Algorithm.Equal(oidPBKDF2):
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: key derivation %s (want PBKDF2): %w", kdf.Algorithm, ErrUnsupportedKey)
	}
	var kp pbkdf2Params
	if err := unmarshalAll(kdf.Parameters.FullBytes, &kp); err != nil {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: PBKDF2 parameters: %w: %v", ErrUnsupportedKey, err)
	}
	if kp.IterationCount < 1 || kp.IterationCount > maxPBKDF2Iterations {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: %d PBKDF2 iterations (want 1 to %d): %w", kp.IterationCount, maxPBKDF2Iterations, ErrUnsupportedKey)
	}
	if len(kp.Salt) == 0 || len(kp.Salt) > 1024 {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: PBKDF2 salt of %d bytes: %w", len(kp.Salt), ErrUnsupportedKey)
	}
	var newHash func() hash.Hash
	switch prf := kp.PRF.Algorithm; {
	case len(prf) == 0 || prf.Equal(oidHMACWithSHA1):
		newHash = sha1.New
	case prf.Equal(oidHMACWithSHA256):
		newHash = sha256.New
	case prf.Equal(oidHMACWithSHA384):
		newHash = sha512.New384
	case prf.Equal(oidHMACWithSHA512):
		newHash = sha512.New
	default:
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: PBKDF2 PRF %s: %w", prf, ErrUnsupportedKey)
	}
	var keyLen int
	switch alg := params.EncryptionScheme.Algorithm; {
	case alg.Equal(oidAES128CBC):
		keyLen = 16
	case alg.Equal(oidAES192CBC):
		keyLen = 24
	case alg.Equal(oidAES256CBC):
		keyLen = 32
	default:
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: cipher %s (want AES-CBC): %w", alg, ErrUnsupportedKey)
	}
	if kp.KeyLength != 0 && kp.KeyLength != keyLen {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: PBKDF2 key length %d for a %d-byte AES key: %w", kp.KeyLength, keyLen, ErrUnsupportedKey)
	}
	var iv []byte
	if err := unmarshalAll(params.EncryptionScheme.Parameters.FullBytes, &iv); err != nil || len(iv) != aes.BlockSize {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: AES-CBC IV: %w", ErrUnsupportedKey)
	}
	ct := info.EncryptedData
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: ciphertext of %d bytes: %w", len(ct), ErrPassphrase)
	}
	key, err := pbkdf2.Key(newHash, string(passphrase), kp.Salt, kp.IterationCount, keyLen)
	if err != nil {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: %w: %v", ErrUnsupportedKey, err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("ENCRYPTED PRIVATE KEY: %w: %v", ErrUnsupportedKey, err)
	}
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ct)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > aes.BlockSize {
		return nil, ErrPassphrase
	}
	for _, b := range plain[len(plain)-pad:] {
		if int(b) != pad {
			return nil, ErrPassphrase
		}
	}
	return plain[:len(plain)-pad], nil
}

// unmarshalAll decodes DER into v and refuses trailing bytes.
func unmarshalAll(der []byte, v any) error {
	rest, err := asn1.Unmarshal(der, v)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d trailing bytes", len(rest))
	}
	return nil
}
