// Package buildenv works out where a build ran from the environment it is
// given (a map, never the process environment): GitHub Actions, GitLab CI,
// or anywhere else ("local", with the git working tree's remote and
// commit). It returns the parts of a SLSA v1 build definition and run
// details that describe that context: buildType, builder id, invocation id,
// external and internal parameters and the resolved source dependency.
//
// Each buildType's fields are documented in docs/buildtypes/. GitHub
// Actions uses GitHub's own https://actions.github.io/buildtypes/workflow/v1
// layout so that existing verifier policies read it unchanged.
package buildenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// Platform names a build context.
type Platform string

// The platforms Detect recognises.
const (
	GitHubActions Platform = "github-actions"
	GitLabCI      Platform = "gitlab-ci"
	Local         Platform = "local"
)

// BuildType URIs written for each platform.
const (
	// BuildTypeGitHub is GitHub's buildType for Actions workflows.
	BuildTypeGitHub = "https://actions.github.io/buildtypes/workflow/v1"
	// BuildTypeGitLab is pedigree's buildType for a GitLab CI job
	// (docs/buildtypes/gitlab.md).
	BuildTypeGitLab = "https://github.com/pedigree-dev/pedigree/blob/main/docs/buildtypes/gitlab.md#v1"
	// BuildTypeLocal is pedigree's buildType for a build anywhere else
	// (docs/buildtypes/local.md).
	BuildTypeLocal = "https://github.com/pedigree-dev/pedigree/blob/main/docs/buildtypes/local.md#v1"
	// LocalBuilderID is the builder id of a local build. It names no
	// trusted platform: policies that need one must not accept it.
	LocalBuilderID = "https://github.com/pedigree-dev/pedigree/blob/main/docs/buildtypes/local.md#builder"
)

// Errors returned by Detect and OverrideSource, wrapped with the variable or
// value concerned.
var (
	// ErrMissingVariable: a CI platform was detected but a variable it
	// always sets is empty.
	ErrMissingVariable = errors.New("CI variable not set")
	// ErrInvalidValue: a variable or override has the wrong form (a commit
	// that is not a hex git object id, a workflow ref without '@').
	ErrInvalidValue = errors.New("invalid value")
)

// Options are the inputs of Detect.
type Options struct {
	// Env is the environment to read (name -> value). Detect reads
	// nothing else from the process.
	Env map[string]string
	// Dir is the working directory whose git repository describes a local
	// build; "" means the current directory.
	Dir string
	// Args is the command line recorded by the local buildType.
	Args []string
	// GOOS and GOARCH name the host of a local build; "" means the running
	// program's.
	GOOS, GOARCH string
	// Git runs a git command in a directory and returns its standard
	// output; nil runs the git found on Env's PATH (see ExecGit).
	Git GitFunc
}

// Context is a detected build context: the values to put into a SLSA v1
// predicate.
type Context struct {
	Platform             Platform                  `json:"platform"`
	BuildType            string                    `json:"buildType"`
	BuilderID            string                    `json:"builderId"`
	InvocationID         string                    `json:"invocationId,omitempty"` // "" when the platform gives none (local)
	ExternalParameters   map[string]any            `json:"externalParameters"`
	InternalParameters   map[string]any            `json:"internalParameters,omitempty"`
	ResolvedDependencies []slsa.ResourceDescriptor `json:"resolvedDependencies,omitempty"`
	// Source is the repository, ref and commit built, as detected.
	Source Source `json:"source"`
	// Warnings are things a user should know (an event outside the
	// buildType's scope, a git repository that could not be read).
	Warnings []string `json:"warnings,omitempty"`

	// noSource is the warning Detect gave because it found no source; it
	// is withdrawn from Warnings when OverrideSource records one.
	noSource string
}

// Source describes the source a build used.
type Source struct {
	Repository string `json:"repository,omitempty"` // e.g. https://github.com/owner/repo, without credentials
	Ref        string `json:"ref,omitempty"`        // e.g. refs/heads/main; "" when unknown (detached HEAD)
	Commit     string `json:"commit,omitempty"`     // hex git commit id; "" when unknown
	Dirty      bool   `json:"dirty,omitempty"`      // local only: the working tree had uncommitted changes
}

// Detect returns the build context described by opts.Env: GitHub Actions
// when GITHUB_ACTIONS=true, GitLab CI when GITLAB_CI=true, local otherwise.
// It fails with ErrMissingVariable or ErrInvalidValue when a CI platform is
// detected but its variables are incomplete or malformed, naming the
// variable. Local detection never fails: without git, the source is simply
// not recorded (and a warning says why when git itself failed).
func Detect(ctx context.Context, opts Options) (*Context, error) {
	env := opts.Env
	if env == nil {
		env = map[string]string{}
	}
	switch {
	case env["GITHUB_ACTIONS"] == "true":
		return detectGitHub(env)
	case env["GITLAB_CI"] == "true":
		return detectGitLab(env)
	}
	return detectLocal(ctx, opts, env)
}

// required returns the values of the named variables or an error naming
// the first empty one.
func required(env map[string]string, platform string, names ...string) (map[string]string, error) {
	vals := make(map[string]string, len(names))
	for _, n := range names {
		v := env[n]
		if v == "" {
			return nil, fmt.Errorf("%s: %s: %w", platform, n, ErrMissingVariable)
		}
		vals[n] = v
	}
	return vals, nil
}

