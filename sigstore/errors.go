package sigstore

import "errors"

// Errors returned by this package, wrapped with the detail concerned.
var (
	// ErrTrustedRoot: a trusted_root.json is unreadable, malformed or
	// incomplete (for example a log key without a validity start).
	ErrTrustedRoot = errors.New("invalid trusted root")
	// ErrBundle: the input is not a valid Sigstore bundle (malformed JSON,
	// unknown media type or version, missing or malformed material).
	ErrBundle = errors.New("invalid Sigstore bundle")
	// ErrTooLarge: an input exceeds this package's size limits.
	ErrTooLarge = errors.New("input too large")
	// ErrVerification: a signature, certificate chain, SCT, transparency
	// log entry or timestamp did not verify against the trusted material.
	ErrVerification = errors.New("signature verification failed")
	// ErrIdentity: the signing certificate does not carry the identity
	// (OIDC issuer, subject alternative name) the caller asked for, or an
	// identity was asked of a key-based signature.
	ErrIdentity = errors.New("signer identity mismatch")
	// ErrInvalidIdentity: an Identity is incomplete or has a malformed
	// regular expression.
	ErrInvalidIdentity = errors.New("invalid identity constraint")
	// ErrNoTimestamp: a certificate-signed bundle or envelope carries no
	// proof of signing time (no transparency log entry with a signed entry
	// timestamp, no RFC 3161 timestamp), so its short-lived certificate
	// cannot be checked.
	ErrNoTimestamp = errors.New("no proof of signing time")
	// ErrKeyRequired: the signature was made with a long-lived key and no
	// public key was given to verify it (--key), or a public key was given
	// but the signature was made with a certificate.
	ErrKeyRequired = errors.New("public key required")
	// ErrMessageDigest: a message-signature bundle was verified without an
	// artifact digest, or its signed digest differs from the artifact's.
	ErrMessageDigest = errors.New("message digest mismatch")
	// ErrKey: a public key given to the verifier or the bundle writer is of
	// an unsupported type.
	ErrKey = errors.New("unsupported public key")
)
