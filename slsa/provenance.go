package slsa

import (
	"encoding/json"
	"fmt"
	"maps"
)

// MarshalJSON writes the build definition with "externalParameters" as an
// object even when ExternalParameters is nil: SLSA v1 requires the field,
// and in-toto's Go bindings reject a null or missing one.
func (b BuildDefinition) MarshalJSON() ([]byte, error) {
	type plain BuildDefinition // without this method
	p := plain(b)
	if p.ExternalParameters == nil {
		p.ExternalParameters = map[string]any{}
	}
	return json.Marshal(p)
}

// Validate checks a SLSA Provenance v1 predicate: buildDefinition.buildType
// and runDetails.builder.id are required TypeURIs, every resource
// descriptor is valid, parameters are JSON, times are representable. It
// returns a *FieldError wrapping ErrMissingField, ErrInvalidURI,
// ErrInvalidDigest, ErrInvalidField or ErrInvalidTime.
//
// SLSA v1 also requires externalParameters, but Validate accepts a
// predicate without it because real producers omit it (sigstore-conformance's
// Rekor v2 DSSE vector does); NewStatement, which builds statements to sign,
// requires it.
func (p *ProvenanceV1) Validate() error { return p.validate("") }

func (p *ProvenanceV1) validate(path string) error {
	if p == nil {
		return &FieldError{Path: path, Err: fmt.Errorf("want a SLSA v1 provenance predicate: %w", ErrMissingField)}
	}
	if err := p.BuildDefinition.validate(joinPath(path, "buildDefinition")); err != nil {
		return err
	}
	return p.RunDetails.validate(joinPath(path, "runDetails"))
}

// Equal reports whether p and o are the same provenance (see the Equal
// methods of the parts). Two nil predicates are equal.
func (p *ProvenanceV1) Equal(o *ProvenanceV1) bool {
	if p == nil || o == nil {
		return p == o
	}
	return p.BuildDefinition.Equal(&o.BuildDefinition) && p.RunDetails.Equal(&o.RunDetails)
}

// Validate checks the build definition: buildType is a required TypeURI,
// parameters are JSON objects, resolvedDependencies are valid resource
// descriptors. It returns a *FieldError wrapping ErrMissingField,
// ErrInvalidURI, ErrInvalidDigest or ErrInvalidField.
func (b *BuildDefinition) Validate() error { return b.validate("") }

func (b *BuildDefinition) validate(path string) error {
	if err := requireTypeURI(b.BuildType, joinPath(path, "buildType"), "build type"); err != nil {
		return err
	}
	if err := validateJSONValue(b.ExternalParameters, joinPath(path, "externalParameters")); err != nil {
		return err
	}
	if err := validateJSONValue(b.InternalParameters, joinPath(path, "internalParameters")); err != nil {
		return err
	}
	return validateDescriptors(b.ResolvedDependencies, joinPath(path, "resolvedDependencies"))
}

// Equal reports whether b and o are the same build definition: buildType
// compared as a TypeURI, parameters as JSON values (numbers by value, unset
// equal to empty), dependencies in order.
func (b *BuildDefinition) Equal(o *BuildDefinition) bool {
	if b == nil || o == nil {
		return b == o
	}
	return TypeURI(b.BuildType).Equal(TypeURI(o.BuildType)) &&
		valueEqual(b.ExternalParameters, o.ExternalParameters) &&
		valueEqual(b.InternalParameters, o.InternalParameters) &&
		descriptorsEqual(b.ResolvedDependencies, o.ResolvedDependencies)
}

// Validate checks the run details: the builder (see Builder.Validate), the
// metadata and every byproduct. It returns a *FieldError wrapping
// ErrMissingField, ErrInvalidURI, ErrInvalidDigest, ErrInvalidField or
// ErrInvalidTime.
func (r *RunDetails) Validate() error { return r.validate("") }

func (r *RunDetails) validate(path string) error {
	if err := r.Builder.validate(joinPath(path, "builder")); err != nil {
		return err
	}
	if r.Metadata != nil {
		if err := r.Metadata.validate(joinPath(path, "metadata")); err != nil {
			return err
		}
	}
	return validateDescriptors(r.Byproducts, joinPath(path, "byproducts"))
}

// Equal reports whether r and o are the same run details (an absent
// metadata equals an empty one).
func (r *RunDetails) Equal(o *RunDetails) bool {
	if r == nil || o == nil {
		return r == o
	}
	return r.Builder.Equal(&o.Builder) &&
		orEmpty(r.Metadata).Equal(orEmpty(o.Metadata)) &&
		descriptorsEqual(r.Byproducts, o.Byproducts)
}

