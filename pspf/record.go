package pspf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// MaxRecordSize bounds the input ParseRecord and ParseSlot accept. A record
// is a few hundred bytes; a slot also carries flavor's SBOM.
const MaxRecordSize = 4 << 20

// Implementation is the only python.implementation flavor writes.
const Implementation = "cpython"

// Record is flavor's PSPF provenance record. Its JSON form (Marshal) has
// exactly nine keys, sorted: build_timestamp, builder, builder_version,
// launcher{hash,language,version}, platform{arch,os},
// python{implementation,version}, reproducible, signing_attestation_key_fp,
// source_date_epoch.
type Record struct {
	Builder         string // "builder": the builder tool, e.g. "flavor-python"
	BuilderVersion  string // "builder_version"
	BuildTimestamp  string // "build_timestamp": SourceDateEpoch in ISO 8601, "+00:00"
	SourceDateEpoch Epoch  // "source_date_epoch": the build time in seconds
	Platform        Platform
	Python          Python
	Launcher        Launcher
	// Reproducible is true when SOURCE_DATE_EPOCH was set and not blank.
	Reproducible bool
	// SigningAttestationKeyFP is "sha256:<hex fingerprint>", or nil (JSON
	// null) for an unsigned package.
	SigningAttestationKeyFP *string
}

// Platform is the record's target platform ("platform").
type Platform struct {
	OS   string // "os": e.g. "linux", "darwin"
	Arch string // "arch": e.g. "amd64", "arm64"
}

// Python is the record's interpreter ("python").
type Python struct {
	Version        string // "version"
	Implementation string // "implementation": always "cpython" from Build
}

// Launcher is the record's launcher binary ("launcher").
type Launcher struct {
	Language string // "language": "go" or "rust"
	Version  string // "version"
	Hash     string // "hash": "sha256:<hex>" by convention, not checked
}

// Options are the inputs of Build, named after flavor's build_provenance
// keyword arguments.
type Options struct {
	BuilderName      string
	BuilderVersion   string
	BuildTimestamp   Epoch
	PlatformOS       string
	PlatformArch     string
	PythonVersion    string
	LauncherLanguage string
	LauncherVersion  string
	// LauncherHash is written verbatim, as flavor does: an empty value or
	// a doubled "sha256:sha256:" prefix pass through.
	LauncherHash string
	// SigningKeyFingerprint is the signing key's hex fingerprint; nil
	// records null. Like flavor, a non-nil empty value records "sha256:".
	SigningKeyFingerprint *string
	// SourceDateEpoch is the value of the SOURCE_DATE_EPOCH environment
	// variable ("" when unset). A non-blank value marks the record
	// reproducible and must be a decimal integer; its value is not used
	// for the timestamp (BuildTimestamp is), exactly as in flavor.
	SourceDateEpoch string
}

// Build assembles the record flavor's build_provenance returns for opts.
// It fails with ErrInvalidSourceDateEpoch when opts.SourceDateEpoch is
// non-blank and not a decimal integer, ErrOutOfRange when the timestamp is
// outside the years 1 to 9999, and ErrInvalidString when a text field is not
// valid UTF-8.
func Build(opts Options) (*Record, error) {
	reproducible, err := CheckSourceDateEpoch(opts.SourceDateEpoch)
	if err != nil {
		return nil, err
	}
	ts, err := opts.BuildTimestamp.ISO8601()
	if err != nil {
		return nil, fmt.Errorf("build_timestamp: %w", err)
	}
	r := &Record{
		Builder:         opts.BuilderName,
		BuilderVersion:  opts.BuilderVersion,
		BuildTimestamp:  ts,
		SourceDateEpoch: opts.BuildTimestamp,
		Platform:        Platform{OS: opts.PlatformOS, Arch: opts.PlatformArch},
		Python:          Python{Version: opts.PythonVersion, Implementation: Implementation},
		Launcher:        Launcher{Language: opts.LauncherLanguage, Version: opts.LauncherVersion, Hash: opts.LauncherHash},
		Reproducible:    reproducible,
	}
	if opts.SigningKeyFingerprint != nil {
		fp := "sha256:" + *opts.SigningKeyFingerprint
		r.SigningAttestationKeyFP = &fp
	}
	if _, err := r.Marshal(); err != nil {
		return nil, err
	}
	return r, nil
}

