package attestation

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/pypi"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// OIDC issuers of the PEP 740 Trusted Publisher kinds.
const (
	issuerGitHub = "https://token.actions.githubusercontent.com"
	issuerGitLab = "https://gitlab.com"
	issuerGoogle = "https://accounts.google.com"
)

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
	workflowMatches := func(prefix string) error {
		for _, ref := range []string{c.SourceRepositoryDigest, c.SourceRepositoryRef} {
			if ref != "" && c.BuildConfigURI == prefix+"@"+ref {
				return nil
			}
		}
		return fmt.Errorf("publisher %s: certificate build config URI %q is not %s at the certificate's source digest or ref: %w", p.Kind, c.BuildConfigURI, prefix, ErrPublisher)
	}
	switch p.Kind {
	case "GitHub":
		if p.Repository == "" || p.Workflow == "" {
			return fmt.Errorf("publisher GitHub: repository and workflow are required: %w", ErrPublisher)
		}
		if err := want("issuer", c.Issuer, issuerGitHub); err != nil {
			return err
		}
		if err := want("source repository URI", c.SourceRepositoryURI, "https://github.com/"+p.Repository); err != nil {
			return err
		}
		return workflowMatches("https://github.com/" + p.Repository + "/.github/workflows/" + p.Workflow)
	case "GitLab":
		if p.Repository == "" || p.WorkflowFilepath == "" {
			return fmt.Errorf("publisher GitLab: repository and workflow_filepath are required: %w", ErrPublisher)
		}
		if err := want("issuer", c.Issuer, issuerGitLab); err != nil {
			return err
		}
		if err := want("source repository URI", c.SourceRepositoryURI, "https://gitlab.com/"+p.Repository); err != nil {
			return err
		}
		return workflowMatches("https://gitlab.com/" + p.Repository + "//" + p.WorkflowFilepath)
	case "Google":
		if p.Email == "" {
			return fmt.Errorf("publisher Google: email is required: %w", ErrPublisher)
		}
		if err := want("issuer", c.Issuer, issuerGoogle); err != nil {
			return err
		}
		return want("subject alternative name", c.SubjectAlternativeName, p.Email)
	}
	return fmt.Errorf("publisher kind %q is not supported: %w", p.Kind, ErrPublisher)
}
