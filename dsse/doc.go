// Package dsse implements Dead Simple Signing Envelopes: the envelope type
// and its JSON form, the pre-authentication encoding (PAE) that is what gets
// signed, and signing (Sign) and verifying (Verifier, Envelope.Verify) the
// exact payload bytes with Ed25519, ECDSA (P-256/P-384/P-521, ASN.1 DER
// signatures; IEEE P1363 on request) and RSA (PSS, or PKCS#1 v1.5 as
// Sigstore bundles use) keys.
//
// A payload is only handed back to callers after a signature over it
// verified; parse it afterwards, never before.
package dsse
