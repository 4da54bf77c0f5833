package sbom

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/pedigree-dev/pedigree/pypi"
)

// MaxProjectSize is the largest pyproject.toml ReadProject reads.
const MaxProjectSize = 4 << 20

// Project is what an SBOM uses of a pyproject.toml: the PEP 621 [project]
// table, PEP 735 [dependency-groups], and Poetry's [tool.poetry] for what
// [project] does not say.
type Project struct {
	// Path is the file read (empty for ParseProject).
	Path string
	// Name is the project name as written; Version is empty when dynamic.
	Name, Version, Description string
	// License is an SPDX license expression (PEP 639 license string, or a
	// Poetry license); LicenseText is a legacy license = {text = "..."} or
	// a license string that is not a valid expression. A license = {file =
	// "..."} leaves both empty.
	License, LicenseText string
	// RequiresPython is the requires-python specifier.
	RequiresPython string
	// Dependencies are the runtime requirements. PEP 621 ones are PEP 508
	// strings as written; Poetry's table entries are given as their names.
	Dependencies []string
	// OptionalDependencies are the extras, by extra name.
	OptionalDependencies map[string][]string
	// DependencyGroups are PEP 735 groups (with include-group resolved)
	// and Poetry groups (dev-dependencies as "dev"), by group name.
	DependencyGroups map[string][]string
	// URLs are [project.urls] (or Poetry's homepage/repository/documentation).
	URLs map[string]string
	// Dynamic lists the fields the build backend fills in.
	Dynamic []string
}

// ReadProject reads a pyproject.toml, or the pyproject.toml in path when
// path is a directory. It returns an error wrapping ErrTooLarge above
// MaxProjectSize, ErrInvalidProject (with the field path) for a file
// ParseProject rejects, and the fs error when the file cannot be read.
func ReadProject(path string) (*Project, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, "pyproject.toml")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read project: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxProjectSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxProjectSize {
		return nil, fmt.Errorf("%s: larger than %d bytes: %w", path, MaxProjectSize, ErrTooLarge)
	}
	p, err := ParseProject(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p.Path = path
	return p, nil
}

// ParseProject parses the contents of a pyproject.toml. It returns an error
// wrapping ErrTooLarge above MaxProjectSize and ErrInvalidProject, naming the
// field, when the TOML is malformed, neither [project] nor [tool.poetry]
// names the project, or a field has the wrong type.
func ParseProject(data []byte) (*Project, error) {
	if len(data) > MaxProjectSize {
		return nil, fmt.Errorf("larger than %d bytes: %w", MaxProjectSize, ErrTooLarge)
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("line %d column %d: %s: %w", row, col, de.Error(), ErrInvalidProject)
		}
		return nil, fmt.Errorf("%v: %w", err, ErrInvalidProject)
	}
	t := tomlTable{path: "", m: doc}
	p := &Project{}
	project, err := t.table("project")
	if err != nil {
		return nil, err
	}
	tool, err := t.table("tool")
	if err != nil {
		return nil, err
	}
	poetry, err := tool.table("poetry")
	if err != nil {
		return nil, err
	}
	if project.m == nil && poetry.m == nil {
		return nil, fmt.Errorf("neither [project] nor [tool.poetry] is present: %w", ErrInvalidProject)
	}
	if project.m != nil {
		if err := p.readPEP621(project); err != nil {
			return nil, err
		}
	}
	groups, err := t.table("dependency-groups")
	if err != nil {
		return nil, err
	}
	if err := p.readDependencyGroups(groups); err != nil {
		return nil, err
	}
	if poetry.m != nil {
		if err := p.readPoetry(poetry, project.m == nil); err != nil {
			return nil, err
		}
	}
	if p.Name == "" {
		field := "project.name"
		if project.m == nil {
			field = "tool.poetry.name"
		}
		return nil, fmt.Errorf("%s: required: %w", field, ErrInvalidProject)
	}
	if !pypi.ValidName(p.Name) {
		return nil, fmt.Errorf("name: %q is not a valid Python project name: %w", p.Name, ErrInvalidProject)
	}
	return p, nil
}

