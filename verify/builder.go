package verify

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// GitHubActionsIssuer is the OIDC issuer of GitHub Actions workflows.
const GitHubActionsIssuer = attestation.IssuerGitHubActions

const (
	githubPrefix = "https://github.com/"
	// generatorWorkflows is where slsa-github-generator's own reusable
	// workflows live.
	generatorWorkflows = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
)

// slsa-github-generator's builders, as their certificate identities name them
// (without the @ref).
const (
	BuilderGenericGenerator   = generatorWorkflows + "generator_generic_slsa3.yml"
	BuilderContainerGenerator = generatorWorkflows + "generator_container_slsa3.yml"
	BuilderGo                 = generatorWorkflows + "builder_go_slsa3.yml"
	BuilderContainerBased     = generatorWorkflows + "builder_container-based_slsa3.yml"
	BuilderDelegator          = generatorWorkflows + "delegator_generic_slsa3.yml"
	BuilderDelegatorLowPerms  = generatorWorkflows + "delegator_lowperms-generic_slsa3.yml"
)

// defaultBuilders are trusted without --builder-id, when pinned at a
// release tag, with the buildTypes each one writes.
var defaultBuilders = map[string][]string{
	BuilderGenericGenerator:   {BuildTypeGenericGenerator},
	BuilderContainerGenerator: {BuildTypeContainerGenerator},
	BuilderGo:                 {BuildTypeGoBuilder, legacyGoBuildType, legacyBuilderBuildType},
	BuilderContainerBased:     {BuildTypeContainerBased},
	BuilderDelegator:          {BuildTypeDelegator},
	BuilderDelegatorLowPerms:  {BuildTypeDelegator},
}

// isDelegator reports whether a certificate builder is one of the BYOB
// delegators, which sign for the builder (TRW) named in the provenance.
func isDelegator(name string) bool {
	return name == BuilderDelegator || name == BuilderDelegatorLowPerms
}

// trustedBuilder is a builder identity established from a certificate.
type trustedBuilder struct {
	name, ref string
	// byob: the certificate is a delegator's; the real builder is the one
	// in the provenance, checked against --builder-id or the generator's
	// own workflows.
	byob bool
	// named: trusted because the user named it with --builder-id, not
	// because it is one of slsa-github-generator's own.
	named bool
}

func (b trustedBuilder) String() string { return joinBuilder(b.name, b.ref) }

// splitWorkflowIdentity splits a GitHub workflow certificate identity
// "https://github.com/o/r/.github/workflows/w.yml@refs/tags/v1" into the
// workflow and its ref.
func splitWorkflowIdentity(san string) (name, ref string, err error) {
	i := strings.LastIndex(san, "@")
	if i < 0 || i == len(san)-1 {
		return "", "", fmt.Errorf("certificate identity %q is not a GitHub workflow URI with @ref: %w", san, ErrUntrustedBuilder)
	}
	name, ref = san[:i], san[i+1:]
	u, perr := url.Parse(name)
	if perr != nil || u.Scheme != "https" || u.Host != "github.com" || u.RawQuery != "" || u.Fragment != "" ||
		u.User != nil || !strings.HasPrefix(name, githubPrefix) {
		return "", "", fmt.Errorf("certificate identity %q is not a https://github.com/ workflow URI: %w", san, ErrUntrustedBuilder)
	}
	return name, ref, nil
}

// trustCertificateBuilder applies slsa-verifier's builder trust to a
// GitHub Actions certificate: the OIDC issuer must be GitHub Actions; with
// no expected builder the signing workflow must be one of slsa-github-
// generator's own; with one, it must match (a delegator's certificate is
// accepted and the expected builder is matched against the provenance
// instead); and the workflow must be pinned at a vX.Y.Z release tag.
func trustCertificateBuilder(c *sigstore.Certificate, expected string) (trustedBuilder, error) {
	if c.Issuer != GitHubActionsIssuer {
		return trustedBuilder{}, fmt.Errorf("certificate issuer %q is not GitHub Actions (%s); SLSA builder policy applies only to GitHub workflows, use --cert-identity and --cert-oidc-issuer for other signers: %w", c.Issuer, GitHubActionsIssuer, ErrUntrustedIssuer)
	}
	san := c.BuildSignerURI
	if san == "" {
		san = c.SubjectAlternativeName
	} else if c.SubjectAlternativeName != "" && c.SubjectAlternativeName != san {
		return trustedBuilder{}, fmt.Errorf("certificate identity %q and build signer URI %q differ: %w", c.SubjectAlternativeName, san, ErrUntrustedBuilder)
	}
	name, ref, err := splitWorkflowIdentity(san)
	if err != nil {
		return trustedBuilder{}, err
	}
	b := trustedBuilder{name: name, ref: ref}
	switch {
	case expected == "":
		if _, ok := defaultBuilders[name]; !ok {
			return trustedBuilder{}, fmt.Errorf("builder %s is not one of slsa-github-generator's workflows; name it with --builder-id to trust it: %w", b, ErrUntrustedBuilder)
		}
		b.byob = isDelegator(name)
	case isDelegator(name):
		b.byob = true
	default:
		if err := builderMatchesLoose(name, ref, expected); err != nil {
			return trustedBuilder{}, fmt.Errorf("certificate signed by builder %s, not the expected %s: %w", b, expected, ErrUntrustedBuilder)
		}
		_, known := defaultBuilders[name]
		b.named = !known
	}
	if err := checkReleaseTag(ref); err != nil {
		return trustedBuilder{}, fmt.Errorf("builder %s: %w", name, err)
	}
	return b, nil
}

// certSourceRepository returns the certificate's source repository URI,
// from the Source Repository URI extension or, in certificates GitHub
// Actions obtained before Fulcio had it, the deprecated repository one.
func certSourceRepository(c *sigstore.Certificate) string {
	if c.SourceRepositoryURI != "" {
		return c.SourceRepositoryURI
	}
	if c.Issuer == GitHubActionsIssuer && c.GithubWorkflowRepository != "" {
		return githubPrefix + c.GithubWorkflowRepository
	}
	return ""
}

// checkCertificateSource compares the certificate's source repository with
// the expected source URI (any of github.com/o/r, https://github.com/o/r,
// git+https://github.com/o/r).
func checkCertificateSource(c *sigstore.Certificate, expected string) error {
	got := certSourceRepository(c)
	if got == "" {
		return fmt.Errorf("the certificate names no source repository (Fulcio extension 1.3.6.1.4.1.57264.1.12): %w", ErrSourceMismatch)
	}
	if normalizeGitURI(got) != normalizeGitURI(expected) {
		return fmt.Errorf("certificate source repository %s, want %s: %w", got, expected, ErrSourceMismatch)
	}
	return nil
}
