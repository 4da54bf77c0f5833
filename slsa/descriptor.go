package slsa

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"unicode/utf8"

	"github.com/pedigree-dev/pedigree/digest"
)

// AddDigest adds one digest to d, creating the set if needed. It returns a
// *FieldError wrapping ErrInvalidDigest (and digest.ErrDuplicateAlgorithm,
// digest.ErrInvalidDigest or digest.ErrEmpty) when alg is already present,
// when value is malformed for a known algorithm, or when either is empty;
// d is unchanged then. Unknown algorithms are accepted with any non-empty
// value.
func (d *ResourceDescriptor) AddDigest(alg, value string) error {
	if d.Digest == nil {
		d.Digest = digest.Set{}
	}
	if err := d.Digest.Add(alg, value); err != nil {
		return &FieldError{Path: "digest", Err: digestError{err}}
	}
	return nil
}

// Validate checks d against the in-toto ResourceDescriptor spec: at least
// one of uri, digest and content is set; uri and downloadLocation are RFC
// 3986 URIs; digest values of known algorithms are lowercase hex of the
// right length (unknown algorithms are kept, with any non-empty value);
// strings are valid UTF-8; annotations are JSON. It returns a *FieldError
// wrapping ErrMissingField, ErrInvalidURI, ErrInvalidDigest or
// ErrInvalidField.
func (d *ResourceDescriptor) Validate() error { return d.validate("") }

func (d *ResourceDescriptor) validate(path string) error {
	if d == nil {
		return &FieldError{Path: path, Err: fmt.Errorf("want a resource descriptor: %w", ErrMissingField)}
	}
	if d.URI == "" && len(d.Digest) == 0 && len(d.Content) == 0 {
		return &FieldError{Path: path, Err: fmt.Errorf("want at least one of uri, digest and content: %w", ErrMissingField)}
	}
	if err := checkResourceURI(d.URI, joinPath(path, "uri")); err != nil {
		return err
	}
	if err := validateDigest(d.Digest, joinPath(path, "digest")); err != nil {
		return err
	}
	if !utf8.ValidString(d.Name) {
		return &FieldError{Path: joinPath(path, "name"), Err: fmt.Errorf("not valid UTF-8: %w", ErrInvalidField)}
	}
	if err := checkResourceURI(d.DownloadLocation, joinPath(path, "downloadLocation")); err != nil {
		return err
	}
	if !utf8.ValidString(d.MediaType) {
		return &FieldError{Path: joinPath(path, "mediaType"), Err: fmt.Errorf("not valid UTF-8: %w", ErrInvalidField)}
	}
	if err := validateJSONValue(d.Annotations, joinPath(path, "annotations")); err != nil {
		return err
	}
	return nil
}

// validateDigest checks every entry of a digest set in sorted order, naming
// the entry: "subject[0].digest.sha256: want 64 lowercase hex characters,
// got 63: invalid digest".
func validateDigest(s digest.Set, path string) error {
	for _, alg := range s.Algorithms() {
		if alg == "" {
			return &FieldError{Path: path, Err: fmt.Errorf("empty algorithm name: %w", digestError{digest.ErrEmpty})}
		}
		if err := digest.ValidateValue(alg, s[alg]); err != nil {
			return &FieldError{Path: member(path, alg), Err: digestError{err}}
		}
	}
	return nil
}

// validateJSONValue checks that v marshals to JSON without encoding/json
// silently replacing invalid UTF-8 in its strings.
func validateJSONValue(v any, path string) error {
	if v == nil {
		return nil
	}
	// What decoding JSON gives (maps, slices, strings, json.Number, bool)
	// is checked by walking it; anything else is marshalled.
	switch genericJSONValid(v, 0) {
	case genericOK:
		return nil
	case genericBadUTF8:
		return &FieldError{Path: path, Err: fmt.Errorf("string is not valid UTF-8: %w", ErrInvalidField)}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return &FieldError{Path: path, Err: fmt.Errorf("cannot encode as JSON: %v: %w", err, ErrInvalidField)}
	}
	// encoding/json writes the escape \ufffd only for invalid UTF-8 (a real
	// U+FFFD is written as is), but the text could also be an escaped
	// backslash followed by "ufffd": look at the strings themselves.
	if bytes.Contains(b, []byte(`\ufffd`)) && invalidUTF8(reflect.ValueOf(v)) {
		return &FieldError{Path: path, Err: fmt.Errorf("string is not valid UTF-8: %w", ErrInvalidField)}
	}
	return nil
}

