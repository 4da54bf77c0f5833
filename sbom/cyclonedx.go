package sbom

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/lockfile"
)

// Property names. Where the CycloneDX property taxonomy has a name, it is
// used; pedigree's own are under "pedigree:".
const (
	propGroup       = "pedigree:python:group"
	propMarkers     = "pedigree:python:markers"
	propScope       = "pedigree:python:scope"
	propSourceKind  = "pedigree:python:source"
	propLockFile    = "pedigree:lock:file"
	propLockFormat  = "pedigree:lock:format"
	propPoetryGroup = "cdx:poetry:group"
	propPipenvCat   = "cdx:pipenv:category"
	propExtra       = "cdx:python:package:required-extra"
	propEditable    = "cdx:python:package:source:local:editable"
)

var cdxHashAlgorithms = map[string]cdx.HashAlgorithm{
	digest.MD5:      cdx.HashAlgoMD5,
	digest.SHA1:     cdx.HashAlgoSHA1,
	digest.SHA256:   cdx.HashAlgoSHA256,
	digest.SHA384:   cdx.HashAlgoSHA384,
	digest.SHA512:   cdx.HashAlgoSHA512,
	digest.SHA3_256: cdx.HashAlgoSHA3_256,
	digest.SHA3_384: cdx.HashAlgoSHA3_384,
	digest.SHA3_512: cdx.HashAlgoSHA3_512,
	digest.Blake2b:  cdx.HashAlgoBlake2b_512,
}

// cyclonedxJSON renders inv as a CycloneDX 1.6 JSON document whose serial
// number is derived from the rest of its content: the document is encoded
// once with a placeholder serial, which is then replaced (the serial comes
// before anything taken from the inputs, so the first occurrence is it).
func (inv *inventory) cyclonedxJSON() ([]byte, error) {
	bom, err := inv.cyclonedx()
	if err != nil {
		return nil, err
	}
	bom.SerialNumber = "urn:uuid:" + zeroUUID
	data, err := encodeCycloneDX(bom)
	if err != nil {
		return nil, err
	}
	fillContentUUID(data, "urn:uuid:")
	return data, nil
}

func encodeCycloneDX(bom *cdx.BOM) ([]byte, error) {
	var buf bytes.Buffer
	if err := cdx.NewBOMEncoder(&buf, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false).Encode(bom); err != nil {
		return nil, fmt.Errorf("encode CycloneDX: %w", err)
	}
	return buf.Bytes(), nil
}

func (inv *inventory) cyclonedx() (*cdx.BOM, error) {
	root, err := inv.cdxComponent(&inv.root, true)
	if err != nil {
		return nil, err
	}
	meta := &cdx.Metadata{
		Timestamp: inv.created.UTC().Format(timeFormat),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type:    cdx.ComponentTypeApplication,
			Name:    toolName,
			Version: inv.toolVersion,
		}}},
		Component: root,
	}
	var metaProps []cdx.Property
	if inv.lockName != "" {
		metaProps = append(metaProps, cdx.Property{Name: propLockFile, Value: inv.lockName})
	}
	if inv.lockFormat != "" {
		metaProps = append(metaProps, cdx.Property{Name: propLockFormat, Value: inv.lockFormat})
	}
	if len(metaProps) > 0 {
		meta.Properties = &metaProps
	}

	comps := make([]cdx.Component, 0, len(inv.components))
	for _, c := range inv.components {
		cc, err := inv.cdxComponent(c, false)
		if err != nil {
			return nil, err
		}
		comps = append(comps, *cc)
	}

	bom := &cdx.BOM{
		JSONSchema:  "http://cyclonedx.org/schema/bom-1.6.schema.json",
		BOMFormat:   cdx.BOMFormat,
		SpecVersion: cdx.SpecVersion1_6,
		Version:     1,
		Metadata:    meta,
	}
	if len(comps) > 0 {
		bom.Components = &comps
	}
	if deps := inv.cdxDependencies(); len(deps) > 0 {
		bom.Dependencies = &deps
	}
	return bom, nil
}

