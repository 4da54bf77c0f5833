package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/lockfile"
	"github.com/pedigree-dev/pedigree/pypi"
	"github.com/pedigree-dev/pedigree/slsa"
)

// epoch is SOURCE_DATE_EPOCH in the CLI stories: 2026-01-01T00:00:00Z.
var epoch = time.Unix(1767225600, 0)

func mustProject(t testing.TB, path string) *Project {
	t.Helper()
	p, err := ReadProject(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustLock(t testing.TB, path string) *lockfile.Lock {
	t.Helper()
	l, err := lockfile.ParseFile(path, lockfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func formatExt(f Format) string {
	if f == FormatSPDXJSON {
		return ".spdx.json"
	}
	return ".cdx.json"
}

// Golden documents for the repository's example project (with its built
// wheel and sdist, and the wheel of its one dependency) and a uv fixture
// with dev, optional, forked (two numpy versions) and VCS dependencies.
func TestGolden(t *testing.T) {
	tests := []struct {
		name, project, lock string
		dists               []string
	}{
		{"demo", "../examples/demo", "../examples/demo/requirements.txt", []string{
			"../examples/demo/dist/pedigree_demo-0.1.0-py3-none-any.whl",
			"../examples/demo/dist/pedigree_demo-0.1.0.tar.gz",
			"../examples/demo/wheelhouse/wheel-0.43.0-py3-none-any.whl",
		}},
		{"uvproject", "testdata/uvproject", "testdata/uvproject/uv.lock", nil},
	}
	for _, tt := range tests {
		for _, f := range Formats {
			t.Run(tt.name+formatExt(f), func(t *testing.T) {
				got, err := Generate(f, Options{Project: mustProject(t, tt.project), Lock: mustLock(t, tt.lock), Dists: tt.dists, Time: epoch, ToolVersion: "devel"})
				if err != nil {
					t.Fatal(err)
				}
				checkValid(t, f, got)
				golden := filepath.Join("testdata", "golden", tt.name+formatExt(f))
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the document generated now (run with -update after checking the change)", golden)
				}
			})
		}
	}
}

// The same inputs give the same bytes, whatever the order of the lock's
// packages; another time gives another serial number / namespace.
func TestDeterministic(t *testing.T) {
	p := mustProject(t, "testdata/uvproject")
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			l := mustLock(t, "testdata/uvproject/uv.lock")
			a, err := Generate(f, Options{Project: p, Lock: l, Time: epoch})
			if err != nil {
				t.Fatal(err)
			}
			slices.Reverse(l.Packages)
			for i := range l.Packages {
				slices.Reverse(l.Packages[i].Files)
				slices.Reverse(l.Packages[i].Dependencies)
			}
			b, err := Generate(f, Options{Project: p, Lock: l, Time: epoch})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatal("reordering the lock changed the document")
			}
			c, err := Generate(f, Options{Project: p, Lock: l, Time: epoch.Add(time.Second)})
			if err != nil {
				t.Fatal(err)
			}
			if id(t, f, a) == id(t, f, c) {
				t.Errorf("a different time kept the document id %s", id(t, f, a))
			}
			if strings.Contains(id(t, f, a), zeroUUID) {
				t.Errorf("document id %s is the placeholder", id(t, f, a))
			}
		})
	}
}

// Packages locked twice under the same name and version (a requirements
// file repeating a line with other hashes) get the same identifiers
// whatever their order in the lock.
func TestDeterministicDuplicates(t *testing.T) {
	p := &Project{Name: "dups", Version: "1"}
	mk := func(hashes ...string) lockfile.Package {
		pkg := lockedPackage("dup", "1.0", hashes...)
		return pkg
	}
	a, b, c := strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("c", 64)
	pkgs := []lockfile.Package{mk(a), mk(b, c), mk(c), mk(b, a)}
	for _, f := range Formats {
		var first []byte
		for i := 0; i < 4; i++ {
			order := slices.Clone(pkgs)
			if i%2 == 1 {
				slices.Reverse(order)
			}
			if i >= 2 {
				order[0], order[2] = order[2], order[0]
				slices.Reverse(order[0].Files)
			}
			data, err := Generate(f, Options{Project: p, Lock: lockOf(order...), Time: epoch})
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = data
			} else if !bytes.Equal(first, data) {
				t.Fatalf("%s: order %d of the duplicates changed the document", f, i)
			}
		}
		if !strings.Contains(string(first), "dup@1.0#4") && !strings.Contains(string(first), "dup-1.0-4") {
			t.Errorf("%s: the four duplicates did not get distinct identifiers", f)
		}
	}
}

