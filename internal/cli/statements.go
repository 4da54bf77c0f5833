package cli

import (
	"errors"
	"fmt"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/slsa"
)

// errNoStatement: a file holds no in-toto statement pedigree can read.
var errNoStatement = errors.New("no in-toto statement found")

// unverifiedPayload returns the in-toto statement bytes an attestation
// carries, without checking any signature, or nil when it carries none (a
// message-signature bundle, a DSSE envelope of another payload type).
func unverifiedPayload(it attestation.Item) []byte {
	switch {
	case it.Statement != nil:
		return it.Statement
	case it.Envelope != nil:
		if it.Envelope.PayloadType == slsa.PayloadType {
			return it.Envelope.Payload
		}
	case it.Bundle != nil:
		if env := it.Bundle.UnverifiedEnvelope(); env != nil && env.PayloadType == slsa.PayloadType {
			return env.Payload
		}
	}
	return nil
}

// readStatements returns every in-toto statement in the attestations of a
// file (any format package attestation reads), decoded but neither
// verified nor validated: it is for showing and comparing. Errors wrap
// errNoStatement or the attestation package's errors.
func readStatements(path string) ([]*slsa.Statement, error) {
	items, err := attestation.ParseFile(path)
	if err != nil {
		return nil, err
	}
	var found []*slsa.Statement
	for _, it := range items {
		payload := unverifiedPayload(it)
		if payload == nil {
			continue
		}
		st, err := slsa.DecodeStatement(payload)
		if err != nil {
			return nil, fmt.Errorf("%s: statement: %w", it.Source, err)
		}
		found = append(found, st)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("%s: %w (%d attestations without one)", path, errNoStatement, len(items))
	}
	return found, nil
}

// isInputError reports whether err says an input file is not what the
// command reads (a usage problem) rather than an I/O failure.
func isInputError(err error) bool {
	return errors.Is(err, errNoStatement) || errors.Is(err, attestation.ErrUnknownFormat) ||
		errors.Is(err, attestation.ErrMalformed) || errors.Is(err, attestation.ErrTooLarge) ||
		errors.Is(err, slsa.ErrMalformed) || errors.Is(err, slsa.ErrTooLarge)
}
