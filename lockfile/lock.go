package lockfile

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// Sentinel errors, wrapped with the file, line or field path concerned.
var (
	// ErrFormat: the data is not a lock file of a known format, or is not
	// the format its name says.
	ErrFormat = errors.New("unknown lock file format")
	// ErrSyntax: the file does not parse (TOML/JSON syntax, a field of the
	// wrong type, a malformed requirement line).
	ErrSyntax = errors.New("lock file syntax error")
	// ErrUnsupportedVersion: the lock declares a format version this
	// package does not know (for pylock.toml: a major lock-version other
	// than 1).
	ErrUnsupportedVersion = errors.New("unsupported lock file version")
	// ErrHash: a hash is malformed or uses an unknown algorithm.
	ErrHash = errors.New("invalid hash")
	// ErrTooLarge: a file exceeds the size limit, or includes nest too deep.
	ErrTooLarge = errors.New("lock file too large")
	// ErrInclude: a requirements include (-r/-c) cannot be read or loops.
	ErrInclude = errors.New("requirements include failed")
	// ErrUnpinned: in hash-checking mode, a requirement is not pinned with
	// == or ===.
	ErrUnpinned = errors.New("requirement not pinned with ==")
	// ErrMissingHash: in hash-checking mode, a requirement has no --hash.
	ErrMissingHash = errors.New("requirement has no hash")
	// ErrNotHashable: in hash-checking mode, a requirement cannot be
	// checked by hash (editable, VCS or local directory).
	ErrNotHashable = errors.New("requirement cannot be checked by hash")
)

// DefaultMaxSize is the size limit of one lock file when Options.MaxSize
// is zero.
const DefaultMaxSize = 64 << 20

// Format names a lock file format.
type Format string

// Lock file formats.
const (
	FormatRequirements Format = "requirements"
	FormatPipfileLock  Format = "pipfile.lock"
	FormatPoetryLock   Format = "poetry.lock"
	FormatUVLock       Format = "uv.lock"
	FormatPylock       Format = "pylock.toml"
	FormatPDMLock      Format = "pdm.lock"
)

// Formats lists every format Parse understands.
var Formats = []Format{FormatRequirements, FormatPipfileLock, FormatPoetryLock, FormatUVLock, FormatPylock, FormatPDMLock}

// Scope says when a package is needed.
type Scope string

// Scopes. A package the lock reaches through its main dependencies is
// runtime even when a dev group or an extra also reaches it.
const (
	// ScopeRuntime: needed to run the project (its main dependencies,
	// poetry "main", Pipfile "default", pdm "default", and anything a
	// format without groups lists).
	ScopeRuntime Scope = "runtime"
	// ScopeOptional: needed only for an extra (optional dependencies).
	ScopeOptional Scope = "optional"
	// ScopeDev: needed only for development (dev groups, Pipfile
	// "develop").
	ScopeDev Scope = "dev"
)

// scopeRank orders scopes from most to least needed, for a package that
// several groups reach.
func scopeRank(s Scope) int {
	switch s {
	case ScopeRuntime:
		return 0
	case ScopeOptional:
		return 1
	}
	return 2
}

// SourceKind says where a package comes from.
type SourceKind string

// Source kinds.
const (
	// SourceIndex: a package index (Source.URL is the index URL when
	// known, empty for the default index).
	SourceIndex SourceKind = "index"
	// SourceVCS: a version-control repository (Source.URL, Source.Commit).
	SourceVCS SourceKind = "vcs"
	// SourceURL: a direct URL to an archive (Source.URL).
	SourceURL SourceKind = "url"
	// SourcePath: a local file or directory (Source.Path).
	SourcePath SourceKind = "path"
	// SourceEditable: a local project installed in editable mode.
	SourceEditable SourceKind = "editable"
	// SourceVirtual: a project that is not built or installed, only its
	// dependencies are (uv's virtual workspace roots).
	SourceVirtual SourceKind = "virtual"
)

// Source is where a locked package comes from.
type Source struct {
	Kind SourceKind `json:"kind"`
	// URL is the index URL (SourceIndex), repository URL without the
	// "git+" prefix and revision (SourceVCS) or archive URL (SourceURL).
	URL string `json:"url,omitempty"`
	// VCS is the version-control system of a SourceVCS ("git", "hg", "svn",
	// "bzr").
	VCS string `json:"vcs,omitempty"`
	// Ref is the requested branch, tag or revision of a SourceVCS, as
	// written; Commit the full commit id the lock resolved it to, when it
	// records one.
	Ref    string `json:"ref,omitempty"`
	Commit string `json:"commit,omitempty"`
	// Path is a local path as written in the lock (relative to the lock
	// file's directory unless absolute).
	Path string `json:"path,omitempty"`
}

