// Package evidence writes and re-checks a release evidence bundle: one
// folder holding, for a release's artifacts (wheels, sdists), an SPDX 2.3
// and a CycloneDX 1.6 SBOM, SLSA v1 provenance (provenance.intoto.jsonl,
// DSSE-signed with a key when one is given), an HMAC-SHA256 envelope in
// dpone's shape (signature.hmac-sha256.json) when an HMAC key is given, an
// index of every file with its SHA-256 and size (evidence.json) and a
// summary for people (SUMMARY.md).
//
// Create writes the folder atomically (a temporary sibling renamed at the
// end: never half a bundle) or nothing at all: problems found first are
// returned as Blockers with stable codes (subjects.empty,
// subject.missing.<path>, signature.missing_key, ...).
//
// Everything in the folder is bound to the signature. provenance.intoto.jsonl
// holds two statements, both signed: the SLSA provenance, whose subjects are
// the release artifacts, and a release-evidence statement (PredicateType)
// whose subjects are the SBOMs and SUMMARY.md and whose predicate records the
// release, source, builder, subjects and signature set-up. The HMAC
// envelope MACs the SHA-256 of provenance.intoto.jsonl. evidence.json is a
// pure function of the signed statement and the files, so Verify rebuilds it
// and compares bytes. A changed, added or removed byte anywhere is a
// Finding naming the file.
//
// Verify also reads the folders dpone's `supply-chain attest` writes: it
// checks their HMAC envelope and the checksums their index lists, and says
// which files dpone's format leaves unprotected.
package evidence
