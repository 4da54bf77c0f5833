package pypi

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// DefaultMaxMetadataSize is the size limit of METADATA, PKG-INFO, WHEEL and
// RECORD files (and of each embedded SBOM) when an Options field is zero.
const DefaultMaxMetadataSize = 16 << 20

// Metadata is a distribution's core metadata (METADATA in a wheel,
// PKG-INFO in an sdist), versions 1.0 to 2.4 (2.5's new fields are kept
// in Fields).
type Metadata struct {
	MetadataVersion string `json:"metadataVersion"`
	Name            string `json:"name"`
	Version         string `json:"version"`
	Summary         string `json:"summary,omitempty"`
	RequiresPython  string `json:"requiresPython,omitempty"`
	// RequiresDist are the Requires-Dist entries, with markers and extras.
	RequiresDist []Requirement `json:"requiresDist,omitempty"`
	// ProvidesExtra are the extras the distribution defines.
	ProvidesExtra []string `json:"providesExtra,omitempty"`
	// License is the legacy free-text License field; LicenseExpression
	// the SPDX expression of metadata 2.4; LicenseFiles its License-File
	// paths.
	License           string   `json:"license,omitempty"`
	LicenseExpression string   `json:"licenseExpression,omitempty"`
	LicenseFiles      []string `json:"licenseFiles,omitempty"`
	// Dynamic lists the fields (metadata 2.2+) a backend may fill in when
	// building a wheel from this sdist.
	Dynamic                []string `json:"dynamic,omitempty"`
	Classifiers            []string `json:"classifiers,omitempty"`
	Author                 string   `json:"author,omitempty"`
	AuthorEmail            string   `json:"authorEmail,omitempty"`
	Maintainer             string   `json:"maintainer,omitempty"`
	MaintainerEmail        string   `json:"maintainerEmail,omitempty"`
	HomePage               string   `json:"homePage,omitempty"`
	ProjectURLs            []string `json:"projectURLs,omitempty"`
	DescriptionContentType string   `json:"descriptionContentType,omitempty"`
	// Description is the long description (the message body, or the
	// legacy Description field).
	Description string `json:"-"`
	// Fields holds every header as written, keyed by its lowercased name,
	// in file order per key.
	Fields map[string][]string `json:"-"`
}

// multipleUse lists the fields that may appear more than once; any other
// field given twice is an error.
var multipleUse = map[string]bool{
	"platform": true, "supported-platform": true, "classifier": true, "requires-dist": true,
	"requires-external": true, "project-url": true, "provides-extra": true, "provides-dist": true,
	"obsoletes-dist": true, "license-file": true, "dynamic": true, "requires": true, "provides": true,
	"obsoletes": true, "import-name": true, "import-namespace": true,
}