func (p *Project) readPEP621(t tomlTable) error {
	err := t.readStrings([]stringField{{"name", &p.Name}, {"version", &p.Version}, {"description", &p.Description}, {"requires-python", &p.RequiresPython}})
	if err != nil {
		return err
	}
	if p.Dynamic, err = t.strings("dynamic"); err != nil {
		return err
	}
	if p.Dependencies, err = t.strings("dependencies"); err != nil {
		return err
	}
	switch v := t.m["license"].(type) {
	case nil:
	case string:
		p.setLicense(v)
	case map[string]any:
		lt := tomlTable{path: t.key("license"), m: v}
		if p.LicenseText, err = lt.str("text"); err != nil {
			return err
		}
		if _, err := lt.str("file"); err != nil {
			return err
		}
	default:
		return t.typeError("license", "a string or a table", v)
	}
	if err := t.stringLists("optional-dependencies", &p.OptionalDependencies); err != nil {
		return err
	}
	return t.stringsTable("urls", &p.URLs)
}

// readDependencyGroups reads PEP 735 [dependency-groups], resolving
// {include-group = "name"} entries.
func (p *Project) readDependencyGroups(t tomlTable) error {
	if t.m == nil {
		return nil
	}
	var resolve func(name string, seen []string) ([]string, error)
	resolve = func(name string, seen []string) ([]string, error) {
		if slices.Contains(seen, name) {
			return nil, fmt.Errorf("%s: include-group cycle %s: %w", t.key(name), strings.Join(append(seen, name), " -> "), ErrInvalidProject)
		}
		raw, ok := t.m[name]
		if !ok {
			return nil, fmt.Errorf("%s: include-group names a group that does not exist: %w", t.key(name), ErrInvalidProject)
		}
		list, ok := raw.([]any)
		if !ok {
			return nil, t.typeError(name, "an array", raw)
		}
		var out []string
		for i, item := range list {
			field := fmt.Sprintf("%s[%d]", t.key(name), i)
			switch v := item.(type) {
			case string:
				out = append(out, v)
			case map[string]any:
				inc, ok := v["include-group"].(string)
				if !ok || len(v) != 1 {
					return nil, fmt.Errorf("%s: want a requirement string or {include-group = \"name\"}: %w", field, ErrInvalidProject)
				}
				more, err := resolve(inc, append(seen, name))
				if err != nil {
					return nil, err
				}
				out = append(out, more...)
			default:
				return nil, fmt.Errorf("%s: want a string or a table, got %s: %w", field, tomlType(item), ErrInvalidProject)
			}
		}
		return out, nil
	}
	for _, name := range t.keys() {
		reqs, err := resolve(name, nil)
		if err != nil {
			return err
		}
		p.addGroup(name, reqs)
	}
	return nil
}

// readPoetry reads [tool.poetry]: its groups always, and its name, version,
// description, license, dependencies and URLs when there is no [project].
func (p *Project) readPoetry(t tomlTable, primary bool) error {
	group, err := t.table("group")
	if err != nil {
		return err
	}
	for _, name := range group.keys() {
		g, err := group.table(name)
		if err != nil {
			return err
		}
		deps, err := g.table("dependencies")
		if err != nil {
			return err
		}
		p.addGroup(name, deps.keys())
	}
	dev, err := t.table("dev-dependencies")
	if err != nil {
		return err
	}
	if dev.m != nil {
		p.addGroup("dev", dev.keys())
	}
	if !primary {
		return nil
	}
	var license string
	if err := t.readStrings([]stringField{{"name", &p.Name}, {"version", &p.Version}, {"description", &p.Description}, {"license", &license}}); err != nil {
		return err
	}
	p.setLicense(license)
	deps, err := t.table("dependencies")
	if err != nil {
		return err
	}
	for _, name := range deps.keys() {
		if strings.EqualFold(name, "python") {
			if s, ok := deps.m[name].(string); ok {
				p.RequiresPython = s
			}
			continue
		}
		p.Dependencies = append(p.Dependencies, name)
	}
	if err := t.stringLists("extras", &p.OptionalDependencies); err != nil {
		return err
	}
	for _, key := range []string{"homepage", "repository", "documentation"} {
		u, err := t.str(key)
		if err != nil {
			return err
		}
		if u != "" {
			p.setURL(key, u)
		}
	}
	return t.stringsTable("urls", &p.URLs)
}

