package verify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

// seedStatements adds the statements of the shared vectors (when ../shared
// is there; the fuzz targets run without it too) and of testdata.
func seedStatements(f *testing.F) {
	f.Helper()
	if dir := testshared.Path("vectors"); dir != "" {
		for _, rel := range []string{genericV14, genericWD, goV14, delegV14, mavenV14, containerV14, pypiSLSA, pypiPublish} {
			data, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil {
				continue
			}
			var raw struct {
				DSSE *struct {
					Payload []byte `json:"payload"`
				} `json:"dsseEnvelope"`
				Envelope *struct {
					Statement []byte `json:"statement"`
				} `json:"envelope"`
			}
			if json.Unmarshal(data, &raw) != nil {
				continue
			}
			switch {
			case raw.DSSE != nil:
				f.Add(raw.DSSE.Payload)
			case raw.Envelope != nil:
				f.Add(raw.Envelope.Statement)
			}
		}
	}
	if p := testshared.Path("vectors", "vsa", "gke-gce-pre.bcid-vsa.jsonl"); p != "" {
		if data, err := os.ReadFile(p); err == nil {
			var env struct {
				Payload []byte `json:"payload"`
			}
			if json.Unmarshal(data, &env) == nil {
				f.Add(env.Payload)
			}
		}
	}
	seeds, _ := filepath.Glob(filepath.Join("testdata", "statements", "*.json"))
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
}

// FuzzCheckProvenance feeds arbitrary statements through the statement
// parser and every policy path: it must never panic, and never pass a
// statement that is not SLSA provenance.
func FuzzCheckProvenance(f *testing.F) {
	seedStatements(f)
	cert := &sigstore.Certificate{
		Issuer:                 GitHubActionsIssuer,
		SubjectAlternativeName: BuilderGenericGenerator + "@refs/tags/v2.1.0",
		SourceRepositoryURI:    "https://github.com/slsa-framework/example-package",
	}
	pol := ProvenancePolicy{SourceURI: exampleSource, SourceBranch: "main", SourceVersionedTag: "v14", WorkflowInputs: map[string]string{"a": "b"}}
	f.Fuzz(func(t *testing.T, payload []byte) {
		st, err := parseStatement(slsa.PayloadType, payload)
		if err != nil {
			return
		}
		for _, o := range []ProvenanceOptions{
			{Policy: pol, Certificate: cert},
			{Policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw}, Certificate: cert},
			{Policy: pol, Certificate: cert, IdentityChecked: true},
			{Policy: ProvenancePolicy{SourceTag: "v14"}},
			{},
		} {
			p, err := CheckProvenance(st, o)
			if err == nil && st.PredicateType != slsa.PredicateProvenanceV1 && st.PredicateType != slsa.PredicateProvenanceV02 {
				t.Fatalf("predicate type %q passed", st.PredicateType)
			}
			if err == nil && p == nil {
				t.Fatal("nil result without error")
			}
		}
		_ = CheckPEP740(st, PEP740Options{Filename: "pkg-1.0-py3-none-any.whl", Digest: map[string]string{"sha256": "00"}})
		if err := CheckVSA(st, VSAPolicy{VerifierID: "v", ResourceURI: "r", VerifiedLevels: []string{"SLSA_BUILD_LEVEL_1", "X"}}); err == nil && st.PredicateType != PredicateVSA {
			t.Fatalf("predicate type %q passed as a verification summary", st.PredicateType)
		}
	})
}

// FuzzParsePublisher: ParsePublisher never panics and what it accepts
// round-trips through String.
func FuzzParsePublisher(f *testing.F) {
	for _, s := range []string{"github:o/r", "github:o/r@release.yml", "gitlab:g/s/p@.gitlab-ci.yml", "x", "github:", "gitlab:a/../b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePublisher(s)
		if err != nil {
			return
		}
		again, err := ParsePublisher(p.String())
		if err != nil || again != p {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, p, p.String(), again, err)
		}
	})
}

// FuzzVersionedTag: the versioned-tag rule never panics, and a tag always
// matches itself when it is a valid policy.
func FuzzVersionedTag(f *testing.F) {
	for _, s := range [][2]string{{"v14", "v14"}, {"v14.2.1", "v14.2"}, {"v1.2.3-rc.1+b", "v1.2.3-rc.1"}, {"x", "v1"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, tag, want string) {
		_ = matchVersionedTag(tag, want)
		if CheckVersionedTagPolicy(tag) == nil {
			if err := matchVersionedTag(tag, tag); err != nil {
				t.Fatalf("%q does not match itself: %v", tag, err)
			}
		}
	})
}
