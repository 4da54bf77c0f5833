package lockfile_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/lockfile"
)

// sampleCase is one real lock file from ../shared/python-samples with the
// counts it must parse to.
type sampleCase struct {
	path     string
	format   lockfile.Format
	packages int // len(Lock.Packages)
	files    int // files (or hash-only entries) across packages
	problems int // len(Lock.Problems)
	project  string
	scopes   map[lockfile.Scope]int
}

var samples = []sampleCase{
	// pip-compile --generate-hashes: 32 pins, 426 --hash lines.
	{path: "requirements/sigstore-python_install_requirements.txt", format: lockfile.FormatRequirements, packages: 32, files: 426,
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 32}},
	// The pip-compile input: one unpinned requirement, no hashes.
	{path: "requirements/sigstore-python_install_requirements.in", format: lockfile.FormatRequirements, packages: 1, files: 0},
	// syft's edge cases: 17 requirements parse; pip would refuse the file
	// for 28 reasons (the --hash lines switch on hash-checking mode).
	{path: "requirements/syft-testdata_requires_requirements.txt", format: lockfile.FormatRequirements, packages: 17, files: 4, problems: 28},
	// uv: 89 packages including the editable root "sigstore".
	{path: "uv/sigstore-python_uv.lock", format: lockfile.FormatUVLock, packages: 89, files: 1062, project: "sigstore"},
	{path: "uv/syft-forked-versions/uv.lock", format: lockfile.FormatUVLock, packages: 7, files: 0, project: "forkdemo",
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 7}}, // numpy 1.26.4 is both the "legacy" extra and a pandas 2.3.3 dependency
	{path: "uv/syft-multiple-extras/uv.lock", format: lockfile.FormatUVLock, packages: 17, files: 115, project: "testpkg",
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 17}},
	// poetry 2.1: 78 packages, 53 in "main", 25 only in dev/test/typing/github-actions groups, one git source.
	{path: "poetry/poetry_root_poetry.lock", format: lockfile.FormatPoetryLock, packages: 78, files: 1105,
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 53, lockfile.ScopeDev: 25}},
	// poetry 1.0: the three files live under [metadata.files].
	{path: "poetry/poetry_tests_old_lock_v1.0_poetry.lock", format: lockfile.FormatPoetryLock, packages: 1, files: 3},
	// poetry 2.0: category = "main", a develop = true directory source without files.
	{path: "poetry/poetry_tests_with_path_dependency_poetry.lock", format: lockfile.FormatPoetryLock, packages: 6, files: 10,
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 6}},
	// Pipfile.lock: 10 default + 100 develop, 5 of them in both with one version.
	{path: "pipenv/pipenv_root_Pipfile.lock", format: lockfile.FormatPipfileLock, packages: 105, files: 900,
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 10, lockfile.ScopeDev: 95}},
	{path: "pipenv/pipenv_examples_Pipfile.lock", format: lockfile.FormatPipfileLock, packages: 10, files: 147,
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 5, lockfile.ScopeDev: 5}},
	// pdm: 100 entries (4 are extras entries of a package already listed), 40 in "default".
	{path: "pdm/pdm_root_pdm.lock", format: lockfile.FormatPDMLock, packages: 100, files: 787,
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 40, lockfile.ScopeOptional: 60}},
	{path: "pdm/pdm_tests_demo_pdm.lock", format: lockfile.FormatPDMLock, packages: 10, files: 20,
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 2, lockfile.ScopeOptional: 8}},
	// pylock.toml: the PEP 751 example (3 packages, 4 wheels) twice, and pdm's export.
	{path: "pylock/packaging.python.org_pylock.example.toml", format: lockfile.FormatPylock, packages: 3, files: 4},
	{path: "pylock/packaging_pylock.spec-example.toml", format: lockfile.FormatPylock, packages: 3, files: 4},
	{path: "pylock/pdm_tests_demo_pylock.toml", format: lockfile.FormatPylock, packages: 10, files: 20,
		scopes: map[lockfile.Scope]int{lockfile.ScopeRuntime: 2, lockfile.ScopeOptional: 8}},
}

