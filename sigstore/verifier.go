package sigstore

import (
	"crypto"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/signature/options"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/keys"
)

// Option configures a Verifier.
type Option func(*Verifier) error

// WithTrustedRoot makes the Verifier trust tr instead of the embedded
// public-good root.
func WithTrustedRoot(tr *TrustedRoot) Option {
	return func(v *Verifier) error {
		if tr == nil || tr.tr == nil {
			return fmt.Errorf("WithTrustedRoot(nil): %w", ErrTrustedRoot)
		}
		v.root = tr
		return nil
	}
}

// WithPublicKeys makes the Verifier accept signatures by these long-lived
// keys (Ed25519, ECDSA P-256/P-384/P-521, RSA >= 2048 bits): key-signed
// bundles and bare DSSE envelopes. A Verifier with keys refuses
// certificate-signed bundles.
func WithPublicKeys(pubs ...crypto.PublicKey) Option {
	return func(v *Verifier) error {
		for i, pub := range pubs {
			k, err := newTrustedKey(pub)
			if err != nil {
				return fmt.Errorf("public key %d: %w", i, err)
			}
			v.keys = append(v.keys, k)
		}
		return nil
	}
}

// Verifier verifies bundles and envelopes offline against a trusted root
// and, optionally, public keys. Build it once: it holds the parsed trust
// material and is safe for concurrent use.
type Verifier struct {
	root *TrustedRoot
	keys []*trustedKey
	// envelopes verifies bare DSSE envelopes with keys; nil without keys.
	envelopes *dsse.Verifier
}

// NewVerifier returns a Verifier. Without WithTrustedRoot it trusts the
// embedded public-good root. It fails with ErrTrustedRoot or ErrKey when an
// option is invalid.
func NewVerifier(opts ...Option) (*Verifier, error) {
	v := &Verifier{}
	for _, o := range opts {
		if err := o(v); err != nil {
			return nil, err
		}
	}
	if v.root == nil {
		tr, err := PublicGood()
		if err != nil {
			return nil, err
		}
		v.root = tr
	}
	pubs := make([]crypto.PublicKey, len(v.keys))
	for i, k := range v.keys {
		k.bind(v.root)
		pubs[i] = k.pub
	}
	if len(pubs) > 0 {
		ev, err := dsse.NewVerifier(pubs, dsse.WithECDSARawSignatures())
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKey, err)
		}
		v.envelopes = ev
	}
	return v, nil
}

// Identity is a signer identity constraint on a Fulcio certificate, with
// cosign's meaning: Issuer (--certificate-oidc-issuer) or IssuerRegexp
// (--certificate-oidc-issuer-regexp) must match the certificate's OIDC
// issuer extension, and SAN (--certificate-identity) or SANRegexp
// (--certificate-identity-regexp) its subject alternative name. Exact
// values compare whole strings; regular expressions are Go RE2 syntax and
// match anywhere unless anchored. Both an issuer and a SAN criterion are
// required.
type Identity struct {
	Issuer       string `json:"issuer,omitempty"`
	IssuerRegexp string `json:"issuerRegexp,omitempty"`
	SAN          string `json:"san,omitempty"`
	SANRegexp    string `json:"sanRegexp,omitempty"`
}

// Validate checks that the identity has an issuer and a SAN criterion and
// that its regular expressions compile, as VerifyBundle will; errors wrap
// ErrInvalidIdentity.
func (id *Identity) Validate() error {
	_, err := id.matcher()
	return err
}

// matcher compiles the identity, failing with ErrInvalidIdentity.
func (id *Identity) matcher() (*verify.CertificateIdentity, error) {
	if id.Issuer == "" && id.IssuerRegexp == "" {
		return nil, fmt.Errorf("%w: an OIDC issuer (exact or regexp) is required", ErrInvalidIdentity)
	}
	if id.SAN == "" && id.SANRegexp == "" {
		return nil, fmt.Errorf("%w: a certificate identity (exact or regexp) is required", ErrInvalidIdentity)
	}
	ci, err := verify.NewShortCertificateIdentity(id.Issuer, id.IssuerRegexp, id.SAN, id.SANRegexp)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidIdentity, err)
	}
	return &ci, nil
}

