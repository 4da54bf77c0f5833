// Package dsse implements Dead Simple Signing Envelopes: the envelope type
// and its JSON form, the pre-authentication encoding (PAE) that is what gets
// signed, and signing and verifying exact payload bytes with Ed25519, ECDSA
// (P-256/P-384, ASN.1 DER signatures) and RSA keys.
//
// A payload is only handed back to callers after a signature over it
// verified; parse it afterwards, never before.
package dsse
