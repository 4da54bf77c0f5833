package sbom

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// maxLicenseText bounds a free-text license kept from a legacy License
// field (some packages put the whole license text there).
const maxLicenseText = 200

// Artifact is a distribution file given in Options.Dists, as read.
type Artifact struct {
	// Path is the file as given; Name its base name.
	Path, Name string
	// Project and Version are what the file's metadata says it is.
	Project, Version string
	// Digest holds the file's SHA-256.
	Digest digest.Set
	// Root is true for the project's own distributions, false for a locked
	// package's.
	Root bool
}

// dist is a distribution file read for the SBOM.
type dist struct {
	Artifact
	meta  *pypi.Metadata
	sboms []embeddedSBOM
}

// readDist reads a wheel (verifying it against its RECORD) or an sdist, and
// hashes it. Errors wrap ErrInvalidDist.
func readDist(path string) (*dist, error) {
	name := filepath.Base(path)
	d := &dist{Artifact: Artifact{Path: path, Name: name}}
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".whl"):
		w, err := pypi.OpenWheel(path, pypi.ArchiveOptions{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", path, ErrInvalidDist, err)
		}
		if err := w.Record.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w: %w", path, ErrInvalidDist, err)
		}
		d.meta = w.Metadata
		for _, s := range w.SBOMs {
			d.sboms = append(d.sboms, embeddedSBOM{wheel: name, path: s.Path, sha256: s.SHA256})
		}
	case strings.HasSuffix(lower, ".tar.gz"), strings.HasSuffix(lower, ".tgz"),
		strings.HasSuffix(lower, ".tar.bz2"), strings.HasSuffix(lower, ".zip"):
		s, err := pypi.OpenSdist(path, pypi.ArchiveOptions{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", path, ErrInvalidDist, err)
		}
		d.meta = s.Metadata
	default:
		return nil, fmt.Errorf("%s: want a wheel (.whl) or an sdist (.tar.gz, .zip): %w", path, ErrInvalidDist)
	}
	d.Project, d.Version = d.meta.Name, d.meta.Version
	sum, _, err := digest.File(context.Background(), path, digest.SHA256)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", path, ErrInvalidDist, err)
	}
	d.Digest = sum
	return d, nil
}

// licenseClassifiers maps the Trove license classifiers that name exactly
// one SPDX license to its id. Classifiers that leave the version or the
// "or later" choice open (Apache Software License, BSD License, GPLv3...)
// are not mapped.
var licenseClassifiers = map[string]string{
	"License :: OSI Approved :: MIT License":                                  "MIT",
	"License :: OSI Approved :: MIT No Attribution License (MIT-0)":           "MIT-0",
	"License :: OSI Approved :: ISC License (ISCL)":                           "ISC",
	"License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)":         "MPL-2.0",
	"License :: OSI Approved :: The Unlicense (Unlicense)":                    "Unlicense",
	"License :: OSI Approved :: Boost Software License 1.0 (BSL-1.0)":         "BSL-1.0",
	"License :: OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)": "EUPL-1.2",
	"License :: OSI Approved :: Universal Permissive License (UPL)":           "UPL-1.0",
	"License :: OSI Approved :: Python Software Foundation License":           "PSF-2.0",
	"License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication":         "CC0-1.0",
}

// license is what the distribution's metadata declares, most precise
// first: its PEP 639 License-Expression; a single license classifier that
// names one SPDX license; the first line of the legacy License field; the
// license classifiers, as free text.
func (d *dist) license() licenseInfo {
	if e := strings.TrimSpace(d.meta.LicenseExpression); e != "" {
		return newLicense(e)
	}
	var classifiers []string
	for _, c := range d.meta.Classifiers {
		if strings.HasPrefix(c, "License ::") {
			classifiers = append(classifiers, strings.TrimSpace(c))
		}
	}
	if len(classifiers) == 1 {
		if id, ok := licenseClassifiers[classifiers[0]]; ok {
			return licenseInfo{expression: id}
		}
	}
	text, _, _ := strings.Cut(strings.TrimSpace(d.meta.License), "\n")
	text = strings.TrimSpace(text)
	if text == "" && len(classifiers) > 0 {
		for i, c := range classifiers {
			classifiers[i] = strings.TrimPrefix(strings.TrimPrefix(c, "License :: "), "OSI Approved :: ")
		}
		text = strings.Join(classifiers, ", ")
	}
	if len(text) > maxLicenseText {
		n := maxLicenseText
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n] + "..."
	}
	return licenseInfo{text: text}
}