// VerifyOptions are the per-call inputs of a verification.
type VerifyOptions struct {
	// ArtifactDigest is the digest of the artifact a message-signature
	// bundle signs; it is required there (sha256, sha384 or sha512 matching
	// the bundle's algorithm). It is ignored for DSSE bundles and envelopes,
	// whose statement subjects the caller checks.
	ArtifactDigest digest.Set
	// Identity constrains the signing certificate. When nil, no identity is
	// checked here: the caller MUST then enforce one itself on
	// Result.Signer.Certificate (for example a trusted SLSA builder). It is
	// an error (ErrIdentity) to give one for a key-signed bundle.
	Identity *Identity
}

// Result is what a successful verification proves.
type Result struct {
	// PayloadType and Payload are the verified DSSE payload (the in-toto
	// statement bytes); empty for message signatures.
	PayloadType string `json:"payloadType,omitempty"`
	Payload     []byte `json:"payload,omitempty"`
	// MessageDigest is the signed digest of a message-signature bundle.
	MessageDigest digest.Set `json:"messageDigest,omitempty"`
	// Signer is who signed.
	Signer Signer `json:"signer"`
	// Timestamps are the verified signing times: transparency log
	// integrated times and RFC 3161 timestamps. Empty for key-signed
	// bundles and envelopes without such evidence.
	Timestamps []time.Time `json:"timestamps,omitempty"`
}

// Signer identifies the key or certificate that made a verified signature.
type Signer struct {
	// KeyID is keys.ID of the public key, for key-signed signatures.
	KeyID string `json:"keyid,omitempty"`
	// Certificate summarizes the signing certificate, for certificate
	// signatures.
	Certificate *Certificate `json:"certificate,omitempty"`
}

// VerifyBundle verifies b offline against the Verifier's trust material.
// For a certificate-signed bundle it checks the signing time first: at
// least one signed entry timestamp or RFC 3161 timestamp must verify
// (ErrNoTimestamp when there is none); then the certificate chain up to a
// trusted Fulcio CA at each verified time, an embedded SCT when the trusted
// root lists CT logs, a transparency log entry from every log the bundle
// names (required when the root lists logs: inclusion proof with its signed
// checkpoint, signed entry timestamp, agreement with the bundle's
// signature, key and content), the signature and, when o.Identity is set,
// the signer identity. RFC 3161 timestamps from authorities the root does
// not name are ignored, as sigstore-go and the Sigstore conformance suite
// do. A key-signed bundle must verify with one of the Verifier's keys; its
// log entries and timestamps are checked when present. A DSSE bundle must
// carry an in-toto statement (payload type application/vnd.in-toto+json).
// Errors wrap ErrBundle, ErrNoTimestamp, ErrKeyRequired, ErrIdentity,
// ErrInvalidIdentity, ErrMessageDigest or ErrVerification.
func (v *Verifier) VerifyBundle(b *Bundle, o VerifyOptions) (*Result, error) {
	if b == nil || b.b == nil {
		return nil, fmt.Errorf("%w: nil bundle", ErrBundle)
	}
	ev := b.evidence()
	var ident *verify.CertificateIdentity
	if o.Identity != nil {
		var err error
		if ident, err = o.Identity.matcher(); err != nil {
			return nil, err
		}
	}

	var artifact verify.ArtifactPolicyOption
	var msgDigest digest.Set
	if b.IsDSSE() {
		artifact = verify.WithoutArtifactUnsafe() // the caller matches the statement's subjects
	} else {
		alg, sum, err := artifactDigestFor(ev, o.ArtifactDigest)
		if err != nil {
			return nil, err
		}
		artifact = verify.WithArtifactDigest(alg, sum)
		msgDigest = digest.Set{alg: hex.EncodeToString(sum)}
	}

	var (
		res *verify.VerificationResult
		key *trustedKey
		err error
		e   = b.entity()
	)
	if ev.certificate {
		if len(v.keys) > 0 {
			return nil, fmt.Errorf("%w: the bundle is signed with a certificate, not with one of the given public keys", ErrKeyRequired)
		}
		res, err = v.verifyCertificateBundle(e, ev, artifact)
	} else {
		if len(v.keys) == 0 {
			return nil, fmt.Errorf("%w: the bundle is signed with a key (hint %q); give its public key", ErrKeyRequired, b.KeyHint())
		}
		if ident != nil {
			return nil, fmt.Errorf("%w: a certificate identity was asked for, but the bundle is signed with a key", ErrIdentity)
		}
		res, key, err = v.verifyKeyBundle(b, e, ev, artifact)
	}
	if err != nil {
		return nil, err
	}

	out := &Result{MessageDigest: msgDigest}
	if b.IsDSSE() {
		out.PayloadType, out.Payload = b.payload()
	}
	for _, ts := range res.VerifiedTimestamps {
		out.Timestamps = append(out.Timestamps, ts.Timestamp.UTC())
	}
	if key != nil {
		out.Signer.KeyID = key.id
		return out, nil
	}
	if res.Signature == nil || res.Signature.Certificate == nil {
		return nil, fmt.Errorf("%w: sigstore-go returned no certificate summary", ErrVerification)
	}
	leaf, err := leafCertificate(e)
	if err != nil {
		return nil, err
	}
	out.Signer.Certificate = newCertificate(res.Signature.Certificate, leaf)
	if ident != nil {
		if err := ident.Verify(*res.Signature.Certificate); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrIdentity, err)
		}
	}
	return out, nil
}

