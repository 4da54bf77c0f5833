package sbom

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/lockfile"
)

const (
	spdxNoAssertion = "NOASSERTION"
	// spdxNamespaceBase prefixes document namespaces, as the SPDX spec's
	// examples do; the namespace ends in a UUID derived from the content.
	spdxNamespaceBase = "https://spdx.org/spdxdocs/"
)

var spdxChecksumAlgorithms = map[string]common.ChecksumAlgorithm{
	digest.MD5:      common.MD5,
	digest.SHA1:     common.SHA1,
	digest.SHA224:   common.SHA224,
	digest.SHA256:   common.SHA256,
	digest.SHA384:   common.SHA384,
	digest.SHA512:   common.SHA512,
	digest.SHA3_256: common.SHA3_256,
	digest.SHA3_384: common.SHA3_384,
	digest.SHA3_512: common.SHA3_512,
	digest.Blake2b:  common.BLAKE2b_512,
}

// spdxJSON renders inv as an SPDX 2.3 JSON document whose namespace ends in
// a UUID derived from the rest of its content (encoded once with a
// placeholder namespace, replaced after: only the document name, which
// cannot hold a URL, comes before it).
func (inv *inventory) spdxJSON() ([]byte, error) {
	doc, err := inv.spdx()
	if err != nil {
		return nil, err
	}
	prefix := spdxNamespaceBase + spdxIDPart(doc.DocumentName) + "-"
	doc.DocumentNamespace = prefix + zeroUUID
	data, err := encodeSPDX(doc)
	if err != nil {
		return nil, err
	}
	fillContentUUID(data, prefix)
	return data, nil
}

func encodeSPDX(doc *spdx.Document) ([]byte, error) {
	var buf bytes.Buffer
	if err := spdxjson.Write(doc, &buf, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return nil, fmt.Errorf("encode SPDX: %w", err)
	}
	return buf.Bytes(), nil
}

func (inv *inventory) spdx() (*spdx.Document, error) {
	created := inv.created.UTC().Format(timeFormat)
	tool := common.Creator{CreatorType: "Tool", Creator: toolName + "-" + inv.toolVersion}
	name := inv.root.name
	if inv.root.version != "" {
		name += "-" + inv.root.version
	}
	doc := &spdx.Document{
		SPDXVersion:    spdx.Version,
		DataLicense:    spdx.DataLicense,
		SPDXIdentifier: "DOCUMENT",
		DocumentName:   name,
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{tool},
			Created:  created,
		},
	}
	if inv.lockName != "" {
		doc.CreationInfo.CreatorComment = fmt.Sprintf("Packages from %s (%s).", inv.lockName, inv.lockFormat)
	}

	annotate := func(comment string) spdx.Annotation {
		return spdx.Annotation{
			Annotator:         common.Annotator{AnnotatorType: "Tool", Annotator: tool.Creator},
			AnnotationDate:    created,
			AnnotationType:    "OTHER",
			AnnotationComment: comment,
		}
	}
	root, err := inv.spdxPackage(&inv.root, annotate)
	if err != nil {
		return nil, err
	}
	root.PrimaryPackagePurpose = "APPLICATION"
	if hp := inv.root.homepage(); hp != "" {
		root.PackageHomePage = hp
	}
	doc.Packages = append(doc.Packages, root)
	rel := func(a, b, typ string) *spdx.Relationship {
		return &spdx.Relationship{
			RefA:         common.MakeDocElementID("", strings.TrimPrefix(a, "SPDXRef-")),
			RefB:         common.MakeDocElementID("", strings.TrimPrefix(b, "SPDXRef-")),
			Relationship: typ,
		}
	}
	doc.Relationships = append(doc.Relationships, rel("SPDXRef-DOCUMENT", inv.root.spdxID, common.TypeRelationshipDescribe))
	// The root DEPENDS_ON its direct runtime dependencies only; dev and
	// optional ones are tied to it by DEV_/OPTIONAL_DEPENDENCY_OF below.
	for _, d := range inv.root.deps {
		if inv.components[d].scope == scopeRuntime {
			doc.Relationships = append(doc.Relationships, rel(inv.root.spdxID, inv.components[d].spdxID, common.TypeRelationshipDependsOn))
		}
	}
	for _, c := range inv.components {
		p, err := inv.spdxPackage(c, annotate)
		if err != nil {
			return nil, err
		}
		p.PrimaryPackagePurpose = "LIBRARY"
		doc.Packages = append(doc.Packages, p)
		scopeRel := common.TypeRelationshipRuntimeDependencyOf
		switch c.scope {
		case scopeDev:
			scopeRel = common.TypeRelationshipDevDependencyOf
		case scopeOptional:
			scopeRel = common.TypeRelationshipOptionalDependencyOf
		}
		doc.Relationships = append(doc.Relationships, rel(c.spdxID, inv.root.spdxID, scopeRel))
		for _, d := range c.deps {
			doc.Relationships = append(doc.Relationships, rel(c.spdxID, inv.components[d].spdxID, common.TypeRelationshipDependsOn))
		}
	}
	doc.OtherLicenses = inv.spdxOtherLicenses()
	slices.SortStableFunc(doc.Relationships, func(a, b *spdx.Relationship) int {
		return cmp.Or(
			strings.Compare(string(a.RefA.ElementRefID), string(b.RefA.ElementRefID)),
			strings.Compare(a.Relationship, b.Relationship),
			strings.Compare(string(a.RefB.ElementRefID), string(b.RefB.ElementRefID)),
		)
	})
	return doc, nil
}