// File is one distribution file the lock pins for a package.
type File struct {
	// Name is the file name ("wheel-0.43.0-py3-none-any.whl"); empty when
	// the lock only lists hashes (requirements files). It never holds a
	// '/', '\' or control character: Parse refuses a lock that names one.
	Name string `json:"name,omitempty"`
	// URL is the download URL when the lock records one.
	URL string `json:"url,omitempty"`
	// Path is a local path when the lock records one instead of a URL.
	Path string `json:"path,omitempty"`
	// Size is the size in bytes, 0 when unknown.
	Size int64 `json:"size,omitempty"`
	// Hashes maps algorithm to lowercase hex digest, whatever encoding the
	// lock used.
	Hashes digest.Set `json:"hashes,omitempty"`
}

// Dependency is an edge of the lock's dependency graph.
type Dependency struct {
	// Name as written; NormalizedName in PEP 503 form.
	Name           string `json:"name"`
	NormalizedName string `json:"normalizedName"`
	// Version is set when the lock names the exact version depended on
	// (uv.lock does when several versions of a package are locked, the
	// forks of one resolution).
	Version string `json:"version,omitempty"`
	// Specifier is the version constraint when the lock records one
	// instead (poetry.lock, pdm.lock).
	Specifier string   `json:"specifier,omitempty"`
	Extras    []string `json:"extras,omitempty"`
	Markers   string   `json:"markers,omitempty"`
	// Group is the extra (optional-dependency) or dependency group the
	// edge belongs to; empty for a main dependency.
	Group string `json:"group,omitempty"`
}

// Package is one locked package.
type Package struct {
	// Name as written in the lock; NormalizedName in PEP 503 form.
	Name           string `json:"name"`
	NormalizedName string `json:"normalizedName"`
	// Version is the exact locked version; empty when the lock does not
	// pin one (a requirements line without "==", a local directory).
	Version string `json:"version,omitempty"`
	// Specifier is a requirements line's version specifier when it is not
	// an exact pin (">=1.0,<2").
	Specifier string `json:"specifier,omitempty"`
	// Extras are the extras a requirement asks for.
	Extras []string `json:"extras,omitempty"`
	// Markers is the environment marker under which the package is
	// installed; empty for always.
	Markers string `json:"markers,omitempty"`
	// Groups are the lock's group names that include the package, as the
	// lock spells them (poetry/pdm groups, Pipfile "default"/"develop",
	// uv dependency groups and extras of the project, pylock
	// dependency-groups and extras named in markers).
	Groups []string `json:"groups,omitempty"`
	// Scope is runtime, optional or dev (see the Scope constants).
	Scope  Scope  `json:"scope"`
	Source Source `json:"source"`
	// Files are the distribution files the lock allows, with hashes.
	Files []File `json:"files,omitempty"`
	// Dependencies are the package's own dependencies when the lock
	// records them.
	Dependencies []Dependency `json:"dependencies,omitempty"`
	// Location is where the package was declared: "file:line" for
	// requirements files, "package[i]" or the like for the others.
	Location string `json:"location,omitempty"`
}

// Project is the root project a lock was made for, when the lock says.
type Project struct {
	Name           string `json:"name"`
	NormalizedName string `json:"normalizedName"`
	Version        string `json:"version,omitempty"`
}

// Problem is one issue found in a lock that does not stop it from
// parsing (see Lock.Problems). It wraps a sentinel such as ErrUnpinned.
type Problem struct {
	// Location is "file:line" or a field path.
	Location string
	Err      error
}

// Error returns "location: problem".
func (p Problem) Error() string { return p.Location + ": " + p.Err.Error() }

// Unwrap returns the problem's error, for errors.Is.
func (p Problem) Unwrap() error { return p.Err }

