package pypi

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Sdist is what ReadSdist learned from a source distribution without
// extracting it.
type Sdist struct {
	Filename Filename `json:"filename"`
	// Root is the archive's single top-level directory ("name-1.0").
	Root     string    `json:"root"`
	Metadata *Metadata `json:"metadata"`
	// Entries is the number of regular files; UncompressedSize their total.
	Entries          int   `json:"entries"`
	UncompressedSize int64 `json:"uncompressedSize"`
}

// OpenSdist reads the sdist at path; see ReadSdist for what it checks and
// the errors it returns. A file that cannot be opened is the *fs.PathError.
func OpenSdist(path string, opts ArchiveOptions) (*Sdist, error) {
	return openArchive(path, opts, ReadSdist)
}

// ReadSdist reads a source distribution in place (.tar.gz, and legacy
// .tgz, .tar.bz2 and .zip archives): every entry name is checked
// (CheckEntryName, plus links that point outside the archive and special
// files are refused), entry count and total size are capped, the archive
// must have one top-level directory, and its PKG-INFO is parsed and must
// name the file name's project and version. Errors wrap ErrFilename,
// ErrSdist, ErrUnsafePath, ErrTooLarge or ErrMetadata.
func ReadSdist(r io.ReaderAt, size int64, name string, opts ArchiveOptions) (*Sdist, error) {
	fn, err := ParseSdistFilename(name)
	if err != nil {
		return nil, err
	}
	s := &Sdist{Filename: fn}
	var pkgInfo map[string][]byte // top dir -> PKG-INFO
	switch fn.Extension {
	case ".tar.gz", ".tgz", ".tar.bz2":
		pkgInfo, err = s.readTar(io.NewSectionReader(r, 0, size), fn.Extension, opts)
	case ".zip":
		pkgInfo, err = s.readZip(r, size, opts)
	default:
		err = fmt.Errorf("%s archives are not supported: %w", fn.Extension, ErrSdist)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	data, ok := pkgInfo[s.Root]
	if !ok {
		return nil, fmt.Errorf("%s: %s/PKG-INFO: missing: %w", name, s.Root, ErrSdist)
	}
	if s.Metadata, err = ParseMetadata(data); err != nil {
		return nil, fmt.Errorf("%s: PKG-INFO: %w", name, err)
	}
	if NormalizeName(s.Metadata.Name) != fn.NormalizedName || !SameVersion(s.Metadata.Version, fn.Version) {
		// A legacy name's split was a guess: accept it when the whole
		// stem is PKG-INFO's name and version.
		stem := strings.TrimSuffix(name, fn.Extension)
		if !fn.Legacy || NormalizeName(stem) != NormalizeName(s.Metadata.Name+"-"+s.Metadata.Version) {
			return nil, fmt.Errorf("%s: PKG-INFO names %s %s: %w", name, truncate(s.Metadata.Name), truncate(s.Metadata.Version), ErrSdist)
		}
		s.Filename.Name = stem[:len(s.Metadata.Name)]
		s.Filename.NormalizedName = NormalizeName(s.Filename.Name)
		s.Filename.Version = stem[len(s.Metadata.Name)+1:]
	}
	return s, nil
}

// entry checks one archive member's name, counts it and its size against
// the limits, and returns its top-level directory and whether it is that
// directory's PKG-INFO.
func (s *Sdist) entry(name string, size int64, opts ArchiveOptions) (top string, isPkgInfo bool, err error) {
	name = strings.TrimPrefix(name, "./")
	if err := CheckEntryName(name); err != nil {
		return "", false, err
	}
	top, rest, _ := strings.Cut(strings.TrimSuffix(name, "/"), "/")
	if s.Root == "" {
		s.Root = top
	} else if top != s.Root {
		return "", false, fmt.Errorf("entries under %q and %q: want one top-level directory: %w", truncate(s.Root), truncate(top), ErrSdist)
	}
	s.Entries++
	if err := opts.checkEntries(s.Entries); err != nil {
		return "", false, err
	}
	s.UncompressedSize += size
	if size < 0 || s.UncompressedSize > opts.maxTotal() {
		return "", false, opts.totalSizeError()
	}
	return top, rest == "PKG-INFO", nil
}

func (s *Sdist) readTar(r io.Reader, ext string, opts ArchiveOptions) (map[string][]byte, error) {
	var dec io.Reader
	switch ext {
	case ".tar.bz2":
		dec = bzip2.NewReader(r)
	default:
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("not gzip: %v: %w", err, ErrSdist)
		}
		defer gz.Close()
		dec = gz
	}
	// Headers cost at most a few KiB each beyond the content.
	limit := opts.maxTotal() + int64(opts.maxEntries())*4096 + 1<<20
	tr := tar.NewReader(&budgetReader{r: dec, left: limit})
	found := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, err
			}
			return nil, fmt.Errorf("tar: %v: %w", err, ErrSdist)
		}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeDir:
		case tar.TypeSymlink, tar.TypeLink:
			target := hdr.Linkname
			if hdr.Typeflag == tar.TypeSymlink {
				target = path.Join(path.Dir(strings.TrimPrefix(hdr.Name, "./")), target)
			}
			if strings.HasPrefix(hdr.Linkname, "/") || target == ".." || strings.HasPrefix(target, "../") {
				return nil, fmt.Errorf("%q: link to %q leaves the archive: %w", truncate(hdr.Name), truncate(hdr.Linkname), ErrUnsafePath)
			}
		case tar.TypeXGlobalHeader:
			continue
		default:
			return nil, fmt.Errorf("%q: special file (type %q): %w", truncate(hdr.Name), hdr.Typeflag, ErrUnsafePath)
		}
		size := hdr.Size
		if hdr.Typeflag != tar.TypeReg {
			size = 0
		}
		top, isPkgInfo, err := s.entry(hdr.Name, size, opts)
		if err != nil {
			return nil, err
		}
		if hdr.Typeflag == tar.TypeDir {
			s.Entries--
		}
		if isPkgInfo && hdr.Typeflag == tar.TypeReg {
			if hdr.Size > opts.maxMetadata() {
				return nil, fmt.Errorf("PKG-INFO: %d bytes: %w", hdr.Size, ErrTooLarge)
			}
			data, err := io.ReadAll(tr)
			if err != nil {
				return nil, fmt.Errorf("PKG-INFO: %v: %w", err, ErrSdist)
			}
			found[top] = data
		}
	}
	return found, nil
}

func (s *Sdist) readZip(r io.ReaderAt, size int64, opts ArchiveOptions) (map[string][]byte, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a zip archive: %v: %w", err, ErrSdist)
	}
	if err := opts.checkEntries(len(zr.File)); err != nil {
		return nil, err
	}
	found := map[string][]byte{}
	budget := &readBudget{left: opts.maxTotal()}
	for _, f := range zr.File {
		dir := strings.HasSuffix(f.Name, "/")
		sz := int64(f.UncompressedSize64)
		if dir {
			sz = 0
		}
		top, isPkgInfo, err := s.entry(f.Name, sz, opts)
		if err != nil {
			return nil, err
		}
		if dir {
			s.Entries--
			continue
		}
		if isPkgInfo {
			data, err := readEntry(f, opts.maxMetadata(), budget, ErrSdist)
			if err != nil {
				return nil, fmt.Errorf("PKG-INFO: %w", err)
			}
			found[top] = bytes.Clone(data)
		}
	}
	return found, nil
}
