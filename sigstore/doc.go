// Package sigstore reads Sigstore bundles (v0.1, v0.2 and v0.3, both media
// type spellings, message signatures and DSSE envelopes) and verifies them
// offline against a trusted_root.json, using sigstore-go: the Fulcio
// certificate chain, embedded SCTs, transparency log inclusion proofs,
// signed entry timestamps and Rekor v2 checkpoints, and RFC 3161
// timestamps. Bundles and bare DSSE envelopes signed with a long-lived key
// verify against public keys the caller names.
//
// Nothing here touches the network: trust comes from a TrustedRoot (the
// public-good root is embedded in the binary, see PublicGood) or from a
// public key. A Verifier is built once and is safe for concurrent use.
//
// Verification fails closed: a certificate without a proof of signing time
// is refused with ErrNoTimestamp, every transparency log a bundle names
// must be trusted and its entry verify, a certificate chain may not carry
// its own root, a key-signed bundle needs the key, and errors wrap this
// package's sentinel errors so callers can tell them apart with errors.Is.
package sigstore
