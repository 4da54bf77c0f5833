package sigstore

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/sigstore/sigstore-go/pkg/verify"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
)

// MaxBundleSize bounds the bundles ParseBundle accepts (64 MiB, the DSSE
// envelope limit).
const MaxBundleSize = dsse.MaxEnvelopeSize

// Media types of Sigstore bundles. Versions 0.1 and 0.2 have only the
// parameter spelling; 0.3 has both.
const (
	MediaTypeBundleV01    = "application/vnd.dev.sigstore.bundle+json;version=0.1"
	MediaTypeBundleV02    = "application/vnd.dev.sigstore.bundle+json;version=0.2"
	MediaTypeBundleV03    = "application/vnd.dev.sigstore.bundle.v0.3+json"
	MediaTypeBundleV03Old = "application/vnd.dev.sigstore.bundle+json;version=0.3"
)

// Bundle is a parsed, structurally valid Sigstore bundle. Nothing in it is
// verified: use a Verifier. It is immutable and safe for concurrent use.
type Bundle struct {
	b       *bundle.Bundle
	raw     []byte
	version string
}

// ParseBundle parses a Sigstore bundle in its protobuf JSON form. It
// accepts versions 0.1 to 0.3 (both media type spellings of 0.3) with a
// message signature or a DSSE envelope, signed with a certificate, a
// certificate chain (before 0.3) or a public key hint. It fails with
// ErrTooLarge over MaxBundleSize and with ErrBundle when the JSON is
// malformed or has unknown fields, the media type or version is unknown,
// material is missing (an empty certificate chain, a v0.1 entry without a
// signed entry timestamp, a v0.2+ entry without an inclusion proof, a
// negative log index) or a certificate does not parse.
func ParseBundle(data []byte) (*Bundle, error) {
	if len(data) > MaxBundleSize {
		return nil, fmt.Errorf("bundle: %d bytes, limit %d: %w", len(data), MaxBundleSize, ErrTooLarge)
	}
	var b bundle.Bundle
	if err := b.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundle, err)
	}
	version, err := b.Version()
	if err != nil {
		return nil, fmt.Errorf("%w: mediaType: %v", ErrBundle, err)
	}
	// Parse the verification material now so a broken certificate is a
	// parse error, not a verification failure later.
	if _, err := b.VerificationContent(); err != nil {
		return nil, fmt.Errorf("%w: verificationMaterial: %v", ErrBundle, err)
	}
	if err := checkChain(&b); err != nil {
		return nil, err
	}
	if _, err := b.SignatureContent(); err != nil {
		return nil, fmt.Errorf("%w: content: %v", ErrBundle, err)
	}
	if env := b.GetDsseEnvelope(); env != nil {
		if len(env.GetSignatures()) != 1 {
			return nil, fmt.Errorf("%w: dsseEnvelope.signatures: want exactly one signature, got %d", ErrBundle, len(env.GetSignatures()))
		}
		if len(env.GetSignatures()[0].GetSig()) == 0 {
			return nil, fmt.Errorf("%w: dsseEnvelope.signatures[0].sig: empty", ErrBundle)
		}
		if env.GetPayloadType() == "" {
			return nil, fmt.Errorf("%w: dsseEnvelope.payloadType: missing", ErrBundle)
		}
	}
	if ms := b.GetMessageSignature(); ms != nil && len(ms.GetSignature()) == 0 {
		return nil, fmt.Errorf("%w: messageSignature.signature: empty", ErrBundle)
	}
	return &Bundle{b: &b, raw: append([]byte(nil), data...), version: version}, nil
}

// checkChain refuses an empty certificate chain and one that carries a
// root (self-signed) certificate: trust anchors come from the trusted root,
// never from the bundle. sigstore-go ignores the chain's tail for bundles
// before v0.3, so this check is made here.
func checkChain(b *bundle.Bundle) error {
	chain := b.GetVerificationMaterial().GetX509CertificateChain()
	if chain == nil {
		return nil
	}
	certs := chain.GetCertificates()
	if len(certs) == 0 {
		return fmt.Errorf("%w: verificationMaterial.x509CertificateChain: no certificate", ErrBundle)
	}
	for i, c := range certs {
		cert, err := x509.ParseCertificate(c.GetRawBytes())
		if err != nil {
			return fmt.Errorf("%w: verificationMaterial.x509CertificateChain.certificates[%d]: %v", ErrBundle, i, err)
		}
		if bytes.Equal(cert.RawIssuer, cert.RawSubject) && cert.CheckSignatureFrom(cert) == nil {
			return fmt.Errorf("%w: verificationMaterial.x509CertificateChain.certificates[%d]: a self-signed root certificate (%s); roots come from the trusted root only", ErrBundle, i, cert.Subject)
		}
	}
	return nil
}

// MediaType returns the bundle's media type as written.
func (b *Bundle) MediaType() string { return b.b.GetMediaType() }

// Version returns the bundle format version: "v0.1", "v0.2" or "v0.3".
func (b *Bundle) Version() string { return b.version }

// Bytes returns a copy of the JSON the bundle was parsed from.
func (b *Bundle) Bytes() []byte { return append([]byte(nil), b.raw...) }

// MarshalJSON returns the JSON the bundle was parsed from, unchanged.
func (b *Bundle) MarshalJSON() ([]byte, error) { return b.Bytes(), nil }

// IsDSSE reports whether the bundle carries a DSSE envelope (otherwise it
// carries a message signature over an artifact digest).
func (b *Bundle) IsDSSE() bool { return b.b.GetDsseEnvelope() != nil }

