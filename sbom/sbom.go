package sbom

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/pedigree-dev/pedigree/lockfile"
	"github.com/pedigree-dev/pedigree/pypi"
)

// Format is an SBOM document format.
type Format string

// The formats this package writes.
const (
	// FormatSPDXJSON is SPDX 2.3 in JSON.
	FormatSPDXJSON Format = "spdx-json"
	// FormatCycloneDXJSON is CycloneDX 1.6 in JSON.
	FormatCycloneDXJSON Format = "cyclonedx-json"
)

// Formats lists the formats Generate accepts.
var Formats = []Format{FormatSPDXJSON, FormatCycloneDXJSON}

// Options say what an SBOM describes.
type Options struct {
	// Project is the project the SBOM is for (required; see ReadProject).
	Project *Project
	// Lock is the project's lock file (optional): each of its packages
	// becomes a component, the project's own entry (uv) excepted.
	Lock *lockfile.Lock
	// Dists are paths of wheels and sdists (optional): the project's own
	// built distributions, whose digests the root lists, and locked
	// packages' files, whose digests must match the lock and whose
	// METADATA gives the package's license. Wheels are verified against
	// their RECORD, and the PEP 770 SBOMs they embed are referenced.
	Dists []string
	// Time is the document's creation time (written in UTC, whole
	// seconds); the zero time means now. Callers wanting reproducible
	// output pass SOURCE_DATE_EPOCH here.
	Time time.Time
	// ToolVersion is pedigree's version, recorded as the creating tool.
	ToolVersion string
}

// Inventory is what an SBOM lists, gathered once from Options and then
// written in any of the Formats.
type Inventory struct {
	inv       *inventory
	artifacts []Artifact
}

// New gathers what the SBOM lists. It returns an error wrapping
// ErrInvalidOptions without a project name or for a lock made for another
// project, ErrInvalidLock for a locked package it cannot describe, and
// ErrInvalidDist or ErrDistMismatch for a distribution file that cannot be
// read or does not match the project or the lock.
func New(opts Options) (*Inventory, error) {
	inv, err := newInventory(opts)
	if err != nil {
		return nil, err
	}
	artifacts, err := inv.addDists(opts.Dists)
	if err != nil {
		return nil, err
	}
	inv.finish()
	return &Inventory{inv: inv, artifacts: artifacts}, nil
}

// Artifacts returns the distribution files of Options.Dists, in the order
// given (duplicates dropped), with their digests.
func (i *Inventory) Artifacts() []Artifact { return slices.Clone(i.artifacts) }

// Encode returns the SBOM in the given format, validated against the
// format's official schema. It returns an error wrapping
// ErrUnsupportedFormat for an unknown format, ErrUnsupportedHash (naming the
// package) when the lock has a hash the format cannot express (sha224 in
// CycloneDX), digest.ErrInvalidDigest for a malformed hash, and ErrSchema if
// the document fails validation (a bug in pedigree, reported rather than
// written).
func (i *Inventory) Encode(format Format) ([]byte, error) {
	var data []byte
	var err error
	switch format {
	case FormatSPDXJSON:
		data, err = i.inv.spdxJSON()
	case FormatCycloneDXJSON:
		data, err = i.inv.cyclonedxJSON()
	default:
		return nil, fmt.Errorf("%q: want %s or %s: %w", format, FormatSPDXJSON, FormatCycloneDXJSON, ErrUnsupportedFormat)
	}
	if err != nil {
		return nil, err
	}
	if err := Validate(format, data); err != nil {
		return nil, fmt.Errorf("pedigree wrote a document that fails its schema: %w", err)
	}
	return data, nil
}

// Summary counts what an Inventory lists.
type Summary struct {
	// Project and Version name the project the SBOM describes.
	Project string `json:"project"`
	Version string `json:"version,omitempty"`
	// Lock is the lock file as the document names it, LockFormat its format.
	Lock       string `json:"lock,omitempty"`
	LockFormat string `json:"lockFormat,omitempty"`
	// Packages counts the locked packages, by scope.
	Packages int `json:"packages"`
	Runtime  int `json:"runtime"`
	Dev      int `json:"dev"`
	Optional int `json:"optional"`
	// WithHashes and WithLicense count packages with at least one hash and
	// with a known license.
	WithHashes  int `json:"withHashes"`
	WithLicense int `json:"withLicense"`
	// Edges counts dependency edges, the root's included.
	Edges int `json:"edges"`
	// EmbeddedSBOMs counts PEP 770 SBOMs referenced from the wheels given.
	EmbeddedSBOMs int `json:"embeddedSboms"`
	// Artifacts counts the distribution files given (Options.Dists).
	Artifacts int `json:"artifacts"`
}

// Summary returns the counts of what the SBOM lists.
func (i *Inventory) Summary() Summary {
	inv := i.inv
	s := Summary{
		Project: inv.root.name, Version: inv.root.version,
		Lock: inv.lockName, LockFormat: inv.lockFormat,
		Packages:      len(inv.components),
		Edges:         len(inv.root.deps),
		EmbeddedSBOMs: len(inv.root.sboms),
		Artifacts:     len(i.artifacts),
	}
	for _, c := range inv.components {
		switch c.scope {
		case scopeDev:
			s.Dev++
		case scopeOptional:
			s.Optional++
		default:
			s.Runtime++
		}
		if len(c.allHashes()) > 0 {
			s.WithHashes++
		}
		if c.license != (licenseInfo{}) {
			s.WithLicense++
		}
		s.Edges += len(c.deps)
		s.EmbeddedSBOMs += len(c.sboms)
	}
	return s
}

// Generate returns the SBOM in the given format: New then Encode, with
// their errors.
func Generate(format Format, opts Options) ([]byte, error) {
	if format != FormatSPDXJSON && format != FormatCycloneDXJSON {
		return nil, fmt.Errorf("%q: want %s or %s: %w", format, FormatSPDXJSON, FormatCycloneDXJSON, ErrUnsupportedFormat)
	}
	inv, err := New(opts)
	if err != nil {
		return nil, err
	}
	return inv.Encode(format)
}

// newInventory gathers what the documents list from opts.
func newInventory(opts Options) (*inventory, error) {
	p := opts.Project
	if p == nil || p.Name == "" {
		return nil, fmt.Errorf("a project with a name is required: %w", ErrInvalidOptions)
	}
	if len(p.Version) > maxVersionLength {
		return nil, fmt.Errorf("project version: %d characters, more than the %d a CycloneDX version may have: %w", len(p.Version), maxVersionLength, ErrInvalidOptions)
	}
	created := opts.Time
	if created.IsZero() {
		created = time.Now()
	}
	inv := &inventory{
		root: component{
			name:        p.Name,
			normName:    pypi.NormalizeName(p.Name),
			version:     p.Version,
			description: p.Description,
			license:     licenseInfo{expression: p.License, text: p.LicenseText},
			urls:        p.URLs,
		},
		created:     created.UTC().Truncate(time.Second),
		toolVersion: opts.ToolVersion,
	}
	if inv.toolVersion == "" {
		inv.toolVersion = "devel"
	}
	if opts.Lock != nil {
		projectDir := ""
		if p.Path != "" {
			projectDir = filepath.Dir(p.Path)
		}
		if err := inv.addLock(opts.Lock, p, projectDir); err != nil {
			return nil, err
		}
	}
	return inv, nil
}
