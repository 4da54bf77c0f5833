package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxAttestations bounds the attestations one body may hold (10,000).
const MaxAttestations = 10_000

// Submission is one attestation of a submitted body.
type Submission struct {
	// Index is the attestation's position in the body (0-based) and Line
	// the line it starts on (1-based).
	Index int
	Line  int
	// Raw is the attestation's bytes exactly as submitted (one JSON
	// object, without the white space around it).
	Raw []byte
	// ID is the lowercase hex SHA-256 of Raw, the attestation's content
	// address.
	ID string
}

// Source names the submission in messages: "line N" when the body holds
// several attestations.
func (s Submission) Source(several bool) string {
	if several {
		return fmt.Sprintf("line %d", s.Line)
	}
	return "body"
}

// ContentID returns the content address of an attestation: the lowercase
// hex SHA-256 of its bytes.
func ContentID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// Split splits a body into its attestations: one JSON object, or several
// separated by white space (JSON Lines, the .intoto.jsonl form). The caller
// bounds the body's size. It fails with ErrEmpty, ErrTooLarge (more than
// MaxAttestations) or ErrMalformed (invalid JSON or a value that is not an
// object), naming the line.
func Split(body []byte) ([]Submission, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimLeft(body, " \t\r\n")) == 0 {
		return nil, fmt.Errorf("empty body: %w", ErrEmpty)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var out []Submission
	// line is the line of body[counted]: newlines are counted once, from
	// one attestation to the next, not from the start of the body each time.
	line, counted := 1, 0
	for {
		start := int(dec.InputOffset())
		for start < len(body) && isSpace(body[start]) {
			start++
		}
		line += bytes.Count(body[counted:start], []byte("\n"))
		counted = start
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: invalid JSON: %v: %w", line, err, ErrMalformed)
		}
		if raw[0] != '{' {
			return nil, fmt.Errorf("line %d: want a JSON object (an attestation), got %s: %w", line, jsonKind(raw[0]), ErrMalformed)
		}
		if len(out) == MaxAttestations {
			return nil, fmt.Errorf("more than %d attestations in one body: %w", MaxAttestations, ErrTooLarge)
		}
		end := int(dec.InputOffset())
		r := body[start:end:end]
		out = append(out, Submission{Index: len(out), Line: line, Raw: r, ID: ContentID(r)})
	}
	return out, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func jsonKind(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}
