package evidence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// SchemaVersion is the evidence.json schema this package writes and reads.
const SchemaVersion = 1

// PredicateType is the in-toto predicate type of the release-evidence
// statement in provenance.intoto.jsonl. Its predicate is a Predicate.
const PredicateType = "https://pedigree.dev/release-evidence/v1"

// File names in a bundle.
const (
	FileSPDX       = "sbom.spdx.json"
	FileCycloneDX  = "sbom.cyclonedx.json"
	FileProvenance = "provenance.intoto.jsonl"
	FileHMAC       = "signature.hmac-sha256.json"
	FileIndex      = "evidence.json"
	FileSummary    = "SUMMARY.md"
)

// MaxIndexSize bounds the evidence.json ParseIndex reads (16 MiB).
const MaxIndexSize = 16 << 20

// Predicate is the release-evidence statement's predicate: what a release's
// evidence says about it. Every field of evidence.json except files and
// blockers comes from here, so the index is bound to the signature.
type Predicate struct {
	Release      string       `json:"release"`
	CreatedAt    string       `json:"createdAt"` // RFC 3339, UTC, whole seconds
	Project      Project      `json:"project"`
	Source       Source       `json:"source"`
	Builder      Builder      `json:"builder"`
	Subjects     []Subject    `json:"subjects"`
	Dependencies Dependencies `json:"dependencies"`
	Signature    Signature    `json:"signature"`
	// Verify is the command that re-checks the bundle, as its creator
	// would run it.
	Verify string `json:"verify"`
}

// Project names the Python project the release is of.
type Project struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// Source is the repository and commit the release was built from.
type Source struct {
	Repository string `json:"repository"`
	Commit     string `json:"commit"`
	Ref        string `json:"ref,omitempty"`
}

// Builder identifies who made the evidence (a CI workflow, or a local
// build).
type Builder struct {
	ID        string `json:"id"`
	BuildType string `json:"buildType"`
}

// Subject is one release artifact.
type Subject struct {
	Name   string `json:"name"` // the file name, as in the provenance
	Path   string `json:"path"` // the path given to Create
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Dependencies counts the locked packages the SBOMs list.
type Dependencies struct {
	Lock       string `json:"lock,omitempty"`
	LockFormat string `json:"lockFormat,omitempty"`
	Packages   int    `json:"packages"`
	Runtime    int    `json:"runtime"`
	Dev        int    `json:"dev"`
	Optional   int    `json:"optional"`
	WithHashes int    `json:"withHashes"`
}

// Signature says how the bundle is signed; both may be set, or neither for
// evidence created with AllowUnsigned.
type Signature struct {
	DSSE *DSSESignature `json:"dsse"`
	HMAC *HMACSignature `json:"hmac"`
}

// DSSESignature describes the DSSE signatures on provenance.intoto.jsonl.
type DSSESignature struct {
	KeyID     string `json:"keyId"`     // keys.ID of the public key
	Algorithm string `json:"algorithm"` // ed25519, ecdsa-p256, ...
}

// HMACSignature describes signature.hmac-sha256.json.
type HMACSignature struct {
	KeyID      string `json:"keyId"`            // the envelope's key_id
	SignedPath string `json:"signedPath"`       // the envelope's signed_path
	KeyEnv     string `json:"keyEnv,omitempty"` // the variable that held the key (never the key)
}

// Index is evidence.json.
type Index struct {
	SchemaVersion int `json:"schemaVersion"`
	Predicate
	// Files lists every file of the bundle but evidence.json, sorted by
	// path.
	Files []File `json:"files"`
	// Blockers is always empty in a bundle Create wrote (it writes
	// nothing when there are blockers); Verify refuses a non-empty list.
	Blockers []Blocker `json:"blockers"`
}

// File is one file of the bundle.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Blocker is a problem that stops Create, with a stable code.
type Blocker struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// String returns "code: message".
func (b Blocker) String() string { return b.Code + ": " + b.Message }

// Marshal returns evidence.json's bytes: two-space indented JSON, no HTML
// escaping, a final newline. Nil lists are written as []. It fails only
// with encoding/json's error for a value JSON cannot carry.
func (ix *Index) Marshal() ([]byte, error) {
	c := *ix
	if c.Files == nil {
		c.Files = []File{}
	}
	if c.Blockers == nil {
		c.Blockers = []Blocker{}
	}
	if c.Subjects == nil {
		c.Subjects = []Subject{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&c); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ParseIndex reads evidence.json. It fails with ErrSchemaVersion for a
// schemaVersion other than SchemaVersion (checked first, so a future
// format is named as such), and with ErrMalformedIndex for input over
// MaxIndexSize, unknown fields, a missing schemaVersion, trailing data or
// JSON of the wrong shape.
func ParseIndex(data []byte) (*Index, error) {
	if len(data) > MaxIndexSize {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), MaxIndexSize, ErrMalformedIndex)
	}
	var probe struct {
		SchemaVersion *json.Number `json:"schemaVersion"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedIndex, err)
	}
	if probe.SchemaVersion == nil {
		return nil, fmt.Errorf("schemaVersion: missing: %w", ErrMalformedIndex)
	}
	if probe.SchemaVersion.String() != fmt.Sprint(SchemaVersion) {
		return nil, fmt.Errorf("schemaVersion %s: this pedigree reads version %d: %w", probe.SchemaVersion, SchemaVersion, ErrSchemaVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ix Index
	if err := dec.Decode(&ix); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedIndex, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the index: %w", ErrMalformedIndex)
	}
	return &ix, nil
}