// Outcomes of genericJSONValid.
const (
	genericOK      = iota // encodes as JSON, every string valid UTF-8
	genericBadUTF8        // a string or key is not valid UTF-8
	genericMarshal        // something only json.Marshal can judge
)

// genericJSONValid judges the values a JSON decode produces without
// marshalling them: maps with string keys, slices, strings, json.Number
// (valid literals), finite float64, bool and nil. Anything else, an invalid
// number, or nesting deeper than encoding/json looks for cycles, is
// genericMarshal.
func genericJSONValid(v any, depth int) int {
	if depth > 1000 {
		return genericMarshal
	}
	switch x := v.(type) {
	case nil, bool:
		return genericOK
	case string:
		if !utf8.ValidString(x) {
			return genericBadUTF8
		}
		return genericOK
	case json.Number:
		if !isJSONNumber(string(x)) {
			return genericMarshal
		}
		return genericOK
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return genericMarshal
		}
		return genericOK
	case map[string]string:
		for k, e := range x {
			if !utf8.ValidString(k) || !utf8.ValidString(e) {
				return genericBadUTF8
			}
		}
		return genericOK
	case map[string]any:
		worst := genericOK
		for k, e := range x {
			r := genericJSONValid(e, depth+1)
			if !utf8.ValidString(k) && r == genericOK {
				r = genericBadUTF8
			}
			worst = max(worst, r)
		}
		return worst
	case []any:
		worst := genericOK
		for _, e := range x {
			worst = max(worst, genericJSONValid(e, depth+1))
		}
		return worst
	}
	return genericMarshal
}

// isJSONNumber reports whether s is a number as RFC 8259 spells them (what
// encoding/json accepts in a json.Number).
func isJSONNumber(s string) bool { return numberEnd(s, 0) == len(s) }

// invalidUTF8 reports whether any string or map key reachable from v is not
// valid UTF-8. v must be acyclic (json.Marshal succeeded on it).
func invalidUTF8(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return !utf8.ValidString(v.String())
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && invalidUTF8(v.Elem())
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return false // bytes are base64 in JSON
		}
		for i := 0; i < v.Len(); i++ {
			if invalidUTF8(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if invalidUTF8(it.Key()) || invalidUTF8(it.Value()) {
				return true
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && invalidUTF8(v.Field(i)) {
				return true
			}
		}
	}
	return false
}

// Equal reports whether d and o describe the same resource: URIs compared
// after case normalization, digest sets and content exactly, annotations as
// JSON values (unset equals empty). Two nil descriptors are equal.
func (d *ResourceDescriptor) Equal(o *ResourceDescriptor) bool {
	if d == nil || o == nil {
		return d == o
	}
	return ResourceURI(d.URI).Equal(ResourceURI(o.URI)) &&
		maps.Equal(d.Digest, o.Digest) &&
		d.Name == o.Name &&
		ResourceURI(d.DownloadLocation).Equal(ResourceURI(o.DownloadLocation)) &&
		d.MediaType == o.MediaType &&
		bytes.Equal(d.Content, o.Content) &&
		valueEqual(d.Annotations, o.Annotations)
}

// normalized returns a copy of d with its URIs case-normalized and its
// digest set copied. It returns an error wrapping ErrInvalidURI.
func (d *ResourceDescriptor) normalized(path string) (ResourceDescriptor, error) {
	c := *d
	c.Digest = d.Digest.Clone()
	c.Content = bytes.Clone(d.Content)
	c.Annotations = maps.Clone(d.Annotations)
	if c.URI != "" {
		u, err := ParseResourceURI(c.URI)
		if err != nil {
			return c, &FieldError{Path: joinPath(path, "uri"), Err: err}
		}
		c.URI = string(u)
	}
	if c.DownloadLocation != "" {
		u, err := ParseResourceURI(c.DownloadLocation)
		if err != nil {
			return c, &FieldError{Path: joinPath(path, "downloadLocation"), Err: err}
		}
		c.DownloadLocation = string(u)
	}
	return c, nil
}

func descriptorsEqual(a, b []ResourceDescriptor) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(&b[i]) {
			return false
		}
	}
	return true
}

func validateDescriptors(ds []ResourceDescriptor, path string) error {
	for i := range ds {
		if err := ds[i].validate(index(path, i)); err != nil {
			return err
		}
	}
	return nil
}
