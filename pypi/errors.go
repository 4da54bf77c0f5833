package pypi

import "errors"

// Sentinel errors; each is wrapped with the field or entry concerned.
var (
	// ErrFilename: a file name is not a valid wheel or sdist name.
	ErrFilename = errors.New("invalid distribution file name")
	// ErrName: a project name is not a valid PEP 508 name.
	ErrName = errors.New("invalid project name")
	// ErrVersion: a version is not a valid PEP 440 version.
	ErrVersion = errors.New("invalid version")
	// ErrRequirement: a PEP 508 requirement string is malformed.
	ErrRequirement = errors.New("invalid requirement")
	// ErrMetadata: a core metadata file (METADATA, PKG-INFO) is malformed.
	ErrMetadata = errors.New("invalid core metadata")
	// ErrRecord: a RECORD file is malformed.
	ErrRecord = errors.New("invalid RECORD")
	// ErrRecordMismatch: a wheel's content disagrees with its RECORD.
	ErrRecordMismatch = errors.New("RECORD does not match wheel content")
	// ErrWheel: a wheel is structurally invalid (not a zip, no .dist-info,
	// missing METADATA/WHEEL/RECORD, name or version disagreeing with the
	// file name).
	ErrWheel = errors.New("invalid wheel")
	// ErrSdist: an sdist is structurally invalid (not a gzip tar or zip, no
	// PKG-INFO).
	ErrSdist = errors.New("invalid sdist")
	// ErrTooLarge: an input exceeds a size, count or depth limit.
	ErrTooLarge = errors.New("input too large")
	// ErrUnsafePath: an archive entry name is absolute, contains "..", a
	// backslash or a NUL byte, or occurs twice.
	ErrUnsafePath = errors.New("unsafe archive entry name")
)
