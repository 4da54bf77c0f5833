package slsa

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/pedigree-dev/pedigree/digest"
)

// MaxStatementSize bounds the statements ParseStatement accepts (32 MiB):
// room for hundreds of thousands of subjects, and small enough that its
// base64 form fits in a DSSE envelope (dsse.MaxEnvelopeSize is 64 MiB).
const MaxStatementSize = 32 << 20

// ParseStatement decodes and validates an in-toto Statement (v1, or the
// legacy v0.1 that SLSA v0.2 provenance uses). It rejects input over
// MaxStatementSize (ErrTooLarge); anything but one JSON object, invalid
// UTF-8, lone surrogate escapes, duplicate member names, member names that
// differ from the spec's only in case, and JSON of the wrong type for a
// field (ErrMalformed); then it runs Validate, so "_type", "subject" and
// "predicateType" are required and a SLSA provenance predicate must be
// valid. Unknown members, at the top level or in the predicate, are
// ignored as the in-toto spec asks. Numbers in parameters and annotations
// decode as json.Number, without float64 rounding. The predicate is kept as
// raw JSON; ProvenanceV1 and ProvenanceV02 decode it. Errors are *FieldError
// values naming the field, wrapping one of the package's sentinels.
func ParseStatement(data []byte) (*Statement, error) {
	s, _, err := ParseStatementWithProvenance(data)
	return s, err
}

// Provenance is a SLSA provenance predicate as ParseStatementWithProvenance
// decodes it: V1 for https://slsa.dev/provenance/v1, V02 for v0.2.
type Provenance struct {
	V1  *ProvenanceV1
	V02 *ProvenanceV02
}

// ParseStatementWithProvenance is ParseStatement for callers that go on to
// read a SLSA provenance predicate: it also returns the predicate that
// validating the statement decoded and validated (what ProvenanceV1 or
// ProvenanceV02 would return), so it is decoded once; nil when the
// predicate type is neither. The values are the caller's. Errors are
// ParseStatement's.
func ParseStatementWithProvenance(data []byte) (*Statement, *Provenance, error) {
	s, err := DecodeStatement(data)
	if err != nil {
		return nil, nil, err
	}
	// DecodeStatement checked the predicate's JSON with the rest.
	prov, err := s.validate(true)
	if err != nil {
		return nil, nil, err
	}
	return s, prov, nil
}

// DecodeStatement decodes a statement as ParseStatement does (size limit,
// strict JSON) but does not validate it, for tools that show or compare
// statements whatever their problems; call Validate before trusting it.
// Errors wrap ErrTooLarge or ErrMalformed.
func DecodeStatement(data []byte) (*Statement, error) {
	if len(data) > MaxStatementSize {
		return nil, fmt.Errorf("statement is %d bytes, more than the %d allowed: %w", len(data), MaxStatementSize, ErrTooLarge)
	}
	var s Statement
	if err := decodeStrict(data, &s, ""); err != nil {
		return nil, err
	}
	return &s, nil
}

// NewStatement builds an in-toto Statement v1 to sign. Subjects are copied
// with their URIs case-normalized; predicateType must be a TypeURI and is
// normalized too. predicate may be nil (no predicate), a json.RawMessage, or
// any value encoding/json marshals to an object or null; a *ProvenanceV1 or
// ProvenanceV1 has its URIs normalized. A SLSA v1 predicate, however given,
// must have non-empty externalParameters, as SLSA v1 and in-toto's Go
// bindings require. The result has passed Validate.
// Errors are *FieldError values wrapping ErrMissingField, ErrInvalidField,
// ErrInvalidURI, ErrInvalidDigest, ErrInvalidTime or ErrMalformed.
func NewStatement(subjects []ResourceDescriptor, predicateType string, predicate any) (*Statement, error) {
	pt, err := normalizeField(predicateType, "predicateType")
	if err != nil {
		return nil, err
	}
	s := &Statement{Type: StatementTypeV1, PredicateType: pt}
	if subjects != nil {
		s.Subject = make([]ResourceDescriptor, len(subjects))
		for i := range subjects {
			if s.Subject[i], err = subjects[i].normalized(index("subject", i)); err != nil {
				return nil, err
			}
		}
	}
	switch p := predicate.(type) {
	case ProvenanceV1:
		predicate = &p
	case json.RawMessage:
		if p == nil {
			predicate = nil
		}
	}
	if p, ok := predicate.(*ProvenanceV1); ok && p != nil {
		if predicate, err = p.normalized(); err != nil {
			return nil, prefixErr("predicate", err)
		}
	}
	if predicate != nil {
		raw, err := marshal(predicate)
		if err != nil {
			return nil, prefixErr("predicate", err)
		}
		s.Predicate = raw
	}
	prov, err := s.validate(false)
	if err != nil {
		return nil, err
	}
	if prov != nil && prov.V1 != nil && len(prov.V1.BuildDefinition.ExternalParameters) == 0 {
		return nil, &FieldError{Path: "predicate.buildDefinition.externalParameters", Err: fmt.Errorf("SLSA v1 requires the parameters the build was asked for: %w", ErrMissingField)}
	}
	return s, nil
}

