package slsa

import (
	"fmt"
	"maps"
)

// Validate checks a SLSA Provenance v0.2 predicate: builder.id and buildType
// are required TypeURIs; invocation.configSource.uri and every material's
// uri are ResourceURIs; digests are well formed; every material names a uri
// or a digest; times are representable; parameters, environment and
// buildConfig are JSON. It returns a *FieldError wrapping ErrMissingField,
// ErrInvalidURI, ErrInvalidDigest, ErrInvalidField or ErrInvalidTime.
func (p *ProvenanceV02) Validate() error { return p.validate("") }

func (p *ProvenanceV02) validate(path string) error {
	if p == nil {
		return &FieldError{Path: path, Err: fmt.Errorf("want a SLSA v0.2 provenance predicate: %w", ErrMissingField)}
	}
	if err := p.Builder.validate(joinPath(path, "builder")); err != nil {
		return err
	}
	if err := requireTypeURI(p.BuildType, joinPath(path, "buildType"), "build type"); err != nil {
		return err
	}
	if err := p.Invocation.validate(joinPath(path, "invocation")); err != nil {
		return err
	}
	if err := validateJSONValue(p.BuildConfig, joinPath(path, "buildConfig")); err != nil {
		return err
	}
	if p.Metadata != nil {
		if err := p.Metadata.validate(joinPath(path, "metadata")); err != nil {
			return err
		}
	}
	for i := range p.Materials {
		if err := p.Materials[i].validate(index(joinPath(path, "materials"), i)); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks that the builder id is a TypeURI. It returns a
// *FieldError wrapping ErrMissingField or ErrInvalidURI.
func (b *BuilderV02) Validate() error { return b.validate("") }

func (b *BuilderV02) validate(path string) error {
	return requireTypeURI(b.ID, joinPath(path, "id"), "builder id")
}

// Validate checks the invocation: its config source (see
// ConfigSourceV02.Validate), and that parameters and environment are JSON.
// It returns a *FieldError wrapping ErrInvalidURI, ErrInvalidDigest or
// ErrInvalidField.
func (i *InvocationV02) Validate() error { return i.validate("") }

func (i *InvocationV02) validate(path string) error {
	if err := i.ConfigSource.validate(joinPath(path, "configSource")); err != nil {
		return err
	}
	if err := validateJSONValue(i.Parameters, joinPath(path, "parameters")); err != nil {
		return err
	}
	return validateJSONValue(i.Environment, joinPath(path, "environment"))
}

// Validate checks the config source: uri, when set, is a ResourceURI, and
// digests are well formed. It returns a *FieldError wrapping ErrInvalidURI,
// ErrInvalidDigest or ErrInvalidField.
func (c *ConfigSourceV02) Validate() error { return c.validate("") }

func (c *ConfigSourceV02) validate(path string) error {
	if err := checkResourceURI(c.URI, joinPath(path, "uri")); err != nil {
		return err
	}
	if err := validateDigest(c.Digest, joinPath(path, "digest")); err != nil {
		return err
	}
	return validateJSONValue(c.EntryPoint, joinPath(path, "entryPoint"))
}

// Validate checks that the times can be written as RFC 3339 and the
// invocation id is UTF-8. It returns a *FieldError wrapping ErrInvalidTime
// or ErrInvalidField.
func (m *MetadataV02) Validate() error { return m.validate("") }

func (m *MetadataV02) validate(path string) error {
	if err := validateTime(m.BuildStartedOn, joinPath(path, "buildStartedOn")); err != nil {
		return err
	}
	if err := validateTime(m.BuildFinishedOn, joinPath(path, "buildFinishedOn")); err != nil {
		return err
	}
	return validateJSONValue(m.BuildInvocationID, joinPath(path, "buildInvocationId"))
}

// Validate checks that the material names a uri (a ResourceURI) or a
// digest, and that its digests are well formed. It returns a *FieldError
// wrapping ErrMissingField, ErrInvalidURI or ErrInvalidDigest.
func (m *MaterialV02) Validate() error { return m.validate("") }

func (m *MaterialV02) validate(path string) error {
	if m.URI == "" && len(m.Digest) == 0 {
		return &FieldError{Path: path, Err: fmt.Errorf("want a uri or a digest: %w", ErrMissingField)}
	}
	if err := checkResourceURI(m.URI, joinPath(path, "uri")); err != nil {
		return err
	}
	return validateDigest(m.Digest, joinPath(path, "digest"))
}

// Equal reports whether p and o are the same v0.2 provenance: URIs compared
// after case normalization, digests exactly, JSON values by value (unset
// equal to empty), materials in order. Two nil predicates are equal.
func (p *ProvenanceV02) Equal(o *ProvenanceV02) bool {
	if p == nil || o == nil {
		return p == o
	}
	if len(p.Materials) != len(o.Materials) {
		return false
	}
	for i := range p.Materials {
		if !p.Materials[i].Equal(&o.Materials[i]) {
			return false
		}
	}
	return p.Builder.Equal(&o.Builder) &&
		TypeURI(p.BuildType).Equal(TypeURI(o.BuildType)) &&
		p.Invocation.Equal(&o.Invocation) &&
		valueEqual(p.BuildConfig, o.BuildConfig) &&
		orEmptyV02(p.Metadata).Equal(orEmptyV02(o.Metadata))
}

func orEmptyV02(m *MetadataV02) *MetadataV02 {
	if m == nil {
		return &MetadataV02{}
	}
	return m
}

// Equal reports whether b and o name the same builder (ids compared as
// TypeURIs).
func (b *BuilderV02) Equal(o *BuilderV02) bool {
	if b == nil || o == nil {
		return b == o
	}
	return TypeURI(b.ID).Equal(TypeURI(o.ID))
}

// Equal reports whether i and o are the same invocation: config sources
// equal, parameters and environment equal as JSON values.
func (i *InvocationV02) Equal(o *InvocationV02) bool {
	if i == nil || o == nil {
		return i == o
	}
	return i.ConfigSource.Equal(&o.ConfigSource) &&
		valueEqual(i.Parameters, o.Parameters) &&
		valueEqual(i.Environment, o.Environment)
}

// Equal reports whether c and o name the same configuration: uri compared
// as a ResourceURI, digest and entry point exactly.
func (c *ConfigSourceV02) Equal(o *ConfigSourceV02) bool {
	if c == nil || o == nil {
		return c == o
	}
	return ResourceURI(c.URI).Equal(ResourceURI(o.URI)) &&
		maps.Equal(c.Digest, o.Digest) &&
		c.EntryPoint == o.EntryPoint
}

// Equal reports whether m and o hold the same invocation id, instants,
// completeness claims (absent equal to all false) and reproducibility.
func (m *MetadataV02) Equal(o *MetadataV02) bool {
	if m == nil || o == nil {
		return m == o
	}
	var mc, oc CompletenessV02
	if m.Completeness != nil {
		mc = *m.Completeness
	}
	if o.Completeness != nil {
		oc = *o.Completeness
	}
	return m.BuildInvocationID == o.BuildInvocationID &&
		timeEqual(m.BuildStartedOn, o.BuildStartedOn) &&
		timeEqual(m.BuildFinishedOn, o.BuildFinishedOn) &&
		mc.Equal(&oc) &&
		m.Reproducible == o.Reproducible
}

// Equal reports whether c and o make the same completeness claims.
func (c *CompletenessV02) Equal(o *CompletenessV02) bool {
	if c == nil || o == nil {
		return c == o
	}
	return *c == *o
}

// Equal reports whether m and o are the same material: uri compared as a
// ResourceURI, digest exactly.
func (m *MaterialV02) Equal(o *MaterialV02) bool {
	if m == nil || o == nil {
		return m == o
	}
	return ResourceURI(m.URI).Equal(ResourceURI(o.URI)) && maps.Equal(m.Digest, o.Digest)
}
