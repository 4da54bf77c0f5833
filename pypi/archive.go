package pypi

import (
	"fmt"
	"strings"
)

// Default limits for reading archives (wheels and sdists) when an Options
// field is zero.
const (
	// DefaultMaxEntries caps the number of entries in an archive.
	DefaultMaxEntries = 100_000
	// DefaultMaxTotalSize caps the total uncompressed size of an archive.
	DefaultMaxTotalSize = 4 << 30
)

// ArchiveOptions bound the reading of a wheel or sdist.
type ArchiveOptions struct {
	// MaxEntries caps the number of archive entries (DefaultMaxEntries
	// when 0).
	MaxEntries int
	// MaxTotalSize caps the sum of the entries' uncompressed sizes, both
	// as declared and as actually read (DefaultMaxTotalSize when 0).
	MaxTotalSize int64
	// MaxMetadataSize caps METADATA, PKG-INFO, WHEEL, RECORD and each
	// embedded SBOM (DefaultMaxMetadataSize when 0).
	MaxMetadataSize int64
}

func (o ArchiveOptions) maxEntries() int {
	if o.MaxEntries > 0 {
		return o.MaxEntries
	}
	return DefaultMaxEntries
}

func (o ArchiveOptions) maxTotal() int64 {
	if o.MaxTotalSize > 0 {
		return o.MaxTotalSize
	}
	return DefaultMaxTotalSize
}

func (o ArchiveOptions) maxMetadata() int64 {
	if o.MaxMetadataSize > 0 {
		return o.MaxMetadataSize
	}
	return DefaultMaxMetadataSize
}

// CheckEntryName refuses archive entry names that could escape an
// extraction directory or that installers disagree on: empty, NUL bytes,
// backslashes, absolute paths (leading '/', or a drive letter), and ".."
// segments. It returns an error wrapping ErrUnsafePath.
func CheckEntryName(name string) error {
	fail := func(why string) error {
		return fmt.Errorf("%q: %s: %w", truncate(name), why, ErrUnsafePath)
	}
	switch {
	case name == "":
		return fail("empty name")
	case strings.ContainsRune(name, 0):
		return fail("NUL byte")
	case strings.Contains(name, `\`):
		return fail("backslash")
	case strings.HasPrefix(name, "/"):
		return fail("absolute path")
	case len(name) >= 2 && name[1] == ':' && ('a' <= name[0]|0x20 && name[0]|0x20 <= 'z'):
		return fail("drive letter")
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return fail(`".." segment`)
		}
	}
	return nil
}