// Validate checks the statement: "_type" is Statement v1 or v0.1
// (ErrStatementType); there is at least one subject and each has a valid
// digest set (ErrMissingField, ErrInvalidDigest) and is a valid resource
// descriptor; predicateType is a TypeURI (ErrMissingField, ErrInvalidURI);
// the predicate, if present, is a JSON object or null (ErrMalformed,
// ErrInvalidField); a SLSA Provenance v1 or v0.2 predicate is present and
// valid (see ProvenanceV1.Validate and ProvenanceV02.Validate). Errors are
// *FieldError values naming the field.
func (s *Statement) Validate() error {
	_, err := s.validate(false)
	return err
}

// validate is Validate, returning the SLSA provenance predicate it decoded
// (nil for other predicate types). jsonChecked says the predicate's bytes
// already passed checkJSON (DecodeStatement checks them with the whole
// statement), so only the typed decode of a provenance predicate reads them
// again.
func (s *Statement) validate(jsonChecked bool) (*Provenance, error) {
	if s == nil {
		return nil, &FieldError{Err: fmt.Errorf("want a statement: %w", ErrMissingField)}
	}
	if !TypeURI(s.Type).Equal(StatementTypeV1) && !TypeURI(s.Type).Equal(StatementTypeV01) {
		return nil, &FieldError{Path: "_type", Err: fmt.Errorf("want %q (or the legacy %q), got %q: %w", StatementTypeV1, StatementTypeV01, truncate(s.Type, 200), ErrStatementType)}
	}
	if len(s.Subject) == 0 {
		return nil, &FieldError{Path: "subject", Err: fmt.Errorf("want at least one subject: %w", ErrMissingField)}
	}
	for i := range s.Subject {
		path := index("subject", i)
		if len(s.Subject[i].Digest) == 0 {
			return nil, &FieldError{Path: joinPath(path, "digest"), Err: fmt.Errorf("every subject needs a digest: %w", ErrMissingField)}
		}
		if err := s.Subject[i].validate(path); err != nil {
			return nil, err
		}
	}
	if err := requireTypeURI(s.PredicateType, "predicateType", "predicate type"); err != nil {
		return nil, err
	}
	if len(s.Predicate) > 0 {
		if !jsonChecked {
			if err := checkJSON(s.Predicate, nil, "predicate"); err != nil {
				return nil, err
			}
		}
		// checkJSON (here or in DecodeStatement) found one JSON value.
		if b := bytes.TrimLeft(s.Predicate, " \t\r\n"); b[0] != '{' && b[0] != 'n' {
			return nil, &FieldError{Path: "predicate", Err: fmt.Errorf("want a JSON object or null: %w", ErrInvalidField)}
		}
	}
	pt := TypeURI(s.PredicateType)
	v1, v02 := pt.Equal(PredicateProvenanceV1), pt.Equal(PredicateProvenanceV02)
	switch {
	case v1:
		p, err := s.ProvenanceV1()
		if err != nil {
			return nil, err
		}
		return &Provenance{V1: p}, nil
	case v02:
		p, err := s.ProvenanceV02()
		if err != nil {
			return nil, err
		}
		return &Provenance{V02: p}, nil
	}
	return nil, nil
}

// HasPredicate reports whether the statement carries a predicate other than
// null or an empty object (the in-toto spec treats unset, null and empty
// alike).
func (s *Statement) HasPredicate() bool {
	return !emptyPredicate(s.Predicate)
}

