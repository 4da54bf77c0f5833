package verify

import (
	"errors"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/sigstore"
)

const (
	exampleSource = "github.com/slsa-framework/example-package"
	gen           = "slsa-github-generator/"
	genericV14    = gen + "gha_generic/v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl"
	genericV142   = gen + "gha_generic/v2.1.0/binary-linux-amd64-push-v14.2.intoto.jsonl"
	genericV13    = gen + "gha_generic/v2.1.0/binary-linux-amd64-push-v13.0.30.intoto.jsonl"
	genericWD     = gen + "gha_generic/v2.1.0/binary-linux-amd64-workflow_dispatch.intoto.jsonl"
	goV14         = gen + "gha_go/v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl"
	delegV14      = gen + "gha_delegator/v2.1.0/binary-linux-amd64-push-v14.build.slsa"
	delegV13      = gen + "gha_delegator/v2.1.0/binary-linux-amd64-push-v13.0.30.build.slsa"
	delegWD       = gen + "gha_delegator/v2.1.0/binary-linux-amd64-workflow_dispatch.build.slsa"
	mavenV14      = gen + "gha_maven/v2.1.0/binary-linux-amd64-push-v14.build.slsa"
	mavenWD       = gen + "gha_maven/v2.1.0/binary-linux-amd64-workflow_dispatch.build.slsa"
	gradleV14     = gen + "gha_gradle/v2.1.0/binary-linux-amd64-push-v14.build.slsa"
	containerV14  = gen + "gha_container-based/v2.1.0/binary-linux-amd64-push-v14.intoto.build.slsa"
	containerWD   = gen + "gha_container-based/v2.1.0/binary-linux-amd64-workflow_dispatch.intoto.build.slsa"
	pypiSLSA      = "pypi/pypi_attestations-0.0.19.tar.gz.slsa.attestation"
	pypiPublish   = "pypi/pypi_attestations-0.0.19.tar.gz.publish.attestation"

	trw        = "https://github.com/slsa-framework/example-trw/.github/workflows/builder_high-perms_slsa3.yml"
	mavenTRW   = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_maven_slsa3.yml"
	pypiSource = "github.com/trailofbits/pypi-attestations"
	pypiWF     = "https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml"
)

