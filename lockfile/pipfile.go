package lockfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// Pipfile.lock (pipfile-spec 6): "_meta" plus package sections, "default"
// and "develop" and any custom pipenv categories.
type pipfileMeta struct {
	PipfileSpec *int `json:"pipfile-spec"`
	Sources     []struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"sources"`
}

type pipfileEntry struct {
	Version  string   `json:"version"`
	Hashes   []string `json:"hashes"`
	Markers  string   `json:"markers"`
	Extras   []string `json:"extras"`
	Index    string   `json:"index"`
	Git      string   `json:"git"`
	Hg       string   `json:"hg"`
	Svn      string   `json:"svn"`
	Bzr      string   `json:"bzr"`
	Ref      string   `json:"ref"`
	Editable bool     `json:"editable"`
	Path     string   `json:"path"`
	File     string   `json:"file"`
}

// maxPipfileSpec is the newest pipfile-spec this parser knows.
const maxPipfileSpec = 6

// parsePipfile parses a Pipfile.lock.
func parsePipfile(path string, data []byte) (*Lock, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%s: %v: %w", path, err, ErrSyntax)
	}
	rawMeta, ok := top["_meta"]
	if !ok {
		return nil, fmt.Errorf("%s: _meta: missing: %w", path, ErrFormat)
	}
	var meta pipfileMeta
	if err := json.Unmarshal(rawMeta, &meta); err != nil {
		return nil, fmt.Errorf("%s: _meta: %v: %w", path, err, ErrSyntax)
	}
	if meta.PipfileSpec == nil {
		return nil, fmt.Errorf("%s: _meta.pipfile-spec: missing: %w", path, ErrFormat)
	}
	if *meta.PipfileSpec < 1 || *meta.PipfileSpec > maxPipfileSpec {
		return nil, fmt.Errorf("%s: _meta.pipfile-spec: %d, want 1 to %d: %w", path, *meta.PipfileSpec, maxPipfileSpec, ErrUnsupportedVersion)
	}
	l := &Lock{Format: FormatPipfileLock, Path: path, Version: fmt.Sprint(*meta.PipfileSpec), Generator: "pipenv"}
	indexes := map[string]string{}
	for _, s := range meta.Sources {
		indexes[s.Name] = s.URL
		l.Indexes = append(l.Indexes, s.URL)
	}
	// Sections: default, develop, then custom categories in name order.
	var sections []string
	for k := range top {
		if k != "_meta" && k != "default" && k != "develop" {
			sections = append(sections, k)
		}
	}
	sort.Strings(sections)
	sections = append([]string{"default", "develop"}, sections...)
	byKey := map[string]int{} // normalized name + "==" + version -> index
	for _, section := range sections {
		raw, ok := top[section]
		if !ok {
			continue
		}
		if trimmed := bytes.TrimSpace(raw); len(trimmed) == 0 || trimmed[0] != '{' {
			return nil, fmt.Errorf("%s: %s: want an object of packages: %w", path, section, ErrSyntax)
		}
		var entries map[string]pipfileEntry
		if err := json.Unmarshal(raw, &entries); err != nil {
			return nil, fmt.Errorf("%s: %s: %v: %w", path, section, err, ErrSyntax)
		}
		scope := ScopeOptional
		switch section {
		case "default":
			scope = ScopeRuntime
		case "develop":
			scope = ScopeDev
		}
		for _, name := range sortedKeys(entries) {
			e := entries[name]
			field := section + "." + name
			if !pypi.ValidName(name) {
				return nil, fmt.Errorf("%s: %s: invalid name: %w", path, field, ErrSyntax)
			}
			p, err := e.pkg(name, field, indexes)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			key := p.NormalizedName + "==" + p.Version
			if i, ok := byKey[key]; ok && sameOrigin(p.Source, l.Packages[i].Source) {
				// Listed in several sections with one version: one
				// package with the best scope, the first section's
				// markers, and every hash either lists.
				q := &l.Packages[i]
				q.addGroup(section)
				if scopeRank(scope) < scopeRank(q.Scope) {
					q.Scope = scope
				}
				if q.Source.URL == "" {
					q.Source.URL = p.Source.URL
				}
				for _, f := range p.Files {
					for alg, h := range f.Hashes {
						if !hasHash(q.Files, alg, h) {
							q.Files = append(q.Files, f)
						}
					}
				}
				continue
			}
			p.Scope = scope
			p.addGroup(section)
			byKey[key] = len(l.Packages)
			l.Packages = append(l.Packages, p)
		}
	}
	return l, nil
}

// sameOrigin reports whether two sources are the same, an index with and
// without its URL spelled out counting as one.
func sameOrigin(a, b Source) bool {
	if a.Kind == SourceIndex && b.Kind == SourceIndex {
		return a.URL == "" || b.URL == "" || a.URL == b.URL
	}
	return a == b
}

func (e pipfileEntry) pkg(name, field string, indexes map[string]string) (Package, error) {
	version := e.Version
	if v, ok := pypi.PinnedVersion(version); ok {
		version = v
	} else if version == "*" {
		version = ""
	}
	p := newPackage(name, version)
	p.Location = field
	p.Markers = e.Markers
	p.Extras = e.Extras
	switch {
	case e.Git != "" || e.Hg != "" || e.Svn != "" || e.Bzr != "":
		vcs, u := "git", e.Git
		switch {
		case e.Hg != "":
			vcs, u = "hg", e.Hg
		case e.Svn != "":
			vcs, u = "svn", e.Svn
		case e.Bzr != "":
			vcs, u = "bzr", e.Bzr
		}
		if _, rest, ok := vcsOf(u); ok {
			u = rest
		}
		p.Source = Source{Kind: SourceVCS, VCS: vcs, URL: u, Ref: e.Ref}
		if isHexCommit(e.Ref) {
			p.Source.Commit = strings.ToLower(e.Ref)
		}
		if e.Editable {
			p.Source.Kind = SourceEditable
		}
	case e.Path != "":
		p.Source = Source{Kind: SourcePath, Path: e.Path}
		if e.Editable {
			p.Source.Kind = SourceEditable
		}
	case e.File != "":
		p.Source = Source{Kind: SourceURL, URL: e.File}
		if !strings.Contains(e.File, "://") {
			p.Source = Source{Kind: SourcePath, Path: e.File}
		}
	default:
		p.Source = Source{Kind: SourceIndex, URL: indexes[e.Index]}
	}
	for j, h := range e.Hashes {
		alg, v, err := parseHash(h)
		if err != nil {
			return Package{}, fmt.Errorf("%s.hashes[%d]: %w", field, j, err)
		}
		p.Files = append(p.Files, File{Hashes: digest.Set{alg: v}})
	}
	return p, nil
}
