package buildenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// GitFunc runs git with args in dir and returns its standard output.
type GitFunc func(ctx context.Context, dir string, args ...string) (string, error)

// ErrNoGit: no git executable was found on the PATH given.
var ErrNoGit = errors.New("git not found on PATH")

// errNotRepository: git says dir is not in a repository.
var errNotRepository = errors.New("not a git repository")

// ExecGit returns a GitFunc that runs the git executable found on
// env["PATH"], with a minimal environment built from env (PATH, HOME,
// XDG_CONFIG_HOME, LC_ALL=C, no prompts, no optional locks). Git is looked
// up once, here; the GitFunc fails with ErrNoGit when there is no git on
// that PATH.
func ExecGit(env map[string]string) GitFunc {
	bin, lookErr := lookPath("git", env["PATH"])
	return func(ctx context.Context, dir string, args ...string) (string, error) {
		if lookErr != nil {
			return "", lookErr
		}
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + env["PATH"], "LC_ALL=C", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0"}
		for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "SYSTEMROOT"} {
			if v, ok := env[k]; ok {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
		}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			msg := strings.TrimSpace(stderr.String())
			if strings.Contains(msg, "not a git repository") {
				return "", errNotRepository
			}
			if i := strings.IndexByte(msg, '\n'); i >= 0 {
				msg = msg[:i]
			}
			return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
		}
		return stdout.String(), nil
	}
}

func lookPath(name, path string) (string, error) {
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue // never run a git from a relative PATH entry
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && (runtime.GOOS == "windows" || fi.Mode()&0o111 != 0) {
			return p, nil
		}
	}
	return "", ErrNoGit
}

// scpLike matches git's scp-style remotes: user@host:path.
var scpLike = regexp.MustCompile(`^(?:([^@/:]+)@)?([^@/:]+):(.+)$`)

// RedactURL returns a repository URL without credentials: the user
// information of http(s) URLs is dropped entirely (tokens are often passed
// as the user name), a password is dropped from any other URL, and
// scp-style remotes (git@host:owner/repo.git) become ssh:// URLs.
func RedactURL(s string) string {
	if !strings.Contains(s, "://") {
		if m := scpLike.FindStringSubmatch(s); m != nil && len(m[2]) > 1 {
			u := &url.URL{Scheme: "ssh", Host: m[2], Path: "/" + strings.TrimPrefix(m[3], "/")}
			if m[1] != "" {
				u.User = url.User(m[1])
			}
			return u.String()
		}
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		// Unparseable: cut anything that looks like userinfo.
		scheme, rest, _ := strings.Cut(s, "://")
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			if slash := strings.IndexByte(rest, '/'); slash < 0 || at < slash {
				rest = rest[at+1:]
			}
		}
		return scheme + "://" + rest
	}
	if u.User != nil {
		switch strings.ToLower(u.Scheme) {
		case "http", "https":
			u.User = nil
		default:
			u.User = url.User(u.User.Username())
		}
	}
	return u.String()
}
