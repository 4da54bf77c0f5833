package dsse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// MaxEnvelopeSize bounds the envelopes Parse accepts (64 MiB).
const MaxEnvelopeSize = 64 << 20

// PayloadTypeInToto is the payloadType of an in-toto statement.
const PayloadTypeInToto = "application/vnd.in-toto+json"

// Errors returned by this package, wrapped with the field concerned.
var (
	// ErrMalformed: the envelope is not valid DSSE JSON.
	ErrMalformed = errors.New("malformed DSSE envelope")
	// ErrTooLarge: the input exceeds MaxEnvelopeSize.
	ErrTooLarge = errors.New("DSSE envelope too large")
	// ErrNoSignature: the envelope carries no signature.
	ErrNoSignature = errors.New("DSSE envelope has no signature")
)

// Envelope is a DSSE envelope. Payload and signatures are raw bytes here and
// standard base64 in JSON.
type Envelope struct {
	PayloadType string      `json:"payloadType"`
	Payload     []byte      `json:"payload"`
	Signatures  []Signature `json:"signatures"`
}

// Signature is one signature of an envelope. KeyID is a hint, never trusted.
type Signature struct {
	KeyID string `json:"keyid"`
	Sig   []byte `json:"sig"`
}

// PAE returns the DSSE v1 pre-authentication encoding of a payload:
// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. This is what is signed.
func PAE(payloadType string, payload []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(payload) + len(payloadType) + 32)
	b.WriteString("DSSEv1 ")
	b.WriteString(strconv.Itoa(len(payloadType)))
	b.WriteByte(' ')
	b.WriteString(payloadType)
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(len(payload)))
	b.WriteByte(' ')
	b.Write(payload)
	return b.Bytes()
}

// Parse decodes a DSSE envelope from JSON. It requires payloadType, payload
// and at least one signature with a non-empty sig, and rejects inputs over
// MaxEnvelopeSize. It does not verify anything. It fails with ErrTooLarge,
// ErrNoSignature when there is no signature, and ErrMalformed otherwise.
func Parse(data []byte) (*Envelope, error) {
	if len(data) > MaxEnvelopeSize {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), MaxEnvelopeSize, ErrTooLarge)
	}
	var raw struct {
		PayloadType *string `json:"payloadType"`
		Payload     *[]byte `json:"payload"`
		Signatures  []struct {
			KeyID string  `json:"keyid"`
			Sig   *[]byte `json:"sig"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	switch {
	case raw.PayloadType == nil || *raw.PayloadType == "":
		return nil, fmt.Errorf("payloadType: missing: %w", ErrMalformed)
	case raw.Payload == nil:
		return nil, fmt.Errorf("payload: missing: %w", ErrMalformed)
	case len(raw.Signatures) == 0:
		return nil, fmt.Errorf("signatures: %w", ErrNoSignature)
	}
	env := &Envelope{PayloadType: *raw.PayloadType, Payload: *raw.Payload}
	for i, s := range raw.Signatures {
		if s.Sig == nil || len(*s.Sig) == 0 {
			return nil, fmt.Errorf("signatures[%d].sig: missing: %w", i, ErrMalformed)
		}
		env.Signatures = append(env.Signatures, Signature{KeyID: s.KeyID, Sig: *s.Sig})
	}
	return env, nil
}
