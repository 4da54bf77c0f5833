package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/buildenv"
	"github.com/pedigree-dev/pedigree/buildenv/buildenvtest"
	"github.com/pedigree-dev/pedigree/digest"
	genprov "github.com/pedigree-dev/pedigree/provenance"
	"github.com/pedigree-dev/pedigree/slsa"
)

const (
	sourceCommit = "4a7d1ed414474e4033ac29ccb8653d9b0123abcd"
	lockedCommit = "89abcdef0123456789abcdef0123456789abcdef"
	demoRepo     = "https://github.com/pedigree-dev/pedigree-demo.git"
)

// lockedDeps are what `attest --lock` appends: here a git package first
// (with a gitCommit, like a source) and a wheel.
var lockedDeps = []slsa.ResourceDescriptor{
	{Name: "lib", URI: "git+https://github.com/other/lib@" + lockedCommit, Digest: digest.Set{digest.GitCommit: lockedCommit}},
	{Name: "wheel", URI: "pkg:pypi/wheel@0.43.0", Digest: digest.Set{digest.SHA256: strings.Repeat("a", 64)}},
}

func gitNone(context.Context, string, ...string) (string, error) { return "", buildenv.ErrNoGit }

// gitCheckout answers like a clean checkout of demoRepo on main.
func gitCheckout(_ context.Context, _ string, args ...string) (string, error) {
	switch strings.Join(args, " ") {
	case "rev-parse --is-inside-work-tree":
		return "true\n", nil
	case "rev-parse --verify -q HEAD":
		return sourceCommit + "\n", nil
	case "symbolic-ref -q HEAD":
		return "refs/heads/main\n", nil
	case "remote":
		return "origin\n", nil
	case "remote get-url origin":
		return demoRepo + "\n", nil
	case "status --porcelain":
		return "", nil
	}
	return "", fmt.Errorf("unexpected git %v", args)
}