func (inv *inventory) spdxPackage(c *component, annotate func(string) spdx.Annotation) (*spdx.Package, error) {
	p := &spdx.Package{
		PackageName:             c.name,
		PackageSPDXIdentifier:   common.ElementID(strings.TrimPrefix(c.spdxID, "SPDXRef-")),
		PackageVersion:          c.version,
		PackageDownloadLocation: c.downloadLocation(),
		PackageLicenseConcluded: spdxNoAssertion,
		PackageLicenseDeclared:  spdxNoAssertion,
		PackageCopyrightText:    spdxNoAssertion,
		PackageSummary:          c.description,
		PackageExternalReferences: []*spdx.PackageExternalReference{{
			Category: common.CategoryPackageManager,
			RefType:  common.TypePackageManagerPURL,
			Locator:  c.purl,
		}},
	}
	if len(c.files) == 1 && c.files[0].name != "" {
		p.PackageFileName = c.files[0].name
	}
	for _, h := range c.allHashes() {
		alg, ok := spdxChecksumAlgorithms[h.alg]
		if !ok {
			return nil, fmt.Errorf("%s %s: hashes.%s: SPDX has no such algorithm: %w", c.name, c.version, h.alg, ErrUnsupportedHash)
		}
		if err := digest.ValidateValue(h.alg, h.value); err != nil {
			return nil, fmt.Errorf("%s %s: hashes.%s: %w", c.name, c.version, h.alg, err)
		}
		p.PackageChecksums = append(p.PackageChecksums, common.Checksum{Algorithm: alg, Value: h.value})
	}
	switch {
	case c.license.expression != "" && !strings.Contains(c.license.expression, "DocumentRef-"):
		p.PackageLicenseDeclared = c.license.expression
	case c.license.expression != "":
		// A DocumentRef- needs an external document reference this
		// document cannot give: keep the expression as a comment.
		p.PackageLicenseComments = "Declared license expression: " + c.license.expression
	case c.license.text != "":
		p.PackageLicenseComments = "Declared license (not an SPDX expression): " + c.license.text
	}
	for _, s := range c.sboms {
		p.PackageExternalReferences = append(p.PackageExternalReferences, &spdx.PackageExternalReference{
			Category:           common.CategoryOther,
			RefType:            "pep770-sbom",
			Locator:            s.location(),
			ExternalRefComment: "PEP 770 SBOM embedded in " + s.wheel + ", sha256:" + s.sha256,
		})
	}

	var notes []string
	if c != &inv.root {
		notes = append(notes, "scope: "+c.scope.String())
	}
	if len(c.groups) > 0 {
		notes = append(notes, "groups: "+strings.Join(c.groups, ", "))
	}
	if len(c.extras) > 0 {
		notes = append(notes, "extras: "+strings.Join(c.extras, ", "))
	}
	if c.markers != "" {
		notes = append(notes, "markers: "+c.markers)
	}
	if c.source.kind != "" && c.source.kind != string(lockfile.SourceIndex) {
		s := "source: " + c.source.kind
		if c.source.path != "" {
			s += " " + c.source.path
		}
		if c.source.editable {
			s += " (editable)"
		}
		notes = append(notes, s)
	}
	if len(notes) > 0 {
		p.Annotations = append(p.Annotations, annotate(strings.Join(notes, "\n")))
	}
	return p, nil
}

// spdxOtherLicenses declares each LicenseRef- used in a declared license,
// as SPDX requires of every LicenseRef in a document. pedigree does not
// extract license texts, and says so.
func (inv *inventory) spdxOtherLicenses() []*spdx.OtherLicense {
	seen := map[string]bool{}
	collect := func(c *component) {
		if strings.Contains(c.license.expression, "DocumentRef-") {
			return
		}
		for _, tok := range tokenizeLicense(c.license.expression) {
			if strings.HasPrefix(tok, "LicenseRef-") {
				seen[tok] = true
			}
		}
	}
	collect(&inv.root)
	for _, c := range inv.components {
		collect(c)
	}
	var out []*spdx.OtherLicense
	for _, id := range sortedKeys(seen) {
		out = append(out, &spdx.OtherLicense{
			LicenseIdentifier: id,
			ExtractedText:     spdxNoAssertion,
			LicenseComment:    "Named in a declared license expression; pedigree does not extract license texts (see the package's license files).",
		})
	}
	return out
}

// downloadLocation is where the package can be had, in SPDX's form: its
// VCS location, its single file's URL, or NOASSERTION.
func (c *component) downloadLocation() string {
	if c.source.kind == string(lockfile.SourceVCS) && c.source.url != "" {
		return c.vcsLocation()
	}
	var urls []string
	for _, f := range c.files {
		if f.url != "" && !slices.Contains(urls, f.url) {
			urls = append(urls, f.url)
		}
	}
	if len(urls) == 1 && safeIRI(urls[0]) {
		return urls[0]
	}
	return spdxNoAssertion
}

// homepage is the project's home page URL, if it declares one.
func (c *component) homepage() string {
	for _, name := range sortedKeys(c.urls) {
		if normalizeLabel(name) == "homepage" && safeIRI(c.urls[name]) {
			return c.urls[name]
		}
	}
	return ""
}
