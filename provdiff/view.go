package provdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"

	"github.com/pedigree-dev/pedigree/slsa"
)

// view is one statement flattened into the sections Compare reports.
type view struct {
	statement   map[string]string // _type, predicateType
	builder     map[string]string // builder.id, builder.version.*
	buildType   map[string]string
	parameters  map[string]string // flattened parameter paths -> canonical JSON
	deps        []slsa.ResourceDescriptor
	builderDeps []slsa.ResourceDescriptor
	byproducts  []slsa.ResourceDescriptor
	subjects    []slsa.ResourceDescriptor
	metadata    map[string]string
}

func newView(st *slsa.Statement) (*view, error) {
	v := &view{
		statement:  map[string]string{"_type": quote(st.Type), "predicateType": quote(st.PredicateType)},
		builder:    map[string]string{},
		buildType:  map[string]string{},
		parameters: map[string]string{},
		metadata:   map[string]string{},
		subjects:   st.Subject,
	}
	pt := slsa.TypeURI(st.PredicateType)
	switch {
	case pt.Equal(slsa.PredicateProvenanceV1):
		var p slsa.ProvenanceV1
		if err := decodeStrict(st.Predicate, &p); err != nil {
			return nil, fmt.Errorf("predicate: %w: %w", ErrNotProvenance, err)
		}
		v.builder["builder.id"] = quote(p.RunDetails.Builder.ID)
		for k, val := range p.RunDetails.Builder.Version {
			v.builder["builder.version"+pathKey(k)] = quote(val)
		}
		v.buildType["buildType"] = quote(p.BuildDefinition.BuildType)
		if err := flattenInto(v.parameters, "externalParameters", p.BuildDefinition.ExternalParameters); err != nil {
			return nil, err
		}
		if err := flattenInto(v.parameters, "internalParameters", p.BuildDefinition.InternalParameters); err != nil {
			return nil, err
		}
		v.deps = p.BuildDefinition.ResolvedDependencies
		v.builderDeps = p.RunDetails.Builder.BuilderDependencies
		v.byproducts = p.RunDetails.Byproducts
		if m := p.RunDetails.Metadata; m != nil {
			setIf(v.metadata, "invocationId", m.InvocationID)
			setTime(v.metadata, "startedOn", m.StartedOn)
			setTime(v.metadata, "finishedOn", m.FinishedOn)
		}
	case pt.Equal(slsa.PredicateProvenanceV02):
		var p slsa.ProvenanceV02
		if err := decodeStrict(st.Predicate, &p); err != nil {
			return nil, fmt.Errorf("predicate: %w: %w", ErrNotProvenance, err)
		}
		v.builder["builder.id"] = quote(p.Builder.ID)
		v.buildType["buildType"] = quote(p.BuildType)
		cs := p.Invocation.ConfigSource
		setIf(v.parameters, "invocation.configSource.uri", cs.URI)
		for alg, d := range cs.Digest {
			v.parameters["invocation.configSource.digest"+pathKey(alg)] = quote(d)
		}
		setIf(v.parameters, "invocation.configSource.entryPoint", cs.EntryPoint)
		for name, val := range map[string]any{
			"invocation.parameters":  p.Invocation.Parameters,
			"invocation.environment": p.Invocation.Environment,
			"buildConfig":            p.BuildConfig,
		} {
			if err := flattenInto(v.parameters, name, val); err != nil {
				return nil, err
			}
		}
		for _, m := range p.Materials {
			v.deps = append(v.deps, slsa.ResourceDescriptor{URI: m.URI, Digest: m.Digest})
		}
		if m := p.Metadata; m != nil {
			setIf(v.metadata, "buildInvocationId", m.BuildInvocationID)
			setTime(v.metadata, "buildStartedOn", m.BuildStartedOn)
			setTime(v.metadata, "buildFinishedOn", m.BuildFinishedOn)
			if m.Reproducible {
				v.metadata["reproducible"] = "true"
			}
			if c := m.Completeness; c != nil {
				v.metadata["completeness.parameters"] = strconv.FormatBool(c.Parameters)
				v.metadata["completeness.environment"] = strconv.FormatBool(c.Environment)
				v.metadata["completeness.materials"] = strconv.FormatBool(c.Materials)
			}
		}
	default:
		return nil, fmt.Errorf("predicateType %q: want %s or %s: %w", st.PredicateType,
			slsa.PredicateProvenanceV1, slsa.PredicateProvenanceV02, ErrNotProvenance)
	}
	return v, nil
}

// decodeStrict decodes a predicate, keeping numbers exact.
func decodeStrict(raw json.RawMessage, dst any) error {
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return fmt.Errorf("no predicate")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(dst)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func setIf(m map[string]string, key, val string) {
	if val != "" {
		m[key] = quote(val)
	}
}

func setTime(m map[string]string, key string, t *slsa.Time) {
	if t != nil {
		b, _ := json.Marshal(t)
		m[key] = string(b)
	}
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// pathKey renders one object key of a flattened path: ".key", or
// `["odd key"]` when the key is not a plain identifier.
func pathKey(k string) string {
	if plainKey.MatchString(k) {
		return "." + k
	}
	return "[" + quote(k) + "]"
}

// flattenInto records every leaf of v under prefix: objects by key, arrays
// by index, empty objects and arrays and scalars as canonical JSON. A nil v
// (or nil map) is an absent section and records nothing.
func flattenInto(m map[string]string, prefix string, v any) error {
	if obj, ok := v.(map[string]any); v == nil || ok && obj == nil {
		return nil
	}
	return flattenLeaf(m, prefix, v)
}

func flattenLeaf(m map[string]string, path string, v any) error {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			m[path] = "{}"
			return nil
		}
		for k, e := range v {
			if err := flattenLeaf(m, path+pathKey(k), e); err != nil {
				return err
			}
		}
		return nil
	case []any:
		if len(v) == 0 {
			m[path] = "[]"
			return nil
		}
		for i, e := range v {
			if err := flattenLeaf(m, fmt.Sprintf("%s[%d]", path, i), e); err != nil {
				return err
			}
		}
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	m[path] = string(b)
	return nil
}
