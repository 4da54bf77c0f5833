package evidence

import (
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/buildenv"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/hmacenv"
	"github.com/pedigree-dev/pedigree/internal/atomicfile"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/lockfile"
	"github.com/pedigree-dev/pedigree/provenance"
	"github.com/pedigree-dev/pedigree/sbom"
	"github.com/pedigree-dev/pedigree/slsa"
)

// Additional blocker codes for the source overrides.
const (
	// CodeSourceInvalid: a repository or commit given to override the
	// detected source is malformed (a commit that is not a hex git id).
	CodeSourceInvalid = "source.invalid"
)

// DefaultHMACKeyID is the key_id written when none is given (dpone's
// default for --signing-key-id).
const DefaultHMACKeyID = "local-hmac"

// CreateOptions are the inputs of Create.
type CreateOptions struct {
	// Release names the release (a tag such as v0.7.1).
	Release string
	// Subjects are the release artifacts' paths, in order; the same path
	// twice is recorded once.
	Subjects []string
	// ProjectPath is the project directory or its pyproject.toml ("" is
	// the current directory).
	ProjectPath string
	// LockPath is the lock file; "" finds one in the project directory
	// (sbom.FindLock).
	LockPath string
	// Build is the detected build context (buildenv.Detect). Create
	// applies the overrides below to a copy.
	Build *buildenv.Context
	// Repository, Commit and BuilderID override what Build detected
	// (each only when non-empty).
	Repository, Commit, BuilderID string

	// Signer signs provenance.intoto.jsonl with DSSE; PublicKeyHint names
	// its public key file in the verify command.
	Signer        crypto.Signer
	PublicKeyHint string
	// HMACKey, when non-empty, makes signature.hmac-sha256.json with
	// HMACKeyID (DefaultHMACKeyID when empty) as key_id. HMACKeyEnv names
	// the variable the key came from, for the verify command; when it is
	// set and HMACKey is empty, that is the signature.missing_key blocker.
	HMACKey    []byte
	HMACKeyID  string
	HMACKeyEnv string
	// AllowUnsigned writes unsigned evidence when there is no signing
	// material instead of the signature.missing_key blocker.
	AllowUnsigned bool

	// OutputDir is the bundle folder to create; Force replaces an
	// existing one.
	OutputDir string
	Force     bool
	// Time is the creation time recorded (SOURCE_DATE_EPOCH for
	// reproducible output); zero means now.
	Time time.Time
	// ToolVersion is pedigree's version, recorded in the SBOMs.
	ToolVersion string
}

// Result is what Create made.
type Result struct {
	// Dir is the bundle folder (OutputDir), written only when Blockers is
	// empty.
	Dir      string
	Index    *Index
	Blockers []Blocker
	// Summary is SUMMARY.md's content.
	Summary []byte
	// Warnings are things the user should know that did not block: the
	// build context's warnings left after the overrides (a dirty git tree),
	// then lock lines pip would refuse.
	Warnings []string
}

