package buildenv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
)

// detectLocal fills pedigree's local buildType (docs/buildtypes/local.md):
//
//	externalParameters.source {repository: the git remote (origin, else the first), ref: HEAD's branch}
//	externalParameters.command: the command line (opts.Args)
//	internalParameters.host {os, arch}
//	resolvedDependencies [{uri: git+REMOTE@REF, digest: {gitCommit: HEAD}, annotations: {dirty: bool}}]
//	builder.id LocalBuilderID; no invocationId (the generator derives one)
//
// Without a git working tree (or without git) the source parts are left
// out and a warning says so.
func detectLocal(ctx context.Context, opts Options, env map[string]string) (*Context, error) {
	goos, goarch := hostOS(opts)
	c := &Context{
		Platform:           Local,
		BuildType:          BuildTypeLocal,
		BuilderID:          LocalBuilderID,
		ExternalParameters: map[string]any{},
		InternalParameters: map[string]any{"host": map[string]any{"os": goos, "arch": goarch}},
	}
	if len(opts.Args) > 0 {
		args := make([]any, len(opts.Args))
		for i, a := range opts.Args {
			args[i] = a
		}
		c.ExternalParameters["command"] = args
	}
	git := opts.Git
	if git == nil {
		git = ExecGit(env)
	}
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	src, warn := gitSource(ctx, git, dir)
	if warn != "" {
		c.Warnings = append(c.Warnings, warn)
	}
	if src == nil {
		c.noSource = warn
		return c, nil
	}
	c.Source = *src
	c.ExternalParameters["source"] = nonEmpty(map[string]any{"repository": src.Repository, "ref": src.Ref})
	dep := src.Dependency()
	dep.Annotations = map[string]any{"dirty": src.Dirty}
	c.ResolvedDependencies = append(c.ResolvedDependencies, dep)
	if src.Dirty {
		c.Warnings = append(c.Warnings, "the git working tree has uncommitted changes (recorded as dirty)")
	}
	return c, nil
}

// remoteURI turns a git remote into a URI without credentials: URLs and
// scp-style remotes through RedactURL, absolute local paths into file://
// URLs. A relative path gives "" (it names nothing outside this machine's
// current directory).
func remoteURI(remote string) string {
	r := RedactURL(remote)
	if strings.Contains(r, "://") {
		return r
	}
	if filepath.IsAbs(r) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(r)}).String()
	}
	return ""
}

// gitSource reads the repository of dir: HEAD's commit and branch, the
// remote URL (credentials removed) and whether the tree is dirty. It
// returns nil and a warning when there is no usable repository.
func gitSource(ctx context.Context, git GitFunc, dir string) (*Source, string) {
	if _, err := git(ctx, dir, "rev-parse", "--is-inside-work-tree"); err != nil {
		if errors.Is(err, ErrNoGit) || errors.Is(err, errNotRepository) {
			return nil, "no git working tree here: the source repository and commit are not recorded"
		}
		return nil, fmt.Sprintf("git failed, the source is not recorded: %v", err)
	}
	head, err := git(ctx, dir, "rev-parse", "--verify", "-q", "HEAD")
	if err != nil {
		return nil, "the git repository has no commit yet: the source is not recorded"
	}
	src := &Source{Commit: strings.TrimSpace(head)}
	if err := checkCommit("git HEAD", src.Commit); err != nil {
		return nil, err.Error()
	}
	if ref, err := git(ctx, dir, "symbolic-ref", "-q", "HEAD"); err == nil {
		src.Ref = strings.TrimSpace(ref)
	}
	if remotes, err := git(ctx, dir, "remote"); err == nil {
		names := strings.Fields(remotes)
		name := ""
		if slices.Contains(names, "origin") {
			name = "origin"
		} else if len(names) > 0 {
			name = names[0]
		}
		if name != "" {
			if u, err := git(ctx, dir, "remote", "get-url", name); err == nil {
				src.Repository = remoteURI(strings.TrimSpace(u))
			}
		}
	}
	status, err := git(ctx, dir, "status", "--porcelain")
	if err != nil {
		return nil, fmt.Sprintf("git status failed, the source is not recorded: %v", err)
	}
	src.Dirty = strings.TrimSpace(status) != ""
	return src, ""
}
