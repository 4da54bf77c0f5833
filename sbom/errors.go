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
	// be read or is neither a wheel nor an sdist.
	ErrInvalidDist = errors.New("invalid distribution file")
	// ErrDistMismatch: a distribution file is a locked package's but its
	// digest is not among the hashes the lock records for that package.
	ErrDistMismatch = errors.New("distribution file does not match the lock")
	// ErrInvalidOptions: Options lack what a document needs (a project name).
	ErrInvalidOptions = errors.New("invalid SBOM options")
)