// ParseMetadata parses a core metadata file (RFC 822 style headers, an
// optional body holding the description). Metadata-Version (major 1 or
// 2), Name and Version are required; Name must be a valid project name,
// Requires-Dist entries valid PEP 508 requirements, and Dynamic may not
// name Name, Version or Metadata-Version. Errors wrap ErrMetadata (or
// ErrTooLarge) and name the field.
func ParseMetadata(data []byte) (*Metadata, error) {
	if len(data) > DefaultMaxMetadataSize {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), DefaultMaxMetadataSize, ErrTooLarge)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("not UTF-8: %w", ErrMetadata)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	m := &Metadata{Fields: map[string][]string{}}
	var order []string // keys in order, with repeats
	var values []string
	lines := strings.Split(text, "\n")
	body := ""
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			body = strings.Join(lines[i+1:], "\n")
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(values) == 0 {
				return nil, fmt.Errorf("line %d: continuation line before any field: %w", i+1, ErrMetadata)
			}
			values[len(values)-1] += "\n" + line
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil, fmt.Errorf("line %d: want \"Field: value\", got %q: %w", i+1, truncate(line), ErrMetadata)
		}
		order = append(order, strings.ToLower(k))
		values = append(values, strings.TrimSpace(v))
	}
	for i, k := range order {
		if len(m.Fields[k]) > 0 && !multipleUse[k] {
			return nil, fmt.Errorf("%s: given more than once: %w", k, ErrMetadata)
		}
		m.Fields[k] = append(m.Fields[k], values[i])
	}
	one := func(k string) string {
		if v := m.Fields[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	m.MetadataVersion = one("metadata-version")
	m.Name = one("name")
	m.Version = one("version")
	m.Summary = one("summary")
	m.RequiresPython = one("requires-python")
	m.License = unfoldLicense(one("license"))
	m.LicenseExpression = one("license-expression")
	m.LicenseFiles = m.Fields["license-file"]
	m.ProvidesExtra = m.Fields["provides-extra"]
	m.Dynamic = m.Fields["dynamic"]
	m.Classifiers = m.Fields["classifier"]
	m.Author = one("author")
	m.AuthorEmail = one("author-email")
	m.Maintainer = one("maintainer")
	m.MaintainerEmail = one("maintainer-email")
	m.HomePage = one("home-page")
	m.ProjectURLs = m.Fields["project-url"]
	m.DescriptionContentType = one("description-content-type")
	m.Description = strings.TrimRight(body, "\n")
	if m.Description == "" {
		m.Description = unfoldLicense(one("description"))
	}
	switch major, _, _ := strings.Cut(m.MetadataVersion, "."); {
	case m.MetadataVersion == "":
		return nil, fmt.Errorf("field Metadata-Version: missing: %w", ErrMetadata)
	case major != "1" && major != "2":
		return nil, fmt.Errorf("field Metadata-Version: %q, want 1.x or 2.x: %w", truncate(m.MetadataVersion), ErrMetadata)
	}
	if m.Name == "" {
		return nil, fmt.Errorf("field Name: missing: %w", ErrMetadata)
	}
	if !ValidName(m.Name) {
		return nil, fmt.Errorf("field Name: %q: %w: %w", truncate(m.Name), ErrMetadata, ErrName)
	}
	if m.Version == "" {
		return nil, fmt.Errorf("field Version: missing: %w", ErrMetadata)
	}
	for i, rd := range m.Fields["requires-dist"] {
		r, err := ParseRequirement(rd)
		if err != nil {
			return nil, fmt.Errorf("field Requires-Dist[%d]: %w: %w", i, ErrMetadata, err)
		}
		m.RequiresDist = append(m.RequiresDist, r)
	}
	for i, d := range m.Dynamic {
		switch strings.ToLower(d) {
		case "name", "version", "metadata-version":
			return nil, fmt.Errorf("field Dynamic[%d]: %q may not be dynamic: %w", i, d, ErrMetadata)
		}
	}
	return m, nil
}

// unfoldLicense undoes the folding of multi-line License and Description
// header values: continuation lines lose their indentation and the '|'
// that setuptools puts after it ("\n       |text").
func unfoldLicense(v string) string {
	if !strings.Contains(v, "\n") {
		return v
	}
	lines := strings.Split(v, "\n")
	for i := 1; i < len(lines); i++ {
		l := strings.TrimLeft(lines[i], " \t")
		lines[i] = strings.TrimPrefix(l, "|")
	}
	return strings.Join(lines, "\n")
}

// WheelInfo is a wheel's .dist-info/WHEEL file.
type WheelInfo struct {
	WheelVersion  string   `json:"wheelVersion"`
	Generator     string   `json:"generator,omitempty"`
	RootIsPurelib bool     `json:"rootIsPurelib"`
	Tags          []string `json:"tags"`
	Build         string   `json:"build,omitempty"`
}

// ParseWheelInfo parses a WHEEL file. Wheel-Version is required and its
// major version must be 1 (PEP 427: installers must refuse a newer major);
// Root-Is-Purelib must be "true" or "false". Errors wrap ErrWheel.
func ParseWheelInfo(data []byte) (*WheelInfo, error) {
	if len(data) > DefaultMaxMetadataSize {
		return nil, fmt.Errorf("WHEEL: %d bytes: %w", len(data), ErrTooLarge)
	}
	w := &WheelInfo{}
	for i, line := range strings.Split(string(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("WHEEL line %d: want \"Field: value\": %w", i+1, ErrWheel)
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "wheel-version":
			w.WheelVersion = v
		case "generator":
			w.Generator = v
		case "root-is-purelib":
			switch strings.ToLower(v) {
			case "true":
				w.RootIsPurelib = true
			case "false":
			default:
				return nil, fmt.Errorf("WHEEL Root-Is-Purelib: %q, want true or false: %w", truncate(v), ErrWheel)
			}
		case "tag":
			w.Tags = append(w.Tags, v)
		case "build":
			w.Build = v
		}
	}
	if w.WheelVersion == "" {
		return nil, fmt.Errorf("WHEEL Wheel-Version: missing: %w", ErrWheel)
	}
	if major, _, _ := strings.Cut(w.WheelVersion, "."); major != "1" {
		return nil, fmt.Errorf("WHEEL Wheel-Version: %q, want 1.x: %w", truncate(w.WheelVersion), ErrWheel)
	}
	return w, nil
}
