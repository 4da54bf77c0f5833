package attestation

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/bundlejson"
	"github.com/pedigree-dev/pedigree/pypi"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// MaxFileSize bounds the input Parse accepts and the files ParseFile and
// ParsePaths read (256 MiB).
const MaxFileSize = 256 << 20

// MaxItems bounds the attestations one input may hold (100,000).
const MaxItems = 100_000

// Format names an attestation format.
type Format string

// The formats Parse recognizes.
const (
	// FormatDSSE is a bare DSSE envelope.
	FormatDSSE Format = "dsse-envelope"
	// FormatBundle is a Sigstore bundle (v0.1 to v0.3).
	FormatBundle Format = "sigstore-bundle"
	// FormatPEP740Attestation is a PEP 740 attestation object.
	FormatPEP740Attestation Format = "pep740-attestation"
	// FormatPEP740Provenance is one attestation of a PEP 740 provenance
	// object.
	FormatPEP740Provenance Format = "pep740-provenance"
	// FormatGitHub is a GitHub artifact attestation: a JSON object with a
	// "bundle" member (gh attestation download), or one entry of the
	// "attestations" array of GitHub's attestations API.
	FormatGitHub Format = "github-attestation"
	// FormatStatement is an unsigned in-toto statement.
	FormatStatement Format = "in-toto-statement"
)

// Errors returned by this package, wrapped with the source and the detail.
var (
	// ErrUnknownFormat: the input is not JSON, or a JSON object of no
	// attestation format.
	ErrUnknownFormat = errors.New("not an attestation")
	// ErrMalformed: the input has an attestation format but is malformed
	// (the wrapped error says how; it may also wrap sigstore.ErrBundle,
	// dsse.ErrMalformed or pypi.ErrPEP740).
	ErrMalformed = errors.New("malformed attestation")
	// ErrTooLarge: the input exceeds MaxFileSize or MaxItems.
	ErrTooLarge = errors.New("attestation input too large")
	// ErrNoAttestations: a path holds no attestation.
	ErrNoAttestations = errors.New("no attestation found")
	// ErrUnsigned: Verify was asked to verify an unsigned statement.
	ErrUnsigned = errors.New("attestation is not signed")
	// ErrPublisher: a signing certificate does not match the PEP 740
	// publisher an index listed with the attestation.
	ErrPublisher = errors.New("certificate does not match the PEP 740 publisher")
)

// Item is one attestation found in an input.
type Item struct {
	// Source says where the item is: the source name given to Parse, with
	// ":LINE" when the input holds several JSON values, and a JSON path
	// after "#" inside a container, e.g. "dir/prov.intoto.jsonl:3" or
	// "x.provenance#attestation_bundles[0].attestations[1]".
	Source string `json:"source"`
	Format Format `json:"format"`
	// Bundle is set for Sigstore bundles, GitHub attestations and PEP 740
	// attestations (converted to the equivalent bundle v0.3), and for a
	// DSSE envelope whose signature embeds a certificate (a bundle with no
	// transparency log evidence, which sigstore refuses with
	// ErrNoTimestamp).
	Bundle *sigstore.Bundle `json:"-"`
	// Envelope is set for bare DSSE envelopes.
	Envelope *dsse.Envelope `json:"-"`
	// Statement holds the bytes of an unsigned in-toto statement.
	Statement json.RawMessage `json:"-"`
	// Publisher is the publisher a PEP 740 provenance object lists with
	// this attestation (what the index says, not a verified fact).
	Publisher *pypi.Publisher `json:"publisher,omitempty"`
}

// Parse finds the attestations in data, named source in errors and in each
// Item's Source. data is one JSON value (a bundle, an envelope, a PEP 740
// object, ...) or several separated by whitespace (JSON Lines). It fails
// with ErrTooLarge, ErrUnknownFormat (not JSON, or JSON of no known
// format) or ErrMalformed, naming the source and line.
func Parse(data []byte, source string) ([]Item, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: %d bytes, limit %d: %w", source, len(data), MaxFileSize, ErrTooLarge)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	values, err := splitValues(data, source)
	if err != nil {
		return nil, err
	}
	var items []Item
	for _, v := range values {
		src := source
		if len(values) > 1 {
			src = fmt.Sprintf("%s:%d", source, v.line)
		}
		found, err := parseValue(v.raw, src)
		if err != nil {
			return nil, err
		}
		items = append(items, found...)
		if len(items) > MaxItems {
			return nil, fmt.Errorf("%s: more than %d attestations: %w", source, MaxItems, ErrTooLarge)
		}
	}
	return items, nil
}

