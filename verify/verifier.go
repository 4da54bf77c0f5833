package verify

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/parallel"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

// Unreadable is an attestation input that could not be parsed. Verify
// reports it as a failed attestation rather than dropping it.
type Unreadable struct {
	Source string
	Err    error
}

// Artifact is one artifact to verify: a file, or only a digest.
type Artifact struct {
	// Path is the file to hash; empty when only Digest is known.
	Path string
	// Name is how reports call the artifact and, for PEP 740, its
	// distribution file name; it defaults to Path, or to ALG:HEX.
	Name string
	// Digest is the artifact's digest when no file is given (sha256,
	// sha384 or sha512).
	Digest digest.Set
}

// Policy is everything an attestation must satisfy besides a valid
// signature over a subject that is the artifact.
type Policy struct {
	// Identity is the signer identity a certificate must carry, checked by
	// the signature layer with cosign's meaning.
	Identity *sigstore.Identity
	// Publisher is the PyPI Trusted Publisher the certificate must belong to.
	Publisher *TrustedPublisher
	// Provenance is the SLSA provenance policy (slsa-verifier's semantics).
	Provenance ProvenancePolicy
	// VSA is the SLSA Verification Summary policy (slsa-verifier
	// verify-vsa's semantics).
	VSA VSAPolicy
}

// Validate checks the policy's own values; errors wrap ErrInvalidPolicy.
func (p Policy) Validate() error {
	if p.Identity != nil {
		if err := p.Identity.Validate(); err != nil {
			return fmt.Errorf("certificate identity: %w: %w", err, ErrInvalidPolicy)
		}
	}
	if err := p.VSA.Validate(); err != nil {
		return err
	}
	return p.Provenance.Validate()
}

// Option configures a Verifier.
type Option func(*config) error

type config struct {
	sigOpts []sigstore.Option
	workers int
}

// WithTrustedRoot makes the Verifier trust tr (a parsed trusted_root.json)
// instead of the public-good root embedded in the binary.
func WithTrustedRoot(tr *sigstore.TrustedRoot) Option {
	return func(c *config) error {
		c.sigOpts = append(c.sigOpts, sigstore.WithTrustedRoot(tr))
		return nil
	}
}

// WithPublicKeys makes the Verifier verify key-signed attestations with
// these keys; certificate-signed ones are then refused.
func WithPublicKeys(pubs ...crypto.PublicKey) Option {
	return func(c *config) error {
		c.sigOpts = append(c.sigOpts, sigstore.WithPublicKeys(pubs...))
		return nil
	}
}

// WithWorkers sets how many goroutines verify signatures and hash files
// (default: GOMAXPROCS).
func WithWorkers(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("workers: want at least 1, got %d: %w", n, ErrInvalidPolicy)
		}
		c.workers = n
		return nil
	}
}

// Verifier verifies artifacts against attestations. It holds the parsed
// trust material (parsed once) and is safe for concurrent use.
type Verifier struct {
	sig     *sigstore.Verifier
	workers int
}

