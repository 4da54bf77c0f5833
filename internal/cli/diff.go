package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/provdiff"
	"github.com/pedigree-dev/pedigree/slsa"
)

func newDiffCmd(a *app) *cobra.Command {
	var subject string
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "Show what changed between two builds' provenance",
		Long: `Compare two SLSA provenance statements (v1 or v0.2) side by side: builder,
buildType, parameters (flattened to paths), resolved dependencies added, removed
and changed (a package is matched across versions by its name), subjects and
byproducts. Run metadata (invocation id, start and finish times) is shown but
does not count as a difference, since it changes on every run.

A and B may each be a statement, a DSSE envelope, a .intoto.jsonl file, a
Sigstore bundle or a PEP 740 object. Signatures are not checked: diff answers
"what changed", verify answers "is it genuine". When a file holds several
provenance statements, --subject NAME picks the one about that artifact.

Exit status: 0 when the builds are the same (metadata aside), 1 when they
differ, 2 when an input is not provenance.`,
		Example: `  $ pedigree diff build-1.json build-2.intoto.jsonl
  --- a: build-1.json (https://slsa.dev/provenance/v1)
  +++ b: build-2.intoto.jsonl (https://slsa.dev/provenance/v1)
  builder: same (https://github.com/example/demo/.github/workflows/release.yml@refs/tags/v0.1.0)
  buildType: same (https://pedigree.dev/python-build/v1)
  parameters: 2 added, 1 removed, 1 changed
    + externalParameters.command[3]: "--wheel"
    + externalParameters.env: {}
    - externalParameters.env.PIP_NO_CACHE_DIR: "1"
    ~ internalParameters.GITHUB_RUN_ID: 13530999509 -> 13531731005
  dependencies: 1 added, 1 removed, 1 changed, 2 unchanged
    + pkg:pypi/packaging@24.1 sha256:3333333333333333333333333333333333333333333333333333333333333333
    - pkg:pypi/setuptools@69.0.0 sha256:2222222222222222222222222222222222222222222222222222222222222222
    ~ pkg:pypi/wheel@0.43.0 sha256:55c570405f142630c6b9f72fe09d9b67cf1477fcf543ae5b8dcb1f5b7377da81 -> pkg:pypi/wheel@0.44.0 sha256:a003efc7f5cbcb8a12b2ea9ae22c3b6b9e63ac1f52d8ef3e0d7d1f5d53e3f8d2
  subjects: 1 changed, 1 unchanged
    ~ pedigree_demo-0.1.0-py3-none-any.whl sha256:4a16299b240e546ac189be73e15a3e764103b9829b79aa467b02acd07ec1a1ad -> pedigree_demo-0.1.0-py3-none-any.whl sha256:9999999999999999999999999999999999999999999999999999999999999999
  metadata (changes on every run, not a difference): 3 changed
    ~ finishedOn: "2026-01-01T00:02:00Z" -> "2026-01-02T00:03:00Z"
    ~ invocationId: "https://github.com/example/demo/actions/runs/13530999509/attempts/1" -> "https://github.com/example/demo/actions/runs/13531731005/attempts/1"
    ~ startedOn: "2026-01-01T00:00:00Z" -> "2026-01-02T00:00:00Z"
  result: the builds differ in parameters, dependencies, subjects`,
		Args: cobra.ExactArgs(2),
	}
	cmd.Flags().StringVar(&subject, "subject", "", "when a file holds several provenance statements, use the one with this subject name")
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		sa, err := provenanceIn(args[0], subject)
		if err != nil {
			return err
		}
		sb, err := provenanceIn(args[1], subject)
		if err != nil {
			return err
		}
		r, err := provdiff.Compare(sa, sb)
		if err != nil {
			return usageError("%v", err)
		}
		if format.value == formatJSON {
			out := struct {
				AFile string `json:"aFile"`
				BFile string `json:"bFile"`
				*provdiff.Report
			}{args[0], args[1], r}
			if err := writeJSON(a.stdout, out); err != nil {
				return err
			}
		} else if err := writeDiffText(a.stdout, args[0], args[1], r); err != nil {
			return err
		}
		if !r.Identical {
			return silentFailure()
		}
		return nil
	}
	return cmd
}

// provenanceIn picks the one SLSA provenance statement in path (the one
// about subject when several are there).
func provenanceIn(path, subject string) (*slsa.Statement, error) {
	found, err := readStatements(path)
	if err != nil {
		if isInputError(err) {
			return nil, usageError("%v", err)
		}
		return nil, err
	}
	var prov []*slsa.Statement
	for _, st := range found {
		pt := slsa.TypeURI(st.PredicateType)
		if !pt.Equal(slsa.PredicateProvenanceV1) && !pt.Equal(slsa.PredicateProvenanceV02) {
			continue
		}
		if subject != "" && !slices.ContainsFunc(st.Subject, func(r slsa.ResourceDescriptor) bool { return r.Name == subject }) {
			continue
		}
		prov = append(prov, st)
	}
	switch {
	case len(prov) == 1:
		return prov[0], nil
	case len(prov) == 0 && subject != "":
		return nil, usageError("%s: no SLSA provenance statement about %q", path, subject)
	case len(prov) == 0:
		return nil, usageError("%s: no SLSA provenance statement (found %d other statements)", path, len(found))
	}
	return nil, usageError("%s: %d provenance statements; pick one with --subject NAME", path, len(prov))
}

