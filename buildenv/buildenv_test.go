package buildenv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/buildenv/buildenvtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs (run with -update to accept):\n%s", name, got)
	}
}

// noGit is a GitFunc for tests that must not find a repository.
func noGit(context.Context, string, ...string) (string, error) { return "", ErrNoGit }

func TestDetectCI(t *testing.T) {
	for _, tt := range []struct {
		env, golden string
		platform    Platform
	}{
		{"github.env", "github.context.json", GitHubActions},
		{"gitlab.env", "gitlab.context.json", GitLabCI},
	} {
		t.Run(tt.env, func(t *testing.T) {
			c, err := Detect(context.Background(), Options{Env: buildenvtest.Env(t, tt.env), Git: noGit})
			if err != nil {
				t.Fatal(err)
			}
			if c.Platform != tt.platform {
				t.Fatalf("platform %s, want %s", c.Platform, tt.platform)
			}
			if len(c.Warnings) != 0 {
				t.Fatalf("warnings: %v", c.Warnings)
			}
			golden(t, tt.golden, c)
		})
	}
}

func TestGitHubFields(t *testing.T) {
	c, err := Detect(context.Background(), Options{Env: buildenvtest.Env(t, "github.env")})
	if err != nil {
		t.Fatal(err)
	}
	wf := c.ExternalParameters["workflow"].(map[string]any)
	checks := map[string]string{
		"buildType":                         c.BuildType,
		"builder.id":                        c.BuilderID,
		"invocationId":                      c.InvocationID,
		"workflow.ref":                      wf["ref"].(string),
		"workflow.repository":               wf["repository"].(string),
		"workflow.path":                     wf["path"].(string),
		"resolvedDependencies[0].uri":       c.ResolvedDependencies[0].URI,
		"resolvedDependencies[0].gitCommit": c.ResolvedDependencies[0].Digest["gitCommit"],
	}
	want := map[string]string{
		"buildType":                         "https://actions.github.io/buildtypes/workflow/v1",
		"builder.id":                        "https://github.com/actions/runner/github-hosted",
		"invocationId":                      "https://github.com/pedigree-dev/pedigree-demo/actions/runs/9876543210/attempts/1",
		"workflow.ref":                      "refs/tags/v0.1.0",
		"workflow.repository":               "https://github.com/pedigree-dev/pedigree-demo",
		"workflow.path":                     ".github/workflows/release.yml",
		"resolvedDependencies[0].uri":       "git+https://github.com/pedigree-dev/pedigree-demo@refs/tags/v0.1.0",
		"resolvedDependencies[0].gitCommit": "2f1e5d4c3b2a19087f6e5d4c3b2a19087f6e5d4c",
	}
	for k, w := range want {
		if checks[k] != w {
			t.Errorf("%s = %q, want %q", k, checks[k], w)
		}
	}
}