// cdxDependencies is the dependency graph: every component's entry when
// the lock has a graph (an empty dependsOn then says "none"), and the
// root's direct dependencies when they are known.
func (inv *inventory) cdxDependencies() []cdx.Dependency {
	var deps []cdx.Dependency
	entry := func(c *component) cdx.Dependency {
		on := make([]string, 0, len(c.deps))
		for _, d := range c.deps {
			on = append(on, inv.components[d].ref)
		}
		slices.Sort(on)
		return cdx.Dependency{Ref: c.ref, Dependencies: &on}
	}
	if inv.rootDepsKnown {
		deps = append(deps, entry(&inv.root))
	}
	if inv.graph {
		for _, c := range inv.components {
			deps = append(deps, entry(c))
		}
	}
	slices.SortFunc(deps, func(a, b cdx.Dependency) int { return strings.Compare(a.Ref, b.Ref) })
	return deps
}

func (inv *inventory) cdxComponent(c *component, root bool) (*cdx.Component, error) {
	out := &cdx.Component{
		BOMRef:      c.ref,
		Type:        cdx.ComponentTypeLibrary,
		Name:        c.name,
		Version:     c.version,
		Description: c.description,
		PackageURL:  c.purl,
	}
	if root {
		out.Type = cdx.ComponentTypeApplication
	} else {
		switch c.scope {
		case scopeDev:
			out.Scope = cdx.ScopeExcluded
		case scopeOptional:
			out.Scope = cdx.ScopeOptional
		default:
			out.Scope = cdx.ScopeRequired
		}
	}

	var hashes []cdx.Hash
	for _, h := range c.allHashes() {
		ch, err := cdxHash(h.alg, h.value)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", c.name, c.version, err)
		}
		hashes = append(hashes, ch)
	}
	if len(hashes) > 0 {
		out.Hashes = &hashes
	}

	switch {
	case c.license.expression != "":
		out.Licenses = &cdx.Licenses{{Expression: c.license.expression}}
	case c.license.text != "":
		out.Licenses = &cdx.Licenses{{License: &cdx.License{Name: c.license.text}}}
	}

	refs, err := c.cdxExternalReferences()
	if err != nil {
		return nil, err
	}
	if len(refs) > 0 {
		out.ExternalReferences = &refs
	}
	if props := inv.cdxProperties(c, root); len(props) > 0 {
		out.Properties = &props
	}
	return out, nil
}

func cdxHash(alg, value string) (cdx.Hash, error) {
	a, ok := cdxHashAlgorithms[alg]
	if !ok {
		return cdx.Hash{}, fmt.Errorf("hashes.%s: CycloneDX has no such algorithm: %w", alg, ErrUnsupportedHash)
	}
	if err := digest.ValidateValue(alg, value); err != nil {
		return cdx.Hash{}, fmt.Errorf("hashes.%s: %w", alg, err)
	}
	return cdx.Hash{Algorithm: a, Value: value}, nil
}

