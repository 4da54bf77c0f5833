package lockfile

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// uv.lock, as uv writes it (lock version 1, any revision).
type uvLock struct {
	Version        *int        `toml:"version"`
	Revision       int         `toml:"revision"`
	RequiresPython string      `toml:"requires-python"`
	Package        []uvPackage `toml:"package"`
}

type uvPackage struct {
	Name                 string             `toml:"name"`
	Version              string             `toml:"version"`
	Source               uvSource           `toml:"source"`
	ResolutionMarkers    []string           `toml:"resolution-markers"`
	Dependencies         []uvDep            `toml:"dependencies"`
	OptionalDependencies map[string][]uvDep `toml:"optional-dependencies"`
	DevDependencies      map[string][]uvDep `toml:"dev-dependencies"`
	Sdist                *uvFile            `toml:"sdist"`
	Wheels               []uvFile           `toml:"wheels"`
}

type uvSource struct {
	Registry  string `toml:"registry"`
	Git       string `toml:"git"`
	URL       string `toml:"url"`
	Path      string `toml:"path"`
	Directory string `toml:"directory"`
	Editable  string `toml:"editable"`
	Virtual   string `toml:"virtual"`
}

type uvDep struct {
	Name    string    `toml:"name"`
	Version string    `toml:"version"`
	Marker  string    `toml:"marker"`
	Extra   []string  `toml:"extra"`
	Source  *uvSource `toml:"source"`
}

type uvFile struct {
	URL      string `toml:"url"`
	Path     string `toml:"path"`
	Filename string `toml:"filename"`
	Hash     string `toml:"hash"`
	Size     int64  `toml:"size"`
}

// source converts a uv source table.
func (s uvSource) source(field string) (Source, error) {
	switch {
	case s.Registry != "":
		return Source{Kind: SourceIndex, URL: s.Registry}, nil
	case s.Git != "":
		return uvGitSource(s.Git), nil
	case s.URL != "":
		return Source{Kind: SourceURL, URL: s.URL}, nil
	case s.Path != "":
		return Source{Kind: SourcePath, Path: s.Path}, nil
	case s.Directory != "":
		return Source{Kind: SourcePath, Path: s.Directory}, nil
	case s.Editable != "":
		return Source{Kind: SourceEditable, Path: s.Editable}, nil
	case s.Virtual != "":
		return Source{Kind: SourceVirtual, Path: s.Virtual}, nil
	}
	return Source{}, fmt.Errorf("%s: want one of registry, git, url, path, directory, editable, virtual: %w", field, ErrSyntax)
}

// uvGitSource parses "https://host/repo?rev=v1#<commit>".
func uvGitSource(raw string) Source {
	base, commit := stripFragment(raw)
	src := Source{Kind: SourceVCS, VCS: "git", URL: base}
	if u, err := url.Parse(base); err == nil && u.RawQuery != "" {
		q := u.Query()
		for _, k := range []string{"rev", "tag", "branch"} {
			if v := q.Get(k); v != "" {
				src.Ref = v
				break
			}
		}
		u.RawQuery = ""
		src.URL = u.String()
	}
	if isHexCommit(commit) {
		src.Commit = strings.ToLower(commit)
	}
	return src
}

// file converts a uv sdist or wheel entry.
func (f uvFile) file(field string) (File, error) {
	out := File{URL: f.URL, Path: f.Path, Size: f.Size, Name: fileName(f.Filename, f.URL, f.Path)}
	if f.Hash != "" {
		alg, h, err := parseHash(f.Hash)
		if err != nil {
			return File{}, fmt.Errorf("%s.hash: %w", field, err)
		}
		out.Hashes = digest.Set{alg: h}
	}
	if f.Size < 0 {
		return File{}, fmt.Errorf("%s.size: negative: %w", field, ErrSyntax)
	}
	return out, nil
}

func (d uvDep) dependency(group string) Dependency {
	return Dependency{Name: d.Name, NormalizedName: pypi.NormalizeName(d.Name), Version: d.Version, Extras: d.Extra, Markers: d.Marker, Group: group}
}

