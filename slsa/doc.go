// Package slsa is pedigree's data model for in-toto attestations: the
// Statement v1 envelope payload, ResourceDescriptor, SLSA Provenance v1 (read
// and write) and SLSA Provenance v0.2 (read), with JSON field names exactly
// as the specifications spell them, validation that names the failing field
// path, equality, and canonical (RFC 8785) encoding for bytes to be signed.
//
// Reading: ParseStatement is size-limited (MaxStatementSize) and strict
// about the JSON itself, because encoding/json alone is lenient in ways that
// let two verifiers read the same signed bytes differently: it rejects
// duplicate member names, member names that match a field only when case is
// ignored ("PredicateType", or "ſubject" with a long s), invalid UTF-8, lone
// surrogate escapes, trailing data, and JSON of the wrong type for a field.
// Unknown members are ignored, as the in-toto parsing rules require. Then
// it validates: "_type", at least one subject each with a well-formed digest
// set, a predicateType URI, and, for SLSA provenance, a valid predicate.
// DecodeStatement does the reading without the validation, for tools that
// show broken statements.
//
// Writing: NewStatement builds a Statement v1 with URIs case-normalized;
// Canonical gives the RFC 8785 bytes to sign and Indent the sorted,
// indented form for people. Timestamps are written as
// "2006-01-02T15:04:05Z" in UTC and read as any RFC 3339 time.
//
// Errors: every error wraps one of the sentinel errors (ErrMalformed,
// ErrMissingField, ErrInvalidDigest, ...) for errors.Is, and most are a
// *FieldError whose Path names the field:
//
//	subject[2].digest.sha256: want 64 lowercase hex characters, got 63: invalid digest
package slsa
