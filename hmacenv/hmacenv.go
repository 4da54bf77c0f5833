// Package hmacenv makes and checks the local HMAC-SHA256 signature envelope
// dpone's `supply-chain attest` writes beside its provenance
// (signature.hmac-sha256.json), byte for byte:
//
//	{
//	  "algorithm": "HMAC-SHA256",
//	  "key_id": "ci-key",
//	  "signature": "<hex HMAC-SHA256(key, signed_sha256 as ASCII)>",
//	  "signed_path": "out/01/provenance.intoto.json",
//	  "signed_sha256": "<hex SHA-256 of the signed file>"
//	}
//
// The MAC input is the 64-character lowercase hex digest of the signed file,
// not the file itself. An HMAC envelope is evidence for internal chains
// where both sides share a secret; it says nothing to anyone without the
// key. A missing key is always an error carrying the code
// "signature.missing_key", never an unsigned output.
package hmacenv

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/pedigree-dev/pedigree/digest"
)

// Algorithm is the algorithm name written into envelopes; reading accepts
// any case.
const Algorithm = "HMAC-SHA256"

// CodeMissingKey is dpone's blocker code for an absent or empty key.
const CodeMissingKey = "signature.missing_key"

// MaxSize bounds the envelopes Parse reads (64 KiB).
const MaxSize = 64 << 10

// Errors returned by this package, wrapped with the field concerned.
var (
	// ErrMissingKey: the HMAC key is absent or empty. Its message starts
	// with CodeMissingKey.
	ErrMissingKey = errors.New(CodeMissingKey + ": no HMAC key")
	// ErrMACMismatch: the envelope's MAC is not the HMAC of its
	// signed_sha256 under the key given (wrong key or forged envelope).
	ErrMACMismatch = errors.New("HMAC does not match")
	// ErrDigestMismatch: the envelope is authentic but the file's SHA-256
	// is not the signed one (the file changed).
	ErrDigestMismatch = errors.New("signed file's SHA-256 does not match")
	// ErrMalformed: the input is not an envelope of dpone's shape.
	ErrMalformed = errors.New("malformed HMAC envelope")
)

// Envelope is an HMAC-SHA256 signature envelope over one file.
type Envelope struct {
	Algorithm    string `json:"algorithm"`
	KeyID        string `json:"key_id"`
	Signature    string `json:"signature"`
	SignedPath   string `json:"signed_path"`
	SignedSHA256 string `json:"signed_sha256"`
}

// Sign returns the envelope for a file whose SHA-256 is fileSHA256Hex
// (64 lowercase hex characters), recorded under signedPath. It fails with
// ErrMissingKey for an empty key and ErrMalformed for a malformed digest or
// strings that are not valid UTF-8.
func Sign(key []byte, keyID, signedPath, fileSHA256Hex string) (*Envelope, error) {
	if len(key) == 0 {
		return nil, ErrMissingKey
	}
	if err := checkDigest(fileSHA256Hex); err != nil {
		return nil, fmt.Errorf("signed_sha256: %w", err)
	}
	for _, f := range [...]struct{ name, v string }{{"key_id", keyID}, {"signed_path", signedPath}} {
		if !utf8.ValidString(f.v) {
			return nil, fmt.Errorf("%s: not valid UTF-8: %w", f.name, ErrMalformed)
		}
	}
	return &Envelope{
		Algorithm:    Algorithm,
		KeyID:        keyID,
		Signature:    hex.EncodeToString(mac(key, fileSHA256Hex)),
		SignedPath:   signedPath,
		SignedSHA256: fileSHA256Hex,
	}, nil
}

// SignBytes is Sign for a file whose content is data, with Sign's errors.
func SignBytes(key []byte, keyID, signedPath string, data []byte) (*Envelope, error) {
	sum := sha256.Sum256(data)
	return Sign(key, keyID, signedPath, hex.EncodeToString(sum[:]))
}

func mac(key []byte, digestHex string) []byte {
	m := hmac.New(sha256.New, key)
	io.WriteString(m, digestHex)
	return m.Sum(nil)
}

// checkDigest checks a hex SHA-256 with digest.ValidateValue; its error
// wraps ErrMalformed as well as the digest package's.
func checkDigest(s string) error {
	if err := digest.ValidateValue(digest.SHA256, s); err != nil {
		return fmt.Errorf("%w: %w", err, ErrMalformed)
	}
	return nil
}

