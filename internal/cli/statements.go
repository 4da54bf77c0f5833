package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/pedigree-dev/pedigree/slsa"
)

// maxAttestationFile bounds what readStatements reads from one file.
const maxAttestationFile = 64 << 20

// errNoStatement: a file holds nothing pedigree reads as an in-toto
// statement.
var errNoStatement = errors.New("no in-toto statement found")

// foundStatement is an in-toto statement read out of a file, with where it
// was found ("line 2", "dsseEnvelope", ...) and the container's format.
type foundStatement struct {
	Where     string
	Format    string // statement, dsse, sigstore-bundle, pep740-attestation
	Statement *slsa.Statement
}

// readStatements returns every in-toto statement in a file: a bare
// statement, a DSSE envelope, a Sigstore bundle with a DSSE envelope, a PEP
// 740 attestation or provenance object, or JSON Lines of any of them. It
// does not verify signatures.
func readStatements(path string) ([]foundStatement, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxAttestationFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxAttestationFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxAttestationFile)
	}
	if json.Valid(data) {
		found, err := statementsIn(data, "")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return found, nil
	}
	var all []foundStatement
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		where := fmt.Sprintf("line %d", i+1)
		found, err := statementsIn(line, where)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		all = append(all, found...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: %w", path, errNoStatement)
	}
	return all, nil
}

func statementsIn(data []byte, where string) ([]foundStatement, error) {
	at := func(s string) string {
		if where == "" {
			return s
		}
		if s == "" {
			return where
		}
		return where + ": " + s
	}
	var probe struct {
		Type         *string          `json:"_type"`
		PayloadType  *string          `json:"payloadType"`
		Payload      []byte           `json:"payload"`
		DSSEEnvelope *json.RawMessage `json:"dsseEnvelope"`
		Envelope     *struct {
			Statement []byte `json:"statement"`
		} `json:"envelope"`
		AttestationBundles []struct {
			Attestations []json.RawMessage `json:"attestations"`
		} `json:"attestation_bundles"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", at("JSON"), errNoStatement, err)
	}
	one := func(format, loc string, payload []byte) ([]foundStatement, error) {
		var st slsa.Statement
		if err := json.Unmarshal(payload, &st); err != nil || st.Type == "" {
			return nil, fmt.Errorf("%s: %w", at(loc), errNoStatement)
		}
		return []foundStatement{{Where: at(loc), Format: format, Statement: &st}}, nil
	}
	switch {
	case probe.Type != nil:
		return one("statement", "", data)
	case probe.PayloadType != nil:
		if *probe.PayloadType != slsa.PayloadType {
			return nil, fmt.Errorf("%s: payloadType %q: %w", at("payloadType"), *probe.PayloadType, errNoStatement)
		}
		return one("dsse", "payload", probe.Payload)
	case probe.DSSEEnvelope != nil:
		var env struct {
			PayloadType string `json:"payloadType"`
			Payload     []byte `json:"payload"`
		}
		if err := json.Unmarshal(*probe.DSSEEnvelope, &env); err != nil || env.PayloadType != slsa.PayloadType {
			return nil, fmt.Errorf("%s: %w", at("dsseEnvelope"), errNoStatement)
		}
		return one("sigstore-bundle", "dsseEnvelope", env.Payload)
	case probe.Envelope != nil:
		return one("pep740-attestation", "envelope.statement", probe.Envelope.Statement)
	case probe.AttestationBundles != nil:
		var all []foundStatement
		for i, b := range probe.AttestationBundles {
			for j, a := range b.Attestations {
				loc := fmt.Sprintf("attestation_bundles[%d].attestations[%d]", i, j)
				found, err := statementsIn(a, at(loc))
				if err != nil {
					return nil, err
				}
				for k := range found {
					found[k].Format = "pep740-provenance"
				}
				all = append(all, found...)
			}
		}
		if len(all) == 0 {
			return nil, fmt.Errorf("%s: %w", at("attestation_bundles"), errNoStatement)
		}
		return all, nil
	}
	return nil, fmt.Errorf("%s: not a statement, DSSE envelope, Sigstore bundle or PEP 740 object: %w", at("JSON"), errNoStatement)
}