// TestCheckProvenanceVectors restates, at the policy level, the outcomes
// slsa-verifier's regression tests assert for slsa-github-generator v2.1.0.
func TestCheckProvenanceVectors(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		policy   ProvenancePolicy
		wantErr  error
		wantBldr string
	}{
		{name: "generic push v14", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			wantBldr: BuilderGenericGenerator + "@refs/tags/v2.1.0"},
		{name: "generic push v14.2", file: genericV142, policy: ProvenancePolicy{SourceURI: exampleSource}},
		{name: "generic push v13.0.30", file: genericV13, policy: ProvenancePolicy{SourceURI: exampleSource}},
		{name: "generic dispatch", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource}},
		{name: "source as https URL", file: genericV14, policy: ProvenancePolicy{SourceURI: "https://" + exampleSource}},
		{name: "source as git+https URL", file: genericV14, policy: ProvenancePolicy{SourceURI: "git+https://" + exampleSource}},
		{name: "versioned v14", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v14"}},
		{name: "versioned v14.0", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v14.0"}},
		{name: "versioned v14.0.0", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v14.0.0"}},
		{name: "versioned v14.1", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v14.1"}, wantErr: ErrVersionedTagMismatch},
		{name: "versioned v15", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v15"}, wantErr: ErrVersionedTagMismatch},
		{name: "versioned v14.2 on v14.2", file: genericV142, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v14.2"}},
		{name: "versioned v14.2.1 on v14.2", file: genericV142, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v14.2.1"}, wantErr: ErrVersionedTagMismatch},
		{name: "versioned v13 on v13.0.30", file: genericV13, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v13"}},
		{name: "tag v14", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceTag: "v14"}},
		{name: "tag v13.0.29 on v13.0.30", file: genericV13, policy: ProvenancePolicy{SourceURI: exampleSource, SourceTag: "v13.0.29"}, wantErr: ErrTagMismatch},
		{name: "builder short ref", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: BuilderGenericGenerator + "@v2.1.0"}},
		{name: "builder long ref", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: BuilderGenericGenerator + "@refs/tags/v2.1.0"}},
		{name: "builder no ref", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: BuilderGenericGenerator}},
		{name: "builder other version", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: BuilderGenericGenerator + "@v2.0.0"}, wantErr: ErrUntrustedBuilder},
		{name: "builder untrusted", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: generatorWorkflows + "not-trusted.yml"}, wantErr: ErrUntrustedBuilder},
		{name: "wrong source", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource + "A"}, wantErr: ErrSourceMismatch},
		{name: "dispatch branch main", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource, SourceBranch: "main"}},
		{name: "dispatch branch master", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource, SourceBranch: "master"}, wantErr: ErrBranchMismatch},
		{name: "dispatch is not a tag", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource, SourceTag: "v1.2.3"}, wantErr: ErrTagMismatch},
		{name: "dispatch is not a versioned tag", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v1"}, wantErr: ErrVersionedTagMismatch},
		{name: "tag push records its base branch", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceBranch: "main"}},
		{name: "dispatch has no inputs", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource, WorkflowInputs: map[string]string{"x": "1"}}, wantErr: ErrMalformedProvenance},
		{name: "push has no inputs", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, WorkflowInputs: map[string]string{"x": "1"}}, wantErr: ErrWorkflowInputsMismatch},
		{name: "go push v14", file: goV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceTag: "v14"}, wantBldr: BuilderGo + "@refs/tags/v2.1.0"},
		{name: "builder id only", file: goV14, policy: ProvenancePolicy{BuilderID: BuilderGo}},
		{name: "delegator v13.0.30", file: delegV13, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw}, wantBldr: trw + "@refs/tags/v2.1.0"},
		{name: "delegator v14 versioned", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw, SourceVersionedTag: "v14"}},
		{name: "delegator v14 tag", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw, SourceTag: "v14"}},
		{name: "delegator builder with ref", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw + "@v2.1.0"}},
		{name: "delegator builder wrong ref", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw + "@v2.0.0"}, wantErr: ErrBuilderMismatch},
		{name: "delegator no builder id", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource}, wantErr: ErrUntrustedBuilder},
		{name: "delegator wrong builder", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: mavenTRW}, wantErr: ErrBuilderMismatch},
		{name: "delegator dispatch main", file: delegWD, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw, SourceBranch: "main"}},
		{name: "delegator dispatch master", file: delegWD, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw, SourceBranch: "master"}, wantErr: ErrBranchMismatch},
		{name: "delegator tag push base branch", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw, SourceBranch: "main"}},
		{name: "maven named", file: mavenV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: mavenTRW}, wantBldr: mavenTRW + "@refs/tags/v2.1.0"},
		{name: "maven is the generator's own", file: mavenV14, policy: ProvenancePolicy{SourceURI: exampleSource}},
		{name: "maven dispatch master", file: mavenWD, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: mavenTRW, SourceBranch: "master"}, wantErr: ErrBranchMismatch},
		{name: "gradle", file: gradleV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: generatorWorkflows + "builder_gradle_slsa3.yml"}},
		{name: "container-based", file: containerV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: BuilderContainerBased, SourceVersionedTag: "v14"}},
		{name: "container-based default", file: containerV14, policy: ProvenancePolicy{SourceURI: exampleSource}},
		{name: "container-based dispatch master", file: containerWD, policy: ProvenancePolicy{SourceURI: exampleSource, SourceBranch: "master"}, wantErr: ErrBranchMismatch},
		{name: "container-based dispatch main", file: containerWD, policy: ProvenancePolicy{SourceURI: exampleSource, SourceBranch: "main"}},
		{name: "no policy", file: genericV14, wantErr: ErrNoPolicy},
		{name: "tag and versioned tag", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceTag: "v14", SourceVersionedTag: "v14"}, wantErr: ErrInvalidPolicy},
		{name: "versioned tag not semver", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "14"}, wantErr: ErrInvalidPolicy},
		{name: "source URI with ref", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource + "@refs/tags/v14"}, wantErr: ErrInvalidPolicy},
		{name: "builder id with two refs", file: genericV14, policy: ProvenancePolicy{BuilderID: "a@b@c"}, wantErr: ErrInvalidPolicy},
		{name: "workflow input without a name", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, WorkflowInputs: map[string]string{"": "x"}}, wantErr: ErrInvalidPolicy},
		// GitHub's own buildType (actions/attest): the workflow must be named.
		{name: "github buildType named", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: pypiSource, BuilderID: pypiWF, SourceTag: "v0.0.19"},
			wantBldr: pypiWF + "@refs/tags/v0.0.19"},
		{name: "github buildType versioned", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: pypiSource, BuilderID: pypiWF + "@v0.0.19", SourceVersionedTag: "v0.0"}},
		{name: "github buildType not named", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: pypiSource}, wantErr: ErrUntrustedBuilder},
		{name: "github buildType branch", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: pypiSource, BuilderID: pypiWF, SourceBranch: "main"}, wantErr: ErrBranchMismatch},
		{name: "github buildType inputs", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: pypiSource, BuilderID: pypiWF, WorkflowInputs: map[string]string{"a": "b"}}, wantErr: ErrWorkflowInputsMismatch},
		{name: "github buildType wrong source", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: pypiWF}, wantErr: ErrSourceMismatch},
		{name: "publish predicate is not provenance", file: pypiPublish, policy: ProvenancePolicy{SourceURI: pypiSource, BuilderID: pypiWF}, wantErr: ErrUnknownPredicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := loadVector(t, tt.file)
			got, err := CheckProvenance(v.stmt, ProvenanceOptions{Policy: tt.policy, Certificate: v.cert})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CheckProvenance() error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if tt.wantBldr != "" && got.BuilderID != tt.wantBldr {
				t.Errorf("BuilderID = %q, want %q", got.BuilderID, tt.wantBldr)
			}
			if got.SourceURI == "" || got.SourceRef == "" {
				t.Errorf("source not reported: %+v", got)
			}
		})
	}
}