func orEmpty(m *BuildMetadata) *BuildMetadata {
	if m == nil {
		return &BuildMetadata{}
	}
	return m
}

// Validate checks the builder: id is a required TypeURI and every builder
// dependency is a valid resource descriptor. It returns a *FieldError
// wrapping ErrMissingField, ErrInvalidURI, ErrInvalidDigest or
// ErrInvalidField.
func (b *Builder) Validate() error { return b.validate("") }

func (b *Builder) validate(path string) error {
	if err := requireTypeURI(b.ID, joinPath(path, "id"), "builder id"); err != nil {
		return err
	}
	if err := validateJSONValue(b.Version, joinPath(path, "version")); err != nil {
		return err
	}
	return validateDescriptors(b.BuilderDependencies, joinPath(path, "builderDependencies"))
}

// Equal reports whether b and o are the same builder: id compared as a
// TypeURI, version maps exactly (unset equal to empty), dependencies in
// order.
func (b *Builder) Equal(o *Builder) bool {
	if b == nil || o == nil {
		return b == o
	}
	return TypeURI(b.ID).Equal(TypeURI(o.ID)) &&
		maps.Equal(b.Version, o.Version) &&
		descriptorsEqual(b.BuilderDependencies, o.BuilderDependencies)
}

// Validate checks the build metadata: times must be writable as RFC 3339
// (year 0000-9999 in UTC). It returns a *FieldError wrapping ErrInvalidTime
// or ErrInvalidField.
func (m *BuildMetadata) Validate() error { return m.validate("") }

func (m *BuildMetadata) validate(path string) error {
	if err := validateTime(m.StartedOn, joinPath(path, "startedOn")); err != nil {
		return err
	}
	if err := validateTime(m.FinishedOn, joinPath(path, "finishedOn")); err != nil {
		return err
	}
	return validateJSONValue(m.InvocationID, joinPath(path, "invocationId"))
}

func validateTime(t *Time, path string) error {
	if t == nil {
		return nil
	}
	if err := t.check(); err != nil {
		return &FieldError{Path: path, Err: err}
	}
	return nil
}

// Equal reports whether m and o hold the same invocation id and instants.
func (m *BuildMetadata) Equal(o *BuildMetadata) bool {
	if m == nil || o == nil {
		return m == o
	}
	return m.InvocationID == o.InvocationID &&
		timeEqual(m.StartedOn, o.StartedOn) &&
		timeEqual(m.FinishedOn, o.FinishedOn)
}

// normalized returns a deep-enough copy of p with every TypeURI and
// ResourceURI case-normalized, for building statements. It returns a
// *FieldError wrapping ErrInvalidURI.
func (p *ProvenanceV1) normalized() (*ProvenanceV1, error) {
	c := *p
	var err error
	if c.BuildDefinition.BuildType, err = normalizeField(c.BuildDefinition.BuildType, "buildDefinition.buildType"); err != nil {
		return nil, err
	}
	if c.RunDetails.Builder.ID, err = normalizeField(c.RunDetails.Builder.ID, "runDetails.builder.id"); err != nil {
		return nil, err
	}
	if c.BuildDefinition.ResolvedDependencies, err = normalizeDescriptors(c.BuildDefinition.ResolvedDependencies, "buildDefinition.resolvedDependencies"); err != nil {
		return nil, err
	}
	if c.RunDetails.Builder.BuilderDependencies, err = normalizeDescriptors(c.RunDetails.Builder.BuilderDependencies, "runDetails.builder.builderDependencies"); err != nil {
		return nil, err
	}
	if c.RunDetails.Byproducts, err = normalizeDescriptors(c.RunDetails.Byproducts, "runDetails.byproducts"); err != nil {
		return nil, err
	}
	return &c, nil
}

func normalizeField(s, path string) (string, error) {
	if s == "" {
		return s, nil
	}
	n, err := normalizeURI(s)
	if err != nil {
		return s, &FieldError{Path: path, Err: err}
	}
	return n, nil
}

func normalizeDescriptors(ds []ResourceDescriptor, path string) ([]ResourceDescriptor, error) {
	if ds == nil {
		return nil, nil
	}
	out := make([]ResourceDescriptor, len(ds))
	for i := range ds {
		n, err := ds[i].normalized(index(path, i))
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}