func (c *component) cdxExternalReferences() ([]cdx.ExternalReference, error) {
	var refs []cdx.ExternalReference
	for _, f := range c.files {
		loc := f.url
		if loc == "" && f.name != "" {
			loc = (&url.URL{Path: f.name}).String() // a file name, as a relative reference
		}
		if !safeIRI(loc) {
			continue
		}
		ref := cdx.ExternalReference{Type: cdx.ERTypeDistribution, URL: loc}
		if f.url != "" && f.name != "" {
			ref.Comment = f.name
		}
		var hs []cdx.Hash
		for _, alg := range f.hashes.Algorithms() {
			h, err := cdxHash(alg, f.hashes[alg])
			if err != nil {
				return nil, fmt.Errorf("%s %s: %s: %w", c.name, c.version, cmp.Or(f.name, f.url), err)
			}
			hs = append(hs, h)
		}
		if len(hs) > 0 {
			ref.Hashes = &hs
		}
		refs = append(refs, ref)
	}
	if c.source.kind == string(lockfile.SourceVCS) && c.source.url != "" && safeIRI(c.vcsLocation()) {
		refs = append(refs, cdx.ExternalReference{Type: cdx.ERTypeVCS, URL: c.vcsLocation()})
	}
	for _, s := range c.sboms {
		refs = append(refs, cdx.ExternalReference{
			Type:    cdx.ERTypeBOM,
			URL:     s.location(),
			Comment: "PEP 770 SBOM embedded in " + s.wheel,
			Hashes:  &[]cdx.Hash{{Algorithm: cdx.HashAlgoSHA256, Value: s.sha256}},
		})
	}
	for _, name := range sortedKeys(c.urls) {
		u := c.urls[name]
		if !safeIRI(u) {
			continue
		}
		refs = append(refs, cdx.ExternalReference{Type: urlReferenceType(name), URL: u, Comment: name})
	}
	slices.SortFunc(refs, func(a, b cdx.ExternalReference) int {
		if c := cmp.Or(strings.Compare(string(a.Type), string(b.Type)), strings.Compare(a.URL, b.URL), strings.Compare(a.Comment, b.Comment)); c != 0 {
			return c
		}
		return strings.Compare(hashesKey(a.Hashes), hashesKey(b.Hashes))
	})
	return refs, nil
}

// hashesKey is a reference's hashes as one string, its last sort key.
func hashesKey(hs *[]cdx.Hash) string {
	if hs == nil {
		return ""
	}
	var b strings.Builder
	for _, h := range *hs {
		b.WriteString(string(h.Algorithm) + ":" + h.Value + " ")
	}
	return b.String()
}

// urlReferenceType maps a [project.urls] label to an external reference
// type, following the well-known labels of the packaging guide.
func urlReferenceType(label string) cdx.ExternalReferenceType {
	switch normalizeLabel(label) {
	case "homepage":
		return cdx.ERTypeWebsite
	case "source", "repository", "sourcecode", "github", "gitlab":
		return cdx.ERTypeVCS
	case "download":
		return cdx.ERTypeDistribution
	case "documentation", "docs":
		return cdx.ERTypeDocumentation
	case "changelog", "changes", "releasenotes", "whatsnew", "history":
		return cdx.ERTypeReleaseNotes
	case "issues", "bugs", "issue", "tracker", "issuetracker", "bugtracker", "bugreports":
		return cdx.ERTypeIssueTracker
	case "funding", "sponsor", "donate", "donation":
		return cdx.ERTypeOther
	default:
		return cdx.ERTypeOther
	}
}

// normalizeLabel lowercases a label and drops punctuation and spaces, as
// the core metadata spec says to compare Project-URL labels.
func normalizeLabel(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (inv *inventory) cdxProperties(c *component, root bool) []cdx.Property {
	var props []cdx.Property
	add := func(name, value string) {
		if value != "" {
			props = append(props, cdx.Property{Name: name, Value: value})
		}
	}
	if !root {
		add(propScope, c.scope.String())
	}
	add(propMarkers, c.markers)
	for _, g := range c.groups {
		add(propGroup, g)
		switch lockfile.Format(inv.lockFormat) {
		case lockfile.FormatPoetryLock:
			add(propPoetryGroup, g)
		case lockfile.FormatPipfileLock:
			add(propPipenvCat, g)
		}
	}
	for _, e := range c.extras {
		add(propExtra, e)
	}
	if c.source.kind != "" && c.source.kind != string(lockfile.SourceIndex) {
		add(propSourceKind, c.source.kind)
	}
	if c.source.editable {
		add(propEditable, "true")
	}
	slices.SortStableFunc(props, func(a, b cdx.Property) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Value, b.Value))
	})
	return slices.Compact(props)
}
