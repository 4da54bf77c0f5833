package pypi

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// checkEntries fails with ErrTooLarge when an archive has more than
// MaxEntries entries.
func (o ArchiveOptions) checkEntries(n int) error {
	if n > o.maxEntries() {
		return fmt.Errorf("%d entries, limit %d: %w", n, o.maxEntries(), ErrTooLarge)
	}
	return nil
}

// totalSizeError is the error for entries whose sizes add up to more than
// MaxTotalSize.
func (o ArchiveOptions) totalSizeError() error {
	return fmt.Errorf("uncompressed size over %d bytes: %w", o.maxTotal(), ErrTooLarge)
}

// openArchive reads the archive at path with read (ReadWheel, ReadSdist),
// named by its base name.
func openArchive[T any](path string, opts ArchiveOptions, read func(io.ReaderAt, int64, string, ArchiveOptions) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return zero, err
	}
	return read(f, fi.Size(), filepath.Base(path), opts)
}

// budgetReader fails with ErrTooLarge once more than left bytes are read.
type budgetReader struct {
	r    io.Reader
	left int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, fmt.Errorf("decompressed data over the limit: %w", ErrTooLarge)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// readBudget counts bytes actually decompressed against the total limit.
type readBudget struct {
	left     int64
	exceeded bool
}

func (b *readBudget) Write(p []byte) (int, error) {
	b.left -= int64(len(p))
	if b.left < 0 {
		b.exceeded = true
		return 0, ErrTooLarge
	}
	return len(p), nil
}

// readEntry reads one zip entry of at most max bytes. An entry that does
// not decompress or fails its CRC is an error wrapping invalid, the
// sentinel of the archive being read (ErrWheel, ErrSdist).
func readEntry(f *zip.File, max int64, budget *readBudget, invalid error) ([]byte, error) {
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", f.UncompressedSize64, max, ErrTooLarge)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, invalid)
	}
	defer rc.Close()
	var buf bytes.Buffer
	n, err := io.Copy(io.MultiWriter(&buf, budget), io.LimitReader(rc, max+1))
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("%v: %w", err, invalid)
	}
	if n > max {
		return nil, fmt.Errorf("more than %d bytes: %w", max, ErrTooLarge)
	}
	return buf.Bytes(), nil
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