// TestCheckProvenanceTampered changes one fact at a time in real
// provenance or its certificate and expects the policy to notice.
func TestCheckProvenanceTampered(t *testing.T) {
	type edit = func(pred map[string]any, cert *sigstore.Certificate)
	setMaterial := func(uri string) edit {
		return func(pred map[string]any, _ *sigstore.Certificate) {
			pred["materials"].([]any)[0].(map[string]any)["uri"] = uri
		}
	}
	tests := []struct {
		name    string
		file    string
		policy  ProvenancePolicy
		edit    edit
		wantErr error
	}{
		{name: "provenance names another builder version", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				pred["builder"].(map[string]any)["id"] = BuilderGenericGenerator + "@refs/tags/v2.1.1"
			}, wantErr: ErrBuilderMismatch},
		{name: "buildType of another builder", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit:    func(pred map[string]any, _ *sigstore.Certificate) { pred["buildType"] = BuildTypeGoBuilder },
			wantErr: ErrUnknownBuildType},
		{name: "unknown buildType", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit:    func(pred map[string]any, _ *sigstore.Certificate) { pred["buildType"] = "https://example.com/build@v1" },
			wantErr: ErrUnknownBuildType},
		{name: "builder at a branch", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, c *sigstore.Certificate) {
				c.SubjectAlternativeName = BuilderGenericGenerator + "@refs/heads/main"
				c.BuildSignerURI = c.SubjectAlternativeName
			}, wantErr: ErrInvalidBuilderRef},
		{name: "builder at a prerelease", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, c *sigstore.Certificate) {
				c.SubjectAlternativeName = BuilderGenericGenerator + "@refs/tags/v2.1.0-rc.1"
				c.BuildSignerURI = c.SubjectAlternativeName
			}, wantErr: ErrInvalidBuilderRef},
		{name: "builder at a short tag", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, c *sigstore.Certificate) {
				c.SubjectAlternativeName = BuilderGenericGenerator + "@refs/tags/v2"
				c.BuildSignerURI = c.SubjectAlternativeName
			}, wantErr: ErrInvalidBuilderRef},
		{name: "SAN and build signer differ", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, c *sigstore.Certificate) {
				c.SubjectAlternativeName = BuilderGo + "@refs/tags/v2.1.0"
			}, wantErr: ErrUntrustedBuilder},
		{name: "builder on another host", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, c *sigstore.Certificate) {
				c.SubjectAlternativeName = "https://github.com.evil.example/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0"
				c.BuildSignerURI = ""
			}, wantErr: ErrUntrustedBuilder},
		{name: "not GitHub Actions", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit:    func(pred map[string]any, c *sigstore.Certificate) { c.Issuer = "https://accounts.google.com" },
			wantErr: ErrUntrustedIssuer},
		{name: "certificate from another repository", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, c *sigstore.Certificate) {
				c.SourceRepositoryURI = "https://github.com/evil/example-package"
			}, wantErr: ErrSourceMismatch},
		{name: "certificate without source repository", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, c *sigstore.Certificate) { c.SourceRepositoryURI = "" }, wantErr: ErrSourceMismatch},
		{name: "no materials", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, _ *sigstore.Certificate) { delete(pred, "materials") }, wantErr: ErrMalformedProvenance},
		{name: "material from another repository", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: setMaterial("git+https://github.com/evil/example-package@refs/tags/v14"), wantErr: ErrSourceMismatch},
		{name: "material at another ref", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: setMaterial("git+https://github.com/slsa-framework/example-package@refs/tags/v15"), wantErr: ErrMalformedProvenance},
		{name: "material without ref", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: setMaterial("git+https://github.com/slsa-framework/example-package"), wantErr: ErrMalformedProvenance},
		{name: "material not a git URI", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: setMaterial("https://github.com/slsa-framework/example-package@refs/tags/v14"), wantErr: ErrMalformedProvenance},
		{name: "trigger from another repository", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				pred["invocation"].(map[string]any)["configSource"].(map[string]any)["uri"] = "git+https://github.com/evil/x@refs/tags/v14"
			}, wantErr: ErrSourceMismatch},
		{name: "unknown ref type", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceTag: "v14"},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				pred["invocation"].(map[string]any)["environment"].(map[string]any)["github_ref_type"] = "note"
			}, wantErr: ErrMalformedProvenance},
		{name: "no GitHub context", file: genericV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceTag: "v14"},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				delete(pred["invocation"].(map[string]any), "environment")
			}, wantErr: ErrMalformedProvenance},
		{name: "workflow inputs match", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource, WorkflowInputs: map[string]string{"release": "yes"}},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				env := pred["invocation"].(map[string]any)["environment"].(map[string]any)
				env["github_event_payload"].(map[string]any)["inputs"] = map[string]any{"release": "yes", "other": "1"}
			}},
		{name: "workflow input differs", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource, WorkflowInputs: map[string]string{"release": "no"}},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				env := pred["invocation"].(map[string]any)["environment"].(map[string]any)
				env["github_event_payload"].(map[string]any)["inputs"] = map[string]any{"release": "yes"}
			}, wantErr: ErrWorkflowInputsMismatch},
		{name: "workflow input not recorded", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource, WorkflowInputs: map[string]string{"missing": "x"}},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				env := pred["invocation"].(map[string]any)["environment"].(map[string]any)
				env["github_event_payload"].(map[string]any)["inputs"] = map[string]any{"release": "yes"}
			}, wantErr: ErrWorkflowInputsMismatch},
		{name: "workflow input not a string", file: genericWD, policy: ProvenancePolicy{SourceURI: exampleSource, WorkflowInputs: map[string]string{"n": "1"}},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				env := pred["invocation"].(map[string]any)["environment"].(map[string]any)
				env["github_event_payload"].(map[string]any)["inputs"] = map[string]any{"n": 1}
			}, wantErr: ErrWorkflowInputsMismatch},
		{name: "BYOB workflow inputs", file: delegWD, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw, WorkflowInputs: map[string]string{"k": "v"}},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				ip := pred["buildDefinition"].(map[string]any)["internalParameters"].(map[string]any)
				ip["GITHUB_EVENT_PAYLOAD"].(map[string]any)["inputs"] = map[string]any{"k": "v"}
			}},
		{name: "delegated builder at a branch", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				pred["runDetails"].(map[string]any)["builder"].(map[string]any)["id"] = trw + "@refs/heads/main"
			}, wantErr: ErrInvalidBuilderRef},
		{name: "delegated builder without ref", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				pred["runDetails"].(map[string]any)["builder"].(map[string]any)["id"] = trw
			}, wantErr: ErrInvalidBuilderRef},
		{name: "delegator source without ref", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				rd := pred["buildDefinition"].(map[string]any)["resolvedDependencies"].([]any)
				rd[0].(map[string]any)["uri"] = "git+https://github.com/slsa-framework/example-package"
			}},
		{name: "delegator trigger elsewhere", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				ip := pred["buildDefinition"].(map[string]any)["internalParameters"].(map[string]any)
				ip["GITHUB_WORKFLOW_REF"] = "evil/repo/.github/workflows/x.yml@refs/tags/v14"
			}, wantErr: ErrSourceMismatch},
		{name: "delegator trigger malformed", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, BuilderID: trw},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				ip := pred["buildDefinition"].(map[string]any)["internalParameters"].(map[string]any)
				ip["GITHUB_WORKFLOW_REF"] = "no-ref"
			}, wantErr: ErrMalformedProvenance},
		{name: "github buildType unknown external parameter", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: pypiSource, BuilderID: pypiWF},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				pred["buildDefinition"].(map[string]any)["externalParameters"].(map[string]any)["extra"] = "x"
			}, wantErr: ErrMalformedProvenance},
		{name: "github buildType builder differs from certificate", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: pypiSource, BuilderID: pypiWF},
			edit: func(pred map[string]any, _ *sigstore.Certificate) {
				pred["runDetails"].(map[string]any)["builder"].(map[string]any)["id"] = pypiWF + "@refs/tags/v0.0.18"
			}, wantErr: ErrBuilderMismatch},
		{name: "github buildType at a branch", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: pypiSource, BuilderID: pypiWF},
			edit: func(pred map[string]any, c *sigstore.Certificate) {
				c.SubjectAlternativeName = pypiWF + "@refs/heads/main"
				c.BuildSignerURI = c.SubjectAlternativeName
			}, wantErr: ErrInvalidBuilderRef},
		{name: "missing builder id", file: goV14, policy: ProvenancePolicy{SourceURI: exampleSource},
			edit:    func(pred map[string]any, _ *sigstore.Certificate) { delete(pred, "builder") },
			wantErr: ErrMalformedProvenance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := loadVector(t, tt.file)
			cert := *v.cert
			st := mutate(t, v.stmt, func(pred map[string]any) { tt.edit(pred, &cert) })
			_, err := CheckProvenance(st, ProvenanceOptions{Policy: tt.policy, Certificate: &cert})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CheckProvenance() error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestCheckProvenanceTrustedSigner covers signers trusted directly: an
// identity the user named, or a public key. slsa-github-generator's builder
// rules do not apply; the provenance's claims are still checked.
func TestCheckProvenanceTrustedSigner(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		policy   ProvenancePolicy
		keySig   bool
		edit     func(pred map[string]any)
		wantErr  error
		wantBldr string
	}{
		{name: "identity and source", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: pypiSource, SourceTag: "v0.0.19"}, wantBldr: pypiWF + "@refs/tags/v0.0.19"},
		{name: "identity and nothing else", file: pypiSLSA},
		{name: "identity, wrong source", file: pypiSLSA, policy: ProvenancePolicy{SourceURI: exampleSource}, wantErr: ErrSourceMismatch},
		{name: "identity, builder matches", file: pypiSLSA, policy: ProvenancePolicy{BuilderID: pypiWF}},
		{name: "identity, builder differs", file: pypiSLSA, policy: ProvenancePolicy{BuilderID: BuilderGo}, wantErr: ErrBuilderMismatch},
		{name: "identity, branch", file: pypiSLSA, policy: ProvenancePolicy{SourceBranch: "main"}, wantErr: ErrBranchMismatch},
		{name: "identity on a delegator, no builder id needed", file: delegV14, policy: ProvenancePolicy{SourceURI: exampleSource, SourceTag: "v14"}, wantBldr: trw + "@refs/tags/v2.1.0"},
		{name: "key, source", file: genericV14, keySig: true, policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v14"}},
		{name: "key, source elsewhere", file: genericV14, keySig: true, policy: ProvenancePolicy{SourceURI: "gitlab.com/x/y"}, wantErr: ErrSourceMismatch},
		{name: "key, unknown buildType reads the first material", file: genericV14, keySig: true,
			policy: ProvenancePolicy{SourceURI: exampleSource, SourceTag: "v14", BuilderID: BuilderGenericGenerator},
			edit:   func(pred map[string]any) { pred["buildType"] = "https://pedigree.dev/build@v1" }},
		{name: "key, unknown buildType has no inputs", file: genericV14, keySig: true,
			policy:  ProvenancePolicy{WorkflowInputs: map[string]string{"a": "b"}},
			edit:    func(pred map[string]any) { pred["buildType"] = "https://pedigree.dev/build@v1" },
			wantErr: ErrUnknownBuildType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := loadVector(t, tt.file)
			st := v.stmt
			if tt.edit != nil {
				st = mutate(t, st, tt.edit)
			}
			o := ProvenanceOptions{Policy: tt.policy, Certificate: v.cert, IdentityChecked: true}
			if tt.keySig {
				o = ProvenanceOptions{Policy: tt.policy}
			}
			got, err := CheckProvenance(st, o)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CheckProvenance() error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && tt.wantBldr != "" && got.BuilderID != tt.wantBldr {
				t.Errorf("BuilderID = %q, want %q", got.BuilderID, tt.wantBldr)
			}
		})
	}
}

