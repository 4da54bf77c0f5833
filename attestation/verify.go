package attestation

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/sigstore"
)

// Verify verifies the signature of one item with v: a bare DSSE envelope
// with v's public keys (or, when v has none and the envelope embeds a
// certificate, as the equivalent bundle, which fails with
// sigstore.ErrNoTimestamp), anything else as a Sigstore bundle. For a PEP
// 740 provenance item that carries a publisher, the verified certificate
// must also match it (ErrPublisher). An unsigned statement fails with
// ErrUnsigned. Other errors are sigstore's, wrapped with the item's
// source.
func Verify(v *sigstore.Verifier, it Item, o sigstore.VerifyOptions) (*sigstore.Result, error) {
	var (
		res *sigstore.Result
		err error
	)
	switch {
	case it.Envelope != nil && (v.HasPublicKeys() || it.Bundle == nil):
		res, err = v.VerifyEnvelope(it.Envelope, o)
	case it.Bundle != nil:
		res, err = v.VerifyBundle(it.Bundle, o)
	case it.Statement != nil:
		return nil, fmt.Errorf("%s: an in-toto statement without a signature: %w", it.Source, ErrUnsigned)
	default:
		return nil, fmt.Errorf("%s: nothing to verify: %w", it.Source, ErrMalformed)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", it.Source, err)
	}
	if it.Publisher != nil {
		if err := CheckPublisher(it.Publisher, res.Signer.Certificate); err != nil {
			return nil, fmt.Errorf("%s: %w", it.Source, err)
		}
	}
	return res, nil
}