// HasCertificate reports whether the bundle is signed with a certificate
// (Fulcio or other CA) rather than a public key.
func (b *Bundle) HasCertificate() bool {
	return b.b.GetVerificationMaterial().GetPublicKey() == nil
}

// KeyHint returns the public key hint of a key-signed bundle ("" for
// certificate-signed ones). It is a hint, never trusted.
func (b *Bundle) KeyHint() string {
	return b.b.GetVerificationMaterial().GetPublicKey().GetHint()
}

// UnverifiedEnvelope returns the bundle's DSSE envelope, or nil for a
// message-signature bundle. Its payload is NOT verified: use it to display
// or route a bundle, never to decide anything; VerifyBundle returns the
// verified payload.
func (b *Bundle) UnverifiedEnvelope() *dsse.Envelope {
	env := b.b.GetDsseEnvelope()
	if env == nil {
		return nil
	}
	out := &dsse.Envelope{PayloadType: env.GetPayloadType(), Payload: append([]byte(nil), env.GetPayload()...)}
	for _, s := range env.GetSignatures() {
		out.Signatures = append(out.Signatures, dsse.Signature{KeyID: s.GetKeyid(), Sig: append([]byte(nil), s.GetSig()...)})
	}
	return out
}

// UnverifiedMessageDigest returns the digest a message-signature bundle
// claims to sign (nil for DSSE bundles), as an in-toto digest set; an
// algorithm outside SHA-2 is reported under its protobuf name.
func (b *Bundle) UnverifiedMessageDigest() digest.Set {
	md := b.b.GetMessageSignature().GetMessageDigest()
	if md == nil {
		return nil
	}
	return digest.Set{digestAlgName(md.GetAlgorithm()): hex.EncodeToString(md.GetDigest())}
}

// evidence counts what in the bundle can prove a signing time, and keeps
// the message digest a message signature claims.
type evidence struct {
	tlogEntries   int
	logIDs        int // distinct transparency logs named by the entries
	promises      int // entries with a signed entry timestamp
	rfc3161       int
	certificate   bool
	messageDigest *protocommon.HashOutput
}

func (b *Bundle) evidence() evidence {
	vm := b.b.GetVerificationMaterial()
	e := evidence{certificate: vm.GetPublicKey() == nil}
	seen := map[string]bool{}
	for _, t := range vm.GetTlogEntries() {
		e.tlogEntries++
		id := string(t.GetLogId().GetKeyId())
		if !seen[id] {
			seen[id] = true
			e.logIDs++
		}
		if len(t.GetInclusionPromise().GetSignedEntryTimestamp()) > 0 {
			e.promises++
		}
	}
	e.rfc3161 = len(vm.GetTimestampVerificationData().GetRfc3161Timestamps())
	if ms := b.b.GetMessageSignature(); ms != nil {
		e.messageDigest = ms.GetMessageDigest()
	}
	return e
}

// entity returns the bundle for one verification by sigstore-go: a private
// copy of the sigstore-go bundle (sigstore-go records state on the bundle
// while it reads the log entries, so concurrent verifications must not
// share one) whose parsed parts are memoized. One verification asks for
// the envelope three times (each time a fresh base64 encoding of the
// payload) and the certificate three times (each time parsed again); the
// entity parses each once, with the bundle's own methods, and hands the
// same read-only values to every caller.
func (b *Bundle) entity() *entity {
	return &entity{Bundle: *b.b}
}

// entity is a sigstore-go verify.SignedEntity: a bundle with memoized
// SignatureContent, VerificationContent and TlogEntries (see
// Bundle.entity).
type entity struct {
	bundle.Bundle // a copy: sigstore-go sets fields on it

	sigOnce, vcOnce, tlogOnce sync.Once
	sig                       verify.SignatureContent
	sigErr                    error
	vc                        verify.VerificationContent
	vcErr                     error
	tlog                      []*tlog.Entry
	tlogErr                   error
}

var _ verify.SignedEntity = (*entity)(nil)

func (e *entity) SignatureContent() (verify.SignatureContent, error) {
	e.sigOnce.Do(func() { e.sig, e.sigErr = e.Bundle.SignatureContent() })
	return e.sig, e.sigErr
}

func (e *entity) VerificationContent() (verify.VerificationContent, error) {
	e.vcOnce.Do(func() { e.vc, e.vcErr = e.Bundle.VerificationContent() })
	return e.vc, e.vcErr
}

func (e *entity) TlogEntries() ([]*tlog.Entry, error) {
	e.tlogOnce.Do(func() { e.tlog, e.tlogErr = e.Bundle.TlogEntries() })
	return e.tlog, e.tlogErr
}

// payload returns the DSSE payload type and payload of the bundle.
func (b *Bundle) payload() (string, []byte) {
	env := b.b.GetDsseEnvelope()
	return env.GetPayloadType(), append([]byte(nil), env.GetPayload()...)
}

// digestAlgName maps a protobuf hash algorithm to its in-toto name.
func digestAlgName(a protocommon.HashAlgorithm) string {
	switch a {
	case protocommon.HashAlgorithm_SHA2_256:
		return digest.SHA256
	case protocommon.HashAlgorithm_SHA2_384:
		return digest.SHA384
	case protocommon.HashAlgorithm_SHA2_512:
		return digest.SHA512
	}
	return strings.ToLower(a.String())
}