// Create gathers the evidence for a release and writes the bundle folder
// atomically. When it finds blockers it writes nothing and returns a
// Result listing them with an error wrapping ErrBlocked. It returns an
// error wrapping ErrInvalidOptions without OutputDir or Build,
// atomicfile.ErrExists when OutputDir exists and Force is false, and I/O or
// signing errors as they come.
func Create(ctx context.Context, opts CreateOptions) (*Result, error) {
	if opts.OutputDir == "" || opts.Build == nil {
		return nil, fmt.Errorf("OutputDir and Build are required: %w", ErrInvalidOptions)
	}
	if !opts.Force {
		if _, err := os.Lstat(opts.OutputDir); err == nil {
			return nil, fmt.Errorf("%s: %w", opts.OutputDir, atomicfile.ErrExists)
		}
	}
	when := opts.Time
	if when.IsZero() {
		when = time.Now()
	}
	when = when.UTC().Truncate(time.Second)
	res := &Result{Dir: opts.OutputDir}
	block := func(code, format string, args ...any) {
		res.Blockers = append(res.Blockers, Blocker{Code: code, Message: fmt.Sprintf(format, args...)})
	}

	if strings.TrimSpace(opts.Release) == "" {
		block(CodeReleaseEmpty, "the release name is empty: give --release, e.g. v0.7.1")
	}
	subjects, err := hashSubjects(ctx, opts.Subjects, block)
	if err != nil {
		return nil, err
	}
	project, lock, lockName := readProject(opts, block, res)
	build, err := applyOverrides(opts, block)
	if err != nil {
		return nil, err
	}
	// What the build context still warns about once the overrides are in
	// (a dirty tree, a source that could not be read) comes first.
	res.Warnings = append(slices.Clone(build.Warnings), res.Warnings...)
	if opts.HMACKeyEnv != "" && len(opts.HMACKey) == 0 {
		block(CodeMissingKey, "the HMAC key variable %s is unset or empty", opts.HMACKeyEnv)
	} else if opts.Signer == nil && len(opts.HMACKey) == 0 && !opts.AllowUnsigned {
		block(CodeMissingKey, "no signing material: give --key, or an HMAC key with --hmac-key-env, or --allow-unsigned")
	}
	if len(res.Blockers) > 0 {
		return res, fmt.Errorf("%s: %w", plural(len(res.Blockers), "blocker"), ErrBlocked)
	}

	// The SBOMs.
	inv, err := sbom.New(sbom.Options{Project: project, Lock: lock, Time: when, ToolVersion: opts.ToolVersion})
	if err != nil {
		block(CodeLockInvalid, "%v", err)
		return res, fmt.Errorf("%s: %w", plural(len(res.Blockers), "blocker"), ErrBlocked)
	}
	spdxDoc, err := inv.Encode(sbom.FormatSPDXJSON)
	if err != nil {
		return nil, err
	}
	cdxDoc, err := inv.Encode(sbom.FormatCycloneDXJSON)
	if err != nil {
		return nil, err
	}
	sum := inv.Summary()

	// What the evidence says.
	pred := Predicate{
		Release:   opts.Release,
		CreatedAt: when.Format(time.RFC3339),
		Project:   Project{Name: project.Name, Version: project.Version},
		Source:    Source{Repository: build.Source.Repository, Commit: build.Source.Commit, Ref: build.Source.Ref},
		Builder:   Builder{ID: build.BuilderID, BuildType: build.BuildType},
		Subjects:  subjects,
		Dependencies: Dependencies{
			Lock: lockName, LockFormat: sum.LockFormat, Packages: sum.Packages,
			Runtime: sum.Runtime, Dev: sum.Dev, Optional: sum.Optional, WithHashes: sum.WithHashes,
		},
	}
	if opts.Signer != nil {
		pub := opts.Signer.Public()
		id, err := keys.ID(pub)
		if err != nil {
			return nil, err
		}
		alg, err := keys.AlgorithmOf(pub)
		if err != nil {
			return nil, err
		}
		pred.Signature.DSSE = &DSSESignature{KeyID: id, Algorithm: alg}
	}
	if len(opts.HMACKey) > 0 {
		keyID := opts.HMACKeyID
		if keyID == "" {
			keyID = DefaultHMACKeyID
		}
		pred.Signature.HMAC = &HMACSignature{KeyID: keyID, SignedPath: FileProvenance, KeyEnv: opts.HMACKeyEnv}
	}
	hint := ""
	if opts.Signer != nil {
		hint = opts.PublicKeyHint
		if hint == "" {
			hint = "PUBLIC_KEY.pem"
		}
	}
	pred.Verify = verifyCommand(opts.OutputDir, hint, opts.HMACKeyEnv, subjects, opts.Signer == nil && len(opts.HMACKey) == 0)
	summary := renderSummary(&pred)
	res.Summary = summary

	// The two statements, signed.
	provenance, err := provenanceStatement(build, lock, subjects, when)
	if err != nil {
		return nil, err
	}
	evStatement, err := slsa.NewStatement([]slsa.ResourceDescriptor{
		fileDescriptor(FileSPDX, spdxDoc),
		fileDescriptor(FileCycloneDX, cdxDoc),
		fileDescriptor(FileSummary, summary),
	}, PredicateType, &pred)
	if err != nil {
		return nil, fmt.Errorf("release-evidence statement: %w", err)
	}
	var jsonl []byte
	for _, st := range []*slsa.Statement{provenance, evStatement} {
		line, err := statementLine(st, opts.Signer)
		if err != nil {
			return nil, err
		}
		jsonl = append(append(jsonl, line...), '\n')
	}

	files := map[string][]byte{
		FileSPDX:       spdxDoc,
		FileCycloneDX:  cdxDoc,
		FileProvenance: jsonl,
		FileSummary:    summary,
	}
	if h := pred.Signature.HMAC; h != nil {
		env, err := hmacenv.SignBytes(opts.HMACKey, h.KeyID, h.SignedPath, jsonl)
		if err != nil {
			return nil, err
		}
		files[FileHMAC] = env.Marshal()
	}
	ix := &Index{SchemaVersion: SchemaVersion, Predicate: pred, Blockers: []Blocker{}}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		s := sha256.Sum256(files[name])
		ix.Files = append(ix.Files, File{Path: name, SHA256: hex.EncodeToString(s[:]), Size: int64(len(files[name]))})
	}
	indexBytes, err := ix.Marshal()
	if err != nil {
		return nil, err
	}
	files[FileIndex] = indexBytes

	if err := writeBundle(opts.OutputDir, opts.Force, files); err != nil {
		return nil, err
	}
	res.Index = ix
	return res, nil
}

