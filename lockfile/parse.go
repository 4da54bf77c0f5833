package lockfile

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pedigree-dev/pedigree/pypi"
)

// Options configure ParseFile.
type Options struct {
	// Format forces a format; empty means detect it from the file name and
	// content (see Detect).
	Format Format
	// MaxSize is the size limit of the lock file and of each file it
	// includes; 0 means DefaultMaxSize.
	MaxSize int64
}

func (o Options) maxSize() int64 {
	if o.MaxSize > 0 {
		return o.MaxSize
	}
	return DefaultMaxSize
}

// ParseFile reads and parses the lock file at path. Requirements includes
// (-r, -c) are read relative to the including file, each within the size
// limit. It returns the errors Parse does, ErrTooLarge, and I/O errors
// (wrapping fs.ErrNotExist and the like).
func ParseFile(path string, opts Options) (*Lock, error) {
	max := opts.maxSize()
	data, err := readLimited(path, max)
	if err != nil {
		return nil, err
	}
	format := opts.Format
	if format == "" {
		if format, err = Detect(path, data); err != nil {
			return nil, err
		}
	}
	var l *Lock
	if format == FormatRequirements {
		l, err = parseRequirements(path, data, func(p string) ([]byte, error) { return readLimited(p, max) })
	} else {
		l, err = parseFormat(format, path, data)
	}
	if err != nil {
		return nil, err
	}
	return l, checkPackages(l)
}

// Parse parses lock-file bytes already in memory, detecting the format
// from path's base name and the content (see Detect). Requirements
// includes are not followed: each is listed in Lock.Includes and reported
// as a Problem wrapping ErrInclude (use ParseFile to follow them). It
// returns errors wrapping ErrFormat, ErrSyntax, ErrUnsupportedVersion,
// ErrHash or ErrTooLarge (data larger than DefaultMaxSize).
func Parse(path string, data []byte) (*Lock, error) {
	format, err := Detect(path, data)
	if err != nil {
		return nil, err
	}
	return ParseFormat(format, path, data)
}

// ParseFormat parses data as the given format, with Parse's rules and
// errors.
func ParseFormat(format Format, path string, data []byte) (*Lock, error) {
	if int64(len(data)) > DefaultMaxSize {
		return nil, fmt.Errorf("%s: %d bytes, limit %d: %w", path, len(data), DefaultMaxSize, ErrTooLarge)
	}
	l, err := parseFormat(format, path, data)
	if err != nil {
		return nil, err
	}
	return l, checkPackages(l)
}

// checkPackages refuses what no tool writes, whichever format the lock
// is: versions longer than pypi.MaxNameLength or with spaces or control
// characters, and file names that are not plain file names (with '/',
// '\' or a control character, or "." or "..").
func checkPackages(l *Lock) error {
	for i := range l.Packages {
		p := &l.Packages[i]
		bad := len(p.Version) > pypi.MaxNameLength
		for j := 0; j < len(p.Version) && !bad; j++ {
			bad = p.Version[j] <= ' ' || p.Version[j] == 0x7f
		}
		if bad {
			return fmt.Errorf("%s: %s.version: %q: want a version without spaces, at most %d bytes: %w", l.Path, p.Location, truncate(p.Version), pypi.MaxNameLength, ErrSyntax)
		}
		for _, f := range p.Files {
			if f.Name == "." || f.Name == ".." || strings.ContainsFunc(f.Name, func(r rune) bool { return r < ' ' || r == 0x7f || r == '/' || r == '\\' }) {
				return fmt.Errorf("%s: %s: file name %q: want a file name without '/', '\\' or control characters: %w", l.Path, p.Location, truncate(f.Name), ErrSyntax)
			}
		}
	}
	return nil
}

