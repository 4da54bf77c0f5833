package lockfile_test

import (
	"errors"
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
	{path: "uv/syft-multiple-extras/uv.lock", format: lockfile.FormatUVLock, packages: 17, files: 115, project: "testpkg"},
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
