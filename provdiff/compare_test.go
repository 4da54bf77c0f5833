package provdiff

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/slsa"
)

var update = flag.Bool("update", false, "rewrite golden files")

func load(t *testing.T, path string) *slsa.Statement {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st slsa.Statement
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &st
}

func TestCompareGolden(t *testing.T) {
	a := load(t, "testdata/build-1.json")
	b := load(t, "testdata/build-2.json")
	r, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "build-1-vs-2.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(got, '\n'), want) {
		t.Errorf("report differs from %s (run with -update to rewrite):\n%s", golden, got)
	}
	if r.Identical {
		t.Error("Identical = true for different builds")
	}
	// The facts a person asks about, independent of the golden file.
	if len(r.Dependencies.Changed) != 1 || r.Dependencies.Changed[0].Key != "pkg:pypi/wheel" {
		t.Errorf("dependency changes = %+v, want wheel 0.43.0 -> 0.44.0", r.Dependencies.Changed)
	}
	if len(r.Dependencies.Added) != 1 || r.Dependencies.Added[0].URI != "pkg:pypi/packaging@24.1" {
		t.Errorf("added = %+v", r.Dependencies.Added)
	}
	if len(r.Dependencies.Removed) != 1 || r.Dependencies.Removed[0].URI != "pkg:pypi/setuptools@69.0.0" {
		t.Errorf("removed = %+v", r.Dependencies.Removed)
	}
	if r.Dependencies.Unchanged != 2 || r.Subjects.Unchanged != 1 || len(r.Subjects.Changed) != 1 {
		t.Errorf("unchanged deps %d, subjects %+v", r.Dependencies.Unchanged, r.Subjects)
	}
}

func TestCompareSelf(t *testing.T) {
	a := load(t, "testdata/build-1.json")
	r, err := Compare(a, a)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Identical || len(r.Metadata) != 0 || r.Dependencies.Unchanged != 4 {
		t.Errorf("self comparison: %+v", r)
	}
}

func TestCompareOnlyMetadata(t *testing.T) {
	a := load(t, "testdata/build-1.json")
	b := load(t, "testdata/build-1.json")
	b.Predicate = bytes.Replace(b.Predicate, []byte(`"finishedOn": "2026-01-01T00:02:00Z"`), []byte(`"finishedOn": "2026-01-01T00:05:00Z"`), 1)
	r, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Identical || len(r.Metadata) != 1 || r.Metadata[0].Path != "finishedOn" {
		t.Errorf("metadata-only change: identical %v, metadata %+v", r.Identical, r.Metadata)
	}
}

func TestCompareErrors(t *testing.T) {
	a := load(t, "testdata/build-1.json")
	other := *a
	other.PredicateType = "https://example.com/other/v1"
	broken := *a
	broken.Predicate = json.RawMessage(`{"buildDefinition": "nope"}`)
	empty := *a
	empty.Predicate = nil
	for name, b := range map[string]*slsa.Statement{"other type": &other, "broken": &broken, "no predicate": &empty} {
		if _, err := Compare(a, b); !errors.Is(err, ErrNotProvenance) {
			t.Errorf("%s: err = %v, want ErrNotProvenance", name, err)
		}
		if _, err := Compare(b, a); !errors.Is(err, ErrNotProvenance) {
			t.Errorf("%s (as a): err = %v, want ErrNotProvenance", name, err)
		}
	}
}

func TestDependencyKey(t *testing.T) {
	tests := []struct {
		r    slsa.ResourceDescriptor
		want string
	}{
		{slsa.ResourceDescriptor{URI: "pkg:pypi/wheel@0.43.0"}, "pkg:pypi/wheel"},
		{slsa.ResourceDescriptor{URI: "pkg:pypi/wheel@0.43.0?file_name=wheel-0.43.0-py3-none-any.whl"}, "pkg:pypi/wheel"},
		{slsa.ResourceDescriptor{URI: "pkg:npm/%40scope/x@1#sub"}, "pkg:npm/%40scope/x"},
		{slsa.ResourceDescriptor{URI: "git+https://github.com/o/r@refs/tags/v1"}, "git+https://github.com/o/r"},
		{slsa.ResourceDescriptor{URI: "https://user@host/path"}, "https://user@host/path"},
		{slsa.ResourceDescriptor{URI: "bash@sha256:9e2b"}, "bash"},
		{slsa.ResourceDescriptor{Name: "x.whl"}, "x.whl"},
		{slsa.ResourceDescriptor{Digest: map[string]string{"sha256": "ab", "md5": "cd"}}, "md5:cd,sha256:ab"},
	}
	for _, tt := range tests {
		if got := dependencyKey(tt.r); got != tt.want {
			t.Errorf("dependencyKey(%+v) = %q, want %q", tt.r, got, tt.want)
		}
	}
}

