package lockfile_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/lockfile"
)

const sha = "sha256:" + h1

func TestUV(t *testing.T) {
	in := `version = 1
revision = 3
requires-python = ">=3.10"

[[package]]
name = "app"
version = "1.0"
source = { editable = "." }
dependencies = [{ name = "lib" }, { name = "gitdep" }]
[package.optional-dependencies]
fast = [{ name = "speedup" }]
[package.dev-dependencies]
dev = [{ name = "pytest" }, { name = "lib" }]

[[package]]
name = "lib"
version = "2.0"
source = { registry = "https://pypi.example.com/simple" }
dependencies = [{ name = "six", marker = "python_version < '3'" }, { name = "core", extra = ["extra1"] }]
sdist = { url = "https://files.example.com/lib-2.0.tar.gz", hash = "` + sha + `", size = 10 }
wheels = [{ url = "https://files.example.com/lib-2.0-py3-none-any.whl", hash = "` + sha + `", size = 20 }]

[[package]]
name = "core"
version = "1.0"
source = { registry = "https://pypi.example.com/simple" }
[package.optional-dependencies]
extra1 = [{ name = "six" }]

[[package]]
name = "six"
version = "1.16.0"
source = { path = "vendor/six-1.16.0-py2.py3-none-any.whl" }
wheels = [{ path = "vendor/six-1.16.0-py2.py3-none-any.whl", hash = "` + sha + `" }]

[[package]]
name = "gitdep"
version = "0.1"
source = { git = "https://github.com/o/r?rev=v0.1#0123456789abcdef0123456789abcdef01234567" }

[[package]]
name = "speedup"
version = "3"
source = { url = "https://h/speedup-3.tar.gz" }
sdist = { hash = "` + sha + `" }

[[package]]
name = "pytest"
version = "8"
source = { directory = "../pytest" }
`
	l, err := lockfile.Parse("uv.lock", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if l.Project == nil || l.Project.Name != "app" || l.Version != "1" {
		t.Fatalf("project %+v version %q", l.Project, l.Version)
	}
	want := map[string]struct {
		scope  lockfile.Scope
		groups []string
		src    lockfile.Source
	}{
		"app":     {lockfile.ScopeRuntime, nil, lockfile.Source{Kind: lockfile.SourceEditable, Path: "."}},
		"lib":     {lockfile.ScopeRuntime, []string{"dev"}, lockfile.Source{Kind: lockfile.SourceIndex, URL: "https://pypi.example.com/simple"}},
		"core":    {lockfile.ScopeRuntime, []string{"dev"}, lockfile.Source{Kind: lockfile.SourceIndex, URL: "https://pypi.example.com/simple"}},
		"six":     {lockfile.ScopeRuntime, []string{"dev"}, lockfile.Source{Kind: lockfile.SourcePath, Path: "vendor/six-1.16.0-py2.py3-none-any.whl"}},
		"gitdep":  {lockfile.ScopeRuntime, nil, lockfile.Source{Kind: lockfile.SourceVCS, VCS: "git", URL: "https://github.com/o/r", Ref: "v0.1", Commit: "0123456789abcdef0123456789abcdef01234567"}},
		"speedup": {lockfile.ScopeOptional, []string{"fast"}, lockfile.Source{Kind: lockfile.SourceURL, URL: "https://h/speedup-3.tar.gz"}},
		"pytest":  {lockfile.ScopeDev, []string{"dev"}, lockfile.Source{Kind: lockfile.SourcePath, Path: "../pytest"}},
	}
	for _, p := range l.Packages {
		w := want[p.Name]
		if p.Scope != w.scope || !reflect.DeepEqual(p.Groups, w.groups) || p.Source != w.src {
			t.Errorf("%s: scope %s groups %v source %+v; want %s %v %+v", p.Name, p.Scope, p.Groups, p.Source, w.scope, w.groups, w.src)
		}
	}
	lib := l.Packages[1]
	if len(lib.Files) != 2 || lib.Files[0].Name != "lib-2.0.tar.gz" || lib.Files[1].Size != 20 || lib.Files[0].Hashes["sha256"] != h1 {
		t.Fatalf("lib files %+v", lib.Files)
	}
	if lib.PURL() != "pkg:pypi/lib@2.0?repository_url=https:%2F%2Fpypi.example.com%2Fsimple" {
		t.Fatalf("PURL %s", lib.PURL())
	}
	app := l.Packages[0]
	if len(app.Dependencies) != 5 || app.Dependencies[2].Group != "fast" || app.Dependencies[3].Group != "dev" {
		t.Fatalf("app dependencies %+v", app.Dependencies)
	}
	if l.Packages[5].Files[0].Name != "" || l.Packages[3].Files[0].Name != "six-1.16.0-py2.py3-none-any.whl" {
		t.Fatalf("file names %+v %+v", l.Packages[5].Files, l.Packages[3].Files)
	}
}

// TestFormatErrors: each format fails closed with a sentinel and the field.
func TestFormatErrors(t *testing.T) {
	tests := []struct {
		name, path, in string
		wantErr        error
		field          string
	}{
		{"uv version 2", "uv.lock", "version = 2\n[[package]]\nname = \"a\"\n", lockfile.ErrUnsupportedVersion, "version"},
		{"uv no version", "uv.lock", "[[package]]\nname = \"a\"\n", lockfile.ErrFormat, "version"},
		{"uv bad hash", "uv.lock", "version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"r\" }\nwheels = [{ url = \"https://h/a-1-py3-none-any.whl\", hash = \"sha256:abc\" }]\n", lockfile.ErrHash, "package[0].wheels[0].hash"},
		{"uv unknown algorithm", "uv.lock", "version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"r\" }\nsdist = { url = \"u\", hash = \"crc32:abcd\" }\n", lockfile.ErrHash, "package[0].sdist.hash"},
		{"uv no source", "uv.lock", "version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\n", lockfile.ErrSyntax, "package[0].source"},
		{"uv bad name", "uv.lock", "version = 1\n[[package]]\nname = \"-a\"\n", lockfile.ErrSyntax, "package[0].name"},
		{"uv wrong type", "uv.lock", "version = \"one\"\n", lockfile.ErrSyntax, "uv.lock:1"},
		{"toml syntax", "uv.lock", "version = = 1\n", lockfile.ErrSyntax, "uv.lock:1"},
		{"poetry 3", "poetry.lock", "[metadata]\nlock-version = \"3.0\"\n", lockfile.ErrUnsupportedVersion, "metadata.lock-version"},
		{"poetry no version", "poetry.lock", "[[package]]\nname = \"a\"\n", lockfile.ErrFormat, "metadata.lock-version"},
		{"poetry bad hash", "poetry.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\nfiles = [{file = \"a-1.tar.gz\", hash = \"sha256:zz\"}]\n[metadata]\nlock-version = \"2.0\"\n", lockfile.ErrHash, "package[0].files[0].hash"},
		{"poetry bad dependency", "poetry.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\n[package.dependencies]\nb = 3\n[metadata]\nlock-version = \"2.0\"\n", lockfile.ErrSyntax, "package[0].dependencies.b"},
		{"pipfile spec 7", "Pipfile.lock", `{"_meta": {"pipfile-spec": 7}, "default": {}}`, lockfile.ErrUnsupportedVersion, "_meta.pipfile-spec"},
		{"pipfile no meta", "Pipfile.lock", `{"default": {}}`, lockfile.ErrFormat, "_meta"},
		{"pipfile bad hash", "Pipfile.lock", `{"_meta": {"pipfile-spec": 6}, "default": {"a": {"version": "==1", "hashes": ["sha256:00"]}}}`, lockfile.ErrHash, "default.a.hashes[0]"},
		{"pipfile section not object", "Pipfile.lock", `{"_meta": {"pipfile-spec": 6}, "default": []}`, lockfile.ErrSyntax, "default"},
		{"pipfile json", "Pipfile.lock", `{"_meta": `, lockfile.ErrSyntax, "Pipfile.lock"},
		{"pylock 2.0", "pylock.toml", "lock-version = \"2.0\"\n", lockfile.ErrUnsupportedVersion, "lock-version"},
		{"pylock no hashes", "pylock.toml", "lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\nversion = \"1\"\nwheels = [{url = \"https://h/a-1-py3-none-any.whl\"}]\n", lockfile.ErrHash, "packages[0].wheels[0].hashes"},
		{"pylock bad hash", "pylock.toml", "lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\nsdist = {url = \"https://h/a-1.tar.gz\", hashes = {sha256 = \"00\"}}\n", lockfile.ErrHash, "packages[0].sdist.hashes.sha256"},
		{"pylock vcs without commit", "pylock.toml", "lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\nvcs = {type = \"git\", url = \"https://h/r\"}\n", lockfile.ErrSyntax, "packages[0].vcs.commit-id"},
		{"pdm 5", "pdm.lock", "[metadata]\nlock_version = \"5.0\"\n", lockfile.ErrUnsupportedVersion, "metadata.lock_version"},
		{"pdm bad dependency", "pdm.lock", "[metadata]\nlock_version = \"4.5.0\"\n[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"==1\"]\n", lockfile.ErrSyntax, "package[0].dependencies[0]"},
		{"pdm bad hash", "pdm.lock", "[metadata]\nlock_version = \"4.5.0\"\n[[package]]\nname = \"a\"\nversion = \"1\"\nfiles = [{file = \"a-1.tar.gz\", hash = \"sha256\"}]\n", lockfile.ErrHash, "package[0].files[0].hash"},
		{"poetry file name with a backslash", "poetry.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\nfiles = [{file = \"a\\\\b-1.tar.gz\", hash = \"" + sha + "\"}]\n[metadata]\nlock-version = \"2.0\"\n", lockfile.ErrSyntax, `package[0]: file name "a\\b-1.tar.gz"`},
		{"pylock file name with a slash", "pylock.toml", "lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\nsdist = {name = \"../a-1.tar.gz\", url = \"https://h/a-1.tar.gz\", hashes = {sha256 = \"" + h1 + "\"}}\n", lockfile.ErrSyntax, "packages[0]: file name"},
		{"uv file name from a URL", "uv.lock", "version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"r\" }\nwheels = [{ url = \"https://h/a/..\", hash = \"" + sha + "\" }]\n", lockfile.ErrSyntax, `package[0]: file name ".."`},
		{"requirements URL naming a backslash", "r.txt", "a @ https://h/x%5Ca-1.tar.gz\n", lockfile.ErrSyntax, "r.txt:1: file name"},
		{"unknown toml", "thing.lock", "[[package]]\nname = \"a\"\n", lockfile.ErrFormat, "thing.lock"},
		{"unknown json", "thing.lock", `{"a": 1}`, lockfile.ErrFormat, "thing.lock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lockfile.Parse(tt.path, []byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("error %q does not name %q", err, tt.field)
			}
		})
	}
	if _, err := lockfile.ParseFormat("nope", "x", nil); !errors.Is(err, lockfile.ErrFormat) {
		t.Fatalf("unknown format: %v", err)
	}
	if _, err := lockfile.Parse("r.txt", make([]byte, lockfile.DefaultMaxSize+1)); !errors.Is(err, lockfile.ErrTooLarge) {
		t.Fatalf("oversized: %v", err)
	}
}