type jsonValue struct {
	raw  json.RawMessage
	line int
}

// splitValues splits data into its top-level JSON values, each with the
// line it starts on.
func splitValues(data []byte, source string) ([]jsonValue, error) {
	first := bytes.TrimLeft(data, " \t\r\n")
	if len(first) == 0 {
		return nil, fmt.Errorf("%s: empty: %w", source, ErrUnknownFormat)
	}
	if first[0] != '{' {
		what := "not JSON"
		if !utf8.Valid(first[:min(len(first), 512)]) {
			what = "binary data"
		}
		return nil, fmt.Errorf("%s: %s (an attestation is a JSON object): %w", source, what, ErrUnknownFormat)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []jsonValue
	for {
		start := int(dec.InputOffset())
		for start < len(data) && isSpace(data[start]) {
			start++
		}
		line := 1 + bytes.Count(data[:start], []byte("\n"))
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("%s:%d: %w: invalid JSON: %v", source, line, ErrMalformed, err)
		}
		if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
			return nil, fmt.Errorf("%s:%d: want a JSON object: %w", source, line, ErrMalformed)
		}
		out = append(out, jsonValue{raw: raw, line: line})
		if len(out) > MaxItems {
			return nil, fmt.Errorf("%s: more than %d JSON values: %w", source, MaxItems, ErrTooLarge)
		}
	}
	return out, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// parseValue classifies one JSON object by its members and parses it.
func parseValue(raw json.RawMessage, src string) ([]Item, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", src, ErrMalformed, err)
	}
	has := func(k string) bool { _, ok := members[k]; return ok }
	switch {
	case has("mediaType"):
		var mt string
		_ = json.Unmarshal(members["mediaType"], &mt)
		if !strings.HasPrefix(mt, "application/vnd.dev.sigstore.bundle") {
			return nil, fmt.Errorf("%s: mediaType %q is not a Sigstore bundle's: %w", src, mt, ErrUnknownFormat)
		}
		b, err := sigstore.ParseBundle(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", src, ErrMalformed, err)
		}
		return []Item{{Source: src, Format: FormatBundle, Bundle: b}}, nil
	case has("payloadType") || (has("payload") && has("signatures")):
		it, err := parseEnvelope(raw, src)
		if err != nil {
			return nil, err
		}
		return []Item{it}, nil
	case has("attestation_bundles"):
		return parseProvenance(raw, src)
	case has("verification_material") || (has("envelope") && has("version")):
		a, err := pypi.ParseAttestationObject(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", src, ErrMalformed, err)
		}
		b, err := pep740Bundle(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		return []Item{{Source: src, Format: FormatPEP740Attestation, Bundle: b}}, nil
	case has("bundle"):
		b, err := sigstore.ParseBundle(members["bundle"])
		if err != nil {
			return nil, fmt.Errorf("%s: bundle: %w: %w", src, ErrMalformed, err)
		}
		return []Item{{Source: src, Format: FormatGitHub, Bundle: b}}, nil
	case has("attestations"):
		return parseGitHubList(members["attestations"], src)
	case has("_type"):
		var st struct {
			Type string `json:"_type"`
		}
		if err := json.Unmarshal(raw, &st); err != nil || !strings.HasPrefix(st.Type, "https://in-toto.io/Statement/") {
			return nil, fmt.Errorf("%s: _type %q is not an in-toto statement's: %w", src, st.Type, ErrUnknownFormat)
		}
		return []Item{{Source: src, Format: FormatStatement, Statement: append(json.RawMessage(nil), raw...)}}, nil
	}
	return nil, fmt.Errorf("%s: a JSON object of no attestation format (no mediaType, payloadType, attestation_bundles, verification_material, bundle or _type): %w", src, ErrUnknownFormat)
}

