package pspf

import "errors"

// Sentinel errors, wrapped with the field or value concerned.
var (
	// ErrInvalidSourceDateEpoch: SOURCE_DATE_EPOCH is set and not blank but
	// is not a decimal integer (flavor accepts it; pedigree does not).
	ErrInvalidSourceDateEpoch = errors.New("invalid SOURCE_DATE_EPOCH")
	// ErrInvalidTimestamp: a build timestamp is not a decimal number.
	ErrInvalidTimestamp = errors.New("invalid build timestamp")
	// ErrOutOfRange: a build timestamp falls outside the years 1 to 9999,
	// which Python's datetime (and so flavor) cannot represent.
	ErrOutOfRange = errors.New("build timestamp out of range")
	// ErrInvalidString: a text field is not valid UTF-8.
	ErrInvalidString = errors.New("invalid string")
	// ErrMalformed: a record or attestation slot read by ParseRecord or
	// ParseSlot is not the JSON shape flavor writes.
	ErrMalformed = errors.New("malformed PSPF provenance record")
	// ErrTooLarge: the input exceeds MaxRecordSize.
	ErrTooLarge = errors.New("PSPF record too large")
)

// Errors about the in-toto statement form of a record.
var (
	// ErrNoSubject: a statement needs at least one subject with a name and
	// a valid digest.
	ErrNoSubject = errors.New("statement needs a subject with a name and a digest")
	// ErrPredicateType: a statement does not carry a PSPF record.
	ErrPredicateType = errors.New("not a PSPF record statement")
)