// parseUV parses a uv.lock.
func parseUV(path string, data []byte) (*Lock, error) {
	var doc uvLock
	if err := decodeTOML(path, data, &doc); err != nil {
		return nil, err
	}
	if doc.Version == nil {
		return nil, fmt.Errorf("%s: version: missing: %w", path, ErrFormat)
	}
	if *doc.Version != 1 {
		return nil, fmt.Errorf("%s: version: %d, want 1: %w", path, *doc.Version, ErrUnsupportedVersion)
	}
	l := &Lock{Format: FormatUVLock, Path: path, Version: fmt.Sprint(*doc.Version), Generator: "uv"}
	l.Packages = make([]Package, 0, len(doc.Package))
	for i, up := range doc.Package {
		field := fmt.Sprintf("package[%d]", i)
		p, err := lockedPackage(path, field, up.Name, up.Version)
		if err != nil {
			return nil, err
		}
		src, err := up.Source.source(field + ".source")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		p.Source = src
		if len(up.ResolutionMarkers) == 1 {
			p.Markers = up.ResolutionMarkers[0]
		} else if len(up.ResolutionMarkers) > 1 {
			p.Markers = "(" + strings.Join(up.ResolutionMarkers, ") or (") + ")"
		}
		if up.Sdist != nil {
			f, err := up.Sdist.file(field + ".sdist")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			p.Files = append(p.Files, f)
		}
		for j, w := range up.Wheels {
			f, err := w.file(fmt.Sprintf("%s.wheels[%d]", field, j))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			p.Files = append(p.Files, f)
		}
		for _, d := range up.Dependencies {
			p.Dependencies = append(p.Dependencies, d.dependency(""))
		}
		for _, g := range sortedKeys(up.OptionalDependencies) {
			for _, d := range up.OptionalDependencies[g] {
				p.Dependencies = append(p.Dependencies, d.dependency(g))
			}
		}
		for _, g := range sortedKeys(up.DevDependencies) {
			for _, d := range up.DevDependencies[g] {
				p.Dependencies = append(p.Dependencies, d.dependency(g))
			}
		}
		if (src.Kind == SourceEditable || src.Kind == SourceVirtual) && src.Path == "." && l.Project == nil {
			l.Project = &Project{Name: p.Name, NormalizedName: p.NormalizedName, Version: p.Version}
		}
		l.Packages = append(l.Packages, p)
	}
	uvScopes(l, doc.Package)
	return l, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// uvScopes computes each package's scope and groups by walking the graph
// from the workspace members (editable and virtual packages): their main
// dependencies are runtime, their optional dependencies optional (group =
// the extra), their dev dependencies dev (group = the dependency group).
// Requested extras of a dependency are followed too.
func uvScopes(l *Lock, pkgs []uvPackage) {
	byName := map[string][]int{}
	for i := range l.Packages {
		byName[l.Packages[i].NormalizedName] = append(byName[l.Packages[i].NormalizedName], i)
	}
	resolve := func(d uvDep) []int {
		var out []int
		for _, i := range byName[pypi.NormalizeName(d.Name)] {
			if d.Version != "" && l.Packages[i].Version != d.Version {
				continue
			}
			if d.Source != nil {
				if s, err := d.Source.source(""); err == nil && s != l.Packages[i].Source {
					continue
				}
			}
			out = append(out, i)
		}
		return out
	}
	var roots []int
	for i := range l.Packages {
		if k := l.Packages[i].Source.Kind; k == SourceEditable || k == SourceVirtual {
			roots = append(roots, i)
		}
	}
	if len(roots) == 0 {
		return // no project in the lock: everything stays runtime
	}
	best := make([]Scope, len(l.Packages))
	walk := func(start []uvDep, scope Scope, group string) {
		seen := map[uvNode]bool{}
		var queue []uvNode
		push := func(d uvDep) {
			for _, t := range resolve(d) {
				for _, n := range append([]uvNode{{t, ""}}, extrasOf(t, d.Extra)...) {
					if !seen[n] {
						seen[n] = true
						queue = append(queue, n)
					}
				}
			}
		}
		for _, d := range start {
			push(d)
		}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			p := &l.Packages[n.pkg]
			if best[n.pkg] == "" || scopeRank(scope) < scopeRank(best[n.pkg]) {
				best[n.pkg] = scope
			}
			p.addGroup(group)
			deps := pkgs[n.pkg].Dependencies
			if n.extra != "" {
				deps = pkgs[n.pkg].OptionalDependencies[n.extra]
			}
			for _, d := range deps {
				push(d)
			}
		}
	}
	for _, r := range roots {
		walk(pkgs[r].Dependencies, ScopeRuntime, "")
		for _, g := range sortedKeys(pkgs[r].OptionalDependencies) {
			walk(pkgs[r].OptionalDependencies[g], ScopeOptional, g)
		}
		for _, g := range sortedKeys(pkgs[r].DevDependencies) {
			walk(pkgs[r].DevDependencies[g], ScopeDev, g)
		}
	}
	for i := range l.Packages {
		if slices.Contains(roots, i) {
			l.Packages[i].Scope = ScopeRuntime
			l.Packages[i].Groups = nil
			continue
		}
		if best[i] != "" {
			l.Packages[i].Scope = best[i]
		}
		sort.Strings(l.Packages[i].Groups)
	}
}

// uvNode is a package, or one of its extras, in the dependency walk.
type uvNode struct {
	pkg   int
	extra string // "" for the package itself
}

// extrasOf returns the graph nodes for the requested extras of package t.
func extrasOf(t int, extras []string) []uvNode {
	out := make([]uvNode, 0, len(extras))
	for _, e := range extras {
		out = append(out, uvNode{t, e})
	}
	return out
}