// emptyPredicate reports whether raw is absent, null, {} or [] (with any
// JSON white space): what decoding it and mapping empty objects and arrays
// to nil gives nil for, without decoding it.
func emptyPredicate(raw json.RawMessage) bool {
	b := bytes.Trim(raw, " \t\r\n")
	switch {
	case len(b) == 0 || string(b) == "null":
		return true
	case len(b) >= 2 && (b[0] == '{' && b[len(b)-1] == '}' || b[0] == '[' && b[len(b)-1] == ']'):
		return len(bytes.Trim(b[1:len(b)-1], " \t\r\n")) == 0
	}
	return false
}

// ProvenanceV1 decodes and validates the statement's SLSA Provenance v1
// predicate. Unknown members are ignored; numbers in parameters decode as
// json.Number. It returns a *FieldError wrapping ErrPredicateType when
// predicateType is not https://slsa.dev/provenance/v1, ErrMissingField when
// the predicate is absent, ErrMalformed when it does not decode, or an
// error of ProvenanceV1.Validate with the path under "predicate".
func (s *Statement) ProvenanceV1() (*ProvenanceV1, error) {
	if !TypeURI(s.PredicateType).Equal(PredicateProvenanceV1) {
		return nil, &FieldError{Path: "predicateType", Err: fmt.Errorf("want %q, got %q: %w", PredicateProvenanceV1, truncate(s.PredicateType, 200), ErrPredicateType)}
	}
	if !s.HasPredicate() {
		return nil, &FieldError{Path: "predicate", Err: fmt.Errorf("want a SLSA v1 provenance predicate: %w", ErrMissingField)}
	}
	var p ProvenanceV1
	if err := decodeStrict(s.Predicate, &p, "predicate"); err != nil {
		return nil, err
	}
	if err := p.validate("predicate"); err != nil {
		return nil, err
	}
	return &p, nil
}

// ProvenanceV02 decodes and validates the statement's SLSA Provenance v0.2
// predicate ("buildInvocationID", as slsa-github-generator spells it, is
// read as "buildInvocationId"). It returns a *FieldError wrapping
// ErrPredicateType when predicateType is not https://slsa.dev/provenance/v0.2,
// ErrMissingField when the predicate is absent, ErrMalformed when it does
// not decode, or an error of ProvenanceV02.Validate under "predicate".
func (s *Statement) ProvenanceV02() (*ProvenanceV02, error) {
	if !TypeURI(s.PredicateType).Equal(PredicateProvenanceV02) {
		return nil, &FieldError{Path: "predicateType", Err: fmt.Errorf("want %q, got %q: %w", PredicateProvenanceV02, truncate(s.PredicateType, 200), ErrPredicateType)}
	}
	if !s.HasPredicate() {
		return nil, &FieldError{Path: "predicate", Err: fmt.Errorf("want a SLSA v0.2 provenance predicate: %w", ErrMissingField)}
	}
	var p ProvenanceV02
	if err := decodeStrict(s.Predicate, &p, "predicate"); err != nil {
		return nil, err
	}
	if err := p.validate("predicate"); err != nil {
		return nil, err
	}
	return &p, nil
}

// MatchSubject returns the index of the first subject whose digest set
// matches d (they share an algorithm and agree on every shared one; see
// digest.Set.Matches), and whether there is one.
func (s *Statement) MatchSubject(d digest.Set) (int, bool) {
	for i := range s.Subject {
		if s.Subject[i].Digest.Matches(d) {
			return i, true
		}
	}
	return -1, false
}

// Equal reports whether s and o are the same statement: types compared as
// TypeURIs, subjects in order (see ResourceDescriptor.Equal), predicates as
// JSON values, where unset, null and {} are equal as the in-toto spec says.
// Two nil statements are equal.
func (s *Statement) Equal(o *Statement) bool {
	if s == nil || o == nil {
		return s == o
	}
	if !TypeURI(s.Type).Equal(TypeURI(o.Type)) ||
		!TypeURI(s.PredicateType).Equal(TypeURI(o.PredicateType)) ||
		!descriptorsEqual(s.Subject, o.Subject) {
		return false
	}
	if emptyPredicate(s.Predicate) || emptyPredicate(o.Predicate) {
		return emptyPredicate(s.Predicate) && emptyPredicate(o.Predicate)
	}
	return jsonEqual(s.Predicate, o.Predicate)
}
