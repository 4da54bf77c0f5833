package verify

import "errors"

// Sentinel errors. Every failure this package returns wraps exactly one of
// them (plus, for signature failures, the signature layer's own error), so
// callers can tell the kinds apart with errors.Is.
var (
	// ErrInvalidPolicy: a policy value is malformed (a versioned tag that is
	// not semver, a source URI that is not a URI, a bad publisher).
	ErrInvalidPolicy = errors.New("invalid policy")
	// ErrNoPolicy: a certificate-signed attestation was given no identity
	// policy at all (no source URI, builder ID, certificate identity or
	// publisher), so nothing says whose signature to accept.
	ErrNoPolicy = errors.New("no identity policy")
	// ErrSignature: the attestation's signature, certificate chain,
	// transparency-log evidence or signer identity did not verify.
	ErrSignature = errors.New("signature verification failed")
	// ErrNoAttestation: no attestation names the artifact among its subjects.
	ErrNoAttestation = errors.New("no matching attestation")
	// ErrSubjectMismatch: the artifact's digest is not among the subjects.
	ErrSubjectMismatch = errors.New("artifact digest not among the subjects")
	// ErrMalformedProvenance: the statement or predicate is not the shape
	// its type promises, or lacks a field the policy needs.
	ErrMalformedProvenance = errors.New("malformed provenance")
	// ErrUnknownPredicate: the predicate type is not one the policy knows.
	ErrUnknownPredicate = errors.New("unknown predicate type")
	// ErrUnknownBuildType: the buildType is not one pedigree can read for
	// this builder.
	ErrUnknownBuildType = errors.New("unknown buildType")
	// ErrUntrustedIssuer: the certificate's OIDC issuer is not GitHub
	// Actions, the only issuer whose builders SLSA policy can trust.
	ErrUntrustedIssuer = errors.New("untrusted OIDC issuer")
	// ErrUntrustedBuilder: the builder is neither one of slsa-github-
	// generator's own workflows nor the one named with --builder-id.
	ErrUntrustedBuilder = errors.New("untrusted builder")
	// ErrBuilderMismatch: the provenance's builder ID differs from the one
	// expected.
	ErrBuilderMismatch = errors.New("builder ID mismatch")
	// ErrInvalidBuilderRef: a trusted builder was not pinned at a vX.Y.Z
	// release tag.
	ErrInvalidBuilderRef = errors.New("builder not pinned at a release tag")
	// ErrSourceMismatch: the source repository differs from the expected one.
	ErrSourceMismatch = errors.New("source repository mismatch")
	// ErrTagMismatch: the source tag differs from the expected one.
	ErrTagMismatch = errors.New("source tag mismatch")
	// ErrVersionedTagMismatch: the source tag is not a version with the
	// expected semver prefix.
	ErrVersionedTagMismatch = errors.New("source versioned tag mismatch")
	// ErrBranchMismatch: the source branch differs from the expected one.
	ErrBranchMismatch = errors.New("source branch mismatch")
	// ErrWorkflowInputsMismatch: a workflow input differs from the expected
	// value or the build was not started by workflow_dispatch.
	ErrWorkflowInputsMismatch = errors.New("workflow inputs mismatch")
	// ErrDistributionMismatch: a PEP 740 attestation does not describe
	// exactly the artifact's distribution file.
	ErrDistributionMismatch = errors.New("distribution mismatch")
	// ErrPublisherMismatch: the signer is not the expected Trusted Publisher.
	ErrPublisherMismatch = errors.New("trusted publisher mismatch")
)