// New returns a Verifier. Errors wrap sigstore.ErrTrustedRoot or
// sigstore.ErrKey for bad trust material, ErrInvalidPolicy for bad options.
func New(opts ...Option) (*Verifier, error) {
	c := &config{workers: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	sv, err := sigstore.NewVerifier(c.sigOpts...)
	if err != nil {
		return nil, err
	}
	return &Verifier{sig: sv, workers: c.workers}, nil
}

// Report is the outcome of Verify.
type Report struct {
	// Verified is true when every artifact verified.
	Verified     bool                `json:"verified"`
	Artifacts    []ArtifactResult    `json:"artifacts"`
	Attestations []AttestationResult `json:"attestations"`
}

// ArtifactResult says whether an artifact verified, and how each
// attestation that names it fared.
type ArtifactResult struct {
	Artifact string     `json:"artifact"`
	Digest   digest.Set `json:"digest"`
	Verified bool       `json:"verified"`
	// Error is the reason, one line, when Verified is false.
	Error string `json:"error,omitempty"`
	// Attestations lists every attestation that names the artifact (by a
	// verified subject or, when its signature failed, by its unverified
	// one), passing or not, in input order.
	Attestations []Evaluation `json:"attestations"`

	err error
}

// Err returns the reason the artifact did not verify (nil when it did),
// wrapping this package's sentinel errors.
func (r *ArtifactResult) Err() error { return r.err }

// Evaluation is one attestation checked against one artifact.
type Evaluation struct {
	Attestation    string     `json:"attestation"`
	Verified       bool       `json:"verified"`
	PredicateType  string     `json:"predicateType,omitempty"`
	BuildType      string     `json:"buildType,omitempty"`
	BuilderID      string     `json:"builderId,omitempty"`
	SourceURI      string     `json:"sourceUri,omitempty"`
	SourceRef      string     `json:"sourceRef,omitempty"`
	SourceCommit   string     `json:"sourceCommit,omitempty"`
	SignerIdentity string     `json:"signerIdentity,omitempty"`
	SignerIssuer   string     `json:"signerIssuer,omitempty"`
	KeyID          string     `json:"keyId,omitempty"`
	IntegratedTime *time.Time `json:"integratedTime,omitempty"`
	Error          string     `json:"error,omitempty"`
	// Statement is the verified in-toto statement (absent for message
	// signatures and for attestations whose signature failed); the CLI
	// prints it only with --print-provenance.
	Statement json.RawMessage `json:"statement,omitempty"`
	// Certificate is the verified signing certificate (nil for key-signed
	// attestations and failed signatures), for callers that need more of
	// it than the identity and issuer (the attestation store derives a PEP
	// 740 publisher from it).
	Certificate *sigstore.Certificate `json:"-"`

	err error
}

// Err returns why the evaluation failed (nil when it passed).
func (e *Evaluation) Err() error { return e.err }

// AttestationResult is the signature outcome of one attestation, reported
// whether or not it names any artifact.
type AttestationResult struct {
	Attestation string `json:"attestation"`
	// Signature is "verified", "failed", or "per-artifact" for message
	// signatures, which are verified against each artifact's digest.
	Signature      string `json:"signature"`
	SignerIdentity string `json:"signerIdentity,omitempty"`
	SignerIssuer   string `json:"signerIssuer,omitempty"`
	KeyID          string `json:"keyId,omitempty"`
	Error          string `json:"error,omitempty"`
}

// Options are the inputs of one Verify call.
type Options struct {
	Artifacts    []Artifact
	Attestations []attestation.Item
	// Unreadable are attestation inputs that could not be parsed; each is
	// reported as a failed attestation.
	Unreadable []Unreadable
	Policy     Policy
}

// attState is an attestation after its signature check.
type attState struct {
	att     attestation.Item
	message bool             // message-signature bundle: verified per artifact
	msg     digest.Set       // its unverified signed digest
	res     *sigstore.Result // verified DSSE result
	st      *slsa.Statement  // verified statement
	err     error            // read, signature or statement error
	sigOK   bool             // the signature verified (err is then a statement error)
	prov    *provenance      // the decoded SLSA predicate, when it is one
	provErr error            // why it does not decode
	claimed []digest.Set     // subjects (verified, or unverified when err != nil)
}

// Verify checks every artifact against the attestations: an artifact
// passes when at least one attestation whose verified subject is the
// artifact passes every check of pol. Attestations are verified once each,
// artifacts hashed once each, both across the Verifier's workers. It returns
// an error only when an artifact cannot be read (ErrRead), the policy or an
// artifact is invalid or missing (ErrInvalidPolicy) or ctx ends; verification failures are in the
// Report, each ArtifactResult.Err wrapping ErrNoAttestation, ErrSignature,
// ErrNoPolicy or a policy error.
func (v *Verifier) Verify(ctx context.Context, o Options) (*Report, error) {
	pol, artifacts, atts := o.Policy, o.Artifacts, o.Attestations
	if err := pol.Validate(); err != nil {
		return nil, err
	}
	if len(artifacts) == 0 {
		return nil, fmt.Errorf("no artifact to verify: %w", ErrInvalidPolicy)
	}
	for i, a := range artifacts {
		if a.Path == "" {
			if err := a.Digest.Validate(); err != nil {
				return nil, fmt.Errorf("artifact %d: give a file or a digest: %v: %w", i, err, ErrInvalidPolicy)
			}
		}
	}
	states := make([]attState, len(atts), len(atts)+len(o.Unreadable))
	if err := parallel.For(ctx, v.workers, len(atts), func(i int) {
		states[i] = v.checkSignature(atts[i], pol)
	}); err != nil {
		return nil, err
	}
	for _, u := range o.Unreadable {
		states = append(states, attState{
			att: attestation.Item{Source: u.Source},
			err: &reasonError{msg: withoutSource(u.Err, u.Source), errs: []error{ErrMalformedProvenance, u.Err}},
		})
	}

	arts, err := v.hashArtifacts(ctx, artifacts, neededAlgorithms(states))
	if err != nil {
		return nil, err
	}

	// Evaluate every (artifact, attestation naming it) pair on the workers,
	// so one artifact with many attestations scales like many artifacts.
	index := indexSubjects(states)
	type pair struct{ art, att int }
	var pairs []pair
	for i := range arts {
		for _, j := range index.candidates(arts[i].Digest) {
			if states[j].names(arts[i].Digest) {
				pairs = append(pairs, pair{i, j})
			}
		}
	}
	evals := make([]Evaluation, len(pairs))
	if err := parallel.For(ctx, v.workers, len(pairs), func(k int) {
		evals[k] = v.evaluate(arts[pairs[k].art], &states[pairs[k].att], pol)
	}); err != nil {
		return nil, err
	}
	unread := unreadable(states)
	rep := &Report{Verified: true, Artifacts: make([]ArtifactResult, len(arts))}
	for i, k := 0, 0; i < len(arts); i++ {
		start := k
		for k < len(pairs) && pairs[k].art == i {
			k++
		}
		rep.Artifacts[i] = artifactResult(arts[i], evals[start:k], unread)
	}
	for i := range rep.Artifacts {
		if !rep.Artifacts[i].Verified {
			rep.Verified = false
		}
	}
	for _, s := range states {
		rep.Attestations = append(rep.Attestations, s.result())
	}
	return rep, nil
}

// hashArtifacts returns the artifacts with the digests of those given as
// files computed by package digest: each distinct file read once, in every
// algorithm of algs in that one pass, the files spread over the Verifier's
// workers. Names default to the path, or to ALG:HEX.
func (v *Verifier) hashArtifacts(ctx context.Context, artifacts []Artifact, algs []string) ([]Artifact, error) {
	arts := slices.Clone(artifacts)
	var paths []string
	first := map[string]int{} // path -> index in paths
	for _, a := range arts {
		if _, ok := first[a.Path]; a.Path != "" && !ok {
			first[a.Path] = len(paths)
			paths = append(paths, a.Path)
		}
	}
	results, err := digest.Files(ctx, paths, digest.Options{Algorithms: algs, Workers: v.workers})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("%w: %w", ErrRead, err)
	}
	for i := range arts {
		a := &arts[i]
		if a.Path != "" {
			a.Digest = results[first[a.Path]].Digest.Clone()
		}
		if a.Name == "" {
			a.Name = a.Path
		}
		if a.Name == "" {
			a.Name = describeDigest(a.Digest)
		}
	}
	return arts, nil
}

