package provdiff

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/slsa"
)

// Errors returned by Compare.
var (
	// ErrNotProvenance: a statement is not SLSA provenance (v1 or v0.2), or
	// its predicate does not decode as one.
	ErrNotProvenance = errors.New("not a SLSA provenance statement")
)

// Kinds of change.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Change is one difference in a keyed field. Old and New are the JSON
// values (absent for an added or removed field respectively).
type Change struct {
	Path string          `json:"path"`
	Kind string          `json:"kind"`
	Old  json.RawMessage `json:"old,omitempty"`
	New  json.RawMessage `json:"new,omitempty"`
}

// ItemChange pairs a resource that is in both statements under the same
// key (a package without its version, a URI without its @ref, a name) but
// differs between them.
type ItemChange struct {
	Key string                  `json:"key"`
	Old slsa.ResourceDescriptor `json:"old"`
	New slsa.ResourceDescriptor `json:"new"`
}

// ListDiff is the difference between two lists of resources (dependencies,
// subjects, byproducts). Unchanged counts the resources equal in both.
type ListDiff struct {
	Added     []slsa.ResourceDescriptor `json:"added"`
	Removed   []slsa.ResourceDescriptor `json:"removed"`
	Changed   []ItemChange              `json:"changed"`
	Unchanged int                       `json:"unchanged"`
}

// Empty reports whether the lists are the same.
func (d ListDiff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// Summary names one side of the comparison.
type Summary struct {
	PredicateType string `json:"predicateType"`
	BuilderID     string `json:"builderId"`
	BuildType     string `json:"buildType"`
	Subjects      int    `json:"subjects"`
	Dependencies  int    `json:"dependencies"`
}

// Report is what changed from statement A to statement B. Identical is
// true when nothing but Metadata differs: metadata (invocation id, times)
// changes on every run and is not an input of the build.
type Report struct {
	Identical           bool     `json:"identical"`
	A                   Summary  `json:"a"`
	B                   Summary  `json:"b"`
	Statement           []Change `json:"statement"`
	Builder             []Change `json:"builder"`
	BuildType           []Change `json:"buildType"`
	Parameters          []Change `json:"parameters"`
	Dependencies        ListDiff `json:"dependencies"`
	BuilderDependencies ListDiff `json:"builderDependencies"`
	Byproducts          ListDiff `json:"byproducts"`
	Subjects            ListDiff `json:"subjects"`
	Metadata            []Change `json:"metadata"`
}

// Compare reports what changed from a to b. It fails with ErrNotProvenance
// (wrapped with "a: " or "b: ") when either is not SLSA provenance v1 or
// v0.2.
func Compare(a, b *slsa.Statement) (*Report, error) {
	va, err := newView(a)
	if err != nil {
		return nil, fmt.Errorf("a: %w", err)
	}
	vb, err := newView(b)
	if err != nil {
		return nil, fmt.Errorf("b: %w", err)
	}
	r := &Report{
		A:                   summary(a, va),
		B:                   summary(b, vb),
		Statement:           diffMaps(va.statement, vb.statement),
		Builder:             diffMaps(va.builder, vb.builder),
		BuildType:           diffMaps(va.buildType, vb.buildType),
		Parameters:          diffMaps(va.parameters, vb.parameters),
		Dependencies:        diffLists(va.deps, vb.deps, dependencyKey),
		BuilderDependencies: diffLists(va.builderDeps, vb.builderDeps, dependencyKey),
		Byproducts:          diffLists(va.byproducts, vb.byproducts, subjectKey, digestKey),
		Subjects:            diffLists(va.subjects, vb.subjects, subjectKey, digestKey),
		Metadata:            diffMaps(va.metadata, vb.metadata),
	}
	r.Identical = len(r.Statement) == 0 && len(r.Builder) == 0 && len(r.BuildType) == 0 &&
		len(r.Parameters) == 0 && r.Dependencies.Empty() && r.BuilderDependencies.Empty() &&
		r.Byproducts.Empty() && r.Subjects.Empty()
	return r, nil
}

func summary(st *slsa.Statement, v *view) Summary {
	var id, bt string
	_ = json.Unmarshal([]byte(v.builder["builder.id"]), &id)
	_ = json.Unmarshal([]byte(v.buildType["buildType"]), &bt)
	return Summary{
		PredicateType: st.PredicateType,
		BuilderID:     id,
		BuildType:     bt,
		Subjects:      len(st.Subject),
		Dependencies:  len(v.deps),
	}
}

// diffMaps compares two path -> JSON maps, in path order.
func diffMaps(a, b map[string]string) []Change {
	changes := []Change{}
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		av, inA := a[k]
		bv, inB := b[k]
		switch {
		case inA && !inB:
			changes = append(changes, Change{Path: k, Kind: Removed, Old: json.RawMessage(av)})
		case !inA && inB:
			changes = append(changes, Change{Path: k, Kind: Added, New: json.RawMessage(bv)})
		case av != bv:
			changes = append(changes, Change{Path: k, Kind: Changed, Old: json.RawMessage(av), New: json.RawMessage(bv)})
		}
	}
	return changes
}

