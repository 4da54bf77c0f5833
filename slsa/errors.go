package slsa

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error this package returns wraps exactly one of
// them (errors.Is), and most arrive inside a *FieldError naming the field
// path that failed: "subject[2].digest.sha256: want 64 lowercase hex
// characters, got 63: invalid digest".
var (
	// ErrMalformed: the input is not JSON of the expected shape (syntax
	// error, wrong JSON type for a field, duplicate or case-confused key,
	// invalid UTF-8, trailing data).
	ErrMalformed = errors.New("malformed")
	// ErrTooLarge: the input exceeds MaxStatementSize.
	ErrTooLarge = errors.New("too large")
	// ErrMissingField: a required field is absent or empty.
	ErrMissingField = errors.New("missing field")
	// ErrInvalidField: a field is present but its value is not allowed.
	ErrInvalidField = errors.New("invalid field")
	// ErrInvalidDigest: a digest set entry is malformed (wrong length, not
	// lowercase hex, empty, or added twice). Errors wrapping it also wrap
	// the digest package's error (digest.ErrInvalidDigest, digest.ErrEmpty
	// or digest.ErrDuplicateAlgorithm), so errors.Is works for both.
	ErrInvalidDigest = errors.New("invalid digest")
	// ErrInvalidURI: a TypeURI or ResourceURI is not an RFC 3986 URI.
	ErrInvalidURI = errors.New("invalid URI")
	// ErrInvalidTime: a timestamp is not RFC 3339, or its year in UTC is
	// outside 0000-9999.
	ErrInvalidTime = errors.New("invalid time")
	// ErrStatementType: the statement "_type" is not in-toto Statement v1
	// (or the legacy v0.1).
	ErrStatementType = errors.New("unsupported statement type")
	// ErrPredicateType: the predicate is not of the type asked for.
	ErrPredicateType = errors.New("unexpected predicate type")
	// ErrCanonical: a value cannot be written as RFC 8785 canonical JSON
	// without changing it (a number it would write as an integer beyond
	// ±(2^53-1), which IEEE 754 doubles do not keep exactly), or is not an
	// object or array.
	ErrCanonical = errors.New("not representable as canonical JSON")
)

// FieldError is an error about one field. Path is the field's location in
// JSON terms ("subject[2].digest.sha256", "predicate.runDetails.builder.id";
// empty for the value as a whole) and Err says what is wrong, wrapping one of
// the package's sentinel errors.
type FieldError struct {
	Path string
	Err  error
}

// Error returns "path: problem", or just the problem when Path is empty.
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

// Unwrap returns the underlying error, so errors.Is finds the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// prefixErr puts prefix in front of the path of err if err is a *FieldError,
// and wraps err in one with Path prefix otherwise. A nil err stays nil.
func prefixErr(prefix string, err error) error {
	if err == nil {
		return nil
	}
	if fe, ok := err.(*FieldError); ok {
		return &FieldError{Path: joinPath(prefix, fe.Path), Err: fe.Err}
	}
	return &FieldError{Path: prefix, Err: err}
}

// joinPath joins two field paths: "subject[2]" + "digest" = "subject[2].digest",
// "subject" + "[2]" = "subject[2]".
func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case b[0] == '[':
		return a + b
	}
	return a + "." + b
}

// index returns path[i].
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// member returns the path of object member name under path: path.name when
// name is an identifier, path["name"] otherwise.
func member(path, name string) string {
	if isIdent(name) {
		return joinPath(path, name)
	}
	return path + "[" + strconv.Quote(name) + "]"
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// digestError is a digest package error seen through this package: its text
// is the digest package's, and errors.Is matches both ErrInvalidDigest and
// the digest package's sentinel.
type digestError struct{ err error }

func (e digestError) Error() string   { return e.err.Error() }
func (e digestError) Unwrap() []error { return []error{ErrInvalidDigest, e.err} }