// Verify checks the envelope against the key and the SHA-256 (hex) of the
// file it claims to sign. The MAC is recomputed over the envelope's
// signed_sha256 and compared in constant time. It fails with ErrMissingKey
// for an empty key, ErrMACMismatch when the MAC is wrong, ErrDigestMismatch
// when the MAC is right but the file differs, and ErrMalformed for an
// envelope Parse would refuse.
func (e *Envelope) Verify(key []byte, fileSHA256Hex string) error {
	if len(key) == 0 {
		return ErrMissingKey
	}
	if err := e.validate(); err != nil {
		return err
	}
	got, _ := hex.DecodeString(e.Signature) // validated
	if !hmac.Equal(got, mac(key, e.SignedSHA256)) {
		return fmt.Errorf("signature (key_id %q): %w", e.KeyID, ErrMACMismatch)
	}
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(fileSHA256Hex)), []byte(e.SignedSHA256)) != 1 {
		return fmt.Errorf("signed_sha256 %s, file has %s: %w", e.SignedSHA256, fileSHA256Hex, ErrDigestMismatch)
	}
	return nil
}

// VerifyBytes is Verify for a file whose content is data, with Verify's
// errors.
func (e *Envelope) VerifyBytes(key, data []byte) error {
	sum := sha256.Sum256(data)
	return e.Verify(key, hex.EncodeToString(sum[:]))
}

func (e *Envelope) validate() error {
	if !strings.EqualFold(e.Algorithm, Algorithm) {
		return fmt.Errorf("algorithm: %q (want %s): %w", e.Algorithm, Algorithm, ErrMalformed)
	}
	if err := checkDigest(e.SignedSHA256); err != nil {
		return fmt.Errorf("signed_sha256: %w", err)
	}
	if len(e.Signature) != 2*sha256.Size {
		return fmt.Errorf("signature: want 64 hex characters, got %d: %w", len(e.Signature), ErrMalformed)
	}
	if _, err := hex.DecodeString(e.Signature); err != nil {
		return fmt.Errorf("signature: %w: %v", ErrMalformed, err)
	}
	return nil
}

// Parse reads an envelope: a JSON object with exactly the five string
// fields algorithm (HMAC-SHA256, any case), key_id, signature (64 hex),
// signed_path and signed_sha256 (64 lowercase hex). Unknown, duplicate or
// missing fields, non-string values, invalid UTF-8, trailing data and
// inputs over MaxSize fail with ErrMalformed. It verifies nothing.
func Parse(data []byte) (*Envelope, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), MaxSize, ErrMalformed)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("not valid UTF-8: %w", ErrMalformed)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("want a JSON object: %w", ErrMalformed)
	}
	var e Envelope
	fields := map[string]*string{
		"algorithm":     &e.Algorithm,
		"key_id":        &e.KeyID,
		"signature":     &e.Signature,
		"signed_path":   &e.SignedPath,
		"signed_sha256": &e.SignedSHA256,
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		name, _ := tok.(string)
		dst, ok := fields[name]
		if !ok {
			return nil, fmt.Errorf("%q: unknown field: %w", name, ErrMalformed)
		}
		if seen[name] {
			return nil, fmt.Errorf("%s: duplicate field: %w", name, ErrMalformed)
		}
		seen[name] = true
		tok, err = dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
		}
		s, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("%s: want a string: %w", name, ErrMalformed)
		}
		*dst = s
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the object: %w", ErrMalformed)
	}
	for _, name := range []string{"algorithm", "key_id", "signature", "signed_path", "signed_sha256"} {
		if !seen[name] {
			return nil, fmt.Errorf("%s: missing: %w", name, ErrMalformed)
		}
	}
	if err := e.validate(); err != nil {
		return nil, err
	}
	return &e, nil
}

// Marshal returns the envelope exactly as dpone writes it: Python's
// json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) and a
// newline.
func (e *Envelope) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("{\n")
	pairs := [][2]string{
		{"algorithm", e.Algorithm},
		{"key_id", e.KeyID},
		{"signature", e.Signature},
		{"signed_path", e.SignedPath},
		{"signed_sha256", e.SignedSHA256},
	}
	for i, p := range pairs {
		b.WriteString("  ")
		writePyString(&b, p[0])
		b.WriteString(": ")
		writePyString(&b, p[1])
		if i < len(pairs)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// writePyString writes s as Python's json module does with
// ensure_ascii=False: only '"', '\\' and control characters below U+0020
// are escaped, the latter as \n, \r, \t, \b, \f or \u00xx.
func writePyString(b *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xf])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}