func TestPoetryDetails(t *testing.T) {
	in := `# This file is automatically @generated by Poetry 2.1.0 and should not be changed by hand.
[[package]]
name = "a"
version = "1"
optional = true
groups = ["main"]
markers = {main = "sys_platform == 'linux'", dev = "python_version < '3.12'"}
files = [{file = "a-1-py3-none-any.whl", hash = "` + sha + `"}]
[package.dependencies]
b = ">=1"
c = {version = "^2", markers = "os_name == 'nt'", extras = ["x"]}
d = [{version = "<2", python = "<3.9"}, {version = ">=2", python = ">=3.9"}]

[[package]]
name = "b"
version = "1"
groups = ["dev"]
files = []
[package.source]
type = "legacy"
url = "https://pypi.example.com/simple"
reference = "private"

[[package]]
name = "c"
version = "2"
category = "main"
files = []
[package.source]
type = "git"
url = "https://github.com/o/c.git"
reference = "main"
resolved_reference = "0123456789ABCDEF0123456789abcdef01234567"

[metadata]
lock-version = "2.1"
`
	l, err := lockfile.Parse("poetry.lock", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := l.Packages[0], l.Packages[1], l.Packages[2]
	if l.Generator != "Poetry 2.1.0" || a.Scope != lockfile.ScopeOptional || a.Markers != "(python_version < '3.12') or (sys_platform == 'linux')" {
		t.Fatalf("a: %+v (generator %q)", a, l.Generator)
	}
	if len(a.Dependencies) != 4 || a.Dependencies[1].Markers != "os_name == 'nt'" || !reflect.DeepEqual(a.Dependencies[1].Extras, []string{"x"}) || a.Dependencies[3].Specifier != ">=2" {
		t.Fatalf("a dependencies %+v", a.Dependencies)
	}
	if b.Scope != lockfile.ScopeDev || b.Source != (lockfile.Source{Kind: lockfile.SourceIndex, URL: "https://pypi.example.com/simple"}) {
		t.Fatalf("b %+v", b)
	}
	if c.Scope != lockfile.ScopeRuntime || c.Source.Commit != "0123456789abcdef0123456789abcdef01234567" || c.Source.Ref != "main" {
		t.Fatalf("c %+v", c)
	}
}

func TestPipfileDetails(t *testing.T) {
	in := `{
  "_meta": {"pipfile-spec": 6, "sources": [{"name": "internal", "url": "https://pypi.example.com/simple", "verify_ssl": true}]},
  "default": {
    "a": {"version": "==1.0", "hashes": ["sha256:` + h1 + `"], "index": "internal", "markers": "os_name == 'nt'"},
    "b": {"git": "https://github.com/o/b.git", "ref": "0123456789abcdef0123456789abcdef01234567", "editable": true},
    "c": {"path": "./c", "version": "*"}
  },
  "develop": {
    "a": {"version": "==1.0", "hashes": ["sha256:` + strings.Repeat("1", 64) + `"]}
  },
  "docs": {
    "d": {"version": "==3"}
  }
}`
	l, err := lockfile.Parse("Pipfile.lock", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Packages) != 4 {
		t.Fatalf("%d packages", len(l.Packages))
	}
	a := l.Packages[0]
	if a.Version != "1.0" || a.Scope != lockfile.ScopeRuntime || !reflect.DeepEqual(a.Groups, []string{"default", "develop"}) || len(a.Files) != 2 ||
		a.Source.URL != "https://pypi.example.com/simple" {
		t.Fatalf("a %+v", a)
	}
	if b := l.Packages[1]; b.Source.Kind != lockfile.SourceEditable || b.Source.Commit == "" {
		t.Fatalf("b %+v", b)
	}
	if c := l.Packages[2]; c.Version != "" || c.Source.Kind != lockfile.SourcePath {
		t.Fatalf("c %+v", c)
	}
	if d := l.Packages[3]; d.Scope != lockfile.ScopeOptional || d.Groups[0] != "docs" {
		t.Fatalf("d %+v", d)
	}
}

func TestPylockDetails(t *testing.T) {
	in := `lock-version = "1.0"
created-by = "test"
default-groups = ["default"]
[[packages]]
name = "a"
version = "1"
marker = "'dev' in dependency_groups"
vcs = {type = "git", url = "https://h/a", requested-revision = "main", commit-id = "0123456789abcdef0123456789abcdef01234567"}
[[packages]]
name = "b"
directory = {path = "./b", editable = true}
marker = "\"default\" in dependency_groups or \"x\" in extras"
[[packages]]
name = "c"
version = "2"
marker = "'x' in extras"
archive = {url = "https://h/c-2.tar.gz", size = 3, hashes = {sha256 = "` + h1 + `", SHA512 = "` + strings.Repeat("A", 128) + `"}}
`
	l, err := lockfile.Parse("pylock.toml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := l.Packages[0], l.Packages[1], l.Packages[2]
	if a.Scope != lockfile.ScopeDev || a.Source.Commit == "" || a.Source.Ref != "main" {
		t.Fatalf("a %+v", a)
	}
	if b.Scope != lockfile.ScopeRuntime || b.Source.Kind != lockfile.SourceEditable || !reflect.DeepEqual(b.Groups, []string{"default", "x"}) {
		t.Fatalf("b %+v", b)
	}
	if c.Scope != lockfile.ScopeOptional || c.Files[0].Name != "c-2.tar.gz" || c.Files[0].Hashes["sha512"] != strings.Repeat("a", 128) || c.Source.Kind != lockfile.SourceURL {
		t.Fatalf("c %+v", c)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		path, content string
		want          lockfile.Format
	}{
		{"uv.lock", "", lockfile.FormatUVLock},
		{"app-poetry.lock", "", lockfile.FormatPoetryLock},
		{"Pipfile.lock", "", lockfile.FormatPipfileLock},
		{"pdm.lock", "", lockfile.FormatPDMLock},
		{"pylock.toml", "", lockfile.FormatPylock},
		{"pylock.dev.toml", "", lockfile.FormatPylock},
		{"requirements-dev.txt", "", lockfile.FormatRequirements},
		{"requirements.in", "", lockfile.FormatRequirements},
		{"requirements", "flask==1\n", lockfile.FormatRequirements},
		{"lock", "version = 1\n[[package]]\nname = \"a\"\n", lockfile.FormatUVLock},
		{"lock", "[metadata]\nlock-version = \"2.0\"\n", lockfile.FormatPoetryLock},
		{"lock", "[metadata]\nlock_version = \"4.5.0\"\n", lockfile.FormatPDMLock},
		{"lock", "lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\n", lockfile.FormatPylock},
		{"lock", "{\"_meta\": {}}", lockfile.FormatPipfileLock},
	}
	for _, tt := range tests {
		got, err := lockfile.Detect(tt.path, []byte(tt.content))
		if err != nil || got != tt.want {
			t.Errorf("Detect(%q) = %q, %v; want %q", tt.path, got, err, tt.want)
		}
	}
}

func TestResolvedDependencies(t *testing.T) {
	l, err := lockfile.ParseFile("testdata/requirements/main.txt", lockfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rds := lockfile.ResolvedDependencies(l)
	if len(rds) != l.FileCount() {
		t.Fatalf("%d descriptors for %d files", len(rds), l.FileCount())
	}
	last := rds[len(rds)-1]
	if last.Name != "attrs-25.1.0-py3-none-any.whl" || last.URI != "pkg:pypi/attrs@25.1.0?file_name=attrs-25.1.0-py3-none-any.whl" ||
		last.DownloadLocation != "https://files.example.com/attrs-25.1.0-py3-none-any.whl" || last.Digest["sha256"] != "c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a" {
		t.Fatalf("last %+v", last)
	}
	if rds[0].Name != "certifi" || rds[0].URI != "pkg:pypi/certifi@2024.8.30" {
		t.Fatalf("first %+v", rds[0])
	}
	for i, rd := range rds {
		if err := rd.Digest.Validate(); err != nil {
			t.Errorf("descriptor %d: %v", i, err)
		}
	}

	l, err = lockfile.Parse("pylock.toml", []byte("lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\nvcs = {type = \"git\", url = \"https://h/a\", commit-id = \"0123456789abcdef0123456789abcdef01234567\"}\n"+
		"[[packages]]\nname = \"me\"\ndirectory = {path = \".\", editable = true}\n"))
	if err != nil {
		t.Fatal(err)
	}
	rds = lockfile.ResolvedDependencies(l)
	if len(rds) != 1 || rds[0].URI != "git+https://h/a@0123456789abcdef0123456789abcdef01234567" || rds[0].Digest["gitCommit"] != "0123456789abcdef0123456789abcdef01234567" {
		t.Fatalf("vcs %+v", rds)
	}
}

func TestVersionLimits(t *testing.T) {
	for _, in := range []string{
		"version = 1\n[[package]]\nname = \"a\"\nversion = \"" + strings.Repeat("1", 300) + "\"\nsource = { registry = \"r\" }\n",
		"version = 1\n[[package]]\nname = \"a\"\nversion = \"1 0\"\nsource = { registry = \"r\" }\n",
	} {
		if _, err := lockfile.Parse("uv.lock", []byte(in)); !errors.Is(err, lockfile.ErrSyntax) || !strings.Contains(err.Error(), "package[0].version") {
			t.Errorf("error %v, want ErrSyntax naming package[0].version", err)
		}
	}
}

// TestResolvedDependenciesDedup: pdm lists a package again per set of
// extras, with the same files; each file is one descriptor.
func TestResolvedDependenciesDedup(t *testing.T) {
	in := "[metadata]\nlock_version = \"4.5.0\"\n" +
		"[[package]]\nname = \"a\"\nversion = \"1\"\nfiles = [{file = \"a-1.tar.gz\", hash = \"" + sha + "\"}]\n" +
		"[[package]]\nname = \"a\"\nversion = \"1\"\nextras = [\"x\"]\nfiles = [{file = \"a-1.tar.gz\", hash = \"" + sha + "\"}]\n"
	l, err := lockfile.Parse("pdm.lock", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if rds := lockfile.ResolvedDependencies(l); len(rds) != 1 {
		t.Fatalf("%d descriptors: %+v", len(rds), rds)
	}
}