// Lock is a parsed lock file.
type Lock struct {
	Format Format `json:"format"`
	// Path is the file's path as given to Parse or ParseFile.
	Path string `json:"path"`
	// Version is the lock format's own version when it declares one
	// (uv "1", poetry "2.1", pdm "4.5.1", pylock "1.0", Pipfile spec "6").
	Version string `json:"version,omitempty"`
	// Generator names the tool that wrote the lock when it says
	// ("Poetry 2.4.1", "pip-compile", "uv pip compile", "pdm").
	Generator string `json:"generator,omitempty"`
	// Project is the root project when the lock names it (uv: the
	// editable or virtual package at "."), otherwise nil.
	Project *Project `json:"project,omitempty"`
	// Packages lists every package the lock lists, in file order
	// (including the root project for uv.lock, whose Source is editable or
	// virtual). The same name appears more than once when the lock pins
	// several versions (uv forks) or a requirements file repeats it.
	Packages []Package `json:"packages"`
	// Indexes are the package index URLs the lock names (requirements
	// --index-url/--extra-index-url, Pipfile sources).
	Indexes []string `json:"indexes,omitempty"`
	// HashChecking is set for a requirements file in pip's hash-checking
	// mode (any --hash, or --require-hashes).
	HashChecking bool `json:"hashChecking,omitempty"`
	// Includes are the files a requirements file pulled in with -r or -c,
	// in the order read, as paths relative to the current directory (or
	// as written when Parse could not follow them).
	Includes []string `json:"includes,omitempty"`
	// Constraints are the entries of -c constraint files: they restrict
	// versions but are not packages to install.
	Constraints []Package `json:"constraints,omitempty"`
	// Problems are per-line issues pip would refuse the file for (see the
	// package doc); Err joins them.
	Problems []Problem `json:"-"`
}

// Err returns the lock's Problems joined (each wrapping its sentinel, so
// errors.Is(lock.Err(), ErrUnpinned) works), or nil when there are none.
func (l *Lock) Err() error {
	if len(l.Problems) == 0 {
		return nil
	}
	errs := make([]error, len(l.Problems))
	for i, p := range l.Problems {
		errs[i] = p
	}
	return errors.Join(errs...)
}

// Find returns the indexes in l.Packages of the packages with the given
// name (any spelling; compared PEP 503 normalized).
func (l *Lock) Find(name string) []int {
	n := pypi.NormalizeName(name)
	var idx []int
	for i := range l.Packages {
		if l.Packages[i].NormalizedName == n {
			idx = append(idx, i)
		}
	}
	return idx
}

// FileCount returns how many files the lock pins across all packages.
func (l *Lock) FileCount() int {
	n := 0
	for i := range l.Packages {
		n += len(l.Packages[i].Files)
	}
	return n
}

// PURL returns the package URL of p (pkg:pypi/name@version), with a
// repository_url qualifier when it comes from an index other than PyPI.
func (p *Package) PURL() string { return p.FilePURL(File{}) }

// FilePURL returns the package URL of one of p's files: PURL's, with the
// file's name as its file_name qualifier (none for a file without a name).
func (p *Package) FilePURL(f File) string {
	opts := pypi.PURLOptions{FileName: f.Name}
	if p.Source.Kind == SourceIndex {
		opts.RepositoryURL = p.Source.URL
	}
	return pypi.PURL(p.Name, p.Version, opts)
}

// newPackage fills in the derived fields of a package.
func newPackage(name, version string) Package {
	return Package{Name: name, NormalizedName: pypi.NormalizeName(name), Version: version, Scope: ScopeRuntime}
}

// addGroup adds g to p's groups unless present.
func (p *Package) addGroup(g string) {
	if g != "" && !slices.Contains(p.Groups, g) {
		p.Groups = append(p.Groups, g)
	}
}

// parseHash converts one "alg:value" or "alg=value" hash, with the value in
// hex (any case) or base64 (standard or URL-safe, padded or not), into an
// algorithm and lowercase hex. The algorithm must be one digest knows.
func parseHash(s string) (alg, hexValue string, err error) {
	i := strings.IndexAny(s, ":=")
	if i <= 0 {
		return "", "", fmt.Errorf("%q: want algorithm:value: %w", truncate(s), ErrHash)
	}
	return hashValue(s[:i], s[i+1:])
}

// hashValue normalizes the algorithm name and converts value to hex.
func hashValue(alg, value string) (string, string, error) {
	alg = strings.ToLower(strings.TrimSpace(alg))
	value = strings.TrimSpace(value)
	alg = strings.ReplaceAll(alg, "-", "")
	// HexLength is 0 for what digest does not know, and for its git ids
	// and dirHash, whose camelCase names a lowercased one never matches:
	// a lock's hash is a file's content hash.
	n := digest.HexLength(alg)
	if n == 0 {
		return "", "", fmt.Errorf("%q: unknown hash algorithm: %w", truncate(alg), ErrHash)
	}
	if len(value) == n {
		if h := strings.ToLower(value); digest.ValidateValue(alg, h) == nil {
			return alg, h, nil
		}
	}
	if h, ok := decodeBase64Hex(value, n/2); ok {
		return alg, h, nil
	}
	return "", "", fmt.Errorf("%s: %q: want %d hex characters or base64 of %d bytes: %w", alg, truncate(value), n, n/2, ErrHash)
}

func truncate(s string) string {
	if len(s) <= 100 {
		return s
	}
	return s[:100] + "..."
}
