// Package store is pedigree's attestation store: it accepts attestations
// that verify against a trust configuration, keeps them content-addressed
// (the ID of an attestation is the SHA-256 of its bytes as submitted) and
// indexes them by subject digest, so that a consumer holding an artifact can
// find its provenance.
//
// The package holds the model (Record, Subject, Summary), the ingest
// pipeline (Split a request body into attestations, verify each one with a
// Verifier, persist them all or none) and bearer tokens. Persistence is a
// Backend: package store/sqlstore implements it on SQLite and PostgreSQL.
// The HTTP API is package store/server, its client store/client.
package store
