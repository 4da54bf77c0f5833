package store

import "encoding/json"

// The JSON bodies of the store's HTTP API (docs/api.md), shared by package
// store/server and package store/client.

// IngestResponse answers POST /v1/attestations when the body was accepted.
type IngestResponse struct {
	Attestations []Ingested `json:"attestations"`
}

// LookupResponse answers GET /v1/attestations?digest=ALG:HEX.
type LookupResponse struct {
	Digest       string       `json:"digest"`
	Attestations []LookupItem `json:"attestations"`
	// More is true when more attestations match than were returned
	// (raise limit, up to MaxLimit, or narrow with predicateType).
	More bool `json:"more"`
}

// LookupItem is one stored attestation in a LookupResponse: what the store
// verified, and the attestation itself as submitted.
type LookupItem struct {
	Record
	Attestation json.RawMessage `json:"attestation"`
}

// ErrorResponse is the body of every 4xx and 5xx answer.
type ErrorResponse struct {
	Error string `json:"error"`
	// Problems lists, for a refused ingest, each attestation that was not
	// accepted and why.
	Problems []Problem `json:"problems,omitempty"`
}
