package lockfile

// What the TOML lock formats (pdm.lock, poetry.lock, pylock.toml, uv.lock)
// share.

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// decodeTOML unmarshals data into v, turning go-toml's errors into
// ErrSyntax with the line and column.
func decodeTOML(path string, data []byte, v any) error {
	err := toml.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return fmt.Errorf("%s:%d:%d: %s: %w", path, row, col, de.Error(), ErrSyntax)
	}
	var se *toml.StrictMissingError
	if errors.As(err, &se) {
		return fmt.Errorf("%s: %s: %w", path, se.Error(), ErrSyntax)
	}
	return fmt.Errorf("%s: %v: %w", path, err, ErrSyntax)
}

// checkLockVersion checks the format version a TOML lock declares in
// field: it must be there (ErrFormat) with one of the major versions this
// package reads (ErrUnsupportedVersion).
func checkLockVersion(path, field, version string, majors ...string) error {
	if version == "" {
		return fmt.Errorf("%s: %s: missing: %w", path, field, ErrFormat)
	}
	if major, _, _ := strings.Cut(version, "."); !slices.Contains(majors, major) {
		return fmt.Errorf("%s: %s: %q, want %s.x: %w", path, field, version, strings.Join(majors, ".x or "), ErrUnsupportedVersion)
	}
	return nil
}

// lockedPackage starts the package a TOML lock lists at field, refusing a
// name that is not a valid project name (ErrSyntax).
func lockedPackage(path, field, name, version string) (Package, error) {
	if !pypi.ValidName(name) {
		return Package{}, fmt.Errorf("%s: %s.name: %q: %w", path, field, truncate(name), ErrSyntax)
	}
	p := newPackage(name, version)
	p.Location = field
	return p, nil
}

// tomlFile is a package file as pdm.lock and poetry.lock list it.
type tomlFile struct {
	File string `toml:"file"`
	URL  string `toml:"url"`
	Hash string `toml:"hash"`
}

// file converts the entry; the name defaults to the URL's last segment.
// Its hash is parsed when present, or always with requireHash (pdm.lock);
// errors are parseHash's.
func (f tomlFile) file(requireHash bool) (File, error) {
	out := File{Name: fileName(f.File, f.URL, ""), URL: f.URL}
	if f.Hash != "" || requireHash {
		alg, h, err := parseHash(f.Hash)
		if err != nil {
			return File{}, err
		}
		out.Hashes = digest.Set{alg: h}
	}
	return out, nil
}
