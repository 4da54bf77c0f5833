// Package slsa is pedigree's data model for in-toto attestations: the
// Statement v1 envelope payload, ResourceDescriptor, SLSA Provenance v1 (read
// and write) and SLSA Provenance v0.2 (read), with JSON field names exactly
// as the specifications spell them, validation that names the failing field
// path, equality, and canonical (RFC 8785) encoding for bytes to be signed.
package slsa