// id is a document's serial number (CycloneDX) or namespace (SPDX).
func id(t *testing.T, f Format, data []byte) string {
	var doc struct {
		SerialNumber      string `json:"serialNumber"`
		DocumentNamespace string `json:"documentNamespace"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if f == FormatSPDXJSON {
		return doc.DocumentNamespace
	}
	return doc.SerialNumber
}

// sample is one real lock file of ../shared/python-samples and the
// pyproject.toml it belongs with, when the samples have it.
type sample struct{ lock, project string }

var samples = []sample{
	{"requirements/sigstore-python_install_requirements.txt", "pyproject/sigstore-python_pyproject.toml"},
	{"requirements/sigstore-python_install_requirements.in", "pyproject/sigstore-python_pyproject.toml"},
	{"requirements/syft-testdata_requires_requirements.txt", ""},
	{"uv/sigstore-python_uv.lock", "pyproject/sigstore-python_pyproject.toml"},
	{"uv/syft-forked-versions/uv.lock", ""},
	{"uv/syft-multiple-extras/uv.lock", "uv/syft-multiple-extras/pyproject.toml"},
	{"poetry/poetry_root_poetry.lock", "poetry/poetry_root_pyproject.toml"},
	{"poetry/poetry_tests_old_lock_v1.0_poetry.lock", ""},
	{"poetry/poetry_tests_with_path_dependency_poetry.lock", ""},
	{"pipenv/pipenv_root_Pipfile.lock", ""},
	{"pipenv/pipenv_examples_Pipfile.lock", ""},
	{"pdm/pdm_root_pdm.lock", ""},
	{"pdm/pdm_tests_demo_pdm.lock", ""},
	{"pylock/pdm_tests_demo_pylock.toml", ""},
	{"pylock/packaging_pylock.spec-example.toml", ""},
	{"pylock/packaging.python.org_pylock.example.toml", ""},
}

// sampleOptions reads a sample's lock and project; a lock without a
// pyproject.toml gets a project named after the lock's root or the file.
func sampleOptions(t testing.TB, dir string, s sample) Options {
	t.Helper()
	l := mustLock(t, filepath.Join(dir, s.lock))
	var p *Project
	if s.project != "" {
		p = mustProject(t, filepath.Join(dir, s.project))
	} else if l.Project != nil {
		p = &Project{Name: l.Project.Name, Version: l.Project.Version}
	} else {
		p = &Project{Name: "sample", Version: "0"}
	}
	return Options{Project: p, Lock: l, Time: epoch}
}

// Every sample lock file gives a schema-valid document in both formats
// (checked against the embedded schemas and ../shared/schemas) that lists
// every locked package with every hash the lock has, in its scope.
func TestSamples(t *testing.T) {
	dir := testshared.Dir(t, "python-samples")
	for _, s := range samples {
		for _, f := range Formats {
			t.Run(s.lock+"/"+string(f), func(t *testing.T) {
				opts := sampleOptions(t, dir, s)
				inv, err := New(opts)
				if err != nil {
					t.Fatal(err)
				}
				data, err := inv.Encode(f)
				if err != nil {
					t.Fatal(err)
				}
				checkValid(t, f, data)
				checkComplete(t, f, opts.Lock, opts.Project, data)
			})
		}
	}
}

// checkComplete checks that every locked package but the project itself is
// in the document, with all its hashes and its scope.
func checkComplete(t *testing.T, f Format, l *lockfile.Lock, p *Project, data []byte) {
	t.Helper()
	type pkg struct {
		hashes map[string]bool
		scopes []string
	}
	got := map[string]*pkg{} // by PURL
	hashKey := func(alg, v string) string { return strings.ToLower(strings.ReplaceAll(alg, "-", "")) + ":" + v }
	if f == FormatCycloneDXJSON {
		var doc struct {
			Components []struct {
				PURL   string `json:"purl"`
				Scope  string `json:"scope"`
				Hashes []struct{ Alg, Content string }
			} `json:"components"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, c := range doc.Components {
			e := got[c.PURL]
			if e == nil {
				e = &pkg{hashes: map[string]bool{}}
				got[c.PURL] = e
			}
			e.scopes = append(e.scopes, c.Scope)
			for _, h := range c.Hashes {
				e.hashes[hashKey(h.Alg, h.Content)] = true
			}
		}
	} else {
		var doc struct {
			Packages []struct {
				SPDXID       string `json:"SPDXID"`
				Checksums    []struct{ Algorithm, ChecksumValue string }
				ExternalRefs []struct{ ReferenceType, ReferenceLocator string }
			} `json:"packages"`
			Relationships []struct{ SpdxElementId, RelatedSpdxElement, RelationshipType string }
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		scopeOf := map[string]string{}
		for _, r := range doc.Relationships {
			switch r.RelationshipType {
			case "RUNTIME_DEPENDENCY_OF":
				scopeOf[r.SpdxElementId] = "required"
			case "DEV_DEPENDENCY_OF":
				scopeOf[r.SpdxElementId] = "excluded"
			case "OPTIONAL_DEPENDENCY_OF":
				scopeOf[r.SpdxElementId] = "optional"
			}
		}
		for _, p := range doc.Packages[1:] {
			var purl string
			for _, r := range p.ExternalRefs {
				if r.ReferenceType == "purl" {
					purl = r.ReferenceLocator
				}
			}
			e := got[purl]
			if e == nil {
				e = &pkg{hashes: map[string]bool{}}
				got[purl] = e
			}
			e.scopes = append(e.scopes, scopeOf[p.SPDXID])
			for _, h := range p.Checksums {
				e.hashes[hashKey(h.Algorithm, h.ChecksumValue)] = true
			}
		}
	}
	wantScope := map[lockfile.Scope]string{lockfile.ScopeRuntime: "required", lockfile.ScopeDev: "excluded", lockfile.ScopeOptional: "optional"}
	listed, hashes := 0, 0
	for i := range l.Packages {
		lp := &l.Packages[i]
		if lp.NormalizedName == pypi.NormalizeName(p.Name) && isLocalSource(lp.Source.Kind) {
			continue
		}
		listed++
		purl := lp.PURL()
		if lp.Source.Kind == lockfile.SourceVCS {
			purl = "" // checked below by name
			for k := range got {
				if strings.HasPrefix(k, strings.SplitN(lp.PURL(), "?", 2)[0]+"?") {
					purl = k
				}
			}
		}
		e := got[purl]
		if e == nil {
			t.Errorf("%s %s (%s) is not in the document", lp.Name, lp.Version, lp.PURL())
			continue
		}
		if !slices.Contains(e.scopes, wantScope[lp.Scope]) {
			t.Errorf("%s %s: scope %v, want %s", lp.Name, lp.Version, e.scopes, wantScope[lp.Scope])
		}
		for _, file := range lp.Files {
			for alg, v := range file.Hashes {
				hashes++
				if !e.hashes[hashKey(alg, v)] {
					t.Errorf("%s %s: hash %s:%s of %s is missing", lp.Name, lp.Version, alg, v, file.Name)
				}
			}
		}
	}
	if listed == 0 {
		t.Errorf("the lock has no packages to list")
	}
	t.Logf("%d packages, %d file hashes, all present", listed, hashes)
}

func TestGenerateErrors(t *testing.T) {
	demo := mustProject(t, "../examples/demo")
	uvLock := func() *lockfile.Lock { return mustLock(t, "testdata/uvproject/uv.lock") }
	sha224Lock := &lockfile.Lock{Format: lockfile.FormatRequirements, Path: "r.txt", Packages: []lockfile.Package{{
		Name: "x", NormalizedName: "x", Version: "1", Scope: lockfile.ScopeRuntime,
		Files: []lockfile.File{{Hashes: digest.Set{digest.SHA224: strings.Repeat("a", 56)}}},
	}}}
	badHashLock := &lockfile.Lock{Format: lockfile.FormatRequirements, Path: "r.txt", Packages: []lockfile.Package{{
		Name: "x", NormalizedName: "x", Version: "1", Scope: lockfile.ScopeRuntime,
		Files: []lockfile.File{{Hashes: digest.Set{digest.SHA256: "abc"}}},
	}}}
	tests := []struct {
		name    string
		format  Format
		opts    Options
		wantErr error
		wantMsg string
	}{
		{"no project", FormatSPDXJSON, Options{}, ErrInvalidOptions, "project"},
		{"unknown format", Format("spdx-xml"), Options{Project: demo}, ErrUnsupportedFormat, "spdx-xml"},
		{"lock of another project", FormatCycloneDXJSON, Options{Project: demo, Lock: uvLock()}, ErrInvalidOptions, `lock of project "demo-app", not of "pedigree-demo"`},
		{"sha224 in CycloneDX", FormatCycloneDXJSON, Options{Project: demo, Lock: sha224Lock}, ErrUnsupportedHash, "x 1: hashes.sha224"},
		{"sha224 in SPDX is fine", FormatSPDXJSON, Options{Project: demo, Lock: sha224Lock}, nil, ""},
		{"malformed hash", FormatSPDXJSON, Options{Project: demo, Lock: badHashLock}, digest.ErrInvalidDigest, "x 1: hashes.sha256"},
		// lockfile refuses versions over 256 bytes; a Lock built by hand
		// and a pyproject.toml's version reach the CycloneDX limit.
		{"locked version too long", FormatSPDXJSON, Options{Project: demo, Lock: lockOf(lockedPackage("x", strings.Repeat("1", 1025)))}, ErrInvalidLock, "1025 characters"},
		{"project version too long", FormatSPDXJSON, Options{Project: &Project{Name: "p", Version: strings.Repeat("1", 1025)}}, ErrInvalidOptions, "project version: 1025 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(tt.format, tt.opts)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

// BenchmarkGenerate measures New+Encode (schema validation included) for
// each sample lock file; lock parsing is outside the timed loop.
func BenchmarkGenerate(b *testing.B) {
	dir := testshared.Dir(b, "python-samples")
	if _, err := schemas(); err != nil { // compile once, outside the timings
		b.Fatal(err)
	}
	for _, s := range samples {
		opts := sampleOptions(b, dir, s)
		for _, f := range Formats {
			b.Run(strings.ReplaceAll(s.lock, "/", "_")+"/"+string(f), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					inv, err := New(opts)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := inv.Encode(f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// FuzzGenerate: whatever lock file the lockfile package accepts, both
// documents are written and valid against their schemas; the only errors
// allowed are this package's input errors, never ErrSchema.
func FuzzGenerate(f *testing.F) {
	add := func(name, path string) {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(name, data)
		}
	}
	add("uv.lock", "testdata/uvproject/uv.lock")
	add("requirements.txt", "../examples/demo/requirements.txt")
	if dir := testshared.Path("python-samples"); dir != "" {
		for _, s := range samples {
			add(filepath.Base(s.lock), filepath.Join(dir, s.lock))
		}
	}
	project := &Project{Name: "fuzz", Version: "1"}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		l, err := lockfile.Parse(name, data)
		if err != nil {
			return
		}
		inv, err := New(Options{Project: project, Lock: l, Time: epoch})
		if err != nil {
			if !errors.Is(err, ErrInvalidOptions) && !errors.Is(err, ErrInvalidLock) {
				t.Fatalf("New: %v", err)
			}
			return
		}
		for _, format := range Formats {
			if _, err := inv.Encode(format); err != nil && !errors.Is(err, ErrUnsupportedHash) && !errors.Is(err, digest.ErrInvalidDigest) {
				t.Fatalf("%s: %v", format, err)
			}
		}
	})
}

func TestStatement(t *testing.T) {
	p := mustProject(t, "../examples/demo")
	l := mustLock(t, "../examples/demo/requirements.txt")
	inv, err := New(Options{Project: p, Lock: l, Time: epoch, Dists: []string{
		"../examples/demo/wheelhouse/wheel-0.43.0-py3-none-any.whl",
		"../examples/demo/dist/pedigree_demo-0.1.0-py3-none-any.whl",
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Formats {
		st, payload, err := inv.Statement(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.PredicateType != PredicateType(f) || len(st.Subject) != 1 || st.Subject[0].Name != "pedigree_demo-0.1.0-py3-none-any.whl" {
			t.Fatalf("statement %s %+v", st.PredicateType, st.Subject)
		}
		parsed, err := slsa.ParseStatement(payload)
		if err != nil {
			t.Fatal(err)
		}
		checkValid(t, f, parsed.Predicate)
		doc, _ := inv.Encode(f)
		if id(t, f, doc) != id(t, f, parsed.Predicate) {
			t.Errorf("the predicate is not the document Encode writes")
		}
	}
	noDists, err := New(Options{Project: p, Lock: l, Time: epoch, Dists: []string{"../examples/demo/wheelhouse/wheel-0.43.0-py3-none-any.whl"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := noDists.Statement(FormatSPDXJSON); !errors.Is(err, ErrNoSubjects) {
		t.Fatalf("got %v, want ErrNoSubjects", err)
	}
	if PredicateType("spdx-tv") != "" {
		t.Error("a predicate type for an unknown format")
	}
}
