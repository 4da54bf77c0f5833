package evidence

import (
	"errors"

	"github.com/pedigree-dev/pedigree/hmacenv"
)

// Blocker codes: problems that stop Create before anything is written.
// docs/evidence.md has a runbook entry for each.
const (
	// CodeSubjectsEmpty: no subject was given.
	CodeSubjectsEmpty = "subjects.empty"
	// CodeSubjectMissingPrefix + path: a subject is missing or not a
	// regular file (dpone's code; the path as given).
	CodeSubjectMissingPrefix = "subject.missing."
	// CodeSubjectNameConflictPrefix + name: two different files would be
	// recorded under the same name.
	CodeSubjectNameConflictPrefix = "subject.name_conflict."
	// CodeMissingKey: no signing material (--key, an HMAC key) and
	// unsigned evidence was not allowed.
	CodeMissingKey = hmacenv.CodeMissingKey
	// CodeReleaseEmpty: the release name is empty.
	CodeReleaseEmpty = "release.empty"
	// CodeProjectMissing: there is no pyproject.toml to describe.
	CodeProjectMissing = "project.missing"
	// CodeProjectInvalid: pyproject.toml cannot be read as a project.
	CodeProjectInvalid = "project.invalid"
	// CodeLockMissing: the project declares dependencies but no lock file
	// was given or found.
	CodeLockMissing = "lock.missing"
	// CodeLockInvalid: the lock file does not parse or does not fit the
	// project.
	CodeLockInvalid = "lock.invalid"
	// CodeSourceUnknown: the source repository or commit is unknown (not
	// given and not detected).
	CodeSourceUnknown = "source.unknown"
	// CodeBuilderInvalid: the builder id is not a URI.
	CodeBuilderInvalid = "builder.invalid"
)

// Finding codes: what Verify reports, one per problem.
const (
	// FindingChanged: a file differs from what was signed or listed.
	FindingChanged = "file.changed"
	// FindingAdded: a file in the folder is not listed in the index.
	FindingAdded = "file.added"
	// FindingMissing: a file the index or a signature names is absent.
	FindingMissing = "file.missing"
	// FindingMalformed: a file does not parse as what it should be.
	FindingMalformed = "file.malformed"
	// FindingUnsafePath: the index names a path outside the folder.
	FindingUnsafePath = "index.unsafe_path"
	// FindingSchemaVersion: evidence.json has a schemaVersion this
	// version of pedigree does not know.
	FindingSchemaVersion = "index.schema_version"
	// FindingIndexMismatch: evidence.json differs from the index the
	// signed statements and the files imply.
	FindingIndexMismatch = "index.mismatch"
	// FindingSignature: a signature or MAC does not verify.
	FindingSignature = "signature.invalid"
	// FindingNoKey: the bundle is signed but no key was given to check it
	// (or it is unsigned and unsigned evidence was not allowed).
	FindingNoKey = "signature.no_key"
	// FindingSBOMSchema: an SBOM is not valid against its schema.
	FindingSBOMSchema = "sbom.schema"
	// FindingSubject: a subject file given to Verify is not a subject of
	// the provenance, or the statements disagree about the subjects.
	FindingSubject = "subject.mismatch"
	// FindingProvenance: the provenance is missing or invalid.
	FindingProvenance = "provenance.invalid"
	// FindingBlockers: the index records blockers.
	FindingBlockers = "index.blockers"
)

// Sentinel errors, wrapped with the detail.
var (
	// ErrBlocked: Create found blockers and wrote nothing.
	ErrBlocked = errors.New("evidence not written: blockers")
	// ErrInvalidOptions: Create or Verify was called with inconsistent
	// options (a programming error, not a property of the inputs).
	ErrInvalidOptions = errors.New("invalid evidence options")
	// ErrMalformedIndex: evidence.json is not an index pedigree reads.
	ErrMalformedIndex = errors.New("malformed evidence index")
	// ErrSchemaVersion: evidence.json has an unknown schemaVersion.
	ErrSchemaVersion = errors.New("unknown evidence schema version")
	// ErrNotEvidence: a folder holds neither pedigree's evidence.json nor
	// dpone's supply_chain_attestation.json.
	ErrNotEvidence = errors.New("not an evidence folder")
)