// TestCompareRealProvenance compares two real slsa-github-generator
// container-based builds of different tags (SLSA v1 in Sigstore bundles).
func TestCompareRealProvenance(t *testing.T) {
	dir := testshared.Dir(t, "vectors", "slsa-github-generator", "gha_container-based", "v2.1.0")
	read := func(name string) *slsa.Statement {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var bundle struct {
			DSSEEnvelope struct {
				Payload []byte `json:"payload"`
			} `json:"dsseEnvelope"`
		}
		if err := json.Unmarshal(data, &bundle); err != nil {
			t.Fatal(err)
		}
		var st slsa.Statement
		if err := json.Unmarshal(bundle.DSSEEnvelope.Payload, &st); err != nil {
			t.Fatal(err)
		}
		return &st
	}
	a := read("binary-linux-amd64-push-v13.0.30.intoto.build.slsa")
	b := read("binary-linux-amd64-push-v14.intoto.build.slsa")
	r, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if r.Identical || len(r.Builder) != 0 || len(r.BuildType) != 0 {
		t.Errorf("builder %+v buildType %+v identical %v", r.Builder, r.BuildType, r.Identical)
	}
	var refChanged bool
	for _, c := range r.Parameters {
		if c.Path == "internalParameters.GITHUB_REF" && string(c.Old) == `"refs/tags/v13.0.30"` && string(c.New) == `"refs/tags/v14"` {
			refChanged = true
		}
	}
	if !refChanged {
		t.Errorf("GITHUB_REF change not reported: %+v", r.Parameters)
	}
	if len(r.Dependencies.Changed) != 1 || r.Dependencies.Changed[0].Key != "git+https://github.com/slsa-framework/example-package" {
		t.Errorf("source dependency change: %+v", r.Dependencies)
	}
}

func TestCompareRenamedSubject(t *testing.T) {
	a := load(t, "testdata/build-1.json")
	b := load(t, "testdata/build-1.json")
	b.Subject = slices.Clone(b.Subject)
	b.Subject[1].Name = "renamed.tar.gz"
	r, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Subjects.Changed) != 1 || r.Subjects.Changed[0].New.Name != "renamed.tar.gz" || len(r.Subjects.Added) != 0 {
		t.Errorf("rename not paired by digest: %+v", r.Subjects)
	}
	if r.Identical {
		t.Error("a renamed subject is a difference")
	}
}

// FuzzCompare feeds arbitrary predicates to Compare: it must not panic, and
// a statement compared with itself must be identical.
func FuzzCompare(f *testing.F) {
	for _, name := range []string{"testdata/build-1.json", "testdata/build-2.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var st slsa.Statement
		if err := json.Unmarshal(data, &st); err != nil {
			f.Fatal(err)
		}
		f.Add(st.PredicateType, []byte(st.Predicate))
	}
	f.Add(slsa.PredicateProvenanceV02, []byte(`{"builder":{"id":"x"},"buildType":"t","materials":[{"uri":"git+https://h/r@v1"}]}`))
	f.Fuzz(func(t *testing.T, predicateType string, predicate []byte) {
		st := &slsa.Statement{Type: slsa.StatementTypeV1, PredicateType: predicateType, Predicate: predicate}
		r, err := Compare(st, st)
		if err != nil {
			if !errors.Is(err, ErrNotProvenance) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		if !r.Identical || len(r.Metadata) != 0 {
			t.Fatalf("self comparison differs: %+v", r)
		}
	})
}

// BenchmarkCompare compares two statements of 10,000 resolved dependencies
// each, a tenth of them changed in version.
func BenchmarkCompare(b *testing.B) {
	mk := func(bump int) *slsa.Statement {
		deps := make([]any, 10000)
		for i := range deps {
			v := 1
			if i%10 == 0 {
				v += bump
			}
			deps[i] = map[string]any{
				"uri":    fmt.Sprintf("pkg:pypi/package-%d@%d.0", i, v),
				"digest": map[string]any{"sha256": fmt.Sprintf("%064x", i*7+v)},
			}
		}
		pred, _ := json.Marshal(map[string]any{
			"buildDefinition": map[string]any{"buildType": "https://example.com/bt", "externalParameters": map[string]any{"a": 1}, "resolvedDependencies": deps},
			"runDetails":      map[string]any{"builder": map[string]any{"id": "https://example.com/builder"}},
		})
		return &slsa.Statement{Type: slsa.StatementTypeV1, PredicateType: slsa.PredicateProvenanceV1,
			Subject: []slsa.ResourceDescriptor{{Name: "x", Digest: map[string]string{"sha256": strings.Repeat("a", 64)}}}, Predicate: pred}
	}
	a, c := mk(0), mk(1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Compare(a, c)
		if err != nil || len(r.Dependencies.Changed) != 1000 || r.Dependencies.Unchanged != 9000 {
			b.Fatalf("%v %d %d", err, len(r.Dependencies.Changed), r.Dependencies.Unchanged)
		}
	}
}

// TestDiffListsEmptyKey: resources with no name, URI or digest have no key
// and are never paired as changed.
func TestDiffListsEmptyKey(t *testing.T) {
	a := []slsa.ResourceDescriptor{{Annotations: map[string]any{"n": 1}}, {Annotations: map[string]any{"n": 2}}}
	b := []slsa.ResourceDescriptor{{Annotations: map[string]any{"n": 3}}, {Annotations: map[string]any{"n": 2}}}
	d := diffLists(a, b, subjectKey, digestKey)
	if len(d.Changed) != 0 || len(d.Added) != 1 || len(d.Removed) != 1 || d.Unchanged != 1 {
		t.Errorf("keyless resources: %+v", d)
	}
}
