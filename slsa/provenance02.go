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
	if p.Builder.ID == "" {
		return &FieldError{Path: joinPath(path, "builder.id"), Err: fmt.Errorf("want the builder id URI: %w", ErrMissingField)}
	}
	if err := TypeURI(p.Builder.ID).Validate(); err != nil {
		return &FieldError{Path: joinPath(path, "builder.id"), Err: err}
	}
	if p.BuildType == "" {
		return &FieldError{Path: joinPath(path, "buildType"), Err: fmt.Errorf("want the build type URI: %w", ErrMissingField)}
	}
	if err := TypeURI(p.BuildType).Validate(); err != nil {
		return &FieldError{Path: joinPath(path, "buildType"), Err: err}
	}
	inv := joinPath(path, "invocation")
	cs := joinPath(inv, "configSource")
	if u := p.Invocation.ConfigSource.URI; u != "" {
		if err := ResourceURI(u).Validate(); err != nil {
			return &FieldError{Path: joinPath(cs, "uri"), Err: err}
		}
	}
	if err := validateDigest(p.Invocation.ConfigSource.Digest, joinPath(cs, "digest")); err != nil {
		return err
	}
	if err := validateJSONValue(p.Invocation.ConfigSource.EntryPoint, joinPath(cs, "entryPoint")); err != nil {
		return err
	}
	if err := validateJSONValue(p.Invocation.Parameters, joinPath(inv, "parameters")); err != nil {
		return err
	}
	if err := validateJSONValue(p.Invocation.Environment, joinPath(inv, "environment")); err != nil {
		return err
	}
	if err := validateJSONValue(p.BuildConfig, joinPath(path, "buildConfig")); err != nil {
		return err
	}
	if m := p.Metadata; m != nil {
		mp := joinPath(path, "metadata")
		if err := validateTime(m.BuildStartedOn, joinPath(mp, "buildStartedOn")); err != nil {
			return err
		}
		if err := validateTime(m.BuildFinishedOn, joinPath(mp, "buildFinishedOn")); err != nil {
			return err
		}
		if err := validateJSONValue(m.BuildInvocationID, joinPath(mp, "buildInvocationId")); err != nil {
			return err
		}
	}
	for i, m := range p.Materials {
		mp := index(joinPath(path, "materials"), i)
		if m.URI == "" && len(m.Digest) == 0 {
			return &FieldError{Path: mp, Err: fmt.Errorf("want a uri or a digest: %w", ErrMissingField)}
		}
		if m.URI != "" {
			if err := ResourceURI(m.URI).Validate(); err != nil {
				return &FieldError{Path: joinPath(mp, "uri"), Err: err}
			}
		}
		if err := validateDigest(m.Digest, joinPath(mp, "digest")); err != nil {
			return err
		}
	}
	return nil
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