func (p *Project) addGroup(name string, reqs []string) {
	if p.DependencyGroups == nil {
		p.DependencyGroups = map[string][]string{}
	}
	p.DependencyGroups[name] = append(p.DependencyGroups[name], reqs...)
}

// setLicense records a declared license string: an SPDX expression when
// it is one, else free text.
func (p *Project) setLicense(declared string) {
	l := newLicense(declared)
	p.License, p.LicenseText = l.expression, l.text
}

func (p *Project) setURL(name, u string) {
	if p.URLs == nil {
		p.URLs = map[string]string{}
	}
	p.URLs[name] = u
}

// tomlTable is a decoded TOML table with its dotted path, for errors that
// name the field.
type tomlTable struct {
	path string
	m    map[string]any
}

func (t tomlTable) key(k string) string {
	if t.path == "" {
		return k
	}
	return t.path + "." + k
}

func (t tomlTable) keys() []string {
	keys := make([]string, 0, len(t.m))
	for k := range t.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (t tomlTable) typeError(k, want string, got any) error {
	return fmt.Errorf("%s: want %s, got %s: %w", t.key(k), want, tomlType(got), ErrInvalidProject)
}

// table returns the sub-table k; a missing one has a nil map.
func (t tomlTable) table(k string) (tomlTable, error) {
	sub := tomlTable{path: t.key(k)}
	switch v := t.m[k].(type) {
	case nil:
		return sub, nil
	case map[string]any:
		sub.m = v
		return sub, nil
	default:
		return sub, t.typeError(k, "a table", v)
	}
}

func (t tomlTable) str(k string) (string, error) {
	switch v := t.m[k].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", t.typeError(k, "a string", v)
	}
}

// stringField is a string field of a table and where readStrings puts it.
type stringField struct {
	key string
	dst *string
}

// readStrings reads each string field (empty when absent) into its dst, in
// order, stopping at the first that is not a string.
func (t tomlTable) readStrings(fields []stringField) error {
	for _, f := range fields {
		v, err := t.str(f.key)
		if err != nil {
			return err
		}
		*f.dst = v
	}
	return nil
}

// stringLists adds the sub-table k, a table of string arrays, to *dst.
func (t tomlTable) stringLists(k string, dst *map[string][]string) error {
	return addTable(t, k, dst, tomlTable.strings)
}

// stringsTable adds the sub-table k, a table of strings, to *dst.
func (t tomlTable) stringsTable(k string, dst *map[string]string) error {
	return addTable(t, k, dst, tomlTable.str)
}

// addTable adds each value of the sub-table k of t, read with get, to
// *dst (made when there is a first value).
func addTable[V any](t tomlTable, k string, dst *map[string]V, get func(tomlTable, string) (V, error)) error {
	sub, err := t.table(k)
	if err != nil {
		return err
	}
	for _, name := range sub.keys() {
		v, err := get(sub, name)
		if err != nil {
			return err
		}
		if *dst == nil {
			*dst = map[string]V{}
		}
		(*dst)[name] = v
	}
	return nil
}

func (t tomlTable) strings(k string) ([]string, error) {
	raw, ok := t.m[k]
	if !ok {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, t.typeError(k, "an array of strings", raw)
	}
	out := make([]string, len(list))
	for i, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, fmt.Errorf("%s[%d]: want a string, got %s: %w", t.key(k), i, tomlType(item), ErrInvalidProject)
		}
		out[i] = s
	}
	return out, nil
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case map[string]any:
		return "a table"
	case []any:
		return "an array"
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	default:
		return fmt.Sprintf("%T", v)
	}
}