// verifyCertificateBundle verifies a certificate-signed bundle without an
// identity constraint: the caller applies one (VerifyBundle) or must
// enforce its own, hence the Unsafe in the name of sigstore-go's option.
func (v *Verifier) verifyCertificateBundle(e *entity, ev evidence, artifact verify.ArtifactPolicyOption) (*verify.VerificationResult, error) {
	if ev.promises == 0 && ev.rfc3161 == 0 {
		return nil, fmt.Errorf("%w: the bundle has no transparency log entry with a signed entry timestamp and no RFC 3161 timestamp, so its certificate cannot be checked at signing time", ErrNoTimestamp)
	}
	if ev.tlogEntries == 0 && v.root.hasTransparencyLogs() {
		return nil, fmt.Errorf("%w: the bundle has no transparency log entry, and the trusted root names transparency logs", ErrVerification)
	}
	opts := []verify.VerifierOption{verify.WithObserverTimestamps(1), verify.WithoutStatementPredicate()}
	if ev.tlogEntries > 0 {
		opts = append(opts, verify.WithTransparencyLog(ev.logIDs))
	}
	if v.root.hasCTLogs() {
		opts = append(opts, verify.WithSignedCertificateTimestamps(1))
	}
	sv, err := verify.NewVerifier(v.root.tr, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: configuring sigstore-go: %v", ErrVerification, err)
	}
	res, err := sv.Verify(e, verify.NewPolicy(artifact, verify.WithoutIdentitiesUnsafe()))
	if err != nil {
		return nil, classify(err)
	}
	return res, nil
}

// verifyKeyBundle verifies a key-signed bundle with each configured key in
// turn; the bundle's key hint is not trusted to pick one. Transparency log
// entries and timestamps are optional for keys, but those present must
// verify.
func (v *Verifier) verifyKeyBundle(b *Bundle, e *entity, ev evidence, artifact verify.ArtifactPolicyOption) (*verify.VerificationResult, *trustedKey, error) {
	opts := []verify.VerifierOption{verify.WithoutStatementPredicate()}
	if ev.tlogEntries > 0 {
		opts = append(opts, verify.WithTransparencyLog(ev.logIDs))
	}
	if ev.promises > 0 || ev.rfc3161 > 0 {
		opts = append(opts, verify.WithObserverTimestamps(1))
	} else {
		opts = append(opts, verify.WithNoObserverTimestamps())
	}
	var errs []string
	for _, k := range v.keys {
		tm := k.dsseMaterial
		if !b.IsDSSE() {
			tm = k.messageMaterial
		}
		sv, err := verify.NewVerifier(tm, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: configuring sigstore-go: %v", ErrVerification, err)
		}
		res, err := sv.Verify(e, verify.NewPolicy(artifact, verify.WithKey()))
		if err == nil {
			return res, k, nil
		}
		if len(v.keys) == 1 {
			return nil, nil, classify(err)
		}
		errs = append(errs, fmt.Sprintf("key %s: %v", k.id, err))
	}
	return nil, nil, fmt.Errorf("%w: no given public key verifies the bundle: %s", ErrVerification, strings.Join(errs, "; "))
}

