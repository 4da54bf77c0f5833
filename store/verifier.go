package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/verify"
)

// PolicyVerifier is the Verifier of pedigree serve: it verifies a submitted
// attestation with package verify, exactly as pedigree verify would verify
// the artifacts the attestation names, against a verify.Verifier's trust
// material (trusted root, public keys) and a verify.Policy (identity,
// publisher, SLSA provenance policy). It is safe for concurrent use.
type PolicyVerifier struct {
	v   *verify.Verifier
	pol verify.Policy
}

// NewPolicyVerifier returns a PolicyVerifier. It fails with an error
// wrapping verify.ErrInvalidPolicy when pol is invalid.
func NewPolicyVerifier(v *verify.Verifier, pol verify.Policy) (*PolicyVerifier, error) {
	if err := pol.Validate(); err != nil {
		return nil, err
	}
	return &PolicyVerifier{v: v, pol: pol}, nil
}

// source names the attestation in the verify package's messages; it is
// cut from the reasons the store reports.
const source = "attestation"

// Verify verifies one attestation given as its bytes (one JSON value: a
// DSSE envelope, a Sigstore bundle, a PEP 740 attestation object, a GitHub
// attestation, or a PEP 740 provenance object holding one attestation).
// Every subject with a digest verify can match (sha256, sha384, sha512 and
// the like) is checked as an artifact of that digest and name, and all
// must pass: the signature, the subject, the identity or publisher policy,
// SLSA provenance policy, and PEP 740's rules for Python distributions. It
// returns what was verified, or an error wrapping ErrMalformed (the bytes
// are not one attestation), ctx's error, or verify's reason for refusing
// it (wrapping verify's sentinel errors; the Store adds ErrRejected).
func (p *PolicyVerifier) Verify(ctx context.Context, raw []byte) (*Verified, error) {
	items, err := attestation.Parse(raw, source)
	if err != nil {
		return nil, &reasonError{msg: strings.TrimPrefix(err.Error(), source+": "), errs: []error{ErrMalformed, err}}
	}
	if len(items) != 1 {
		return nil, fmt.Errorf("%s holds %d attestations; submit them one per line (JSON Lines): %w", describeFormat(items[0].Format), len(items), ErrMalformed)
	}
	it := items[0]
	arts, err := claimedArtifacts(it)
	if err != nil {
		return nil, err
	}
	rep, err := p.v.Verify(ctx, verify.Options{Artifacts: arts, Attestations: items, Policy: p.pol})
	if err != nil {
		return nil, err
	}
	// The reason of the first subject that failed, named when the others
	// did not all fail the same way (a bad signature fails them all).
	var failed *verify.ArtifactResult
	same := true
	for i := range rep.Artifacts {
		a := &rep.Artifacts[i]
		switch {
		case a.Verified:
			same = false
		case failed == nil:
			failed = a
		case a.Error != failed.Error:
			same = false
		}
	}
	if failed != nil {
		msg := strings.TrimPrefix(oneLine(failed.Error), source+": ")
		if !same {
			msg = fmt.Sprintf("subject %s: %s", failed.Artifact, msg)
		}
		return nil, &reasonError{msg: msg, errs: []error{failed.Err()}}
	}
	var ev *verify.Evaluation
	for i := range rep.Artifacts[0].Attestations {
		if e := &rep.Artifacts[0].Attestations[i]; e.Verified {
			ev = e
			break
		}
	}
	if ev == nil { // verify reported the artifact verified without a passing evaluation
		return nil, errors.New("no passing evaluation")
	}
	out := &Verified{
		Format:         string(it.Format),
		PredicateType:  ev.PredicateType,
		BuilderID:      ev.BuilderID,
		SourceURI:      ev.SourceURI,
		SourceRef:      ev.SourceRef,
		SignerIdentity: ev.SignerIdentity,
		SignerIssuer:   ev.SignerIssuer,
		KeyID:          ev.KeyID,
		SignedAt:       ev.IntegratedTime,
	}
	if pub := attestation.PublisherOf(ev.Certificate); pub != nil {
		if out.Publisher, err = json.Marshal(pub); err != nil {
			return nil, err
		}
	}
	if ev.Statement != nil {
		// The verified statement's subjects (verify checked the payload's
		// signature, so these are the bytes claimedArtifacts read).
		subjects, err := statementSubjects(ev.Statement)
		if err != nil {
			return nil, fmt.Errorf("verified statement: %v", err)
		}
		out.Subjects = subjects
	} else {
		out.Subjects = []Subject{{Digest: rep.Artifacts[0].Digest}}
	}
	return out, nil
}