// parseEnvelope parses a bare DSSE envelope. A signature that embeds a
// certificate ("cert" or "certificate", PEM or base64 DER, as some signers
// write) makes the item also carry the equivalent bundle, which has no
// transparency log evidence.
func parseEnvelope(raw json.RawMessage, src string) (Item, error) {
	env, err := dsse.Parse(raw)
	if err != nil {
		return Item{}, fmt.Errorf("%s: %w: %w", src, ErrMalformed, err)
	}
	it := Item{Source: src, Format: FormatDSSE, Envelope: env}
	var certs struct {
		Signatures []struct {
			Cert        *string `json:"cert"`
			Certificate *string `json:"certificate"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal(raw, &certs); err != nil {
		return Item{}, fmt.Errorf("%s: %w: %v", src, ErrMalformed, err)
	}
	for i, s := range certs.Signatures {
		c := s.Cert
		if c == nil {
			c = s.Certificate
		}
		if c == nil || *c == "" {
			continue
		}
		der, err := certificateDER(*c)
		if err == nil {
			_, err = x509.ParseCertificate(der)
		}
		if err != nil {
			return Item{}, fmt.Errorf("%s: signatures[%d].cert: %w: %v", src, i, ErrMalformed, err)
		}
		b, err := certificateBundle(env, i, der)
		if err != nil {
			return Item{}, fmt.Errorf("%s: signatures[%d]: %w: %w", src, i, ErrMalformed, err)
		}
		it.Bundle = b
		break
	}
	return it, nil
}

// certificateDER decodes a certificate given as PEM or base64 DER.
func certificateDER(s string) ([]byte, error) {
	if block, _ := pem.Decode([]byte(s)); block != nil {
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("PEM block %q, want CERTIFICATE", block.Type)
		}
		return block.Bytes, nil
	}
	return base64.StdEncoding.DecodeString(s)
}

// certificateBundle makes the bundle v0.3 equivalent to signature i of env
// with its embedded certificate, and no transparency log evidence.
func certificateBundle(env *dsse.Envelope, i int, der []byte) (*sigstore.Bundle, error) {
	data, err := bundlejson.Marshal(bundlejson.DSSE{Certificate: der, PayloadType: env.PayloadType, Payload: env.Payload, Signature: env.Signatures[i].Sig})
	if err != nil {
		return nil, err
	}
	return sigstore.ParseBundle(data)
}

// pep740Bundle converts a PEP 740 attestation object to its bundle.
func pep740Bundle(a *pypi.Attestation) (*sigstore.Bundle, error) {
	data, err := a.BundleJSON()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	b, err := sigstore.ParseBundle(data)
	if err != nil {
		return nil, fmt.Errorf("%w: verification_material: %w", ErrMalformed, err)
	}
	return b, nil
}

// parseProvenance returns one item per attestation of a PEP 740 provenance
// object, each with its publisher.
func parseProvenance(raw json.RawMessage, src string) ([]Item, error) {
	p, err := pypi.ParseProvenanceObject(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", src, ErrMalformed, err)
	}
	var items []Item
	for i := range p.AttestationBundles {
		ab := &p.AttestationBundles[i]
		for j := range ab.Attestations {
			path := fmt.Sprintf("%s#attestation_bundles[%d].attestations[%d]", src, i, j)
			b, err := pep740Bundle(&ab.Attestations[j])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			pub := ab.Publisher
			items = append(items, Item{Source: path, Format: FormatPEP740Provenance, Bundle: b, Publisher: &pub})
		}
	}
	return items, nil
}

// parseGitHubList parses the "attestations" array of GitHub's attestations
// API: objects with a "bundle" member.
func parseGitHubList(raw json.RawMessage, src string) ([]Item, error) {
	var list []struct {
		Bundle json.RawMessage `json:"bundle"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("%s: attestations: %w: %v", src, ErrMalformed, err)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%s: attestations: empty: %w", src, ErrNoAttestations)
	}
	var items []Item
	for i, a := range list {
		path := fmt.Sprintf("%s#attestations[%d]", src, i)
		if len(a.Bundle) == 0 || string(a.Bundle) == "null" {
			return nil, fmt.Errorf("%s.bundle: missing: %w", path, ErrMalformed)
		}
		b, err := sigstore.ParseBundle(a.Bundle)
		if err != nil {
			return nil, fmt.Errorf("%s.bundle: %w: %w", path, ErrMalformed, err)
		}
		items = append(items, Item{Source: path, Format: FormatGitHub, Bundle: b})
	}
	return items, nil
}
