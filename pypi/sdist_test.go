package pypi_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/pypi"
)

// tarGz builds a .tar.gz from headers and contents.
func tarGz(t testing.TB, members []tar.Header, data [][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for i := range members {
		h := members[i]
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(data[i]))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write(data[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var pkgInfo = []byte("Metadata-Version: 2.2\nName: demo\nVersion: 1.0\nDynamic: Requires-Dist\n")

func reg(name string) tar.Header { return tar.Header{Name: name, Typeflag: tar.TypeReg} }

func TestDemoSdist(t *testing.T) {
	s, err := pypi.OpenSdist(filepath.Join(testshared.Root(), "examples/demo/dist/pedigree_demo-0.1.0.tar.gz"), pypi.ArchiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Root != "pedigree_demo-0.1.0" || s.Metadata.Name != "pedigree-demo" || s.Entries != 4 || s.Metadata.LicenseExpression != "Apache-2.0" {
		t.Fatalf("got %+v", s)
	}
}

func TestReadSdist(t *testing.T) {
	ok := tarGz(t, []tar.Header{{Name: "demo-1.0/", Typeflag: tar.TypeDir}, reg("demo-1.0/PKG-INFO"), reg("demo-1.0/demo.py")}, [][]byte{nil, pkgInfo, []byte("x")})
	s, err := pypi.ReadSdist(bytes.NewReader(ok), int64(len(ok)), "demo-1.0.tar.gz", pypi.ArchiveOptions{})
	if err != nil || s.Entries != 2 || s.Metadata.Dynamic[0] != "Requires-Dist" {
		t.Fatalf("got %+v, %v", s, err)
	}
	legacy := tarGz(t, []tar.Header{reg("Demo-Thing-1.0/PKG-INFO")}, [][]byte{[]byte("Metadata-Version: 1.1\nName: Demo-Thing\nVersion: 1.0\n")})
	s, err = pypi.ReadSdist(bytes.NewReader(legacy), int64(len(legacy)), "Demo-Thing-1.0.tar.gz", pypi.ArchiveOptions{})
	if err != nil || !s.Filename.Legacy || s.Filename.NormalizedName != "demo-thing" {
		t.Fatalf("legacy: %+v, %v", s, err)
	}
	tests := []struct {
		name    string
		file    string
		data    []byte
		opts    pypi.ArchiveOptions
		wantErr error
	}{
		{"not gzip", "demo-1.0.tar.gz", []byte("nope"), pypi.ArchiveOptions{}, pypi.ErrSdist},
		{"dot-dot", "demo-1.0.tar.gz", tarGz(t, []tar.Header{reg("demo-1.0/PKG-INFO"), reg("demo-1.0/../../x")}, [][]byte{pkgInfo, nil}), pypi.ArchiveOptions{}, pypi.ErrUnsafePath},
		{"absolute", "demo-1.0.tar.gz", tarGz(t, []tar.Header{reg("/etc/x")}, [][]byte{nil}), pypi.ArchiveOptions{}, pypi.ErrUnsafePath},
		{"symlink out", "demo-1.0.tar.gz", tarGz(t, []tar.Header{reg("demo-1.0/PKG-INFO"), {Name: "demo-1.0/l", Typeflag: tar.TypeSymlink, Linkname: "../../etc/passwd"}}, [][]byte{pkgInfo, nil}), pypi.ArchiveOptions{}, pypi.ErrUnsafePath},
		{"device", "demo-1.0.tar.gz", tarGz(t, []tar.Header{{Name: "demo-1.0/dev", Typeflag: tar.TypeChar}}, [][]byte{nil}), pypi.ArchiveOptions{}, pypi.ErrUnsafePath},
		{"two top dirs", "demo-1.0.tar.gz", tarGz(t, []tar.Header{reg("demo-1.0/PKG-INFO"), reg("other/x")}, [][]byte{pkgInfo, nil}), pypi.ArchiveOptions{}, pypi.ErrSdist},
		{"no PKG-INFO", "demo-1.0.tar.gz", tarGz(t, []tar.Header{reg("demo-1.0/setup.py")}, [][]byte{nil}), pypi.ArchiveOptions{}, pypi.ErrSdist},
		{"other project", "other-1.0.tar.gz", ok, pypi.ArchiveOptions{}, pypi.ErrSdist},
		{"too many", "demo-1.0.tar.gz", ok, pypi.ArchiveOptions{MaxEntries: 1}, pypi.ErrTooLarge},
		{"too big", "demo-1.0.tar.gz", tarGz(t, []tar.Header{reg("demo-1.0/PKG-INFO"), reg("demo-1.0/zeros")}, [][]byte{pkgInfo, make([]byte, 2<<20)}), pypi.ArchiveOptions{MaxTotalSize: 1 << 20}, pypi.ErrTooLarge},
		{"xz", "demo-1.0.tar.xz", ok, pypi.ArchiveOptions{}, pypi.ErrSdist},
		{"zip sdist not a zip", "demo-1.0.zip", ok, pypi.ArchiveOptions{}, pypi.ErrSdist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := pypi.ReadSdist(bytes.NewReader(tt.data), int64(len(tt.data)), tt.file, tt.opts); !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestZipSdist(t *testing.T) {
	data := zipBytes(t, []entry{{"demo-1.0/PKG-INFO", pkgInfo}, {"demo-1.0/setup.py", []byte("")}})
	s, err := pypi.ReadSdist(bytes.NewReader(data), int64(len(data)), "demo-1.0.zip", pypi.ArchiveOptions{})
	if err != nil || s.Entries != 2 || !s.Filename.Legacy {
		t.Fatalf("got %+v, %v", s, err)
	}

	// A PKG-INFO that fails its CRC is a broken sdist, not a broken wheel.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "demo-1.0/PKG-INFO", Method: zip.Store, CRC32: 1,
		CompressedSize64: uint64(len(pkgInfo)), UncompressedSize64: uint64(len(pkgInfo))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(pkgInfo); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = pypi.ReadSdist(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "demo-1.0.zip", pypi.ArchiveOptions{})
	if !errors.Is(err, pypi.ErrSdist) || errors.Is(err, pypi.ErrWheel) {
		t.Fatalf("corrupt PKG-INFO: %v, want ErrSdist (not ErrWheel)", err)
	}
}

// FuzzReadSdist reads arbitrary bytes as a .tar.gz sdist: it must return
// an sdist with its PKG-INFO or an error wrapping one of the package's
// sentinels, within the limits given.
func FuzzReadSdist(f *testing.F) {
	f.Add(tarGz(f, []tar.Header{reg("demo-1.0/PKG-INFO"), reg("demo-1.0/setup.py")}, [][]byte{pkgInfo, []byte("")}))
	f.Add(tarGz(f, []tar.Header{reg("demo-1.0/PKG-INFO"), {Name: "demo-1.0/up", Typeflag: tar.TypeSymlink, Linkname: "../../x"}}, [][]byte{pkgInfo, nil}))
	if data, err := os.ReadFile(filepath.Join(testshared.Root(), "examples/demo/dist/pedigree_demo-0.1.0.tar.gz")); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := pypi.ReadSdist(bytes.NewReader(data), int64(len(data)), "demo-1.0.tar.gz", pypi.ArchiveOptions{MaxTotalSize: 1 << 20, MaxEntries: 1000})
		if err != nil {
			for _, e := range []error{pypi.ErrSdist, pypi.ErrTooLarge, pypi.ErrUnsafePath, pypi.ErrMetadata, pypi.ErrFilename} {
				if errors.Is(err, e) {
					return
				}
			}
			t.Fatalf("error %v wraps no sentinel", err)
		}
		if s.Metadata == nil || s.UncompressedSize > 1<<20 || s.Entries > 1000 {
			t.Fatalf("sdist beyond its limits or without PKG-INFO: %+v", s)
		}
	})
}
