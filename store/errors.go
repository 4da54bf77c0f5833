package store

import "errors"

// Errors returned by this package and by Backend implementations, wrapped
// with the detail (the attestation's position in the body, the field, the
// verifier's reason). Callers test them with errors.Is.
var (
	// ErrMalformed: a submitted body or one of its attestations is not an
	// attestation at all (not JSON, not a JSON object, of no attestation
	// format). Nothing was stored.
	ErrMalformed = errors.New("malformed attestation")
	// ErrRejected: an attestation is well-formed but did not verify against
	// the store's trust configuration. Nothing was stored.
	ErrRejected = errors.New("attestation rejected")
	// ErrTooLarge: a body holds more attestations than allowed, or a query
	// asks for more than the limit.
	ErrTooLarge = errors.New("too large")
	// ErrEmpty: a body holds no attestation.
	ErrEmpty = errors.New("no attestation in the body")
	// ErrNotFound: no record (attestation, subject or token) matches.
	ErrNotFound = errors.New("not found")
	// ErrInvalidQuery: a digest, ID, predicate type or limit in a query is
	// malformed.
	ErrInvalidQuery = errors.New("invalid query")
	// ErrUnauthorized: a bearer token is missing, malformed or unknown.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrTokenExists: a token with that name already exists.
	ErrTokenExists = errors.New("token name already in use")
	// ErrInvalidToken: a token name is empty, too long or has characters
	// other than letters, digits, '.', '_' and '-'.
	ErrInvalidToken = errors.New("invalid token name")
)