// claimedArtifacts returns the artifacts an attestation claims to describe:
// its (not yet verified) statement's subjects, or a message signature's
// digest. Subjects whose digests verify cannot match are left out; none
// left is a rejection.
func claimedArtifacts(it attestation.Item) ([]verify.Artifact, error) {
	var payload []byte
	switch {
	case it.Envelope != nil:
		payload = it.Envelope.Payload
	case it.Bundle != nil && it.Bundle.IsDSSE():
		if env := it.Bundle.UnverifiedEnvelope(); env != nil {
			payload = env.Payload
		}
	case it.Bundle != nil:
		d := it.Bundle.UnverifiedMessageDigest()
		if err := d.Validate(); err != nil || len(d) == 0 {
			return nil, errors.New("message signature: no usable digest")
		}
		return []verify.Artifact{{Digest: d}}, nil
	case it.Statement != nil:
		return nil, fmt.Errorf("an in-toto statement without a signature: %w", attestation.ErrUnsigned)
	}
	if payload == nil {
		return nil, fmt.Errorf("no payload: %w", ErrMalformed)
	}
	subjects, err := statementSubjects(payload)
	if err != nil {
		return nil, fmt.Errorf("payload: %v", err)
	}
	var arts []verify.Artifact
	seen := map[string]bool{}
	for _, s := range subjects {
		if s.Digest.Validate() != nil || !hasVerifiableDigest(s.Digest) {
			continue
		}
		key := s.Name + "\x00" + fmt.Sprint(s.Digest)
		if seen[key] {
			continue
		}
		seen[key] = true
		arts = append(arts, verify.Artifact{Name: s.Name, Digest: s.Digest})
	}
	if len(arts) == 0 {
		return nil, errors.New("no subject has a sha256, sha384 or sha512 digest to verify")
	}
	return arts, nil
}

// hasVerifiableDigest reports whether d has an algorithm artifacts are
// hashed with.
func hasVerifiableDigest(d digest.Set) bool {
	for _, alg := range digest.ArtifactAlgorithms() {
		if _, ok := d[alg]; ok {
			return true
		}
	}
	return false
}

// statementSubjects reads the subjects of an in-toto statement, in order.
func statementSubjects(payload []byte) ([]Subject, error) {
	var st struct {
		Subject []struct {
			Name   string            `json:"name"`
			Digest map[string]string `json:"digest"`
		} `json:"subject"`
	}
	if err := json.Unmarshal(payload, &st); err != nil {
		return nil, fmt.Errorf("not an in-toto statement: %v", err)
	}
	if len(st.Subject) == 0 {
		return nil, errors.New("the statement has no subject")
	}
	out := make([]Subject, len(st.Subject))
	for i, s := range st.Subject {
		out[i] = Subject{Name: s.Name, Digest: digest.Set(s.Digest)}
		if out[i].Digest == nil {
			out[i].Digest = digest.Set{}
		}
	}
	return out, nil
}

func describeFormat(f attestation.Format) string {
	switch f {
	case attestation.FormatPEP740Provenance:
		return "a PEP 740 provenance object"
	case attestation.FormatGitHub:
		return "a GitHub attestations list"
	}
	return "the value"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// reasonError has its own message and unwraps to the errors it stands for.
type reasonError struct {
	msg  string
	errs []error
}

func (e *reasonError) Error() string   { return e.msg }
func (e *reasonError) Unwrap() []error { return e.errs }
