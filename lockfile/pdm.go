package lockfile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/pypi"
)

// pdm.lock (lock_version 4.x; 3.x is read too).
type pdmLock struct {
	Metadata struct {
		LockVersion string   `toml:"lock_version"`
		Groups      []string `toml:"groups"`
	} `toml:"metadata"`
	Package []pdmPackage `toml:"package"`
}

type pdmPackage struct {
	Name         string     `toml:"name"`
	Version      string     `toml:"version"`
	Groups       []string   `toml:"groups"`
	Marker       string     `toml:"marker"`
	Extras       []string   `toml:"extras"`
	Dependencies []string   `toml:"dependencies"`
	Files        []tomlFile `toml:"files"`
	Editable     bool       `toml:"editable"`
	Path         string     `toml:"path"`
	URL          string     `toml:"url"`
	Git          string     `toml:"git"`
	Hg           string     `toml:"hg"`
	Ref          string     `toml:"ref"`
	Revision     string     `toml:"revision"`
}

// parsePDM parses a pdm.lock. pdm lists a package once more for each set
// of extras it is needed with (same name and version, "extras" set): those
// entries are kept as the lock lists them. Groups other than "default"
// may be optional-dependency extras or dev groups, which the lock alone
// does not tell apart; their packages are reported as optional.
func parsePDM(path string, data []byte) (*Lock, error) {
	var doc pdmLock
	if err := decodeTOML(path, data, &doc); err != nil {
		return nil, err
	}
	v := doc.Metadata.LockVersion
	if err := checkLockVersion(path, "metadata.lock_version", v, "3", "4"); err != nil {
		return nil, err
	}
	l := &Lock{Format: FormatPDMLock, Path: path, Version: v, Generator: "pdm"}
	for i, pp := range doc.Package {
		field := fmt.Sprintf("package[%d]", i)
		p, err := lockedPackage(path, field, pp.Name, pp.Version)
		if err != nil {
			return nil, err
		}
		p.Markers = pp.Marker
		p.Extras = pp.Extras
		for _, g := range pp.Groups {
			p.addGroup(g)
		}
		if len(pp.Groups) > 0 && !slices.Contains(pp.Groups, "default") {
			p.Scope = ScopeOptional
		}
		switch {
		case pp.Git != "" || pp.Hg != "":
			vcs, u := "git", pp.Git
			if pp.Hg != "" {
				vcs, u = "hg", pp.Hg
			}
			p.Source = Source{Kind: SourceVCS, VCS: vcs, URL: u, Ref: pp.Ref}
			if isHexCommit(pp.Revision) {
				p.Source.Commit = strings.ToLower(pp.Revision)
			}
		case pp.Path != "":
			p.Source = Source{Kind: SourcePath, Path: pp.Path}
			if pp.Editable {
				p.Source.Kind = SourceEditable
			}
		case pp.URL != "":
			p.Source = Source{Kind: SourceURL, URL: pp.URL}
		default:
			p.Source = Source{Kind: SourceIndex}
		}
		for j, pf := range pp.Files {
			f, err := pf.file(true)
			if err != nil {
				return nil, fmt.Errorf("%s: %s.files[%d].hash: %w", path, field, j, err)
			}
			p.Files = append(p.Files, f)
		}
		for j, ds := range pp.Dependencies {
			req, err := pypi.ParseRequirement(ds)
			if err != nil {
				return nil, fmt.Errorf("%s: %s.dependencies[%d]: %w: %w", path, field, j, ErrSyntax, err)
			}
			p.Dependencies = append(p.Dependencies, Dependency{
				Name: req.Name, NormalizedName: pypi.NormalizeName(req.Name),
				Specifier: req.Specifier, Extras: req.Extras, Markers: req.Marker,
			})
		}
		l.Packages = append(l.Packages, p)
	}
	return l, nil
}