func TestDetectErrors(t *testing.T) {
	gh := func(t *testing.T, mod func(map[string]string)) map[string]string {
		env := buildenvtest.Env(t, "github.env")
		mod(env)
		return env
	}
	gl := func(t *testing.T, mod func(map[string]string)) map[string]string {
		env := buildenvtest.Env(t, "gitlab.env")
		mod(env)
		return env
	}
	tests := []struct {
		name    string
		env     func(t *testing.T) map[string]string
		wantErr error
		wantMsg string
	}{
		{"github no sha", func(t *testing.T) map[string]string {
			return gh(t, func(e map[string]string) { delete(e, "GITHUB_SHA") })
		}, ErrMissingVariable, "GITHUB_SHA"},
		{"github no runner env", func(t *testing.T) map[string]string {
			return gh(t, func(e map[string]string) { e["RUNNER_ENVIRONMENT"] = "" })
		}, ErrMissingVariable, "RUNNER_ENVIRONMENT"},
		{"github short sha", func(t *testing.T) map[string]string {
			return gh(t, func(e map[string]string) { e["GITHUB_SHA"] = "abc123" })
		}, ErrInvalidValue, "GITHUB_SHA"},
		{"github workflow ref of another repo", func(t *testing.T) map[string]string {
			return gh(t, func(e map[string]string) {
				e["GITHUB_WORKFLOW_REF"] = "other/repo/.github/workflows/x.yml@refs/heads/main"
			})
		}, ErrInvalidValue, "GITHUB_WORKFLOW_REF"},
		{"github workflow ref without @", func(t *testing.T) map[string]string {
			return gh(t, func(e map[string]string) {
				e["GITHUB_WORKFLOW_REF"] = "pedigree-dev/pedigree-demo/.github/workflows/x.yml"
			})
		}, ErrInvalidValue, "GITHUB_WORKFLOW_REF"},
		{"gitlab no job url", func(t *testing.T) map[string]string {
			return gl(t, func(e map[string]string) { delete(e, "CI_JOB_URL") })
		}, ErrMissingVariable, "CI_JOB_URL"},
		{"gitlab uppercase sha", func(t *testing.T) map[string]string {
			return gl(t, func(e map[string]string) { e["CI_COMMIT_SHA"] = strings.ToUpper(e["CI_COMMIT_SHA"]) })
		}, ErrInvalidValue, "CI_COMMIT_SHA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Detect(context.Background(), Options{Env: tt.env(t), Git: noGit})
			if !errors.Is(err, tt.wantErr) || !strings.Contains(fmt.Sprint(err), tt.wantMsg) {
				t.Fatalf("error %v, want %v naming %s", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
}

func TestGitHubEventWarning(t *testing.T) {
	env := buildenvtest.Env(t, "github.env")
	env["GITHUB_EVENT_NAME"] = "pull_request"
	c, err := Detect(context.Background(), Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], `"pull_request"`) {
		t.Fatalf("warnings %q", c.Warnings)
	}
}

func TestGitLabRefs(t *testing.T) {
	tests := []struct {
		mod  func(map[string]string)
		want string
	}{
		{func(map[string]string) {}, "refs/tags/v0.1.0"},
		{func(e map[string]string) { delete(e, "CI_COMMIT_TAG"); e["CI_COMMIT_BRANCH"] = "main" }, "refs/heads/main"},
		{func(e map[string]string) {
			delete(e, "CI_COMMIT_TAG")
			e["CI_MERGE_REQUEST_REF_PATH"] = "refs/merge-requests/7/head"
		}, "refs/merge-requests/7/head"},
		{func(e map[string]string) { delete(e, "CI_COMMIT_TAG"); e["CI_COMMIT_REF_NAME"] = "feature" }, "feature"},
	}
	for _, tt := range tests {
		env := buildenvtest.Env(t, "gitlab.env")
		tt.mod(env)
		c, err := Detect(context.Background(), Options{Env: env})
		if err != nil {
			t.Fatal(err)
		}
		if c.Source.Ref != tt.want || c.ResolvedDependencies[0].URI != "git+https://gitlab.com/pedigree-dev/pedigree-demo@"+tt.want {
			t.Errorf("ref %q (uri %q), want %q", c.Source.Ref, c.ResolvedDependencies[0].URI, tt.want)
		}
	}
}

// fakeGit answers git commands from a table.
type fakeGit map[string]string

func (f fakeGit) run(_ context.Context, _ string, args ...string) (string, error) {
	key := strings.Join(args, " ")
	out, ok := f[key]
	if !ok {
		return "", fmt.Errorf("git %s: exit status 1", key)
	}
	return out, nil
}

func repo(mod func(fakeGit)) fakeGit {
	f := fakeGit{
		"rev-parse --is-inside-work-tree": "true\n",
		"rev-parse --verify -q HEAD":      "0123456789abcdef0123456789abcdef01234567\n",
		"symbolic-ref -q HEAD":            "refs/heads/main\n",
		"remote":                          "origin\nupstream\n",
		"remote get-url origin":           "https://x-access-token:ghs_secret@github.com/o/r.git\n",
		"status --porcelain":              "",
	}
	mod(f)
	return f
}

func TestDetectLocal(t *testing.T) {
	tests := []struct {
		name      string
		git       GitFunc
		wantRepo  string
		wantRef   string
		wantDirty bool
		noSource  bool
		warnings  int
	}{
		{"clean", repo(func(fakeGit) {}).run, "https://github.com/o/r.git", "refs/heads/main", false, false, 0},
		{"dirty", repo(func(f fakeGit) { f["status --porcelain"] = " M setup.py\n" }).run, "https://github.com/o/r.git", "refs/heads/main", true, false, 1},
		{"detached", repo(func(f fakeGit) { delete(f, "symbolic-ref -q HEAD") }).run, "https://github.com/o/r.git", "", false, false, 0},
		{"no origin", repo(func(f fakeGit) {
			f["remote"] = "upstream\n"
			f["remote get-url upstream"] = "git@gitlab.com:g/p.git\n"
		}).run, "ssh://git@gitlab.com/g/p.git", "refs/heads/main", false, false, 0},
		{"no remote", repo(func(f fakeGit) { f["remote"] = "" }).run, "", "refs/heads/main", false, false, 0},
		{"local path remote", repo(func(f fakeGit) { f["remote get-url origin"] = "/srv/git/my repo.git\n" }).run, "file:///srv/git/my%20repo.git", "refs/heads/main", false, false, 0},
		{"relative path remote", repo(func(f fakeGit) { f["remote get-url origin"] = "../upstream\n" }).run, "", "refs/heads/main", false, false, 0},
		{"no commit", repo(func(f fakeGit) { delete(f, "rev-parse --verify -q HEAD") }).run, "", "", false, true, 1},
		{"no git", noGit, "", "", false, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Detect(context.Background(), Options{
				Env: map[string]string{}, Git: tt.git, Args: []string{"pedigree", "attest", "dist/a.whl"},
				GOOS: "linux", GOARCH: "amd64",
			})
			if err != nil {
				t.Fatal(err)
			}
			if c.Platform != Local || c.BuildType != BuildTypeLocal || c.BuilderID != LocalBuilderID || c.InvocationID != "" {
				t.Fatalf("context %+v", c)
			}
			if len(c.Warnings) != tt.warnings {
				t.Fatalf("warnings %q, want %d", c.Warnings, tt.warnings)
			}
			if tt.noSource {
				if len(c.ResolvedDependencies) != 0 || c.ExternalParameters["source"] != nil {
					t.Fatalf("source recorded without a repository: %+v", c)
				}
				return
			}
			if c.Source.Repository != tt.wantRepo || c.Source.Ref != tt.wantRef || c.Source.Dirty != tt.wantDirty {
				t.Fatalf("source %+v", c.Source)
			}
			dep := c.ResolvedDependencies[0]
			if dep.Digest["gitCommit"] != "0123456789abcdef0123456789abcdef01234567" || dep.Annotations["dirty"] != tt.wantDirty {
				t.Fatalf("dependency %+v", dep)
			}
			if strings.Contains(fmt.Sprint(c), "ghs_secret") {
				t.Fatal("a credential from the remote URL leaked into the context")
			}
		})
	}
	c, _ := Detect(context.Background(), Options{Git: repo(func(fakeGit) {}).run, Args: []string{"pedigree", "attest", "a"}, GOOS: "linux", GOARCH: "arm64"})
	golden(t, "local.context.json", c)
}

// TestDetectLocalRealGit runs the real git in a scratch repository.
func TestDetectLocalRealGit(t *testing.T) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("skipped: git is not installed")
	}
	dir := t.TempDir()
	env := map[string]string{"PATH": filepath.Dir(gitBin), "HOME": dir}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(gitBin, args...)
		cmd.Dir = dir
		cmd.Env = []string{"HOME=" + dir, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.com", "GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z"}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	// Not a repository yet.
	c, err := Detect(context.Background(), Options{Env: env, Dir: dir})
	if err != nil || len(c.ResolvedDependencies) != 0 || len(c.Warnings) != 1 {
		t.Fatalf("outside a repository: %+v, %v", c, err)
	}
	run("init", "-q", "-b", "release")
	if err := os.WriteFile(filepath.Join(dir, "setup.py"), []byte("print(1)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("add", "setup.py")
	run("commit", "-q", "-m", "one")
	run("remote", "add", "origin", "https://user:hunter2@example.com/team/project.git")
	c, err = Detect(context.Background(), Options{Env: env, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if c.Source.Repository != "https://example.com/team/project.git" || c.Source.Ref != "refs/heads/release" || c.Source.Dirty || len(c.Source.Commit) != 40 {
		t.Fatalf("clean tree: source %+v, warnings %q", c.Source, c.Warnings)
	}
	if err := os.WriteFile(filepath.Join(dir, "setup.py"), []byte("print(2)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, _ = Detect(context.Background(), Options{Env: env, Dir: dir})
	if !c.Source.Dirty {
		t.Fatalf("modified tree not dirty: %+v", c.Source)
	}
	// No git on PATH: no source, one warning.
	c, _ = Detect(context.Background(), Options{Env: map[string]string{"PATH": t.TempDir()}, Dir: dir})
	if len(c.ResolvedDependencies) != 0 || len(c.Warnings) != 1 {
		t.Fatalf("without git: %+v", c)
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://github.com/o/r.git", "https://github.com/o/r.git"},
		{"https://x-access-token:ghs_abc@github.com/o/r.git", "https://github.com/o/r.git"},
		{"https://ghp_token@github.com/o/r", "https://github.com/o/r"},
		{"HTTP://user:pw@host/r", "http://host/r"},
		{"ssh://git:pw@host/r.git", "ssh://git@host/r.git"},
		{"ssh://git@host:2222/r.git", "ssh://git@host:2222/r.git"},
		{"git@github.com:o/r.git", "ssh://git@github.com/o/r.git"},
		{"github.com:o/r.git", "ssh://github.com/o/r.git"},
		{"/srv/git/r.git", "/srv/git/r.git"},
		{`C:\repos\r`, `C:\repos\r`},
		{"https://user:p%zz@host/r", "https://host/r"},
	}
	for _, tt := range tests {
		if got := RedactURL(tt.in); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOverrideSource(t *testing.T) {
	const commit = "89abcdef0123456789abcdef0123456789abcdef"
	c, err := Detect(context.Background(), Options{Env: buildenvtest.Env(t, "github.env")})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.OverrideSource("git+https://github.com/fork/repo", commit); err != nil {
		t.Fatal(err)
	}
	dep := c.ResolvedDependencies[0]
	if len(c.ResolvedDependencies) != 1 || dep.URI != "git+https://github.com/fork/repo@refs/tags/v0.1.0" || dep.Digest["gitCommit"] != commit {
		t.Fatalf("dependency %+v", dep)
	}
	if c.ExternalParameters["workflow"].(map[string]any)["repository"] != "https://github.com/fork/repo" {
		t.Fatalf("workflow %+v", c.ExternalParameters["workflow"])
	}
	if err := c.OverrideSource("", "abc"); !errors.Is(err, ErrInvalidValue) {
		t.Fatalf("short commit: %v", err)
	}
	// A local build without git gets its source from the overrides alone.
	c, _ = Detect(context.Background(), Options{Git: noGit})
	if err := c.OverrideSource("https://example.com/r", ""); !errors.Is(err, ErrInvalidValue) {
		t.Fatalf("uri without a commit: %v", err)
	}
	if c.Source != (Source{}) {
		t.Fatalf("a refused override changed the source: %+v", c.Source)
	}
	c, _ = Detect(context.Background(), Options{Git: noGit})
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "not recorded") {
		t.Fatalf("no git: warnings %q, want the source-not-recorded one", c.Warnings)
	}
	if err := c.OverrideSource("https://tok@example.com/r", commit); err != nil {
		t.Fatal(err)
	}
	// The source is recorded now: the warning that said otherwise is gone.
	if len(c.Warnings) != 0 {
		t.Fatalf("warnings after the override: %q", c.Warnings)
	}
	if got := c.ResolvedDependencies[0].URI; got != "git+https://example.com/r" {
		t.Fatalf("uri %q", got)
	}
	if got := c.ExternalParameters["source"]; !reflect.DeepEqual(got, map[string]any{"repository": "https://example.com/r"}) {
		t.Fatalf("source parameter %#v", got)
	}
	before := maps.Clone(c.ExternalParameters)
	if err := c.OverrideSource("", ""); err != nil || len(before) != len(c.ExternalParameters) {
		t.Fatal("empty override changed something")
	}
	// A commit alone is a source too: the parameter is there (empty, no
	// repository or ref is known) to say resolvedDependencies[0] is it.
	c, _ = Detect(context.Background(), Options{Git: noGit})
	if _, ok := c.ExternalParameters["source"]; ok || len(c.ResolvedDependencies) != 0 {
		t.Fatalf("no git, yet a source: %+v %+v", c.ExternalParameters, c.ResolvedDependencies)
	}
	if err := c.OverrideSource("", commit); err != nil {
		t.Fatal(err)
	}
	if got := c.ExternalParameters["source"]; !reflect.DeepEqual(got, map[string]any{}) {
		t.Fatalf("source parameter %#v, want {}", got)
	}
	if dep := c.ResolvedDependencies[0]; len(c.ResolvedDependencies) != 1 || dep.URI != "" || dep.Digest["gitCommit"] != commit {
		t.Fatalf("dependency %+v", dep)
	}
}

// TestClone: a clone equals its original, and editing it (with
// OverrideSource, or through its nested parameters, dependencies and
// warnings) leaves the original as it was.
func TestClone(t *testing.T) {
	const commit = "89abcdef0123456789abcdef0123456789abcdef"
	if (*Context)(nil).Clone() != nil {
		t.Fatal("nil.Clone() is not nil")
	}
	gh, err := Detect(context.Background(), Options{Env: buildenvtest.Env(t, "github.env")})
	if err != nil {
		t.Fatal(err)
	}
	gh.ResolvedDependencies[0].Annotations = map[string]any{"list": []any{map[string]any{"k": "v"}}}
	gh.InternalParameters = map[string]any{"nested": map[string]any{"k": "v"}}
	local, _ := Detect(context.Background(), Options{Git: noGit})
	for name, c := range map[string]*Context{"github": gh, "local without git": local} {
		t.Run(name, func(t *testing.T) {
			before, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			cp := c.Clone()
			if !reflect.DeepEqual(cp, c) {
				t.Fatalf("clone differs:\n%+v\n%+v", cp, c)
			}
			cp.BuilderID = "https://example.com/builder"
			if p, ok := cp.InternalParameters["nested"].(map[string]any); ok {
				p["k"] = "edited"
			}
			for _, rd := range cp.ResolvedDependencies {
				rd.Digest["gitCommit"] = strings.Repeat("0", 40)
				if l, ok := rd.Annotations["list"].([]any); ok {
					l[0].(map[string]any)["k"] = "edited"
				}
			}
			if len(cp.Warnings) > 0 {
				cp.Warnings[0] = "edited"
			}
			// Last: it replaces the source dependency edited above.
			if err := cp.OverrideSource("https://example.com/other", commit); err != nil {
				t.Fatal(err)
			}
			after, _ := json.Marshal(c)
			if !bytes.Equal(before, after) {
				t.Errorf("editing the clone changed the original:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestSourceParameter(t *testing.T) {
	for p, want := range map[Platform]string{GitHubActions: "workflow", GitLabCI: "pipeline", Local: "source"} {
		if got := (&Context{Platform: p}).SourceParameter(); got != want {
			t.Errorf("%s: %q, want %q", p, got, want)
		}
	}
}

// FuzzRedactURL: whatever the remote, a password placed in its user
// information never survives, and http(s) URLs keep no user at all.
func FuzzRedactURL(f *testing.F) {
	f.Add("https://github.com/o/r.git", "ghs_secret")
	f.Add("ssh://git@host:2222/r.git", "pw")
	f.Add("git@github.com:o/r.git", "x")
	f.Fuzz(func(t *testing.T, remote, secret string) {
		_ = RedactURL(remote)
		if len(secret) < 6 || strings.ContainsAny(secret, "@/:?#%[] \\") {
			return
		}
		scheme, rest, ok := strings.Cut(remote, "://")
		if !ok || scheme == "" || strings.ContainsAny(scheme, "@/:?#%[] \\") {
			return
		}
		withSecret := scheme + "://user:" + secret + "@" + rest
		if got := RedactURL(withSecret); strings.Contains(got, ":"+secret+"@") {
			t.Fatalf("RedactURL(%q) = %q keeps the password", withSecret, got)
		}
	})
}