// hashSubjects hashes each subject, reporting missing ones and name
// conflicts as blockers; other I/O errors are returned.
func hashSubjects(ctx context.Context, paths []string, block func(code, format string, args ...any)) ([]Subject, error) {
	if len(paths) == 0 {
		block(CodeSubjectsEmpty, "no subjects: give the release's artifacts with --subject, e.g. --subject 'dist/*'")
		return nil, nil
	}
	var subjects []Subject
	seenPath := map[string]bool{}
	byName := map[string]Subject{}
	for _, p := range paths {
		shown := filepath.ToSlash(filepath.Clean(p))
		if seenPath[shown] {
			continue
		}
		seenPath[shown] = true
		fi, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			block(CodeSubjectMissingPrefix+shown, "%s does not exist", shown)
			continue
		case err != nil:
			return nil, fmt.Errorf("subject %s: %w", shown, err)
		case !fi.Mode().IsRegular():
			block(CodeSubjectMissingPrefix+shown, "%s is not a regular file", shown)
			continue
		}
		set, size, err := digest.File(ctx, p, digest.SHA256)
		if err != nil {
			return nil, fmt.Errorf("subject %s: %w", shown, err)
		}
		s := Subject{Name: filepath.Base(p), Path: shown, SHA256: set[digest.SHA256], Size: size}
		if prev, ok := byName[s.Name]; ok {
			if prev.SHA256 != s.SHA256 {
				block(CodeSubjectNameConflictPrefix+s.Name, "%s and %s have the same file name but different content", prev.Path, s.Path)
			}
			continue
		}
		byName[s.Name] = s
		subjects = append(subjects, s)
	}
	return subjects, nil
}

// readProject reads the project and its lock, reporting problems as
// blockers.
func readProject(opts CreateOptions, block func(code, format string, args ...any), res *Result) (*sbom.Project, *lockfile.Lock, string) {
	path := opts.ProjectPath
	if path == "" {
		path = "."
	}
	project, err := sbom.ReadProject(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			block(CodeProjectMissing, "no pyproject.toml at %s: give --project-root", path)
		} else {
			block(CodeProjectInvalid, "%v", err)
		}
		return &sbom.Project{Name: "unknown"}, nil, ""
	}
	lockPath := opts.LockPath
	if lockPath == "" {
		lockPath = sbom.FindLock(filepath.Dir(project.Path))
	}
	if lockPath == "" {
		if len(project.Requirements()) > 0 {
			block(CodeLockMissing, "%s declares dependencies but there is no lock file (looked for %s); give --lock", project.Path, strings.Join(sbom.LockNames, ", "))
		}
		return project, nil, ""
	}
	lock, err := lockfile.ParseFile(lockPath, lockfile.Options{})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			block(CodeLockMissing, "lock file %s does not exist", lockPath)
		} else {
			block(CodeLockInvalid, "%v", err)
		}
		return project, nil, ""
	}
	if err := lock.Err(); err != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %d line(s) pip would refuse, listed anyway; first: %v", lockPath, len(lock.Problems), lock.Problems[0]))
	}
	return project, lock, filepath.Base(lockPath)
}