// checkSignature verifies a DSSE attestation's signature (and, for a PEP
// 740 provenance item, that the signer is the publisher the index names)
// and parses its statement; message signatures wait for artifact digests.
func (v *Verifier) checkSignature(a attestation.Item, pol Policy) attState {
	s := attState{att: a}
	if a.Bundle != nil && !a.Bundle.IsDSSE() && a.Envelope == nil {
		s.message = true
		s.msg = a.Bundle.UnverifiedMessageDigest()
		return s
	}
	if id := pol.VSA.KeyID; id != "" {
		s.err = selectKeyID(&a, id)
	}
	if s.err == nil {
		if s.res, s.err = attestation.Verify(v.sig, a, sigstore.VerifyOptions{Identity: pol.Identity}); s.err != nil {
			s.err = signatureError(s.err, a.Source)
		}
	}
	if s.err != nil {
		// Keep the unverified subjects, only to report the failure
		// against the artifacts it claims to describe.
		env := a.Envelope
		if env == nil && a.Bundle != nil {
			env = a.Bundle.UnverifiedEnvelope()
		}
		if env != nil {
			if st, err := parseStatement(env.PayloadType, env.Payload); err == nil {
				s.claimed = subjectDigests(st)
			}
		} else if a.Statement != nil {
			if st, err := parseStatement(slsa.PayloadType, a.Statement); err == nil {
				s.claimed = subjectDigests(st)
			}
		}
		s.res = nil
		return s
	}
	s.sigOK = true
	st, dec, err := parseStatementProvenance(s.res.PayloadType, s.res.Payload)
	if err != nil {
		s.err = err
		return s
	}
	s.st = st
	s.claimed = subjectDigests(st)
	if st.PredicateType == slsa.PredicateProvenanceV1 || st.PredicateType == slsa.PredicateProvenanceV02 {
		// Decoded once, by the statement's validation, and checked against
		// each artifact it names.
		s.prov, s.provErr = newProvenance(st, dec)
	}
	return s
}