// CheckSourceDateEpoch reports whether a SOURCE_DATE_EPOCH value makes a
// build reproducible: false for an unset or blank value, true for a decimal
// integer (optionally negative), and ErrInvalidSourceDateEpoch otherwise.
// flavor calls any non-blank value reproducible; pedigree does not.
func CheckSourceDateEpoch(v string) (bool, error) {
	if strings.TrimSpace(v) == "" {
		return false, nil
	}
	if !isDigits(strings.TrimPrefix(v, "-")) {
		return false, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want a decimal integer of seconds since 1970: %w", v, ErrInvalidSourceDateEpoch)
	}
	return true, nil
}

// value returns the record as the generic tree appendPyJSON writes.
func (r *Record) value() map[string]any {
	var fp any
	if r.SigningAttestationKeyFP != nil {
		fp = *r.SigningAttestationKeyFP
	}
	return map[string]any{
		"builder":           r.Builder,
		"builder_version":   r.BuilderVersion,
		"build_timestamp":   r.BuildTimestamp,
		"source_date_epoch": r.SourceDateEpoch,
		"platform": map[string]any{
			"os":   r.Platform.OS,
			"arch": r.Platform.Arch,
		},
		"python": map[string]any{
			"version":        r.Python.Version,
			"implementation": r.Python.Implementation,
		},
		"launcher": map[string]any{
			"language": r.Launcher.Language,
			"version":  r.Launcher.Version,
			"hash":     r.Launcher.Hash,
		},
		"reproducible":               r.Reproducible,
		"signing_attestation_key_fp": fp,
	}
}

// Marshal returns the record's canonical bytes: key-sorted compact JSON as
// Python's json.dumps(record, sort_keys=True, separators=(",", ":")) writes
// it, non-ASCII escaped as \uXXXX. It fails with ErrInvalidString when a
// field is not valid UTF-8.
func (r *Record) Marshal() ([]byte, error) {
	return appendPyJSON(nil, "", r.value())
}

// MarshalJSON returns the same bytes as Marshal.
func (r *Record) MarshalJSON() ([]byte, error) { return r.Marshal() }

// AttestationSlot returns the content flavor writes to a PSPF attestation
// slot when the SBOM is disabled ({"provenance": record}, key-sorted
// compact JSON) and its SHA-256 in hex, as flavor's build_attestation does.
// It fails with ErrInvalidString like Marshal.
func (r *Record) AttestationSlot() (content []byte, sha256Hex string, err error) {
	content, err = appendPyJSON(nil, "", map[string]any{"provenance": r.value()})
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(content)
	return content, hex.EncodeToString(sum[:]), nil
}

// ParseRecord reads a record as flavor writes it. It is strict: the nine
// keys and no others, each once, of the right JSON type; build_timestamp
// must be the ISO 8601 form of source_date_epoch. It fails with ErrTooLarge
// above MaxRecordSize and ErrMalformed (wrapped with the key) otherwise.
func ParseRecord(data []byte) (*Record, error) {
	if len(data) > MaxRecordSize {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), MaxRecordSize, ErrTooLarge)
	}
	return parseRecord("", data)
}

// ParseSlot reads an attestation slot's content ({"provenance": record}
// with an optional "sbom" object, which is returned unparsed) with the
// limits and errors of ParseRecord.
func ParseSlot(data []byte) (rec *Record, sbom json.RawMessage, err error) {
	if len(data) > MaxRecordSize {
		return nil, nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), MaxRecordSize, ErrTooLarge)
	}
	obj, err := decodeObject("", data)
	if err != nil {
		return nil, nil, err
	}
	for k := range obj {
		if k != "provenance" && k != "sbom" {
			return nil, nil, fmt.Errorf("%s: unknown key: %w", k, ErrMalformed)
		}
	}
	p, ok := obj["provenance"]
	if !ok {
		return nil, nil, fmt.Errorf("provenance: missing: %w", ErrMalformed)
	}
	rec, err = parseRecord("provenance.", p)
	if err != nil {
		return nil, nil, err
	}
	if s, ok := obj["sbom"]; ok {
		if t := bytes.TrimSpace(s); len(t) == 0 || t[0] != '{' {
			return nil, nil, fmt.Errorf("sbom: want an object: %w", ErrMalformed)
		}
		sbom = s
	}
	return rec, sbom, nil
}

