package sbom

import (
	"fmt"
	"time"
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
	// Time is the document's creation time (written in UTC, whole
	// seconds); the zero time means now. Callers wanting reproducible
	// output pass SOURCE_DATE_EPOCH here.
	Time time.Time
	// ToolVersion is pedigree's version, recorded as the creating tool.
	ToolVersion string
}

// Generate returns the SBOM in the given format, validated against the
// format's official schema. It returns an error wrapping
// ErrUnsupportedFormat for an unknown format, ErrInvalidOptions without a
// project name, ErrUnsupportedHash when the lock has a hash the format
// cannot express, ErrInvalidDist or ErrDistMismatch for a distribution file
// that cannot be read or does not match the lock, and ErrSchema if the
// document fails validation (a bug, reported rather than written).
func Generate(format Format, opts Options) ([]byte, error) {
	if format != FormatSPDXJSON && format != FormatCycloneDXJSON {
		return nil, fmt.Errorf("%q: want %s or %s: %w", format, FormatSPDXJSON, FormatCycloneDXJSON, ErrUnsupportedFormat)
	}
	inv, err := newInventory(opts)
	if err != nil {
		return nil, err
	}
	var data []byte
	if format == FormatSPDXJSON {
		data, err = inv.spdxJSON()
	} else {
		data, err = inv.cyclonedxJSON()
	}
	if err != nil {
		return nil, err
	}
	if err := Validate(format, data); err != nil {
		return nil, fmt.Errorf("pedigree wrote a document that fails its schema: %w", err)
	}
	return data, nil
}

// SPDX returns the SBOM as an SPDX 2.3 JSON document; see Generate for the
// errors.
func SPDX(opts Options) ([]byte, error) { return Generate(FormatSPDXJSON, opts) }

// CycloneDX returns the SBOM as a CycloneDX 1.6 JSON document; see Generate
// for the errors.
func CycloneDX(opts Options) ([]byte, error) { return Generate(FormatCycloneDXJSON, opts) }

// newInventory gathers what the documents list from opts.
func newInventory(opts Options) (*inventory, error) {
	p := opts.Project
	if p == nil || p.Name == "" {
		return nil, fmt.Errorf("a project with a name is required: %w", ErrInvalidOptions)
	}
	created := opts.Time
	if created.IsZero() {
		created = time.Now()
	}
	inv := &inventory{
		root: component{
			name:        p.Name,
			normName:    normalizeName(p.Name),
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
	inv.finish()
	return inv, nil
}