// applyOverrides returns a copy of the build context with the source and
// builder overrides applied, reporting bad or missing values as blockers.
func applyOverrides(opts CreateOptions, block func(code, format string, args ...any)) (*buildenv.Context, error) {
	c := opts.Build.Clone()
	sourceOK := true
	if err := c.OverrideSource(opts.Repository, opts.Commit); err != nil {
		if !errors.Is(err, buildenv.ErrInvalidValue) {
			return nil, err
		}
		block(CodeSourceInvalid, "%v", err)
		sourceOK = false
	}
	if opts.BuilderID != "" {
		c.BuilderID = opts.BuilderID
	}
	if sourceOK && (c.Source.Repository == "" || c.Source.Commit == "") {
		why := ""
		if len(c.Warnings) > 0 {
			why = " (" + strings.Join(c.Warnings, "; ") + ")"
		}
		block(CodeSourceUnknown, "the source repository and commit are not known here%s: give --repository and --commit-sha", why)
	}
	if _, err := slsa.ParseTypeURI(c.BuilderID); err != nil || c.BuilderID == "" {
		block(CodeBuilderInvalid, "builder id %q is not a URI: give --builder-id as a URI naming the build platform", c.BuilderID)
	}
	return c, nil
}

// provenanceStatement is the SLSA v1 provenance of the subjects, made by
// package provenance (as `pedigree attest` makes it) with the lock's
// packages as resolved dependencies and a derived invocation id, so that the
// same inputs give the same statement.
func provenanceStatement(build *buildenv.Context, lock *lockfile.Lock, subjects []Subject, when time.Time) (*slsa.Statement, error) {
	opts := provenance.Options{
		Build:              build,
		FinishedOn:         when,
		DeriveInvocationID: true,
	}
	if lock != nil {
		opts.ResolvedDependencies = lockfile.ResolvedDependencies(lock)
	}
	for _, s := range subjects {
		opts.Subjects = append(opts.Subjects, slsa.ResourceDescriptor{Name: s.Name, Digest: digest.Set{digest.SHA256: s.SHA256}})
	}
	st, _, err := provenance.Generate(opts)
	if err != nil {
		return nil, fmt.Errorf("provenance: %w", err)
	}
	return st, nil
}

func fileDescriptor(name string, data []byte) slsa.ResourceDescriptor {
	s := sha256.Sum256(data)
	return slsa.ResourceDescriptor{Name: name, Digest: digest.Set{digest.SHA256: hex.EncodeToString(s[:])}}
}

// statementLine is one line of provenance.intoto.jsonl: the statement's
// canonical JSON in a DSSE envelope signed by signer, or bare when signer
// is nil.
func statementLine(st *slsa.Statement, signer crypto.Signer) ([]byte, error) {
	payload, err := slsa.Canonical(st)
	if err != nil {
		return nil, err
	}
	if signer == nil {
		return payload, nil
	}
	env, err := dsse.Sign(signer, slsa.PayloadType, payload, dsse.SignOptions{})
	if err != nil {
		return nil, err
	}
	return json.Marshal(env)
}

// writeBundle writes files into a temporary sibling of dir and renames it
// into place.
func writeBundle(dir string, force bool, files map[string][]byte) error {
	if parent := filepath.Dir(filepath.Clean(dir)); parent != "." {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return err
		}
	}
	d, err := atomicfile.CreateDir(dir, atomicfile.Options{Force: force})
	if err != nil {
		return err
	}
	defer d.Abort()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		p, err := atomicfile.SafeJoin(d.Path(), name)
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(p, files[name], atomicfile.Options{}); err != nil {
			return err
		}
	}
	return d.Commit()
}