func parseRecord(prefix string, data []byte) (*Record, error) {
	obj, err := decodeObject(strings.TrimSuffix(prefix, "."), data)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{
		"builder": true, "builder_version": true, "build_timestamp": true, "source_date_epoch": true,
		"platform": true, "python": true, "launcher": true, "reproducible": true, "signing_attestation_key_fp": true,
	}
	for k := range obj {
		if !known[k] {
			return nil, fmt.Errorf("%s%s: unknown key: %w", prefix, k, ErrMalformed)
		}
	}
	for k := range known {
		if _, ok := obj[k]; !ok {
			return nil, fmt.Errorf("%s%s: missing: %w", prefix, k, ErrMalformed)
		}
	}
	var r Record
	str := func(o map[string]json.RawMessage, path, key string, dst *string) error {
		if err := json.Unmarshal(o[key], dst); err != nil || bytes.Equal(bytes.TrimSpace(o[key]), []byte("null")) {
			return fmt.Errorf("%s%s: want a string: %w", prefix, path+key, ErrMalformed)
		}
		return nil
	}
	if err := str(obj, "", "builder", &r.Builder); err != nil {
		return nil, err
	}
	if err := str(obj, "", "builder_version", &r.BuilderVersion); err != nil {
		return nil, err
	}
	if err := str(obj, "", "build_timestamp", &r.BuildTimestamp); err != nil {
		return nil, err
	}
	var num json.Number
	rawEpoch := bytes.TrimSpace(obj["source_date_epoch"])
	dec := json.NewDecoder(bytes.NewReader(rawEpoch))
	dec.UseNumber()
	if len(rawEpoch) == 0 || rawEpoch[0] == '"' || dec.Decode(&num) != nil || num == "" {
		return nil, fmt.Errorf("%ssource_date_epoch: want a number: %w", prefix, ErrMalformed)
	}
	if r.SourceDateEpoch, err = ParseEpoch(num.String()); err != nil {
		return nil, fmt.Errorf("%ssource_date_epoch: %w: %w", prefix, ErrMalformed, err)
	}
	want, err := r.SourceDateEpoch.ISO8601()
	if err != nil {
		return nil, fmt.Errorf("%ssource_date_epoch: %w: %w", prefix, ErrMalformed, err)
	}
	if r.BuildTimestamp != want {
		return nil, fmt.Errorf("%sbuild_timestamp: want %q (source_date_epoch %s), got %q: %w", prefix, want, r.SourceDateEpoch, r.BuildTimestamp, ErrMalformed)
	}
	sub := func(key string, fields map[string]*string) error {
		o, err := decodeObject(prefix+key, obj[key])
		if err != nil {
			return err
		}
		for k := range o {
			if _, ok := fields[k]; !ok {
				return fmt.Errorf("%s%s.%s: unknown key: %w", prefix, key, k, ErrMalformed)
			}
		}
		for k, dst := range fields {
			if _, ok := o[k]; !ok {
				return fmt.Errorf("%s%s.%s: missing: %w", prefix, key, k, ErrMalformed)
			}
			if err := str(o, key+".", k, dst); err != nil {
				return err
			}
		}
		return nil
	}
	if err := sub("platform", map[string]*string{"os": &r.Platform.OS, "arch": &r.Platform.Arch}); err != nil {
		return nil, err
	}
	if err := sub("python", map[string]*string{"version": &r.Python.Version, "implementation": &r.Python.Implementation}); err != nil {
		return nil, err
	}
	if err := sub("launcher", map[string]*string{"language": &r.Launcher.Language, "version": &r.Launcher.Version, "hash": &r.Launcher.Hash}); err != nil {
		return nil, err
	}
	switch string(bytes.TrimSpace(obj["reproducible"])) {
	case "true":
		r.Reproducible = true
	case "false":
	default:
		return nil, fmt.Errorf("%sreproducible: want true or false: %w", prefix, ErrMalformed)
	}
	if string(bytes.TrimSpace(obj["signing_attestation_key_fp"])) != "null" {
		var fp string
		if err := str(obj, "", "signing_attestation_key_fp", &fp); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(fp, "sha256:") {
			return nil, fmt.Errorf("%ssigning_attestation_key_fp: want \"sha256:<hex>\" or null, got %q: %w", prefix, fp, ErrMalformed)
		}
		r.SigningAttestationKeyFP = &fp
	}
	return &r, nil
}

// decodeObject reads one JSON object and nothing after it, refusing
// duplicate keys, into its raw members.
func decodeObject(path string, data []byte) (map[string]json.RawMessage, error) {
	name := path
	if name == "" {
		name = "record"
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("%s: want a JSON object: %w", name, ErrMalformed)
	}
	obj := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%s.%s: %w: %v", name, key, ErrMalformed, err)
		}
		if _, dup := obj[key]; dup {
			return nil, fmt.Errorf("%s.%s: duplicate key: %w", name, key, ErrMalformed)
		}
		obj[key] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: data after the object: %w", name, ErrMalformed)
	}
	return obj, nil
}