func writeDiffText(w io.Writer, aName, bName string, r *provdiff.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "--- a: %s (%s)\n+++ b: %s (%s)\n", aName, r.A.PredicateType, bName, r.B.PredicateType)
	var differ []string

	fields := func(name string, changes []provdiff.Change, same string) {
		if len(changes) == 0 {
			if same != "" {
				fmt.Fprintf(&b, "%s: same (%s)\n", name, same)
			} else {
				fmt.Fprintf(&b, "%s: same\n", name)
			}
			return
		}
		differ = append(differ, name)
		fmt.Fprintf(&b, "%s: %s\n", name, countKinds(changes))
		writeChanges(&b, changes)
	}
	if len(r.Statement) > 0 {
		fields("statement", r.Statement, "")
	}
	fields("builder", r.Builder, r.A.BuilderID)
	fields("buildType", r.BuildType, r.A.BuildType)
	fields("parameters", r.Parameters, "")
	lists := []struct {
		name string
		d    provdiff.ListDiff
		show bool
	}{
		{"dependencies", r.Dependencies, true},
		{"builderDependencies", r.BuilderDependencies, false},
		{"byproducts", r.Byproducts, false},
		{"subjects", r.Subjects, true},
	}
	for _, l := range lists {
		if l.d.Empty() && !l.show && l.d.Unchanged == 0 {
			continue
		}
		if !l.d.Empty() {
			differ = append(differ, l.name)
		}
		fmt.Fprintf(&b, "%s: %s\n", l.name, countList(l.d))
		for _, x := range l.d.Added {
			fmt.Fprintf(&b, "  + %s\n", describeResource(x))
		}
		for _, x := range l.d.Removed {
			fmt.Fprintf(&b, "  - %s\n", describeResource(x))
		}
		for _, c := range l.d.Changed {
			fmt.Fprintf(&b, "  ~ %s -> %s\n", describeResource(c.Old), describeResource(c.New))
		}
	}
	if len(r.Metadata) > 0 {
		fmt.Fprintf(&b, "metadata (changes on every run, not a difference): %s\n", countKinds(r.Metadata))
		writeChanges(&b, r.Metadata)
	}
	if r.Identical {
		b.WriteString("result: the builds are the same (metadata aside)\n")
	} else {
		fmt.Fprintf(&b, "result: the builds differ in %s\n", strings.Join(differ, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeChanges(b *strings.Builder, changes []provdiff.Change) {
	for _, c := range changes {
		switch c.Kind {
		case provdiff.Added:
			fmt.Fprintf(b, "  + %s: %s\n", c.Path, c.New)
		case provdiff.Removed:
			fmt.Fprintf(b, "  - %s: %s\n", c.Path, c.Old)
		default:
			fmt.Fprintf(b, "  ~ %s: %s -> %s\n", c.Path, c.Old, c.New)
		}
	}
}

func countKinds(changes []provdiff.Change) string {
	n := map[string]int{}
	for _, c := range changes {
		n[c.Kind]++
	}
	var parts []string
	for _, k := range []string{provdiff.Added, provdiff.Removed, provdiff.Changed} {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[k], k))
		}
	}
	return strings.Join(parts, ", ")
}

func countList(d provdiff.ListDiff) string {
	if d.Empty() {
		return fmt.Sprintf("same (%d)", d.Unchanged)
	}
	var parts []string
	for _, p := range []struct {
		n    int
		kind string
	}{{len(d.Added), "added"}, {len(d.Removed), "removed"}, {len(d.Changed), "changed"}, {d.Unchanged, "unchanged"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.kind))
		}
	}
	return strings.Join(parts, ", ")
}

// describeResource renders a resource as "name-or-uri alg:hex ...".
func describeResource(r slsa.ResourceDescriptor) string {
	parts := []string{}
	switch {
	case r.URI != "" && r.Name != "":
		parts = append(parts, r.Name+" ("+r.URI+")")
	case r.URI != "":
		parts = append(parts, r.URI)
	case r.Name != "":
		parts = append(parts, r.Name)
	}
	for _, alg := range r.Digest.Algorithms() {
		parts = append(parts, alg+":"+r.Digest[alg])
	}
	if len(parts) == 0 {
		return "(empty resource)"
	}
	return strings.Join(parts, " ")
}
