package sbom

import "errors"

// Errors returned by this package, wrapped with the file or field concerned.
var (
	// ErrInvalidProject: a pyproject.toml is not valid TOML, lacks a project
	// name, or has a field of the wrong type.
	ErrInvalidProject = errors.New("invalid pyproject.toml")
	// ErrTooLarge: an input is larger than this package reads.
	ErrTooLarge = errors.New("input too large")
	// ErrUnsupportedFormat: a document format other than spdx-json or
	// cyclonedx-json was asked for.
	ErrUnsupportedFormat = errors.New("unsupported SBOM format")
	// ErrSchema: a document does not validate against its official schema.
	ErrSchema = errors.New("document does not validate against its schema")
	// ErrUnsupportedHash: a lock file names a hash algorithm the document
	// format cannot express.
	ErrUnsupportedHash = errors.New("hash algorithm not expressible in this SBOM format")
	// ErrInvalidDist: a distribution file given with Options.Dists cannot
	// be read, is neither a wheel nor an sdist, or (a wheel) does not
	// match its RECORD.
	ErrInvalidDist = errors.New("invalid distribution file")
	// ErrDistMismatch: a distribution file is a locked package's but its
	// digest is not among the hashes the lock records for that package, is
	// another version of the project, or is neither the project's nor a
	// locked package's.
	ErrDistMismatch = errors.New("distribution file does not match the lock")
	// ErrInvalidLock: a lock file's package cannot be described (a
	// version longer than CycloneDX allows, an unknown scope).
	ErrInvalidLock = errors.New("lock entry cannot be described")
	// ErrNoSubjects: an attestation was asked for without any of the
	// project's own distribution files to be its subjects.
	ErrNoSubjects = errors.New("no subjects for the SBOM attestation")
	// ErrInvalidOptions: Options lack what a document needs (a project name).
	ErrInvalidOptions = errors.New("invalid SBOM options")
)