// generated is the statement `pedigree attest --lock` writes in a build
// context (with overrides as --source-uri/--source-commit give them).
func generated(t *testing.T, opts buildenv.Options, sourceURI, commit string) *slsa.Statement {
	t.Helper()
	opts.Args = []string{"pedigree", "attest", "--lock=requirements.txt", "a.whl"}
	c, err := buildenv.Detect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.OverrideSource(sourceURI, commit); err != nil {
		t.Fatal(err)
	}
	_, payload, err := genprov.Generate(genprov.Options{
		Subjects: []slsa.ResourceDescriptor{{Name: "a.whl", Digest: digest.Set{digest.SHA256: strings.Repeat("b", 64)}}},
		Build:    c, ResolvedDependencies: lockedDeps, DeriveInvocationID: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := slsa.ParseStatement(payload)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestPedigreeBuildTypeSource: the source of pedigree's own provenance is
// read where its buildType says (the source parameter, then
// resolvedDependencies[0]), never a locked package that happens to come
// first; with no source recorded, --source-uri fails saying so.
func TestPedigreeBuildTypeSource(t *testing.T) {
	noGit := generated(t, buildenv.Options{Git: gitNone}, "", "")
	withGit := generated(t, buildenv.Options{Git: gitCheckout}, "", "")
	commitOnly := generated(t, buildenv.Options{Git: gitNone}, "", sourceCommit)
	byHand := generated(t, buildenv.Options{Git: gitNone}, "https://github.com/pedigree-dev/pedigree-demo", sourceCommit)
	gitlab := generated(t, buildenv.Options{Env: buildenvtest.Env(t, "gitlab.env")}, "", "")
	github := generated(t, buildenv.Options{Env: buildenvtest.Env(t, "github.env")}, "", "")
	tests := []struct {
		name    string
		st      *slsa.Statement
		pol     ProvenancePolicy
		wantErr error
		wantMsg string
		// want is the source the report gives: URI, ref, commit.
		want [3]string
	}{
		{name: "no git: no source reported", st: noGit},
		{name: "no git: the locked git package is not the source", st: noGit,
			pol: ProvenancePolicy{SourceURI: "github.com/other/lib"}, wantErr: ErrSourceMismatch, wantMsg: "no source recorded"},
		{name: "no git: nor is any other repository", st: noGit,
			pol: ProvenancePolicy{SourceURI: "github.com/pedigree-dev/pedigree-demo"}, wantErr: ErrSourceMismatch, wantMsg: "no source recorded"},
		{name: "no git: no branch either", st: noGit,
			pol: ProvenancePolicy{SourceBranch: "main"}, wantErr: ErrBranchMismatch, wantMsg: "no source recorded"},
		{name: "no git: no tag either", st: noGit,
			pol: ProvenancePolicy{SourceTag: "v1"}, wantErr: ErrTagMismatch, wantMsg: "no source recorded"},
		{name: "git: the checkout is the source", st: withGit,
			pol:  ProvenancePolicy{SourceURI: "github.com/pedigree-dev/pedigree-demo.git", SourceBranch: "main"},
			want: [3]string{"git+" + demoRepo, "refs/heads/main", sourceCommit}},
		{name: "git: the locked package's repository is not", st: withGit,
			pol: ProvenancePolicy{SourceURI: "github.com/other/lib"}, wantErr: ErrSourceMismatch, wantMsg: "the build's source is git+" + demoRepo + "@refs/heads/main"},
		{name: "git: a branch build is no tag build", st: withGit,
			pol: ProvenancePolicy{SourceTag: "v0.1.0"}, wantErr: ErrTagMismatch},
		{name: "a commit alone: no repository to match", st: commitOnly,
			pol: ProvenancePolicy{SourceURI: "github.com/pedigree-dev/pedigree-demo"}, wantErr: ErrSourceMismatch, wantMsg: "no source repository recorded"},
		{name: "a commit alone: reported", st: commitOnly, want: [3]string{"", "", sourceCommit}},
		{name: "source given by hand", st: byHand,
			pol:  ProvenancePolicy{SourceURI: "github.com/pedigree-dev/pedigree-demo"},
			want: [3]string{"git+https://github.com/pedigree-dev/pedigree-demo", "", sourceCommit}},
		{name: "source given by hand has no ref", st: byHand,
			pol: ProvenancePolicy{SourceBranch: "main"}, wantErr: ErrBranchMismatch, wantMsg: "records no source ref"},
		{name: "GitLab", st: gitlab,
			pol:  ProvenancePolicy{SourceURI: "https://gitlab.com/pedigree-dev/pedigree-demo", SourceTag: "v0.1.0"},
			want: [3]string{"git+https://gitlab.com/pedigree-dev/pedigree-demo", "refs/tags/v0.1.0", "7c0ffee0123456789abcdef0123456789abcdef0"}},
		{name: "GitLab: not the locked package", st: gitlab,
			pol: ProvenancePolicy{SourceURI: "github.com/other/lib"}, wantErr: ErrSourceMismatch},
		{name: "GitHub with a lock", st: github,
			pol:  ProvenancePolicy{SourceURI: "github.com/pedigree-dev/pedigree-demo", SourceTag: "v0.1.0"},
			want: [3]string{"git+https://github.com/pedigree-dev/pedigree-demo", "refs/tags/v0.1.0", "2f1e5d4c3b2a19087f6e5d4c3b2a19087f6e5d4c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckProvenance(tt.st, ProvenanceOptions{Policy: tt.pol})
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("err = %v, want it to say %q", err, tt.wantMsg)
				}
				return
			}
			if g := [3]string{got.SourceURI, got.SourceRef, got.SourceCommit}; g != tt.want {
				t.Errorf("source %q, want %q", g, tt.want)
			}
		})
	}
}

// TestPedigreeBuildTypeSourceMalformed: a pedigree statement whose source
// parameter and first dependency disagree is malformed, not read either way.
func TestPedigreeBuildTypeSourceMalformed(t *testing.T) {
	base := generated(t, buildenv.Options{Git: gitCheckout}, "", "")
	edit := func(f func(p *slsa.ProvenanceV1)) *slsa.Statement {
		p, err := base.ProvenanceV1()
		if err != nil {
			t.Fatal(err)
		}
		f(p)
		raw, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		st := *base
		st.Predicate = raw
		return &st
	}
	tests := []struct {
		name string
		st   *slsa.Statement
	}{
		{"the locked package first", edit(func(p *slsa.ProvenanceV1) {
			deps := p.BuildDefinition.ResolvedDependencies
			deps[0], deps[1] = deps[1], deps[0]
		})},
		{"no dependency", edit(func(p *slsa.ProvenanceV1) { p.BuildDefinition.ResolvedDependencies = nil })},
		{"another repository in the parameter", edit(func(p *slsa.ProvenanceV1) {
			p.BuildDefinition.ExternalParameters["source"] = map[string]any{"repository": "https://github.com/other/lib", "ref": "refs/heads/main"}
		})},
		{"a parameter that is no object", edit(func(p *slsa.ProvenanceV1) { p.BuildDefinition.ExternalParameters["source"] = demoRepo })},
		{"a repository that is no string", edit(func(p *slsa.ProvenanceV1) {
			p.BuildDefinition.ExternalParameters["source"] = map[string]any{"repository": 7}
		})},
		{"no gitCommit", edit(func(p *slsa.ProvenanceV1) {
			p.BuildDefinition.ResolvedDependencies[0].Digest = digest.Set{digest.SHA1: sourceCommit[:40]}
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckProvenance(tt.st, ProvenanceOptions{Policy: ProvenancePolicy{SourceURI: "github.com/pedigree-dev/pedigree-demo.git"}})
			if !errors.Is(err, ErrMalformedProvenance) {
				t.Fatalf("err = %v, want ErrMalformedProvenance", err)
			}
		})
	}
}

func TestPedigreeBuildTypeNames(t *testing.T) {
	if BuildTypePedigreeLocal != buildenv.BuildTypeLocal || BuildTypePedigreeGitLab != buildenv.BuildTypeGitLab {
		t.Fatal("verify's names of pedigree's buildTypes differ from buildenv's")
	}
	if BuildTypeGitHubWorkflow != buildenv.BuildTypeGitHub {
		t.Fatal("verify's name of GitHub's buildType differs from buildenv's")
	}
}
