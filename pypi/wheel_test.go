package pypi_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/pypi"
)

// entry is one file of a test archive.
type entry struct {
	name string
	data []byte
}

// recordFor returns a RECORD listing entries, with RECORD itself unhashed.
func recordFor(distInfo string, entries []entry) []byte {
	var b strings.Builder
	for _, e := range entries {
		sum := sha256.Sum256(e.data)
		fmt.Fprintf(&b, "%s,sha256=%s,%d\n", e.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(e.data))
	}
	fmt.Fprintf(&b, "%s/RECORD,,\n", distInfo)
	return []byte(b.String())
}

// demoEntries are the files of a small valid wheel "demo-1.0", without RECORD.
func demoEntries() []entry {
	return []entry{
		{"demo/__init__.py", []byte("VALUE = 1\n")},
		{"demo-1.0.dist-info/METADATA", []byte("Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nLicense-Expression: MIT\nRequires-Dist: wheel>=0.43\n")},
		{"demo-1.0.dist-info/WHEEL", []byte("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")},
	}
}

// zipBytes writes entries into a zip archive.
func zipBytes(t testing.TB, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wheelWith builds demo-1.0 with RECORD computed before edit changes the
// entries, so edit can make the content disagree with RECORD.
func wheelWith(t testing.TB, extra []entry, edit func([]entry) []entry) []byte {
	t.Helper()
	entries := append(demoEntries(), extra...)
	rec := entry{"demo-1.0.dist-info/RECORD", recordFor("demo-1.0.dist-info", entries)}
	if edit != nil {
		entries = edit(entries)
	}
	return zipBytes(t, append(entries, rec))
}

func readWheel(data []byte, opts pypi.ArchiveOptions) (*pypi.Wheel, error) {
	return pypi.ReadWheel(bytes.NewReader(data), int64(len(data)), "demo-1.0-py3-none-any.whl", opts)
}

func TestRealWheels(t *testing.T) {
	tests := []struct {
		path                        string
		name, version               string
		entries, verified, requires int
	}{
		{filepath.Join(testshared.Root(), "examples/demo/dist/pedigree_demo-0.1.0-py3-none-any.whl"), "pedigree-demo", "0.1.0", 4, 3, 1},
		{testshared.Path("python-samples", "wheels", "wheel-0.43.0-py3-none-any.whl"), "wheel", "0.43.0", 33, 32, 2},
		{testshared.Path("vectors", "pypi", "rfc8785-0.1.2-py3-none-any.whl"), "rfc8785", "0.1.2", 7, 6, 9},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			if _, err := os.Stat(tt.path); err != nil {
				t.Skipf("skipped: %v (../shared absent)", err)
			}
			w, err := pypi.OpenWheel(tt.path, pypi.ArchiveOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if w.Metadata.Name != tt.name || w.Metadata.Version != tt.version || w.Entries != tt.entries ||
				w.Record.Verified != tt.verified || len(w.Metadata.RequiresDist) != tt.requires {
				t.Fatalf("got %s %s, %d entries, %d verified, %d Requires-Dist", w.Metadata.Name, w.Metadata.Version, w.Entries, w.Record.Verified, len(w.Metadata.RequiresDist))
			}
			if err := w.Record.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestRecordVerification(t *testing.T) {
	tests := []struct {
		name  string
		extra []entry
		edit  func([]entry) []entry
		want  []string // problem kinds
	}{
		{name: "ok"},
		{name: "changed byte", edit: func(e []entry) []entry {
			e[0].data = []byte("VALUE = 2\n")
			return e
		}, want: []string{pypi.RecordMismatch}},
		{name: "file added after RECORD", edit: func(e []entry) []entry {
			return append(e, entry{"demo/evil.py", []byte("import os\n")})
		}, want: []string{pypi.RecordUnlisted}},
		{name: "file removed", edit: func(e []entry) []entry {
			return e[1:]
		}, want: []string{pypi.RecordMissing}},
		{name: "signature files need no row", edit: func(e []entry) []entry {
			return append(e, entry{"demo-1.0.dist-info/RECORD.jws", []byte("{}")})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := readWheel(wheelWith(t, tt.extra, tt.edit), pypi.ArchiveOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, p := range w.Record.Problems {
				kinds = append(kinds, p.Kind)
			}
			if fmt.Sprint(kinds) != fmt.Sprint(tt.want) {
				t.Fatalf("problems %+v, want kinds %v", w.Record.Problems, tt.want)
			}
			if (w.Record.Err() == nil) != (len(tt.want) == 0) || (len(tt.want) > 0 && !errors.Is(w.Record.Err(), pypi.ErrRecordMismatch)) {
				t.Fatalf("Err() = %v", w.Record.Err())
			}
		})
	}
}

func TestRecordRows(t *testing.T) {
	// Hand-written RECORDs: size, unhashed, weak hash, duplicate rows.
	base := demoEntries()
	sum := sha256.Sum256(base[0].data)
	b64 := base64.RawURLEncoding.EncodeToString(sum[:])
	rest := string(recordFor("demo-1.0.dist-info", base[1:]))
	tests := []struct {
		name, first string
		want        string
	}{
		{"size", fmt.Sprintf("demo/__init__.py,sha256=%s,11\n", b64), pypi.RecordSize},
		{"unhashed source", "demo/__init__.py,,\n", pypi.RecordUnhashed},
		{"md5", "demo/__init__.py,md5=AAAAAAAAAAAAAAAAAAAAAA,10\n", pypi.RecordUnsupported},
		{"duplicate", fmt.Sprintf("demo/__init__.py,sha256=%s,10\ndemo/__init__.py,sha256=%s,10\n", b64, b64), pypi.RecordDuplicate},
		{"unhashed pyc is fine", fmt.Sprintf("demo/__init__.py,sha256=%s,10\ndemo/__pycache__/x.pyc,,\n", b64), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := append(demoEntries(), entry{"demo-1.0.dist-info/RECORD", []byte(tt.first + rest)})
			w, err := readWheel(zipBytes(t, entries), pypi.ArchiveOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(w.Record.Problems) > 0 {
				got = w.Record.Problems[0].Kind
			}
			if got != tt.want || len(w.Record.Problems) > 1 {
				t.Fatalf("problems %+v, want %q", w.Record.Problems, tt.want)
			}
		})
	}
}

func TestEmbeddedSBOMs(t *testing.T) {
	dir := testshared.Dir(t, "python-samples", "dist-info", "cryptography-48.0.0.dist-info", "sboms")
	var extra []entry
	for _, n := range []string{"cryptography-rust.cyclonedx.json", "sbom.json"} {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		extra = append(extra, entry{"demo-1.0.dist-info/sboms/" + n, data})
	}
	extra = append(extra, entry{"demo-1.0.dist-info/sboms/x.spdx.json", []byte(`{"spdxVersion":"SPDX-2.3"}`)})
	w, err := readWheel(wheelWith(t, extra, nil), pypi.ArchiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.SBOMs) != 3 || w.SBOMs[0].Format != "CycloneDX 1.5" || w.SBOMs[1].Format != "CycloneDX 1.5" || w.SBOMs[2].Format != "SPDX-2.3" {
		t.Fatalf("SBOMs %+v", w.SBOMs)
	}
	sum := sha256.Sum256(extra[0].data)
	if w.SBOMs[0].SHA256 != fmt.Sprintf("%x", sum) || !bytes.Equal(w.SBOMs[0].Data, extra[0].data) || w.Record.Err() != nil {
		t.Fatalf("SBOM %+v, record %v", w.SBOMs[0], w.Record.Err())
	}
}

func TestReadWheelErrors(t *testing.T) {
	valid := demoEntries()
	withRecord := func(e []entry) []entry {
		return append(e, entry{"demo-1.0.dist-info/RECORD", recordFor("demo-1.0.dist-info", e)})
	}
	bomb := withRecord(append(demoEntries(), entry{"demo/zeros.bin", make([]byte, 4<<20)}))
	tests := []struct {
		name    string
		data    []byte
		opts    pypi.ArchiveOptions
		wantErr error
	}{
		{"not a zip", []byte("fake wheel bytes"), pypi.ArchiveOptions{}, pypi.ErrWheel},
		{"dot-dot", zipBytes(t, withRecord(append(demoEntries(), entry{"demo/../../evil.py", nil}))), pypi.ArchiveOptions{}, pypi.ErrUnsafePath},
		{"absolute", zipBytes(t, withRecord(append(demoEntries(), entry{"/etc/passwd", nil}))), pypi.ArchiveOptions{}, pypi.ErrUnsafePath},
		{"backslash", zipBytes(t, withRecord(append(demoEntries(), entry{`demo\..\x`, nil}))), pypi.ArchiveOptions{}, pypi.ErrUnsafePath},
		{"duplicate entry", zipBytes(t, withRecord(append(demoEntries(), valid[0]))), pypi.ArchiveOptions{}, pypi.ErrUnsafePath},
		{"too many entries", zipBytes(t, withRecord(demoEntries())), pypi.ArchiveOptions{MaxEntries: 3}, pypi.ErrTooLarge},
		{"zip bomb", zipBytes(t, bomb), pypi.ArchiveOptions{MaxTotalSize: 1 << 20}, pypi.ErrTooLarge},
		{"huge METADATA", zipBytes(t, withRecord(demoEntries())), pypi.ArchiveOptions{MaxMetadataSize: 10}, pypi.ErrTooLarge},
		{"no METADATA", zipBytes(t, withRecord([]entry{valid[0], valid[2]})), pypi.ArchiveOptions{}, pypi.ErrWheel},
		{"no RECORD", zipBytes(t, demoEntries()), pypi.ArchiveOptions{}, pypi.ErrWheel},
		{"two dist-info", zipBytes(t, withRecord(append(demoEntries(), entry{"other-1.0.dist-info/METADATA", nil}))), pypi.ArchiveOptions{}, pypi.ErrWheel},
		{"METADATA names another project", zipBytes(t, withRecord([]entry{valid[0], {"demo-1.0.dist-info/METADATA", []byte("Metadata-Version: 2.1\nName: other\nVersion: 1.0\n")}, valid[2]})), pypi.ArchiveOptions{}, pypi.ErrWheel},
		{"bad METADATA", zipBytes(t, withRecord([]entry{valid[0], {"demo-1.0.dist-info/METADATA", []byte("Name: demo\n")}, valid[2]})), pypi.ArchiveOptions{}, pypi.ErrMetadata},
		{"bad RECORD", zipBytes(t, append(demoEntries(), entry{"demo-1.0.dist-info/RECORD", []byte("a,b\n")})), pypi.ArchiveOptions{}, pypi.ErrRecord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := readWheel(tt.data, tt.opts); !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
		})
	}
	if _, err := pypi.ReadWheel(bytes.NewReader(nil), 0, "demo-1.0.tar.gz", pypi.ArchiveOptions{}); !errors.Is(err, pypi.ErrFilename) {
		t.Fatalf("sdist name: %v", err)
	}
}

func FuzzReadWheel(f *testing.F) {
	f.Add(wheelWith(f, nil, nil))
	if data, err := os.ReadFile(filepath.Join(testshared.Root(), "examples/demo/dist/pedigree_demo-0.1.0-py3-none-any.whl")); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := readWheel(data, pypi.ArchiveOptions{MaxTotalSize: 1 << 20})
		if err != nil {
			for _, s := range []error{pypi.ErrWheel, pypi.ErrTooLarge, pypi.ErrUnsafePath, pypi.ErrMetadata, pypi.ErrRecord, pypi.ErrFilename} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error %v wraps no sentinel", err)
		}
		if w.Metadata == nil || w.Info == nil {
			t.Fatal("wheel without METADATA or WHEEL")
		}
	})
}
