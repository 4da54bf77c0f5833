package sbom

import (
	"cmp"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/lockfile"
	"github.com/pedigree-dev/pedigree/pypi"
)

// addLock adds every package of l as a component, except the project
// itself (a uv lock lists it as its editable or virtual root), whose
// dependencies become the root's direct dependencies. projectDir is the
// project's directory, against which the lock's name is written.
func (inv *inventory) addLock(l *lockfile.Lock, project *Project, projectDir string) error {
	inv.lockName = lockDisplayName(l.Path, projectDir)
	inv.lockFormat = string(l.Format)
	rootName := inv.root.normName

	rootIdx := -1
	for i := range l.Packages {
		p := &l.Packages[i]
		if p.NormalizedName == rootName && isLocalSource(p.Source.Kind) {
			rootIdx = i
			break
		}
	}
	if rootIdx < 0 && l.Project != nil && l.Project.NormalizedName != rootName {
		return fmt.Errorf("%s is the lock of project %q, not of %q: %w", inv.lockName, l.Project.Name, project.Name, ErrInvalidOptions)
	}

	// index maps a lock package to its component (-1 for the root).
	index := make([]int, len(l.Packages))
	byName := map[string][]int{}
	for i := range l.Packages {
		p := &l.Packages[i]
		if i == rootIdx {
			index[i] = -1
			if inv.root.version == "" {
				inv.root.version = p.Version
			}
			continue
		}
		c, err := lockComponent(p)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", inv.lockName, cmp.Or(p.Location, p.Name), err)
		}
		index[i] = len(inv.components)
		inv.components = append(inv.components, c)
		byName[p.NormalizedName] = append(byName[p.NormalizedName], i)
		if len(p.Dependencies) > 0 {
			inv.graph = true
		}
	}

	// resolve returns the components a dependency edge can point at: every
	// locked version of the name, or just the one it names.
	resolve := func(name, version string) []int {
		var out []int
		for _, i := range byName[name] {
			if version == "" || pypi.SameVersion(l.Packages[i].Version, version) {
				out = append(out, index[i])
			}
		}
		return out
	}
	for i := range l.Packages {
		p := &l.Packages[i]
		deps := &inv.root.deps
		if i != rootIdx {
			deps = &inv.components[index[i]].deps
		}
		for _, d := range p.Dependencies {
			*deps = append(*deps, resolve(d.NormalizedName, d.Version)...)
		}
	}
	if rootIdx < 0 {
		// The lock does not list the project: its direct dependencies are
		// the ones pyproject.toml declares that the lock pins.
		for _, req := range project.Requirements() {
			if name := requirementName(req); name != "" {
				inv.root.deps = append(inv.root.deps, resolve(pypi.NormalizeName(name), "")...)
			}
		}
	}
	inv.rootDepsKnown = len(inv.root.deps) > 0
	return nil
}

// Requirements lists every requirement the project declares: runtime,
// optional and dependency groups.
func (p *Project) Requirements() []string {
	reqs := slices.Clone(p.Dependencies)
	for _, name := range sortedKeys(p.OptionalDependencies) {
		reqs = append(reqs, p.OptionalDependencies[name]...)
	}
	for _, name := range sortedKeys(p.DependencyGroups) {
		reqs = append(reqs, p.DependencyGroups[name]...)
	}
	return reqs
}

// requirementName returns the project a requirement string names: the
// parsed PEP 508 name, or, for a requirement pip would reject further on
// (uv accepts ">=0.27.0<0.30.0"), the valid name it starts with; "" if none.
func requirementName(req string) string {
	if r, err := pypi.ParseRequirement(req); err == nil {
		return r.Name
	}
	req = strings.TrimSpace(req)
	end := strings.IndexFunc(req, func(r rune) bool {
		return !(r < 0x80 && (isIDChar(byte(r)) || r == '_'))
	})
	if end < 0 {
		end = len(req)
	}
	if name := req[:end]; pypi.ValidName(name) {
		return name
	}
	return ""
}

func isLocalSource(k lockfile.SourceKind) bool {
	return k == lockfile.SourceEditable || k == lockfile.SourceVirtual || k == lockfile.SourcePath
}

// maxVersionLength is the longest version CycloneDX 1.6 allows.
const maxVersionLength = 1024

// lockComponent turns a locked package into a component.
func lockComponent(p *lockfile.Package) (*component, error) {
	c := &component{
		name:     p.Name,
		normName: p.NormalizedName,
		version:  p.Version,
		markers:  p.Markers,
		groups:   slices.Clone(p.Groups),
		extras:   slices.Clone(p.Extras),
		purl:     p.PURL(),
		source: source{
			kind:     string(p.Source.Kind),
			url:      p.Source.URL,
			vcs:      p.Source.VCS,
			ref:      p.Source.Ref,
			commit:   p.Source.Commit,
			path:     p.Source.Path,
			editable: p.Source.Kind == lockfile.SourceEditable,
		},
	}
	slices.Sort(c.groups)
	slices.Sort(c.extras)
	switch p.Scope {
	case lockfile.ScopeDev:
		c.scope = scopeDev
	case lockfile.ScopeOptional:
		c.scope = scopeOptional
	case lockfile.ScopeRuntime, "":
		c.scope = scopeRuntime
	default:
		return nil, fmt.Errorf("scope %q: want runtime, optional or dev: %w", p.Scope, ErrInvalidLock)
	}
	if len(p.Version) > maxVersionLength {
		return nil, fmt.Errorf("version: %d characters, more than the %d a CycloneDX version may have: %w", len(p.Version), maxVersionLength, ErrInvalidLock)
	}
	if p.Source.Kind == lockfile.SourceVCS {
		c.purl = withQualifier(c.purl, "vcs_url", c.vcsLocation())
	}
	for _, f := range p.Files {
		name := f.Name
		if name == "" && f.Path != "" {
			name = path.Base(filepath.ToSlash(f.Path))
		}
		if name == "" && len(f.Hashes) == 0 && f.URL == "" {
			continue
		}
		c.files = append(c.files, distFile{name: name, url: f.URL, hashes: f.Hashes})
	}
	return c, nil
}

// lockDisplayName is how the document names the lock file: relative to the
// project directory when it is inside it, else its base name, so that the
// same checkout gives the same document wherever it lives.
func lockDisplayName(lockPath, projectDir string) string {
	if projectDir != "" {
		if rel, err := filepath.Rel(projectDir, lockPath); err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(lockPath)
}