func TestMatchVersionedTag(t *testing.T) {
	tests := []struct {
		tag, want string
		wantErr   error
	}{
		{"v14", "v14", nil},
		{"v14.0.3", "v14", nil},
		{"v14.0.3", "v14.0", nil},
		{"v14.2.1", "v14.1", ErrVersionedTagMismatch},
		{"v14.2.1", "v14.2.1", nil},
		{"v14.2.1+build.5", "v14.2.1", nil},
		{"v14.2.1", "v14.2.1+other", nil},
		{"v14.2.1-rc.1", "v14.2.1", ErrVersionedTagMismatch},
		{"v14.2.1-rc.1", "v14.2.1-rc.1", nil},
		{"v14.2.1-rc.1", "v14.2", nil},
		{"v15.0.0", "v14", ErrVersionedTagMismatch},
		{"release-14", "v14", ErrVersionedTagMismatch},
		{"v14", "14", ErrInvalidPolicy},
		{"v1.10.0", "v1.1", ErrVersionedTagMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.tag+"~"+tt.want, func(t *testing.T) {
			if err := matchVersionedTag(tt.tag, tt.want); !errors.Is(err, tt.wantErr) {
				t.Fatalf("matchVersionedTag(%q, %q) = %v, want %v", tt.tag, tt.want, err, tt.wantErr)
			}
		})
	}
}

