package verify

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/pypi"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// TrustedPublisher is a PyPI Trusted Publisher identity the signer must
// have: a GitHub repository (and optionally its workflow file) or a GitLab
// project (and optionally its CI configuration file).
type TrustedPublisher struct {
	// Kind is "github" or "gitlab".
	Kind string `json:"kind"`
	// Repository is OWNER/REPO on GitHub or NAMESPACE/.../PROJECT on GitLab.
	Repository string `json:"repository"`
	// Workflow is the workflow file name (release.yml) on GitHub, or the
	// CI configuration path (.gitlab-ci.yml) on GitLab; empty accepts any.
	Workflow string `json:"workflow,omitempty"`
}

// String returns the publisher in the form ParsePublisher reads.
func (p TrustedPublisher) String() string {
	s := p.Kind + ":" + p.Repository
	if p.Workflow != "" {
		s += "@" + p.Workflow
	}
	return s
}

// ParsePublisher reads "github:OWNER/REPO[@WORKFLOW]" or
// "gitlab:NAMESPACE/PROJECT[@FILE]". Errors wrap ErrInvalidPolicy.
func ParsePublisher(s string) (TrustedPublisher, error) {
	kind, rest, ok := strings.Cut(s, ":")
	if !ok {
		return TrustedPublisher{}, fmt.Errorf("publisher %q: want github:OWNER/REPO[@WORKFLOW] or gitlab:NAMESPACE/PROJECT[@FILE]: %w", s, ErrInvalidPolicy)
	}
	repo, workflow, hasWorkflow := strings.Cut(rest, "@")
	p := TrustedPublisher{Kind: strings.ToLower(kind), Repository: repo, Workflow: workflow}
	parts := strings.Split(repo, "/")
	for _, part := range parts {
		if part == "" || part == "." || part == ".." || strings.ContainsAny(part, " \t\n@:?#") {
			return TrustedPublisher{}, fmt.Errorf("publisher %q: repository %q is not a slash-separated path: %w", s, repo, ErrInvalidPolicy)
		}
	}
	if hasWorkflow && (workflow == "" || strings.ContainsAny(workflow, " \t\n@?#")) {
		return TrustedPublisher{}, fmt.Errorf("publisher %q: empty or malformed workflow after @: %w", s, ErrInvalidPolicy)
	}
	switch p.Kind {
	case "github":
		if len(parts) != 2 {
			return TrustedPublisher{}, fmt.Errorf("publisher %q: a GitHub repository is OWNER/REPO: %w", s, ErrInvalidPolicy)
		}
		if strings.Contains(workflow, "/") {
			return TrustedPublisher{}, fmt.Errorf("publisher %q: a GitHub workflow is a file name in .github/workflows, such as release.yml: %w", s, ErrInvalidPolicy)
		}
	case "gitlab":
		if len(parts) < 2 {
			return TrustedPublisher{}, fmt.Errorf("publisher %q: a GitLab project is NAMESPACE/PROJECT: %w", s, ErrInvalidPolicy)
		}
	default:
		return TrustedPublisher{}, fmt.Errorf("publisher %q: kind %q is neither github nor gitlab: %w", s, kind, ErrInvalidPolicy)
	}
	return p, nil
}

// Check reports whether a verified certificate was issued to this Trusted
// Publisher, as PyPI decides it: the OIDC issuer is the CI's, the source
// repository is the publisher's, and when a workflow is named, the build
// configuration the certificate names is that workflow at the certificate's
// own commit or ref (attestation.CheckPublisher, pypi-attestations' rule).
// Errors wrap ErrPublisherMismatch.
func (p TrustedPublisher) Check(c *sigstore.Certificate) error {
	if c == nil {
		return fmt.Errorf("publisher %s: the attestation is not signed with a certificate: %w", p, ErrPublisherMismatch)
	}
	var pp pypi.Publisher
	var issuer, host string
	switch p.Kind {
	case "github":
		pp = pypi.Publisher{Kind: "GitHub", Repository: p.Repository, Workflow: p.Workflow}
		issuer, host = GitHubActionsIssuer, "https://github.com/"
	case "gitlab":
		pp = pypi.Publisher{Kind: "GitLab", Repository: p.Repository, WorkflowFilepath: p.Workflow}
		issuer, host = attestation.IssuerGitLab, "https://gitlab.com/"
	default:
		return fmt.Errorf("publisher kind %q: %w", p.Kind, ErrInvalidPolicy)
	}
	if p.Workflow != "" {
		if err := attestation.CheckPublisher(&pp, c); err != nil {
			return fmt.Errorf("%w: %w", ErrPublisherMismatch, err)
		}
		return nil
	}
	// Any workflow of the repository: the issuer and repository rules alone.
	if c.Issuer != issuer {
		return fmt.Errorf("publisher %s: certificate issuer %q, want %q: %w", p, c.Issuer, issuer, ErrPublisherMismatch)
	}
	if got := certSourceRepository(c); got != host+p.Repository {
		return fmt.Errorf("publisher %s: certificate source repository %q, want %q: %w", p, got, host+p.Repository, ErrPublisherMismatch)
	}
	return nil
}