func parseFormat(format Format, path string, data []byte) (*Lock, error) {
	switch format {
	case FormatRequirements:
		return parseRequirements(path, data, nil)
	case FormatUVLock:
		return parseUV(path, data)
	case FormatPoetryLock:
		return parsePoetry(path, data)
	case FormatPipfileLock:
		return parsePipfile(path, data)
	case FormatPylock:
		return parsePylock(path, data)
	case FormatPDMLock:
		return parsePDM(path, data)
	}
	return nil, fmt.Errorf("%s: format %q: want one of %s: %w", path, format, formatList(), ErrFormat)
}

func formatList() string {
	s := make([]string, len(Formats))
	for i, f := range Formats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// readLimited reads a file of at most max bytes.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes: %w", path, max, ErrTooLarge)
	}
	return data, nil
}

// Detect tells a lock file's format from its base name ("uv.lock",
// "poetry.lock", "Pipfile.lock", "pdm.lock", "pylock.toml" and
// "pylock.<name>.toml", "*.txt"/"*.in" for requirements; a name that
// merely ends in one of these, like "app-poetry.lock", counts too) and,
// when the name says nothing, from the content. It returns an error
// wrapping ErrFormat for content that is JSON or TOML of no known lock
// format (a Pipfile, a pyproject.toml); anything else is taken as a
// requirements file.
func Detect(path string, data []byte) (Format, error) {
	base := filepath.Base(path)
	lower := strings.ToLower(base)
	switch {
	case strings.HasSuffix(lower, "uv.lock"):
		return FormatUVLock, nil
	case strings.HasSuffix(lower, "poetry.lock"):
		return FormatPoetryLock, nil
	case strings.HasSuffix(lower, "pipfile.lock"):
		return FormatPipfileLock, nil
	case strings.HasSuffix(lower, "pdm.lock"):
		return FormatPDMLock, nil
	case strings.HasSuffix(lower, ".toml") && strings.Contains(lower, "pylock"):
		return FormatPylock, nil
	case strings.HasSuffix(lower, ".txt") || strings.HasSuffix(lower, ".in"):
		return FormatRequirements, nil
	}
	return detectContent(path, data)
}

// probe is just enough of the TOML lock formats to tell them apart.
type probe struct {
	Version     any            `toml:"version"`
	LockVersion any            `toml:"lock-version"`
	Metadata    map[string]any `toml:"metadata"`
	Package     []any          `toml:"package"`
	Packages    []any          `toml:"packages"`
}

func detectContent(path string, data []byte) (Format, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if bytes.HasPrefix(trimmed, []byte("{")) {
		if bytes.Contains(trimmed, []byte(`"_meta"`)) {
			return FormatPipfileLock, nil
		}
		return "", fmt.Errorf("%s: JSON, but not a Pipfile.lock (no _meta): %w", path, ErrFormat)
	}
	var doc map[string]any
	if decodeTOML(path, data, &doc) != nil || len(doc) == 0 {
		// Not TOML (or nothing but comments): pip's format.
		return FormatRequirements, nil
	}
	var p probe
	if err := decodeTOML(path, data, &p); err != nil {
		return "", fmt.Errorf("%s: TOML, but not a lock format pedigree knows: %w", path, ErrFormat)
	}
	switch {
	case p.LockVersion != nil && p.Packages != nil:
		return FormatPylock, nil
	case p.Metadata != nil && p.Metadata["lock_version"] != nil:
		return FormatPDMLock, nil
	case p.Metadata != nil && p.Metadata["lock-version"] != nil:
		return FormatPoetryLock, nil
	case p.Version != nil && p.Package != nil:
		return FormatUVLock, nil
	case p.LockVersion != nil:
		return FormatPylock, nil
	}
	if _, ok := doc["project"]; ok || doc["build-system"] != nil {
		return "", fmt.Errorf("%s: a pyproject.toml is a project file, not a lock: %w", path, ErrFormat)
	}
	return "", fmt.Errorf("%s: TOML, but not a lock format pedigree knows: %w", path, ErrFormat)
}