// selectKeyID keeps only the envelope signatures that carry key id id (for
// a bundle, its public key hint must be id), so the signature that verifies
// is one made under that key id, as slsa-verifier's --public-key-id asks.
func selectKeyID(a *attestation.Item, id string) error {
	if a.Envelope != nil {
		env := *a.Envelope
		env.Signatures = nil
		for _, sig := range a.Envelope.Signatures {
			if sig.KeyID == id {
				env.Signatures = append(env.Signatures, sig)
			}
		}
		if len(env.Signatures) == 0 {
			return fmt.Errorf("no signature of the envelope has key id %q: %w", id, ErrSignature)
		}
		a.Envelope = &env
		return nil
	}
	if a.Bundle != nil && a.Bundle.KeyHint() == id {
		return nil
	}
	return fmt.Errorf("the attestation is not signed under key id %q: %w", id, ErrSignature)
}

// signatureError wraps a signature-layer error with ErrSignature (keeping
// the layer's own sentinels), without repeating the attestation's name, and
// adds a hint when the fix is a flag.
func signatureError(err error, source string) error {
	hint := ""
	switch {
	case errors.Is(err, sigstore.ErrKeyRequired):
		hint = " (--key)"
	case errors.Is(err, sigstore.ErrIdentity):
		hint = " (--cert-identity, --cert-oidc-issuer)"
	case errors.Is(err, sigstore.ErrNoTimestamp):
		hint = " (an attestation signed with a certificate needs transparency-log evidence or a signed timestamp)"
	case errors.Is(err, attestation.ErrPublisher):
		hint = " (the index's PEP 740 provenance names another publisher)"
	}
	return &reasonError{msg: withoutSource(err, source) + hint, errs: []error{ErrSignature, err}}
}

// withoutSource returns err's message without a leading "SOURCE: ", which
// the reports already show.
func withoutSource(err error, source string) string {
	return strings.TrimPrefix(err.Error(), source+": ")
}

func subjectDigests(st *slsa.Statement) []digest.Set {
	out := make([]digest.Set, len(st.Subject))
	for i, s := range st.Subject {
		out[i] = s.Digest
	}
	return out
}

// neededAlgorithms returns the digest algorithms to compute for artifacts:
// those the subjects and message signatures use among sha256, sha384 and
// sha512, and sha256 always (PEP 740 and reports use it).
func neededAlgorithms(states []attState) []string {
	want := map[string]bool{digest.SHA256: true}
	for _, s := range states {
		for alg := range s.msg {
			want[alg] = true
		}
		for _, d := range s.claimed {
			for alg := range d {
				want[alg] = true
			}
		}
	}
	var out []string
	for _, alg := range digest.ArtifactAlgorithms() {
		if want[alg] {
			out = append(out, alg)
		}
	}
	return out
}

// subjectIndex maps "alg:hex" to the attestations claiming that digest.
type subjectIndex map[string][]int

func indexSubjects(states []attState) subjectIndex {
	idx := subjectIndex{}
	add := func(d digest.Set, i int) {
		for alg, hex := range d {
			k := alg + ":" + hex
			if l := idx[k]; len(l) == 0 || l[len(l)-1] != i {
				idx[k] = append(l, i)
			}
		}
	}
	for i, s := range states {
		add(s.msg, i)
		for _, d := range s.claimed {
			add(d, i)
		}
	}
	return idx
}