func TestBuilderMatches(t *testing.T) {
	const name = "https://github.com/o/r/.github/workflows/b.yml"
	tests := []struct {
		ref, want string
		full      bool
		wantErr   error
	}{
		{"refs/tags/v1.2.3", name, false, nil},
		{"refs/tags/v1.2.3", name + "@v1.2.3", false, nil},
		{"refs/tags/v1.2.3", name + "@refs/tags/v1.2.3", false, nil},
		{"refs/tags/v1.2.3", name + "@v1.2.4", false, ErrBuilderMismatch},
		{"refs/tags/v1.2.3", name + "x", false, ErrBuilderMismatch},
		{"refs/tags/v1.2.3", name, true, ErrBuilderMismatch},
		{"refs/tags/v1.2.3", name + "@v1.2.3", true, nil},
		{"refs/tags/v1.2.3", "", false, ErrInvalidPolicy},
		{"refs/tags/v1.2.3", name + "@", false, ErrInvalidPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			var err error
			if tt.full {
				err = builderMatchesFull(name, tt.ref, tt.want)
			} else {
				err = builderMatchesLoose(name, tt.ref, tt.want)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// Every error a person sees should say what to do or what differed.
func TestErrorMessagesNameTheFix(t *testing.T) {
	v := loadVector(t, delegV14)
	_, err := CheckProvenance(v.stmt, ProvenanceOptions{Policy: ProvenancePolicy{SourceURI: exampleSource}, Certificate: v.cert})
	if err == nil || !strings.Contains(err.Error(), "--builder-id") {
		t.Fatalf("error %v does not tell the user about --builder-id", err)
	}
	_, err = CheckProvenance(v.stmt, ProvenanceOptions{Certificate: v.cert})
	if err == nil || !strings.Contains(err.Error(), "--source-uri") {
		t.Fatalf("error %v does not say which flags give a policy", err)
	}
}
