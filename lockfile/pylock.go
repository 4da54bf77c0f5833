package lockfile

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// pylock.toml (PEP 751).
type pylockDoc struct {
	LockVersion      string          `toml:"lock-version"`
	CreatedBy        string          `toml:"created-by"`
	Extras           []string        `toml:"extras"`
	DependencyGroups []string        `toml:"dependency-groups"`
	DefaultGroups    []string        `toml:"default-groups"`
	Packages         []pylockPackage `toml:"packages"`
}

type pylockPackage struct {
	Name         string       `toml:"name"`
	Version      string       `toml:"version"`
	Marker       string       `toml:"marker"`
	Index        string       `toml:"index"`
	Dependencies []pylockDep  `toml:"dependencies"`
	VCS          *pylockVCS   `toml:"vcs"`
	Directory    *pylockDir   `toml:"directory"`
	Archive      *pylockFile  `toml:"archive"`
	Sdist        *pylockFile  `toml:"sdist"`
	Wheels       []pylockFile `toml:"wheels"`
}

type pylockDep struct {
	Name    string `toml:"name"`
	Version string `toml:"version"`
}

type pylockVCS struct {
	Type              string `toml:"type"`
	URL               string `toml:"url"`
	Path              string `toml:"path"`
	RequestedRevision string `toml:"requested-revision"`
	CommitID          string `toml:"commit-id"`
}

type pylockDir struct {
	Path     string `toml:"path"`
	Editable bool   `toml:"editable"`
}

type pylockFile struct {
	Name   string            `toml:"name"`
	URL    string            `toml:"url"`
	Path   string            `toml:"path"`
	Size   int64             `toml:"size"`
	Hashes map[string]string `toml:"hashes"`
}

// pylockMarkerRE finds "'name' in extras" and "'name' in dependency_groups".
var pylockMarkerRE = regexp.MustCompile(`["']([^"']+)["']\s+in\s+(extras|dependency_groups)\b`)

// parsePylock parses a PEP 751 lock file. A lock-version whose major
// version is not 1 is an error (the PEP requires tools to refuse it).
func parsePylock(path string, data []byte) (*Lock, error) {
	var doc pylockDoc
	if err := decodeTOML(path, data, &doc); err != nil {
		return nil, err
	}
	if err := checkLockVersion(path, "lock-version", doc.LockVersion, "1"); err != nil {
		return nil, err
	}
	l := &Lock{Format: FormatPylock, Path: path, Version: doc.LockVersion, Generator: doc.CreatedBy}
	for i, pp := range doc.Packages {
		field := fmt.Sprintf("packages[%d]", i)
		p, err := lockedPackage(path, field, pp.Name, pp.Version)
		if err != nil {
			return nil, err
		}
		p.Markers = pp.Marker
		switch {
		case pp.VCS != nil:
			p.Source = Source{Kind: SourceVCS, VCS: pp.VCS.Type, URL: pp.VCS.URL, Path: pp.VCS.Path, Ref: pp.VCS.RequestedRevision}
			if !isHexCommit(pp.VCS.CommitID) {
				return nil, fmt.Errorf("%s: %s.vcs.commit-id: %q: want a full commit id: %w", path, field, truncate(pp.VCS.CommitID), ErrSyntax)
			}
			p.Source.Commit = strings.ToLower(pp.VCS.CommitID)
		case pp.Directory != nil:
			p.Source = Source{Kind: SourcePath, Path: pp.Directory.Path}
			if pp.Directory.Editable {
				p.Source.Kind = SourceEditable
			}
		case pp.Archive != nil:
			f, err := pp.Archive.file(field + ".archive")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			p.Files = append(p.Files, f)
			p.Source = Source{Kind: SourceURL, URL: pp.Archive.URL}
			if pp.Archive.URL == "" {
				p.Source = Source{Kind: SourcePath, Path: pp.Archive.Path}
			}
		default:
			p.Source = Source{Kind: SourceIndex, URL: pp.Index}
		}
		if pp.Sdist != nil {
			f, err := pp.Sdist.file(field + ".sdist")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			p.Files = append(p.Files, f)
		}
		for j, w := range pp.Wheels {
			f, err := w.file(fmt.Sprintf("%s.wheels[%d]", field, j))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			p.Files = append(p.Files, f)
		}
		for _, d := range pp.Dependencies {
			p.Dependencies = append(p.Dependencies, Dependency{Name: d.Name, NormalizedName: pypi.NormalizeName(d.Name), Version: d.Version})
		}
		pylockScope(&p, doc.DefaultGroups)
		l.Packages = append(l.Packages, p)
	}
	return l, nil
}

// pylockScope derives groups and scope from the marker: a package needed
// by a default dependency group, or by no group or extra, is runtime; one
// needed only by extras is optional; only by other groups, dev.
func pylockScope(p *Package, defaults []string) {
	var extras, groups []string
	for _, m := range pylockMarkerRE.FindAllStringSubmatch(p.Markers, -1) {
		p.addGroup(m[1])
		if m[2] == "extras" {
			extras = append(extras, m[1])
		} else {
			groups = append(groups, m[1])
		}
	}
	switch {
	case len(extras) == 0 && len(groups) == 0:
		p.Scope = ScopeRuntime
	case slices.ContainsFunc(groups, func(g string) bool { return slices.Contains(defaults, g) }):
		p.Scope = ScopeRuntime
	case len(extras) > 0:
		p.Scope = ScopeOptional
	default:
		p.Scope = ScopeDev
	}
}

// file converts an sdist, wheel or archive table; PEP 751 requires hashes.
func (f pylockFile) file(field string) (File, error) {
	out := File{Name: fileName(f.Name, f.URL, f.Path), URL: f.URL, Path: f.Path, Size: f.Size}
	if f.URL == "" && f.Path == "" {
		return File{}, fmt.Errorf("%s: want url or path: %w", field, ErrSyntax)
	}
	if len(f.Hashes) == 0 {
		return File{}, fmt.Errorf("%s.hashes: missing: %w", field, ErrHash)
	}
	out.Hashes = digest.Set{}
	for _, a := range sortedKeys(f.Hashes) {
		alg, h, err := hashValue(a, f.Hashes[a])
		if err != nil {
			return File{}, fmt.Errorf("%s.hashes.%w", field, err)
		}
		if err := out.Hashes.Add(alg, h); err != nil {
			return File{}, fmt.Errorf("%s.hashes: %w: %w", field, ErrHash, err)
		}
	}
	if f.Size < 0 {
		return File{}, fmt.Errorf("%s.size: negative: %w", field, ErrSyntax)
	}
	return out, nil
}
