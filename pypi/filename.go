package pypi

import (
	"fmt"
	"regexp"
	"strings"
)

// Kind is the kind of a distribution file.
type Kind string

// Distribution kinds.
const (
	KindWheel Kind = "wheel"
	KindSdist Kind = "sdist"
)

// sdistExtensions lists the archive suffixes accepted for sdists, longest
// first; only ".tar.gz" is standard (PEP 625), the others are legacy.
var sdistExtensions = []string{".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".zip"}

// Filename is a parsed wheel or sdist file name.
type Filename struct {
	// Kind is KindWheel or KindSdist.
	Kind Kind `json:"kind"`
	// Name is the project name as written in the file name (escaped:
	// "pedigree_demo"); NormalizedName is its PEP 503 form ("pedigree-demo").
	Name           string `json:"name"`
	NormalizedName string `json:"normalizedName"`
	// Version is the version as written in the file name.
	Version string `json:"version"`
	// Build is a wheel's optional build tag ("1", "2b").
	Build string `json:"build,omitempty"`
	// PythonTags, ABITags and PlatformTags are a wheel's compressed tag
	// sets, split on '.' ("py2.py3" -> ["py2","py3"]).
	PythonTags   []string `json:"pythonTags,omitempty"`
	ABITags      []string `json:"abiTags,omitempty"`
	PlatformTags []string `json:"platformTags,omitempty"`
	// Extension is ".whl" or the sdist's archive suffix (".tar.gz", ".zip" ...).
	Extension string `json:"extension"`
	// Legacy marks an sdist name that is not in PEP 625 form (a '-' or '.'
	// or capital in the name part, or an archive other than .tar.gz); its
	// name/version split is a best-effort guess: the first '-' followed by
	// a digit.
	Legacy bool `json:"legacy,omitempty"`
}

// Tag is one expanded wheel compatibility tag.
type Tag struct {
	Python   string `json:"python"`
	ABI      string `json:"abi"`
	Platform string `json:"platform"`
}

// String returns the tag as "py3-none-any".
func (t Tag) String() string { return t.Python + "-" + t.ABI + "-" + t.Platform }

// Tags expands a wheel's compressed tag sets into every tag they stand for,
// in file-name order (python, then abi, then platform); nil for an sdist.
func (f Filename) Tags() []Tag {
	var tags []Tag
	for _, py := range f.PythonTags {
		for _, abi := range f.ABITags {
			for _, plat := range f.PlatformTags {
				tags = append(tags, Tag{py, abi, plat})
			}
		}
	}
	return tags
}

// TagString returns the wheel's tag triple as written ("py2.py3-none-any").
func (f Filename) TagString() string {
	if f.Kind != KindWheel {
		return ""
	}
	return strings.Join(f.PythonTags, ".") + "-" + strings.Join(f.ABITags, ".") + "-" + strings.Join(f.PlatformTags, ".")
}

// String reassembles the file name.
func (f Filename) String() string {
	if f.Kind == KindWheel {
		s := f.Name + "-" + f.Version
		if f.Build != "" {
			s += "-" + f.Build
		}
		return s + "-" + f.TagString() + ".whl"
	}
	return f.Name + "-" + f.Version + f.Extension
}

var (
	// wheelNameRE: escaped names contain letters, digits, '_' and '.'.
	wheelNameRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._]*[A-Za-z0-9])?$`)
	// wheelVersionRE: a version in a file name has no '-' and no spaces.
	fileVersionRE = regexp.MustCompile(`^[A-Za-z0-9!+._]+$`)
	buildRE       = regexp.MustCompile(`^[0-9][A-Za-z0-9._]*$`)
	tagRE         = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
)

// ParseFilename parses a wheel or sdist file name (a base name, not a
// path), deciding by its extension. It returns an error wrapping ErrFilename.
func ParseFilename(name string) (Filename, error) {
	if strings.HasSuffix(strings.ToLower(name), ".whl") {
		return ParseWheelFilename(name)
	}
	return ParseSdistFilename(name)
}

// ParseWheelFilename parses "{name}-{version}(-{build})?-{py}-{abi}-{plat}.whl"
// (PEP 427/491). It returns an error wrapping ErrFilename naming the part
// that is wrong.
func ParseWheelFilename(name string) (Filename, error) {
	fail := func(format string, args ...any) (Filename, error) {
		return Filename{}, fmt.Errorf("%q: %s: %w", truncate(name), fmt.Sprintf(format, args...), ErrFilename)
	}
	if len(name) > 4*MaxNameLength {
		return fail("longer than %d bytes", 4*MaxNameLength)
	}
	if strings.ContainsAny(name, "/\\") {
		return fail("want a file name, not a path")
	}
	stem, ok := strings.CutSuffix(name, ".whl")
	if !ok {
		return fail("want a .whl extension")
	}
	parts := strings.Split(stem, "-")
	if len(parts) != 5 && len(parts) != 6 {
		return fail("want 5 or 6 '-'-separated parts, got %d", len(parts))
	}
	f := Filename{Kind: KindWheel, Name: parts[0], Version: parts[1], Extension: ".whl"}
	if len(parts) == 6 {
		f.Build = parts[2]
		if !buildRE.MatchString(f.Build) {
			return fail("build tag %q must start with a digit", f.Build)
		}
	}
	tags := parts[len(parts)-3:]
	if !wheelNameRE.MatchString(f.Name) || len(f.Name) > MaxNameLength {
		return fail("project name %q", f.Name)
	}
	if !fileVersionRE.MatchString(f.Version) || len(f.Version) > MaxNameLength {
		return fail("version %q", f.Version)
	}
	sets := [3]*[]string{&f.PythonTags, &f.ABITags, &f.PlatformTags}
	for i, t := range tags {
		for _, one := range strings.Split(t, ".") {
			if !tagRE.MatchString(one) {
				return fail("compatibility tag %q", t)
			}
			*sets[i] = append(*sets[i], one)
		}
	}
	f.NormalizedName = NormalizeName(f.Name)
	return f, nil
}

// ParseSdistFilename parses a source distribution file name: PEP 625's
// "{name}-{version}.tar.gz" exactly, and legacy names ("Foo-Bar-1.0.zip")
// with a best-effort split at the first '-' followed by a digit (Legacy is
// then set). It returns an error wrapping ErrFilename.
func ParseSdistFilename(name string) (Filename, error) {
	fail := func(format string, args ...any) (Filename, error) {
		return Filename{}, fmt.Errorf("%q: %s: %w", truncate(name), fmt.Sprintf(format, args...), ErrFilename)
	}
	if len(name) > 4*MaxNameLength {
		return fail("longer than %d bytes", 4*MaxNameLength)
	}
	if strings.ContainsAny(name, "/\\") {
		return fail("want a file name, not a path")
	}
	var stem, ext string
	for _, e := range sdistExtensions {
		if s, ok := strings.CutSuffix(name, e); ok {
			stem, ext = s, e
			break
		}
	}
	if ext == "" {
		return fail("want a .whl, .tar.gz or legacy .zip, .tar.bz2, .tar.xz or .tgz extension")
	}
	f := Filename{Kind: KindSdist, Extension: ext}
	if n, v, ok := strings.Cut(stem, "-"); ok && !strings.Contains(v, "-") && wheelNameRE.MatchString(n) && !strings.Contains(n, ".") && fileVersionRE.MatchString(v) {
		f.Name, f.Version = n, v
		f.Legacy = ext != ".tar.gz" || n != EscapeName(n)
	} else {
		// Legacy: split at the first '-' that a digit follows.
		i := -1
		for j := 0; j+1 < len(stem); j++ {
			if stem[j] == '-' && '0' <= stem[j+1] && stem[j+1] <= '9' {
				i = j
				break
			}
		}
		if i <= 0 {
			return fail("cannot split it into a name and a version")
		}
		f.Name, f.Version, f.Legacy = stem[:i], stem[i+1:], true
		if !ValidName(f.Name) {
			return fail("project name %q", f.Name)
		}
		if strings.ContainsAny(f.Version, " \t/") || len(f.Version) > MaxNameLength {
			return fail("version %q", f.Version)
		}
	}
	f.NormalizedName = NormalizeName(f.Name)
	return f, nil
}