// diffLists matches equal resources first, then pairs what is left by each
// key function in turn (in order, so several resources under one key pair
// up one by one: subjects pair by name, then a renamed one by digest), and
// reports the rest as added or removed. It runs in O(n log n): resources
// are indexed by their JSON form and by key.
func diffLists(a, b []slsa.ResourceDescriptor, keys ...func(slsa.ResourceDescriptor) string) ListDiff {
	d := ListDiff{Added: []slsa.ResourceDescriptor{}, Removed: []slsa.ResourceDescriptor{}, Changed: []ItemChange{}}
	usedB := make([]bool, len(b))
	// queue maps a key to the indexes of b holding it, in order.
	queue := func(key func(int) string) map[string][]int {
		q := map[string][]int{}
		for j := range b {
			if !usedB[j] {
				k := key(j)
				q[k] = append(q[k], j)
			}
		}
		return q
	}
	take := func(q map[string][]int, k string) (int, bool) {
		for len(q[k]) > 0 {
			j := q[k][0]
			q[k] = q[k][1:]
			if !usedB[j] {
				usedB[j] = true
				return j, true
			}
		}
		return -1, false
	}
	exact := queue(func(j int) string { return resourceJSON(b[j]) })
	var restA []slsa.ResourceDescriptor
	for _, x := range a {
		if _, ok := take(exact, resourceJSON(x)); ok {
			d.Unchanged++
		} else {
			restA = append(restA, x)
		}
	}
	for _, key := range keys {
		q := queue(func(j int) string { return key(b[j]) })
		var left []slsa.ResourceDescriptor
		for _, x := range restA {
			k := key(x)
			if k != "" { // an empty key pairs nothing
				if j, ok := take(q, k); ok {
					d.Changed = append(d.Changed, ItemChange{Key: k, Old: x, New: b[j]})
					continue
				}
			}
			left = append(left, x)
		}
		restA = left
	}
	d.Removed = append(d.Removed, restA...)
	for j, y := range b {
		if !usedB[j] {
			d.Added = append(d.Added, y)
		}
	}
	return d
}

// resourceJSON is the identity of a resource for exact matching: its JSON
// form (encoding/json sorts map keys, so equal resources encode equally).
func resourceJSON(r slsa.ResourceDescriptor) string {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Sprintf("unencodable %p", &r)
	}
	return string(b)
}

// dependencyKey identifies a dependency across versions: a URI without
// its "@version" or "@ref" (pkg:pypi/wheel@0.43.0 -> pkg:pypi/wheel,
// git+https://host/o/r@refs/tags/v1 -> git+https://host/o/r), a package
// URL also without qualifiers and subpath; without a URI, the name, else
// the digest.
func dependencyKey(r slsa.ResourceDescriptor) string {
	u := r.URI
	if u == "" {
		return subjectKey(r)
	}
	if strings.HasPrefix(u, "pkg:") {
		u, _, _ = strings.Cut(u, "#")
		u, _, _ = strings.Cut(u, "?")
	}
	from := 0
	if i := strings.Index(u, "://"); i >= 0 {
		// Skip the authority, whose userinfo may hold an '@'.
		from = i + 3
		slash := strings.IndexByte(u[from:], '/')
		if slash < 0 {
			return u
		}
		from += slash
	}
	if at := strings.IndexByte(u[from:], '@'); at > 0 || (at == 0 && from > 0) {
		return u[:from+at]
	}
	return u
}

// digestKey identifies a resource by its digest set alone, to pair a
// renamed subject with its old name.
func digestKey(r slsa.ResourceDescriptor) string {
	var parts []string
	for _, alg := range r.Digest.Algorithms() {
		parts = append(parts, alg+":"+r.Digest[alg])
	}
	return strings.Join(parts, ",")
}

// subjectKey identifies a subject or byproduct by its name, else its URI,
// else its digest.
func subjectKey(r slsa.ResourceDescriptor) string {
	switch {
	case r.Name != "":
		return r.Name
	case r.URI != "":
		return r.URI
	}
	return digestKey(r)
}