// addDists reads each distribution file and attaches it: the project's own
// to the root (its hashes, and its license and version where pyproject.toml
// has none), a locked package's to that package (checked against the
// lock's hashes; its license). It returns the artifacts in the order given.
// Errors wrap ErrInvalidDist, or ErrDistMismatch for a file that is neither
// the project's nor a locked package's, a project version that disagrees,
// or a digest the lock does not list.
func (inv *inventory) addDists(paths []string) ([]Artifact, error) {
	var out []Artifact
	seen := map[string]bool{}
	for _, path := range paths {
		d, err := readDist(path)
		if err != nil {
			return nil, err
		}
		if seen[d.Name] {
			continue
		}
		seen[d.Name] = true
		norm := pypi.NormalizeName(d.Project)
		if norm == inv.root.normName {
			if err := inv.attachRoot(d); err != nil {
				return nil, err
			}
			d.Root = true
		} else if err := inv.attachLocked(d, norm); err != nil {
			return nil, err
		}
		out = append(out, d.Artifact)
	}
	return out, nil
}

func (inv *inventory) attachRoot(d *dist) error {
	r := &inv.root
	switch {
	case r.version == "":
		r.version = d.Version
	case !pypi.SameVersion(r.version, d.Version):
		return fmt.Errorf("%s is version %s of %s, the project is at %s: %w", d.Name, d.Version, d.Project, r.version, ErrDistMismatch)
	}
	r.files = append(r.files, distFile{name: d.Name, hashes: d.Digest})
	if r.license == (licenseInfo{}) {
		r.license = d.license()
	}
	if r.description == "" {
		r.description = d.meta.Summary
	}
	r.sboms = append(r.sboms, d.sboms...)
	return nil
}

func (inv *inventory) attachLocked(d *dist, norm string) error {
	var matches []*component
	for _, c := range inv.components {
		if c.normName == norm && pypi.SameVersion(c.version, d.Version) {
			matches = append(matches, c)
		}
	}
	if len(matches) == 0 {
		return fmt.Errorf("%s (%s %s) is neither a distribution of %s nor a locked package: %w", d.Name, d.Project, d.Version, inv.root.name, ErrDistMismatch)
	}
	sum := d.Digest[digest.SHA256]
	for _, c := range matches {
		locked, known := c.sha256s()
		switch {
		case !known:
			// The lock pins no sha256 for this package: record the file's.
			c.files = append(c.files, distFile{name: d.Name, hashes: d.Digest})
		case !slices.Contains(locked, sum):
			return fmt.Errorf("%s: sha256 %s is not among the %d the lock pins for %s %s: %w", d.Name, sum, len(locked), c.name, c.version, ErrDistMismatch)
		}
		if lic := d.license(); lic != (licenseInfo{}) {
			c.license = lic
		}
		if c.description == "" {
			c.description = d.meta.Summary
		}
		c.sboms = append(c.sboms, d.sboms...)
	}
	return nil
}

// sha256s lists the SHA-256 digests the lock pins for the component, and
// whether it pins any.
func (c *component) sha256s() ([]string, bool) {
	var out []string
	for _, f := range c.files {
		if v, ok := f.hashes[digest.SHA256]; ok {
			out = append(out, v)
		}
	}
	return out, len(out) > 0
}
