package sbom

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// scope is how a component is needed: at run time, only for development
// (a dev group), or only with an extra (an optional group).
type scope int

const (
	scopeRuntime scope = iota
	scopeDev
	scopeOptional
)

func (s scope) String() string {
	switch s {
	case scopeDev:
		return "dev"
	case scopeOptional:
		return "optional"
	default:
		return "runtime"
	}
}

// distFile is one distribution file of a package: a wheel or sdist named in
// the lock, or a dist file given on the command line.
type distFile struct {
	name   string // file name, when known
	url    string // where it comes from, when known
	hashes digest.Set
}

// embeddedSBOM is a PEP 770 SBOM inside a wheel's .dist-info/sboms/.
type embeddedSBOM struct {
	wheel  string // the wheel's file name
	path   string // path inside the wheel
	sha256 string
}

// location is the embedded SBOM as a relative reference: the wheel's file
// name with the entry's path as the fragment, escaped as a URL.
func (s embeddedSBOM) location() string {
	return (&url.URL{Path: s.wheel, Fragment: s.path}).String()
}

// source says where a package comes from when it is not an index.
type source struct {
	kind     string // a lockfile.SourceKind
	url      string
	vcs      string // git, hg, svn, bzr
	ref      string // requested revision
	commit   string // resolved commit
	path     string
	editable bool
}

// component is one package in a document: the project itself or a locked
// package.
type component struct {
	name        string // as written
	normName    string // PEP 503 normalized
	version     string
	description string
	scope       scope
	groups      []string // lock groups (poetry groups, pipenv categories, uv dependency groups...)
	extras      []string // extras the package is required with
	markers     string   // PEP 508 environment markers under which it is installed
	source      source
	files       []distFile
	license     licenseInfo
	sboms       []embeddedSBOM
	urls        map[string]string // project URLs (root only)
	purl        string

	// deps are indexes into inventory.components (for the root: its direct
	// dependencies).
	deps []int

	// Identifiers, assigned by inventory.finish.
	ref    string // CycloneDX bom-ref
	spdxID string
}

// inventory is everything a document lists, independent of the format.
type inventory struct {
	root       component
	components []*component
	// graph is true when the lock records each package's dependencies, so
	// an empty deps list means "no dependencies" rather than "unknown".
	graph bool
	// rootDepsKnown is true when the root's direct dependencies are known.
	rootDepsKnown bool

	lockName, lockFormat string
	created              time.Time
	toolVersion          string
}

// finish sorts the components (keeping deps pointing at the same packages)
// and assigns bom-refs and SPDX ids, unique within the document (and a PURL
// to components without one).
func (inv *inventory) finish() {
	order := make([]int, len(inv.components))
	for i := range order {
		order[i] = i
	}
	tie := make([]string, len(order))
	for i, c := range inv.components {
		tie[i] = c.tiebreak()
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(compareComponents(inv.components[a], inv.components[b]), strings.Compare(tie[a], tie[b]))
	})
	newIndex := make([]int, len(order))
	sorted := make([]*component, len(order))
	for newPos, old := range order {
		newIndex[old] = newPos
		sorted[newPos] = inv.components[old]
	}
	inv.components = sorted
	remap := func(c *component) {
		for i, d := range c.deps {
			c.deps[i] = newIndex[d]
		}
		slices.Sort(c.deps)
		c.deps = slices.Compact(c.deps)
	}
	remap(&inv.root)
	for _, c := range inv.components {
		remap(c)
	}

	refs, ids := newUniqueNames(), newUniqueNames()
	ids.taken["SPDXRef-DOCUMENT"] = true
	assign := func(c *component) {
		if c.purl == "" {
			c.purl = pypi.PURL(c.name, c.version, pypi.PURLOptions{})
		}
		c.ref = refs.unique(c.purl, "#")
		c.spdxID = ids.unique("SPDXRef-Package-pypi-"+spdxIDPart(c.normName+"-"+c.version), "-")
	}
	assign(&inv.root)
	for _, c := range inv.components {
		assign(c)
	}
}

// uniqueNames hands out names unique within a document.
type uniqueNames struct {
	taken map[string]bool
	next  map[string]int // the next suffix to try for a base name
}

func newUniqueNames() *uniqueNames {
	return &uniqueNames{taken: map[string]bool{}, next: map[string]int{}}
}

// unique returns base, or base+sep+n for the smallest n >= 2 not yet taken
// (in amortized constant time, however many packages share a name), and
// records it.
func (u *uniqueNames) unique(base, sep string) string {
	s := base
	if u.taken[s] {
		for n := max(u.next[base], 2); ; n++ {
			if s = fmt.Sprintf("%s%s%d", base, sep, n); !u.taken[s] {
				u.next[base] = n + 1
				break
			}
		}
	}
	u.taken[s] = true
	return s
}

func compareComponents(a, b *component) int {
	return cmp.Or(
		strings.Compare(a.normName, b.normName),
		strings.Compare(a.version, b.version),
		strings.Compare(a.source.url, b.source.url),
		strings.Compare(a.source.path, b.source.path),
		strings.Compare(a.markers, b.markers),
		int(a.scope-b.scope),
	)
}

// tiebreak orders components that compareComponents finds equal (the same
// package locked twice), by everything else the documents show, so that
// the lock's order never shows through.
func (c *component) tiebreak() string {
	files := make([]string, 0, len(c.files))
	for _, f := range c.files {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\x00%s", f.name, f.url)
		for _, alg := range f.hashes.Algorithms() {
			fmt.Fprintf(&b, "\x00%s:%s", alg, f.hashes[alg])
		}
		files = append(files, b.String())
	}
	slices.Sort(files)
	return fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%q\x00%q\x00%q", c.name, c.source.kind, c.source.commit, c.purl, c.groups, c.extras, files)
}

// spdxIDPart replaces what an SPDX id may not hold (anything but letters,
// digits, "." and "-") with "-".
func spdxIDPart(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !isIDChar(c) {
			b[i] = '-'
		}
	}
	return string(b)
}

// vcsLocation is the VCS source as pip and SPDX download locations spell
// it: git+https://host/repo@commit.
func (c *component) vcsLocation() string {
	u := c.source.url
	if scheme, _, ok := strings.Cut(u, "://"); ok && !strings.Contains(scheme, "+") {
		u = cmp.Or(c.source.vcs, "git") + "+" + u
	}
	if rev := cmp.Or(c.source.commit, c.source.ref); rev != "" && !strings.HasSuffix(u, "@"+rev) {
		u += "@" + rev
	}
	return u
}

// allHashes is the union of the hashes of the package's files, sorted by
// algorithm then value, each algorithm/value pair once.
func (c *component) allHashes() []hashValue {
	var out []hashValue
	for _, f := range c.files {
		for _, alg := range f.hashes.Algorithms() {
			out = append(out, hashValue{alg, f.hashes[alg]})
		}
	}
	slices.SortFunc(out, func(a, b hashValue) int {
		return cmp.Or(strings.Compare(a.alg, b.alg), strings.Compare(a.value, b.value))
	})
	return slices.Compact(out)
}

type hashValue struct{ alg, value string }

// withQualifier returns purl with one more qualifier (purl unchanged if it
// does not parse).
func withQualifier(purl, key, value string) string {
	u, err := packageurl.FromString(purl)
	if err != nil {
		return purl
	}
	u.Qualifiers = append(u.Qualifiers, packageurl.Qualifier{Key: key, Value: value})
	slices.SortFunc(u.Qualifiers, func(a, b packageurl.Qualifier) int { return strings.Compare(a.Key, b.Key) })
	return u.ToString()
}