func TestSamples(t *testing.T) {
	for _, tc := range samples {
		t.Run(tc.path, func(t *testing.T) {
			path := testshared.Dir(t, "python-samples", tc.path)
			l, err := lockfile.ParseFile(path, lockfile.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if l.Format != tc.format {
				t.Errorf("format %q, want %q", l.Format, tc.format)
			}
			if len(l.Packages) != tc.packages {
				t.Errorf("%d packages, want %d", len(l.Packages), tc.packages)
			}
			if n := l.FileCount(); n != tc.files {
				t.Errorf("%d files, want %d", n, tc.files)
			}
			if len(l.Problems) != tc.problems {
				t.Errorf("%d problems, want %d: %v", len(l.Problems), tc.problems, l.Err())
			}
			if (l.Err() == nil) != (tc.problems == 0) {
				t.Errorf("Err() = %v with %d problems", l.Err(), len(l.Problems))
			}
			got := ""
			if l.Project != nil {
				got = l.Project.Name
			}
			if got != tc.project {
				t.Errorf("project %q, want %q", got, tc.project)
			}
			if tc.scopes != nil {
				count := map[lockfile.Scope]int{}
				for _, p := range l.Packages {
					count[p.Scope]++
				}
				for s, n := range tc.scopes {
					if count[s] != n {
						t.Errorf("%d %s packages, want %d (all: %v)", count[s], s, n, count)
					}
				}
			}
			for i, rd := range lockfile.ResolvedDependencies(l) {
				if err := rd.Validate(); err != nil {
					t.Errorf("resolvedDependencies[%d]: %v", i, err)
				}
			}
			for i, p := range l.Packages {
				if p.Name == "" || p.NormalizedName == "" || p.Scope == "" || p.Source.Kind == "" {
					t.Errorf("package[%d] incomplete: %+v", i, p)
				}
				for j, f := range p.Files {
					if len(f.Hashes) > 0 {
						if err := f.Hashes.Validate(); err != nil {
							t.Errorf("package[%d].files[%d]: %v", i, j, err)
						}
					}
				}
			}
		})
	}
}

func TestSyftProblems(t *testing.T) {
	path := testshared.Dir(t, "python-samples", "requirements/syft-testdata_requires_requirements.txt")
	l, err := lockfile.ParseFile(path, lockfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []error{lockfile.ErrUnpinned, lockfile.ErrMissingHash, lockfile.ErrConflict, lockfile.ErrInclude, lockfile.ErrSyntax} {
		if !errors.Is(l.Err(), want) {
			t.Errorf("Err() does not wrap %v", want)
		}
	}
}

// TestDemoRequirements parses the uv pip compile output examples/demo ships.
func TestDemoRequirements(t *testing.T) {
	path := filepath.Join(testshared.Root(), "examples", "demo", "requirements.txt")
	l, err := lockfile.ParseFile(path, lockfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Generator != "uv pip compile" || !l.HashChecking || len(l.Packages) != 1 || l.Err() != nil {
		t.Fatalf("got generator %q, hash checking %v, %d packages, problems %v", l.Generator, l.HashChecking, len(l.Packages), l.Err())
	}
	p := l.Packages[0]
	want := "55c570405f142630c6b9f72fe09d9b67cf1477fcf543ae5b8dcb1f5b7377da81"
	if p.Name != "wheel" || p.Version != "0.43.0" || len(p.Files) != 1 || p.Files[0].Hashes["sha256"] != want {
		t.Fatalf("got %+v", p)
	}
}

// TestSampleVersions checks the lock format version and generator each
// real sample declares.
func TestSampleVersions(t *testing.T) {
	tests := []struct{ path, version, generator string }{
		{"requirements/sigstore-python_install_requirements.txt", "", "pip-compile"},
		{"uv/sigstore-python_uv.lock", "1", "uv"},
		{"poetry/poetry_root_poetry.lock", "2.1", "Poetry 2.4.1"},
		{"poetry/poetry_tests_old_lock_v1.0_poetry.lock", "1.0", ""},
		{"poetry/poetry_tests_with_path_dependency_poetry.lock", "2.0", "Poetry 1.4.0.dev0"},
		{"pipenv/pipenv_root_Pipfile.lock", "6", "pipenv"},
		{"pdm/pdm_root_pdm.lock", "4.5.1", "pdm"},
		{"pylock/packaging_pylock.spec-example.toml", "1.0", "mousebender"},
		{"pylock/pdm_tests_demo_pylock.toml", "1.0", "pdm"},
	}
	for _, tt := range tests {
		l, err := lockfile.ParseFile(testshared.Dir(t, "python-samples", tt.path), lockfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if l.Version != tt.version || l.Generator != tt.generator {
			t.Errorf("%s: version %q generator %q, want %q %q", tt.path, l.Version, l.Generator, tt.version, tt.generator)
		}
	}
}

// TestNotALock: a Pipfile (the input, not the lock) and a pyproject.toml
// are refused, not misread as requirements.
func TestNotALock(t *testing.T) {
	for _, p := range []string{"pipenv/pipenv_examples_Pipfile", "poetry/poetry_root_pyproject.toml", "uv/syft-multiple-extras/pyproject.toml"} {
		_, err := lockfile.ParseFile(testshared.Dir(t, "python-samples", p), lockfile.Options{})
		if !errors.Is(err, lockfile.ErrFormat) {
			t.Errorf("%s: error %v, want ErrFormat", p, err)
		}
	}
}
