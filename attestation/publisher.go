package attestation

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/pypi"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// OIDC issuers of the PEP 740 Trusted Publisher kinds.
const (
	// IssuerGitHubActions is the OIDC issuer of GitHub Actions workflows.
	IssuerGitHubActions = "https://token.actions.githubusercontent.com"
	// IssuerGitLab is the OIDC issuer of GitLab CI/CD pipelines on gitlab.com.
	IssuerGitLab = "https://gitlab.com"
	// IssuerGoogle is the OIDC issuer of Google accounts.
	IssuerGoogle = "https://accounts.google.com"
)

// publisherKind is how a PEP 740 publisher kind appears in a signing
// certificate. For a CI kind (host set) the certificate's source repository
// URI is host+REPOSITORY and its build config URI is
// host+REPOSITORY+sep+WORKFLOW@REF; for an account kind (host empty) the
// certificate's SAN is the publisher's email.
type publisherKind struct {
	kind, issuer, host, sep string
	// field is the JSON name of the publisher member holding WORKFLOW, and
	// workflow points at that member.
	field    string
	workflow func(*pypi.Publisher) *string
}

// publisherKinds is the one table CheckPublisher and PublisherOf read.
var publisherKinds = []publisherKind{
	{kind: "GitHub", issuer: IssuerGitHubActions, host: "https://github.com/", sep: "/.github/workflows/",
		field: "workflow", workflow: func(p *pypi.Publisher) *string { return &p.Workflow }},
	{kind: "GitLab", issuer: IssuerGitLab, host: "https://gitlab.com/", sep: "//",
		field: "workflow_filepath", workflow: func(p *pypi.Publisher) *string { return &p.WorkflowFilepath }},
	{kind: "Google", issuer: IssuerGoogle},
}

// CheckPublisher checks that a verified signing certificate belongs to the
// PEP 740 publisher an index listed with an attestation, as PyPI's
// reference verifier (pypi-attestations) does:
//   - GitHub: OIDC issuer GitHub Actions, source repository
//     https://github.com/REPOSITORY, and build config URI
//     https://github.com/REPOSITORY/.github/workflows/WORKFLOW@REF where REF
//     is the certificate's source repository digest or ref;
//   - GitLab: issuer https://gitlab.com, source repository
//     https://gitlab.com/REPOSITORY, build config URI
//     https://gitlab.com/REPOSITORY//WORKFLOW_FILEPATH@REF likewise;
//   - Google: issuer https://accounts.google.com and SAN EMAIL.
//
// The environment is not checked (the certificate does not carry it). Any
// other kind, a missing certificate (a key-signed attestation) or a
// mismatch fails with ErrPublisher.
func CheckPublisher(p *pypi.Publisher, c *sigstore.Certificate) error {
	if p == nil {
		return fmt.Errorf("no publisher: %w", ErrPublisher)
	}
	if c == nil {
		return fmt.Errorf("publisher %s: the attestation is not signed with a certificate: %w", p.Kind, ErrPublisher)
	}
	want := func(field, got, want string) error {
		if got != want {
			return fmt.Errorf("publisher %s: certificate %s is %q, want %q: %w", p.Kind, field, got, want, ErrPublisher)
		}
		return nil
	}
	var k *publisherKind
	for i := range publisherKinds {
		if publisherKinds[i].kind == p.Kind {
			k = &publisherKinds[i]
			break
		}
	}
	switch {
	case k == nil:
		return fmt.Errorf("publisher kind %q is not supported: %w", p.Kind, ErrPublisher)
	case k.host == "":
		if p.Email == "" {
			return fmt.Errorf("publisher %s: email is required: %w", p.Kind, ErrPublisher)
		}
		if err := want("issuer", c.Issuer, k.issuer); err != nil {
			return err
		}
		return want("subject alternative name", c.SubjectAlternativeName, p.Email)
	}
	workflow := *k.workflow(p)
	if p.Repository == "" || workflow == "" {
		return fmt.Errorf("publisher %s: repository and %s are required: %w", p.Kind, k.field, ErrPublisher)
	}
	if err := want("issuer", c.Issuer, k.issuer); err != nil {
		return err
	}
	if err := want("source repository URI", c.SourceRepositoryURI, k.host+p.Repository); err != nil {
		return err
	}
	prefix := k.host + p.Repository + k.sep + workflow
	for _, ref := range []string{c.SourceRepositoryDigest, c.SourceRepositoryRef} {
		if ref != "" && c.BuildConfigURI == prefix+"@"+ref {
			return nil
		}
	}
	return fmt.Errorf("publisher %s: certificate build config URI %q is not %s at the certificate's source digest or ref: %w", p.Kind, c.BuildConfigURI, prefix, ErrPublisher)
}

// PublisherOf returns the PEP 740 publisher a verified signing certificate
// was issued to (GitHub or GitLab Trusted Publishing, or a Google account),
// read back from the certificate by the rules CheckPublisher applies; it is
// nil when c is nil, its issuer is none of those kinds', or its source
// repository and build config URIs do not have the shapes CheckPublisher
// accepts.
func PublisherOf(c *sigstore.Certificate) *pypi.Publisher {
	if c == nil {
		return nil
	}
	for _, k := range publisherKinds {
		if k.issuer != c.Issuer {
			continue
		}
		p := &pypi.Publisher{Kind: k.kind}
		if k.host == "" {
			p.Email = c.SubjectAlternativeName
		} else {
			repo, ok := strings.CutPrefix(c.SourceRepositoryURI, k.host)
			if !ok {
				return nil
			}
			workflow, ok := strings.CutPrefix(c.BuildConfigURI, c.SourceRepositoryURI+k.sep)
			if !ok {
				return nil
			}
			p.Repository = repo
			*k.workflow(p), _, _ = strings.Cut(workflow, "@")
		}
		if CheckPublisher(p, c) != nil {
			return nil
		}
		return p
	}
	return nil
}
