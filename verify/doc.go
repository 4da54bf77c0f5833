// Package verify decides whether artifacts are what their attestations say,
// offline: it matches artifacts to attestation subjects, checks the signer's
// identity and applies SLSA provenance policy with slsa-verifier's meaning
// (source repository, builder trust, tag, versioned tag, branch, workflow
// inputs, for SLSA v0.2 and v1, slsa-github-generator's builders and BYOB
// delegators, and GitHub's actions.github.io workflow buildType), PEP 740
// rules for Python distributions, and Trusted Publisher policy.
//
// The policy functions (CheckProvenance, CheckPEP740, CheckPublisher) take
// a statement whose signature has already been verified and a summary of the
// signer's certificate; Verifier runs the whole pipeline (signature layer,
// subjects, policy) for many artifacts and attestations concurrently.
//
// Everything fails closed: an unknown predicate or buildType, a missing
// field the policy needs, or a builder nobody named is a failure whose error
// wraps one of this package's sentinel errors and says what to change.
package verify
