package lockfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/lockfile"
)

// fuzzSeeds adds testdata files and, when ../shared is present, the real
// samples matching globs (relative to python-samples) as seeds.
func fuzzSeeds(f *testing.F, local []string, shared ...string) {
	for _, s := range local {
		f.Add([]byte(s))
	}
	if root := testshared.Path("python-samples"); root != "" {
		for _, g := range shared {
			files, _ := filepath.Glob(filepath.Join(root, g))
			for _, p := range files {
				if data, err := os.ReadFile(p); err == nil {
					f.Add(data)
				}
			}
		}
	}
}

// fuzzParse parses data as format and checks the invariants every Lock
// keeps: errors wrap a sentinel; packages have names, normalized names,
// scopes and source kinds; hashes are valid.
func fuzzParse(t *testing.T, format lockfile.Format, name string, data []byte) {
	l, err := lockfile.ParseFormat(format, name, data)
	if err != nil {
		for _, s := range []error{lockfile.ErrFormat, lockfile.ErrSyntax, lockfile.ErrUnsupportedVersion, lockfile.ErrHash, lockfile.ErrTooLarge} {
			if errors.Is(err, s) {
				return
			}
		}
		t.Fatalf("error %v wraps no sentinel", err)
	}
	for i, p := range l.Packages {
		if p.Name == "" || p.NormalizedName == "" || p.Scope == "" || p.Source.Kind == "" {
			t.Fatalf("package[%d] incomplete: %+v", i, p)
		}
		for _, fl := range p.Files {
			if fl.Name == "." || fl.Name == ".." || strings.ContainsFunc(fl.Name, func(r rune) bool { return r < ' ' || r == 0x7f || r == '/' || r == '\\' }) {
				t.Fatalf("package[%d]: file name %q is not a plain file name", i, fl.Name)
			}
			if len(fl.Hashes) > 0 {
				if err := fl.Hashes.Validate(); err != nil {
					t.Fatalf("package[%d]: %v", i, err)
				}
			}
		}
	}
	for _, p := range l.Problems {
		if p.Err == nil {
			t.Fatal("problem without an error")
		}
	}
	_ = lockfile.ResolvedDependencies(l)
}

func FuzzRequirements(f *testing.F) {
	var local []string
	for _, p := range []string{"main.txt", "plain.txt", "sub/more.txt"} {
		if data, err := os.ReadFile(filepath.Join("testdata", "requirements", p)); err == nil {
			local = append(local, string(data))
		}
	}
	fuzzSeeds(f, local, "requirements/*")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, lockfile.FormatRequirements, "requirements.txt", data) })
}

func FuzzUVLock(f *testing.F) {
	fuzzSeeds(f, []string{"version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { editable = \".\" }\ndependencies = [{ name = \"b\" }]\n[[package]]\nname = \"b\"\nversion = \"2\"\nsource = { registry = \"r\" }\n"},
		"uv/*.lock", "uv/*/uv.lock")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, lockfile.FormatUVLock, "uv.lock", data) })
}

func FuzzPoetryLock(f *testing.F) {
	fuzzSeeds(f, []string{"[[package]]\nname = \"a\"\nversion = \"1\"\n[package.dependencies]\nb = {version = \"1\"}\n[metadata]\nlock-version = \"2.1\"\n"}, "poetry/*.lock")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, lockfile.FormatPoetryLock, "poetry.lock", data) })
}

func FuzzPipfileLock(f *testing.F) {
	fuzzSeeds(f, []string{`{"_meta": {"pipfile-spec": 6}, "default": {"a": {"version": "==1"}}}`}, "pipenv/*.lock")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, lockfile.FormatPipfileLock, "Pipfile.lock", data) })
}

func FuzzPylock(f *testing.F) {
	fuzzSeeds(f, []string{"lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\nmarker = \"'x' in extras\"\n"}, "pylock/*.toml")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, lockfile.FormatPylock, "pylock.toml", data) })
}

func FuzzPDMLock(f *testing.F) {
	fuzzSeeds(f, []string{"[metadata]\nlock_version = \"4.5.0\"\n[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"b>=1\"]\n"}, "pdm/*.lock")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, lockfile.FormatPDMLock, "pdm.lock", data) })
}
