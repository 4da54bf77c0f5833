// Package attestation reads every attestation file format pedigree accepts
// and turns each attestation in it into an Item that package sigstore can
// verify: DSSE envelopes, .intoto.jsonl files of one or many lines (each
// line an envelope or a Sigstore bundle, as slsa-github-generator v2
// writes), Sigstore bundles v0.1-v0.3, PEP 740 attestation and provenance
// objects (converted to the equivalent Sigstore bundle), GitHub attestation
// JSONL as `gh attestation download` writes it, and unsigned in-toto
// statements. The format is detected from the content, never from the file
// name.
//
// Parsing verifies nothing: Verify (or a sigstore.Verifier) does. Parsers
// are size-limited, and errors name the file, the line or the JSON path of
// the attestation concerned ("prov.intoto.jsonl:3: ...").
package attestation
