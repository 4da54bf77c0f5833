package sbom

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/pypi"
)

func TestReadProject(t *testing.T) {
	tests := []struct {
		path string
		want Project
	}{
		{"../examples/demo", Project{
			Name: "pedigree-demo", Version: "0.1.0", License: "Apache-2.0",
			Description:          "A tiny package that pedigree's README example attests and verifies",
			RequiresPython:       ">=3.9",
			Dependencies:         []string{"wheel>=0.43"},
			OptionalDependencies: map[string][]string{"dev": {}},
		}},
		{"testdata/pyproject/poetry-only.toml", Project{
			Name: "legacy_app", Version: "1.4.0", License: "BSD-3-Clause",
			Description:          "A Poetry 1 project without [project]",
			RequiresPython:       "^3.9",
			Dependencies:         []string{"Click", "requests"},
			OptionalDependencies: map[string][]string{"cli": {"click"}},
			DependencyGroups:     map[string][]string{"dev": {"pytest"}, "docs": {"mkdocs"}},
			URLs:                 map[string]string{"homepage": "https://example.com/legacy"},
		}},
		{"testdata/pyproject/groups.toml", Project{
			Name: "grouped", Version: "2.0", LicenseText: "Proprietary, see LICENSE",
			Dependencies: []string{"attrs>=23"},
			DependencyGroups: map[string][]string{
				"dev":    {"pytest>=8", "coverage[toml]", "mypy", "ruff"},
				"test":   {"pytest>=8", "coverage[toml]"},
				"typing": {"mypy"},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			got, err := ReadProject(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(got.Path, ".toml") {
				t.Errorf("Path = %q, want the file read", got.Path)
			}
			got.Path = ""
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

// The real pyproject.toml samples in ../shared parse with the fields an SBOM uses.
func TestReadProjectSamples(t *testing.T) {
	dir := testshared.Dir(t, "python-samples")
	tests := []struct {
		file                    string
		name, version, license  string
		deps, optional, groups  int
		dynamicVersion, licText bool
	}{
		{file: "pyproject/sigstore-python_pyproject.toml", name: "sigstore", deps: 13, groups: 1, dynamicVersion: true},
		{file: "pyproject/packaging_tests_metadata-2.5_pyproject.toml", name: "metadata25", version: "3.2.1", license: "MIT", deps: 5, optional: 1},
		{file: "poetry/poetry_root_pyproject.toml", name: "poetry", version: "2.5.0.dev0", license: "MIT", deps: 22, groups: 4},
		{file: "uv/syft-multiple-extras/pyproject.toml", name: "testpkg", version: "0.1.0", deps: 1},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			p, err := ReadProject(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != tt.name || p.Version != tt.version || p.License != tt.license {
				t.Errorf("name/version/license = %q %q %q, want %q %q %q", p.Name, p.Version, p.License, tt.name, tt.version, tt.license)
			}
			if len(p.Dependencies) != tt.deps || len(p.OptionalDependencies) != tt.optional || len(p.DependencyGroups) != tt.groups {
				t.Errorf("deps/optional/groups = %d %d %d, want %d %d %d", len(p.Dependencies), len(p.OptionalDependencies), len(p.DependencyGroups), tt.deps, tt.optional, tt.groups)
			}
			for _, req := range p.Dependencies {
				if requirementName(req) == "" {
					t.Errorf("no project name in requirement %q", req)
				}
			}
		})
	}
}

func TestParseProjectErrors(t *testing.T) {
	tests := []struct {
		name, toml string
		wantErr    error
		wantMsg    string
	}{
		{"not toml", "[project\nname=", ErrInvalidProject, "line 1"},
		{"no project table", "[build-system]\nrequires = []\n", ErrInvalidProject, "neither [project] nor [tool.poetry]"},
		{"no name", "[project]\nversion = \"1\"\n", ErrInvalidProject, "project.name: required"},
		{"poetry without name", "[tool.poetry]\nversion = \"1\"\n", ErrInvalidProject, "tool.poetry.name: required"},
		{"bad name", "[project]\nname = \"-x-\"\n", ErrInvalidProject, "not a valid Python project name"},
		{"name not a string", "[project]\nname = 3\n", ErrInvalidProject, "project.name: want a string, got a number"},
		{"dependency not a string", "[project]\nname = \"a\"\ndependencies = [\"b\", 2]\n", ErrInvalidProject, "project.dependencies[1]: want a string"},
		{"license wrong type", "[project]\nname = \"a\"\nlicense = 1\n", ErrInvalidProject, "project.license: want a string or a table"},
		{"extras not a table", "[project]\nname = \"a\"\noptional-dependencies = []\n", ErrInvalidProject, "project.optional-dependencies: want a table"},
		{"group cycle", "[project]\nname = \"a\"\n[dependency-groups]\nx = [{include-group = \"y\"}]\ny = [{include-group = \"x\"}]\n", ErrInvalidProject, "include-group cycle"},
		{"group missing", "[project]\nname = \"a\"\n[dependency-groups]\nx = [{include-group = \"nope\"}]\n", ErrInvalidProject, "dependency-groups.nope: include-group names a group that does not exist"},
		{"group entry table", "[project]\nname = \"a\"\n[dependency-groups]\nx = [{other = 1}]\n", ErrInvalidProject, "dependency-groups.x[0]"},
		{"too large", "[project]\nname = \"a\"\n#" + strings.Repeat("x", MaxProjectSize), ErrTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseProject([]byte(tt.toml))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

func TestReadProjectMissing(t *testing.T) {
	_, err := ReadProject(t.TempDir())
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want ErrNotExist", err)
	}
}

func FuzzParseProject(f *testing.F) {
	for _, dir := range []string{"testdata/pyproject", testshared.Path("python-samples", "pyproject")} {
		if dir == "" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("[project]\nname = \"a\"\n[dependency-groups]\nx = [{include-group = \"x\"}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProject(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidProject) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if !pypi.ValidName(p.Name) {
			t.Fatalf("accepted invalid name %q", p.Name)
		}
		if p.License != "" && !validLicenseExpression(p.License) {
			t.Fatalf("License %q is not an expression", p.License)
		}
	})
}