// artifactDigestFor picks the artifact digest matching a message-signature
// bundle's digest algorithm and checks it against the bundle's.
func artifactDigestFor(ev evidence, set digest.Set) (string, []byte, error) {
	md := ev.messageDigest
	if md == nil {
		return "", nil, fmt.Errorf("%w: messageSignature.messageDigest: missing", ErrBundle)
	}
	alg := digestAlgName(md.GetAlgorithm())
	if !slices.Contains(digest.ArtifactAlgorithms(), alg) {
		return "", nil, fmt.Errorf("%w: messageSignature.messageDigest.algorithm: unsupported %s", ErrVerification, md.GetAlgorithm())
	}
	if len(set) == 0 {
		return "", nil, fmt.Errorf("%w: a message-signature bundle needs the artifact's %s digest", ErrMessageDigest, alg)
	}
	want, ok := set[alg]
	if !ok {
		return "", nil, fmt.Errorf("%w: the bundle signs a %s digest; the artifact's %s digest was not given", ErrMessageDigest, alg, alg)
	}
	if err := digest.ValidateValue(alg, want); err != nil {
		return "", nil, fmt.Errorf("%w: artifact digest %s: %v", ErrMessageDigest, alg, err)
	}
	sum, _ := hex.DecodeString(want)
	if got := hex.EncodeToString(md.GetDigest()); got != want {
		return "", nil, fmt.Errorf("%w: the bundle signs %s:%s, the artifact is %s:%s", ErrMessageDigest, alg, got, alg, want)
	}
	return alg, sum, nil
}

// classify wraps a sigstore-go verification error in this package's
// sentinels.
func classify(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "no valid observer timestamps"),
		strings.Contains(msg, "threshold not met for verified signed & log entry integrated timestamps: 0 <"):
		return fmt.Errorf("%w: %v", ErrNoTimestamp, err)
	case strings.Contains(msg, "artifact does not match digest"):
		return fmt.Errorf("%w: %v", ErrMessageDigest, err)
	case strings.Contains(msg, "not enough verified log entries"):
		return fmt.Errorf("%w: a transparency log entry did not verify against the trusted root's logs (signed on another Sigstore instance, or by a log the root does not name): %v", ErrVerification, err)
	}
	return fmt.Errorf("%w: %v", ErrVerification, err)
}

// leafCertificate returns the signing certificate of a bundle: of the
// entity being verified (parsed once for the whole verification), or of a
// parsed sigstore-go bundle.
func leafCertificate(b verify.VerificationProvider) (*x509.Certificate, error) {
	vc, err := b.VerificationContent()
	if err != nil {
		return nil, fmt.Errorf("%w: verificationMaterial: %v", ErrBundle, err)
	}
	if c := vc.Certificate(); c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("%w: verificationMaterial: no certificate", ErrBundle)
}

// trustedKey is a public key the Verifier accepts, with the sigstore-go
// trust material that hands it out whatever key hint a bundle carries.
type trustedKey struct {
	pub crypto.PublicKey
	id  string
	// dsse verifies DSSE signatures (pure Ed25519); message verifies
	// message signatures over a digest (Ed25519ph for Ed25519 keys).
	dsse, message                 signature.Verifier
	dsseMaterial, messageMaterial root.TrustedMaterial
}

func newTrustedKey(pub crypto.PublicKey) (*trustedKey, error) {
	if err := keys.CheckPublicKey(pub); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	id, err := keys.ID(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	dv, err := signature.LoadDefaultVerifier(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	mv := dv
	if _, ok := pub.(ed25519.PublicKey); ok {
		if mv, err = signature.LoadDefaultVerifier(pub, options.WithED25519ph()); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKey, err)
		}
	}
	return &trustedKey{pub: pub, id: id, dsse: dv, message: mv}, nil
}

// bind builds the key's trust material on top of the trusted root (whose
// logs and timestamp authorities still verify the bundle's evidence).
func (k *trustedKey) bind(tr *TrustedRoot) {
	material := func(sv signature.Verifier) root.TrustedMaterial {
		ek := root.NewExpiringKey(sv, time.Time{}, time.Time{})
		return root.TrustedMaterialCollection{
			tr.tr,
			root.NewTrustedPublicKeyMaterial(func(string) (root.TimeConstrainedVerifier, error) { return ek, nil }),
		}
	}
	k.dsseMaterial = material(k.dsse)
	k.messageMaterial = material(k.message)
}

// HasPublicKeys reports whether the Verifier was given public keys (and so
// verifies key-signed bundles and envelopes, refusing certificates).
func (v *Verifier) HasPublicKeys() bool { return len(v.keys) > 0 }
