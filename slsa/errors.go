package slsa

import "errors"

// Sentinel errors, wrapped with the field path that failed
// ("subject[2].digest.sha256: want 64 lowercase hex characters, got 63").
var (
	// ErrInvalidTime: a timestamp is not RFC 3339.
	ErrInvalidTime = errors.New("invalid time")
)
