package slsa

import (
	"encoding/json"

	"github.com/pedigree-dev/pedigree/digest"
)

// Type URIs of the statements and predicates pedigree reads and writes.
const (
	// StatementTypeV1 is the in-toto Statement v1 "_type".
	StatementTypeV1 = "https://in-toto.io/Statement/v1"
	// StatementTypeV01 is the legacy in-toto Statement v0.1 "_type", still
	// emitted inside SLSA v0.2 provenance.
	StatementTypeV01 = "https://in-toto.io/Statement/v0.1"
	// PredicateProvenanceV1 is the SLSA Provenance v1 predicate type.
	PredicateProvenanceV1 = "https://slsa.dev/provenance/v1"
	// PredicateProvenanceV02 is the SLSA Provenance v0.2 predicate type.
	PredicateProvenanceV02 = "https://slsa.dev/provenance/v0.2"
	// PayloadType is the DSSE payloadType of an in-toto statement.
	PayloadType = "application/vnd.in-toto+json"
)

// Statement is an in-toto Statement (v1; v0.1 is read too). The predicate is
// kept as raw JSON so any predicate type round-trips unchanged; it may be
// absent or JSON null (PyPI's publish/v1 predicate is null). Use
// ProvenanceV1 or ProvenanceV02 to decode a SLSA predicate. Type and
// PredicateType hold TypeURIs (see TypeURI).
type Statement struct {
	Type          string               `json:"_type"`
	Subject       []ResourceDescriptor `json:"subject"`
	PredicateType string               `json:"predicateType"`
	Predicate     json.RawMessage      `json:"predicate,omitempty"`
}

// ResourceDescriptor describes an artifact or other resource (in-toto
// ResourceDescriptor v1). It is valid only if at least one of URI, Digest and
// Content is set. Content is base64 in JSON. URI and DownloadLocation hold
// ResourceURIs (see ResourceURI); numbers in Annotations decode as
// json.Number.
type ResourceDescriptor struct {
	URI              string         `json:"uri,omitempty"`
	Digest           digest.Set     `json:"digest,omitempty"`
	Name             string         `json:"name,omitempty"`
	DownloadLocation string         `json:"downloadLocation,omitempty"`
	MediaType        string         `json:"mediaType,omitempty"`
	Content          []byte         `json:"content,omitempty"`
	Annotations      map[string]any `json:"annotations,omitempty"`
}

// ProvenanceV1 is the SLSA Provenance v1 predicate.
type ProvenanceV1 struct {
	BuildDefinition BuildDefinition `json:"buildDefinition"`
	RunDetails      RunDetails      `json:"runDetails"`
}

// BuildDefinition is the input of a build: what was asked for and what it
// resolved to. BuildType (a TypeURI) is required; parameters are arbitrary
// JSON objects, whose numbers decode as json.Number.
type BuildDefinition struct {
	BuildType            string               `json:"buildType"`
	ExternalParameters   map[string]any       `json:"externalParameters"`
	InternalParameters   map[string]any       `json:"internalParameters,omitempty"`
	ResolvedDependencies []ResourceDescriptor `json:"resolvedDependencies,omitempty"`
}

// RunDetails describes the build's execution: who ran it, when, and what
// else it produced.
type RunDetails struct {
	Builder    Builder              `json:"builder"`
	Metadata   *BuildMetadata       `json:"metadata,omitempty"`
	Byproducts []ResourceDescriptor `json:"byproducts,omitempty"`
}

// Builder identifies the build platform. ID (a TypeURI) is required.
type Builder struct {
	ID                  string               `json:"id"`
	BuilderDependencies []ResourceDescriptor `json:"builderDependencies,omitempty"`
	Version             map[string]string    `json:"version,omitempty"`
}

// BuildMetadata holds the run's identifiers and times.
type BuildMetadata struct {
	InvocationID string `json:"invocationId,omitempty"`
	StartedOn    *Time  `json:"startedOn,omitempty"`
	FinishedOn   *Time  `json:"finishedOn,omitempty"`
}

// ProvenanceV02 is the SLSA Provenance v0.2 predicate, read-only: real
// generators (slsa-github-generator's generic workflow) still emit it.
type ProvenanceV02 struct {
	Builder     BuilderV02    `json:"builder"`
	BuildType   string        `json:"buildType"`
	Invocation  InvocationV02 `json:"invocation,omitzero"`
	BuildConfig any           `json:"buildConfig,omitempty"`
	Metadata    *MetadataV02  `json:"metadata,omitempty"`
	Materials   []MaterialV02 `json:"materials,omitempty"`
}

// BuilderV02 identifies the v0.2 builder.
type BuilderV02 struct {
	ID string `json:"id"`
}

// InvocationV02 is what started a v0.2 build.
type InvocationV02 struct {
	ConfigSource ConfigSourceV02 `json:"configSource,omitzero"`
	Parameters   any             `json:"parameters,omitempty"`
	Environment  any             `json:"environment,omitempty"`
}

// ConfigSourceV02 names the build configuration (workflow file) of a v0.2
// build.
type ConfigSourceV02 struct {
	URI        string     `json:"uri,omitempty"`
	Digest     digest.Set `json:"digest,omitempty"`
	EntryPoint string     `json:"entryPoint,omitempty"`
}

// MetadataV02 holds a v0.2 build's identifiers, times and claims.
// BuildInvocationID is also read from "buildInvocationID", as
// slsa-github-generator spells it.
type MetadataV02 struct {
	BuildInvocationID string           `json:"buildInvocationId,omitempty"`
	BuildStartedOn    *Time            `json:"buildStartedOn,omitempty"`
	BuildFinishedOn   *Time            `json:"buildFinishedOn,omitempty"`
	Completeness      *CompletenessV02 `json:"completeness,omitempty"`
	Reproducible      bool             `json:"reproducible,omitempty"`
}

// CompletenessV02 says which v0.2 fields are claimed complete.
type CompletenessV02 struct {
	Parameters  bool `json:"parameters,omitempty"`
	Environment bool `json:"environment,omitempty"`
	Materials   bool `json:"materials,omitempty"`
}

// MaterialV02 is an input of a v0.2 build.
type MaterialV02 struct {
	URI    string     `json:"uri,omitempty"`
	Digest digest.Set `json:"digest,omitempty"`
}
