// Package sbom writes software bills of materials for a Python project: SPDX
// 2.3 JSON and CycloneDX 1.6 JSON documents listing the project (from its
// pyproject.toml), every package of its lock file with hashes, PURL, scope
// (runtime, dev or optional), environment markers and dependency graph, and,
// for the wheels given, licenses from their METADATA and references to the
// PEP 770 SBOMs they embed.
//
// Output is deterministic: components, relationships and properties are
// sorted, the creation time comes from Options.Time, and the CycloneDX serial
// number and SPDX document namespace are derived from the document's content.
// Every document is validated against the official schema (embedded in this
// package, see schemas/) before it is returned.
package sbom
