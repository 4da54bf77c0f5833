// Package pypi reads Python distributions the way installers see them:
// wheel (PEP 427/491) and sdist (PEP 625, plus legacy names) file names, PEP
// 503 project-name normalization, PEP 440 version normalization, PEP 508
// requirements, package URLs (pkg:pypi/...), core metadata 2.1–2.4
// (METADATA / PKG-INFO), RECORD files, and wheels read in place, without
// extracting them, with RECORD verified and PEP 770 SBOMs surfaced.
//
// Every reader is bounded: inputs have size limits, a wheel's entry count and
// total uncompressed size are capped, and entry names that could escape an
// extraction directory are refused. Errors wrap the package's sentinel
// errors (ErrFilename, ErrRequirement, ErrMetadata, ErrRecord, ErrWheel,
// ErrSdist, ErrTooLarge, ErrUnsafePath) so callers can use errors.Is.
package pypi
