package pypi_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/pypi"
)

// distInfoSample reads one file (METADATA, RECORD) of an installed wheel's
// .dist-info directory in ../shared/python-samples/dist-info; the test is
// skipped without ../shared.
func distInfoSample(t *testing.T, dir, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testshared.Dir(t, "python-samples", "dist-info", dir), file))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// addDistInfoSeeds adds that file of every sample .dist-info directory as a
// fuzz seed, when ../shared is present.
func addDistInfoSeeds(f *testing.F, file string) {
	dir := testshared.Path("python-samples", "dist-info")
	if dir == "" {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", file))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
}

// TestMetadataSamples parses the METADATA of five real installed wheels
// (metadata 2.1, 2.3 and 2.4).
func TestMetadataSamples(t *testing.T) {
	tests := []struct {
		dir, version, name, license string
		requires, extras            int
	}{
		{"attrs-26.1.0.dist-info", "2.4", "attrs", "MIT", 0, 0},
		{"awscli-1.45.11.dist-info", "2.1", "awscli", "", 6, 0},
		{"cryptography-48.0.0.dist-info", "2.4", "cryptography", "Apache-2.0 OR BSD-3-Clause", 3, 1},
		{"docker-7.1.0.dist-info", "2.3", "docker", "Apache-2.0", 12, 5},
		{"pydantic_core-2.46.4.dist-info", "2.4", "pydantic_core", "MIT", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			m, err := pypi.ParseMetadata(distInfoSample(t, tt.dir, "METADATA"))
			if err != nil {
				t.Fatal(err)
			}
			if m.MetadataVersion != tt.version || m.Name != tt.name || m.LicenseExpression != tt.license ||
				len(m.RequiresDist) != tt.requires || len(m.ProvidesExtra) != tt.extras {
				t.Fatalf("got version %q name %q license %q, %d Requires-Dist, %d Provides-Extra", m.MetadataVersion, m.Name,
					m.LicenseExpression, len(m.RequiresDist), len(m.ProvidesExtra))
			}
			if m.Description == "" {
				t.Error("no description")
			}
		})
	}
}

func TestParseMetadata(t *testing.T) {
	good := "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nRequires-Dist: a>=1; extra == \"x\"\nProvides-Extra: x\nDynamic: License-Expression\n" +
		"License: line one\n       |line two\n\nBody text\n"
	m, err := pypi.ParseMetadata([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if m.RequiresDist[0].Marker != `extra == "x"` || m.Dynamic[0] != "License-Expression" || m.License != "line one\nline two" || m.Description != "Body text" {
		t.Fatalf("got %+v", m)
	}
	tests := []struct {
		name, in string
		wantErr  error
	}{
		{"no version field", "Name: a\nVersion: 1\n", pypi.ErrMetadata},
		{"metadata 3", "Metadata-Version: 3.0\nName: a\nVersion: 1\n", pypi.ErrMetadata},
		{"no name", "Metadata-Version: 2.1\nVersion: 1\n", pypi.ErrMetadata},
		{"bad name", "Metadata-Version: 2.1\nName: -a\nVersion: 1\n", pypi.ErrName},
		{"no version", "Metadata-Version: 2.1\nName: a\n", pypi.ErrMetadata},
		{"two names", "Metadata-Version: 2.1\nName: a\nName: b\nVersion: 1\n", pypi.ErrMetadata},
		{"bad requires-dist", "Metadata-Version: 2.1\nName: a\nVersion: 1\nRequires-Dist: ==1\n", pypi.ErrRequirement},
		{"dynamic name", "Metadata-Version: 2.2\nName: a\nVersion: 1\nDynamic: Name\n", pypi.ErrMetadata},
		{"no colon", "Metadata-Version: 2.1\nName a\n", pypi.ErrMetadata},
		{"leading continuation", " x\n", pypi.ErrMetadata},
		{"not utf-8", "Metadata-Version: 2.1\nName: \xff\n", pypi.ErrMetadata},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := pypi.ParseMetadata([]byte(tt.in)); !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestParseWheelInfo(t *testing.T) {
	w, err := pypi.ParseWheelInfo([]byte("Wheel-Version: 1.0\nGenerator: maturin (1.9.0)\nRoot-Is-Purelib: false\nTag: cp311-abi3-manylinux_2_34_x86_64\n"))
	if err != nil || w.RootIsPurelib || w.Tags[0] != "cp311-abi3-manylinux_2_34_x86_64" {
		t.Fatalf("got %+v, %v", w, err)
	}
	for _, bad := range []string{"Generator: x\n", "Wheel-Version: 2.0\n", "Wheel-Version: 1.0\nRoot-Is-Purelib: yes\n", "Wheel-Version 1.0\n"} {
		if _, err := pypi.ParseWheelInfo([]byte(bad)); !errors.Is(err, pypi.ErrWheel) {
			t.Errorf("%q: error %v, want ErrWheel", bad, err)
		}
	}
}

func FuzzParseMetadata(f *testing.F) {
	f.Add([]byte("Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nRequires-Dist: a>=1; extra == \"x\"\n\nbody"))
	addDistInfoSeeds(f, "METADATA")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := pypi.ParseMetadata(data)
		if err != nil {
			if !errors.Is(err, pypi.ErrMetadata) && !errors.Is(err, pypi.ErrTooLarge) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		if m.Name == "" || m.Version == "" || m.MetadataVersion == "" {
			t.Fatalf("accepted without required fields: %+v", m)
		}
	})
}
