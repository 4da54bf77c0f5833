// Package pspf writes and reads the provenance record that flavor
// (provide-io/flavorpack) stores in the attestation slot of a PSPF package,
// byte for byte as flavor's build_provenance and build_attestation produce it:
// nine keys, key-sorted compact JSON with non-ASCII escaped, the way Python's
// json.dumps(sort_keys=True, separators=(",", ":")) writes it.
//
// One behaviour differs from flavor on purpose: flavor calls a build
// "reproducible" whenever SOURCE_DATE_EPOCH is non-blank, even when it is not
// a number ("abc"); Build rejects such a value with ErrInvalidSourceDateEpoch.
// flavor's other quirks are kept for parity and documented on the fields
// they concern (an empty signing key fingerprint becomes "sha256:", the
// launcher hash is not checked, a fractional timestamp is written as a float).
//
// Beyond flavor, NewStatement wraps a record as the predicate of an in-toto
// Statement v1 whose subject is the package file's digest, with predicate
// type PredicateType, so it can be signed and verified like any attestation.
package pspf