// candidates returns, in input order, the attestations claiming any of d.
func (idx subjectIndex) candidates(d digest.Set) []int {
	var out []int
	for alg, hex := range d {
		out = append(out, idx[alg+":"+hex]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// names reports whether the attestation claims (unverified, for a failed
// or message signature) to be about an artifact with digest d.
func (s *attState) names(d digest.Set) bool {
	if s.message {
		return d.Matches(s.msg)
	}
	return claims(s.claimed, d)
}

// unreadable lists the attestations that could not be read or verified
// and claim no subject, for the reason of artifacts nothing names.
func unreadable(states []attState) []string {
	var out []string
	for i := range states {
		if s := &states[i]; s.err != nil && len(s.claimed) == 0 {
			out = append(out, s.att.Source+": "+s.err.Error())
		}
	}
	return out
}

// artifactResult assembles an artifact's verdict from its evaluations.
func artifactResult(a Artifact, evals []Evaluation, unread []string) ArtifactResult {
	r := ArtifactResult{Artifact: a.Name, Digest: a.Digest, Attestations: append([]Evaluation{}, evals...)}
	for _, ev := range evals {
		if ev.Verified {
			r.Verified = true
		}
	}
	switch {
	case r.Verified:
	case len(r.Attestations) == 0:
		msg := fmt.Sprintf("no attestation names this artifact (%s) among its subjects", describeDigest(a.Digest))
		if len(unread) > 0 {
			msg += fmt.Sprintf("; %d attestation(s) could not be read: %s", len(unread), strings.Join(unread, "; "))
		}
		r.err = &reasonError{msg: msg, errs: []error{ErrNoAttestation}}
	case len(r.Attestations) == 1:
		ev := r.Attestations[0]
		r.err = &reasonError{msg: ev.Attestation + ": " + ev.Error, errs: []error{ev.err}}
	default:
		var parts []string
		for _, ev := range r.Attestations {
			parts = append(parts, ev.Attestation+": "+ev.Error)
		}
		r.err = &reasonError{msg: fmt.Sprintf("none of %d attestations passes: %s", len(r.Attestations), strings.Join(parts, "; ")), errs: []error{r.Attestations[0].err}}
	}
	if r.err != nil {
		r.Error = r.err.Error()
	}
	return r
}

func claims(subjects []digest.Set, d digest.Set) bool {
	for _, s := range subjects {
		if d.Matches(s) {
			return true
		}
	}
	return false
}

// evaluate checks one attestation against one artifact.
func (v *Verifier) evaluate(a Artifact, s *attState, pol Policy) Evaluation {
	ev := Evaluation{Attestation: s.att.Source}
	fail := func(err error) Evaluation {
		ev.err = err
		ev.Error = strings.TrimPrefix(err.Error(), s.att.Source+": ")
		ev.Verified = false
		return ev
	}
	res, st := s.res, s.st
	if s.message {
		var err error
		res, err = attestation.Verify(v.sig, s.att, sigstore.VerifyOptions{ArtifactDigest: a.Digest, Identity: pol.Identity})
		if err != nil {
			return fail(signatureError(err, s.att.Source))
		}
	} else if s.err != nil {
		return fail(s.err)
	}
	ev.describeSigner(res)
	if st != nil {
		ev.PredicateType = st.PredicateType
		ev.Statement = json.RawMessage(res.Payload)
	}

	cert := res.Signer.Certificate
	identityChecked := pol.Identity != nil
	if pol.Publisher != nil {
		if err := pol.Publisher.Check(cert); err != nil {
			return fail(err)
		}
		identityChecked = true
	}
	if cert != nil && !identityChecked && pol.Provenance.IsZero() {
		return fail(fmt.Errorf("nothing says whose signature to accept: give --source-uri, --builder-id, --cert-identity with --cert-oidc-issuer, or --publisher: %w", ErrNoPolicy))
	}

	if st == nil { // a message signature: the digest was its subject
		if !pol.Provenance.IsZero() {
			return fail(fmt.Errorf("a plain signature carries no SLSA provenance for --source-uri, --builder-id and the like to check: %w", ErrUnknownPredicate))
		}
		if !pol.VSA.IsZero() {
			return fail(fmt.Errorf("a plain signature is not a verification summary: %w", ErrUnknownPredicate))
		}
		ev.Verified = true
		return ev
	}
	if _, ok := st.MatchSubject(a.Digest); !ok {
		return fail(fmt.Errorf("the artifact (%s) is not among the statement's subjects: %w", describeDigest(a.Digest), ErrSubjectMismatch))
	}
	pep740 := s.att.Format == attestation.FormatPEP740Attestation || s.att.Format == attestation.FormatPEP740Provenance
	if pep740 || st.PredicateType == PredicatePyPIPublish {
		filename := "" // only a digest: CheckPEP740 asks for the file
		if a.Path != "" || a.Name != describeDigest(a.Digest) {
			filename = filepath.Base(a.Name)
		}
		if err := CheckPEP740(st, PEP740Options{Filename: filename, Digest: a.Digest}); err != nil {
			return fail(err)
		}
	}
	if st.PredicateType == PredicateVSA || !pol.VSA.IsZero() {
		if err := CheckVSA(st, pol.VSA); err != nil {
			return fail(err)
		}
	}
	switch st.PredicateType {
	case slsa.PredicateProvenanceV1, slsa.PredicateProvenanceV02:
		if s.provErr != nil {
			return fail(s.provErr)
		}
		p, err := checkProvenance(s.prov, ProvenanceOptions{Policy: pol.Provenance, Certificate: cert, IdentityChecked: identityChecked})
		if err != nil {
			return fail(err)
		}
		ev.BuildType, ev.BuilderID, ev.SourceURI, ev.SourceRef, ev.SourceCommit = p.BuildType, p.BuilderID, p.SourceURI, p.SourceRef, p.SourceCommit
		if cert != nil && cert.SourceRepositoryDigest != "" {
			ev.SourceCommit = cert.SourceRepositoryDigest // what Fulcio attests
		}
	default:
		if !pol.Provenance.IsZero() {
			return fail(fmt.Errorf("predicate type %q is not SLSA provenance, which --source-uri, --builder-id and the like need: %w", st.PredicateType, ErrUnknownPredicate))
		}
	}
	ev.Verified = true
	return ev
}

func (ev *Evaluation) describeSigner(res *sigstore.Result) {
	if c := res.Signer.Certificate; c != nil {
		ev.SignerIdentity, ev.SignerIssuer = c.SubjectAlternativeName, c.Issuer
		ev.Certificate = c
	}
	ev.KeyID = res.Signer.KeyID
	for _, t := range res.Timestamps {
		if ev.IntegratedTime == nil || t.Before(*ev.IntegratedTime) {
			t := t
			ev.IntegratedTime = &t
		}
	}
}

func (s *attState) result() AttestationResult {
	r := AttestationResult{Attestation: s.att.Source}
	switch {
	case s.message:
		r.Signature = "per-artifact"
	case s.err != nil && !s.sigOK:
		r.Signature, r.Error = "failed", s.err.Error()
	case s.err != nil:
		r.Signature, r.Error = "verified", s.err.Error()
	default:
		r.Signature = "verified"
	}
	if s.res != nil {
		if c := s.res.Signer.Certificate; c != nil {
			r.SignerIdentity, r.SignerIssuer = c.SubjectAlternativeName, c.Issuer
		}
		r.KeyID = s.res.Signer.KeyID
	}
	return r
}

// describeDigest returns "sha256:HEX" (or the first algorithm's) for
// messages.
func describeDigest(d digest.Set) string {
	if v, ok := d[digest.SHA256]; ok {
		return digest.SHA256 + ":" + v
	}
	for _, alg := range d.Algorithms() {
		return alg + ":" + d[alg]
	}
	return "no digest"
}

// reasonError is an error with its own message that still unwraps to the
// errors it stands for (and so to their sentinels).
type reasonError struct {
	msg  string
	errs []error
}

func (e *reasonError) Error() string   { return e.msg }
func (e *reasonError) Unwrap() []error { return e.errs }