func checkCommit(name, v string) error {
	if digest.ValidateValue(digest.GitCommit, v) != nil {
		return fmt.Errorf("%s: %q is not a 40 or 64 character lowercase hex git commit id: %w", name, v, ErrInvalidValue)
	}
	return nil
}

// Dependency returns the source's git dependency, as resolvedDependencies[0]
// records it: uri git+REPOSITORY[@REF] (no uri when the repository is
// unknown) and digest {gitCommit: COMMIT}.
func (s Source) Dependency() slsa.ResourceDescriptor {
	rd := slsa.ResourceDescriptor{Digest: digest.Set{digest.GitCommit: s.Commit}}
	if s.Repository != "" {
		rd.URI = "git+" + s.Repository
		if s.Ref != "" {
			rd.URI += "@" + s.Ref
		}
	}
	return rd
}

// nonEmpty returns m without its empty-string values.
func nonEmpty(m map[string]any) map[string]any {
	for k, v := range m {
		if s, ok := v.(string); ok && s == "" {
			delete(m, k)
		}
	}
	return m
}

// Clone returns a copy of c that shares nothing a caller or OverrideSource
// could edit: the parameters are copied to every nesting level (they are
// JSON-shaped: maps, []any and scalars), and the resolved dependencies
// (with their digests, content and annotations) and the warnings are new
// slices and maps. Editing the copy leaves c as it was. A nil c gives nil.
func (c *Context) Clone() *Context {
	if c == nil {
		return nil
	}
	out := *c
	out.ExternalParameters = cloneParameters(c.ExternalParameters)
	out.InternalParameters = cloneParameters(c.InternalParameters)
	out.ResolvedDependencies = slices.Clone(c.ResolvedDependencies)
	for i, rd := range out.ResolvedDependencies {
		out.ResolvedDependencies[i].Digest = rd.Digest.Clone()
		out.ResolvedDependencies[i].Content = bytes.Clone(rd.Content)
		out.ResolvedDependencies[i].Annotations = cloneParameters(rd.Annotations)
	}
	out.Warnings = slices.Clone(c.Warnings)
	return &out
}

// cloneParameters deep-copies a JSON-shaped map.
func cloneParameters(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneParameter(v)
	}
	return out
}

func cloneParameter(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return cloneParameters(v)
	case []any:
		out := slices.Clone(v)
		for i, x := range out {
			out[i] = cloneParameter(x)
		}
		return out
	}
	return v
}

// OverrideSource replaces the detected source repository and/or commit
// (each only when non-empty), as `attest --source-uri/--source-commit` do:
// the git dependency, first in ResolvedDependencies, and the source
// parameter (see SourceParameter) follow; a source given where none was
// detected adds both. A "git+" prefix on uri is accepted. It fails, leaving
// c as it was, with ErrInvalidValue for a commit that is not a hex git
// object id and for a uri without a commit where none was detected.
func (c *Context) OverrideSource(uri, commit string) error {
	if uri == "" && commit == "" {
		return nil
	}
	switch {
	case commit != "":
		if err := checkCommit("source commit", commit); err != nil {
			return err
		}
		c.Source.Commit = commit
	case c.Source.Commit == "":
		return fmt.Errorf("source commit: unknown, give one with the source URI: %w", ErrInvalidValue)
	}
	if uri != "" {
		c.Source.Repository = RedactURL(strings.TrimPrefix(uri, "git+"))
	}
	idx := slices.IndexFunc(c.ResolvedDependencies, func(rd slsa.ResourceDescriptor) bool {
		_, ok := rd.Digest[digest.GitCommit]
		return ok
	})
	dep := c.Source.Dependency()
	if idx >= 0 {
		dep.Annotations = c.ResolvedDependencies[idx].Annotations
		c.ResolvedDependencies[idx] = dep
	} else {
		c.ResolvedDependencies = append([]slsa.ResourceDescriptor{dep}, c.ResolvedDependencies...)
	}
	// The source parameter names the source whenever there is one, even
	// a commit alone (then it is an empty object): its presence is what
	// says that resolvedDependencies[0] is the source.
	key := c.SourceParameter()
	if c.ExternalParameters == nil {
		c.ExternalParameters = map[string]any{}
	}
	m, _ := c.ExternalParameters[key].(map[string]any)
	if m == nil {
		m = nonEmpty(map[string]any{"ref": c.Source.Ref})
		c.ExternalParameters[key] = m
	}
	if c.Source.Repository != "" {
		m["repository"] = c.Source.Repository
	}
	if c.noSource != "" {
		c.Warnings = slices.DeleteFunc(c.Warnings, func(w string) bool { return w == c.noSource })
		c.noSource = ""
	}
	return nil
}

// SourceParameter is the external parameter that names the build's source
// repository and ref in this context's buildType: "workflow" (GitHub),
// "pipeline" (GitLab) or "source" (local). The buildType's rule
// (docs/buildtypes/) is that resolvedDependencies[0] is the source's git
// dependency exactly when that parameter is present; for GitHub and GitLab
// it always is, for a local build only when a source is known.
func (c *Context) SourceParameter() string {
	switch c.Platform {
	case GitHubActions:
		return "workflow"
	case GitLabCI:
		return "pipeline"
	default:
		return "source"
	}
}

func hostOS(opts Options) (string, string) {
	goos, goarch := opts.GOOS, opts.GOARCH
	if goos == "" {
		goos = runtime.GOOS
	}
	if goarch == "" {
		goarch = runtime.GOARCH
	}
	return goos, goarch
}
