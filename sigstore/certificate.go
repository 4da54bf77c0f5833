package sigstore

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
)

// Certificate summarizes a verified signing certificate: its subject
// alternative name, the Fulcio OIDC extensions (names as in Fulcio's OID
// documentation) and its validity. Empty strings are extensions the
// certificate does not carry.
type Certificate struct {
	// CertificateIssuer is the issuing CA's distinguished name.
	CertificateIssuer string `json:"certificateIssuer"`
	// SubjectAlternativeName is the signer identity (an email, a workflow
	// URI, ...): what --certificate-identity matches.
	SubjectAlternativeName string `json:"subjectAlternativeName"`
	// Issuer is the OIDC issuer (OID 1.3.6.1.4.1.57264.1.8, or .1.1):
	// what --certificate-oidc-issuer matches.
	Issuer                              string `json:"issuer,omitempty"`
	BuildSignerURI                      string `json:"buildSignerURI,omitempty"`
	BuildSignerDigest                   string `json:"buildSignerDigest,omitempty"`
	RunnerEnvironment                   string `json:"runnerEnvironment,omitempty"`
	SourceRepositoryURI                 string `json:"sourceRepositoryURI,omitempty"`
	SourceRepositoryDigest              string `json:"sourceRepositoryDigest,omitempty"`
	SourceRepositoryRef                 string `json:"sourceRepositoryRef,omitempty"`
	SourceRepositoryIdentifier          string `json:"sourceRepositoryIdentifier,omitempty"`
	SourceRepositoryOwnerURI            string `json:"sourceRepositoryOwnerURI,omitempty"`
	SourceRepositoryOwnerIdentifier     string `json:"sourceRepositoryOwnerIdentifier,omitempty"`
	BuildConfigURI                      string `json:"buildConfigURI,omitempty"`
	BuildConfigDigest                   string `json:"buildConfigDigest,omitempty"`
	BuildTrigger                        string `json:"buildTrigger,omitempty"`
	RunInvocationURI                    string `json:"runInvocationURI,omitempty"`
	SourceRepositoryVisibilityAtSigning string `json:"sourceRepositoryVisibilityAtSigning,omitempty"`
	// The deprecated GitHub-specific extensions (OIDs .1.2 to .1.6), which
	// older certificates carry instead of the ones above.
	GithubWorkflowTrigger    string `json:"githubWorkflowTrigger,omitempty"`
	GithubWorkflowSHA        string `json:"githubWorkflowSHA,omitempty"`
	GithubWorkflowName       string `json:"githubWorkflowName,omitempty"`
	GithubWorkflowRepository string `json:"githubWorkflowRepository,omitempty"`
	GithubWorkflowRef        string `json:"githubWorkflowRef,omitempty"`
	// NotBefore and NotAfter bound the certificate's validity.
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
	// Raw is the DER certificate.
	Raw []byte `json:"-"`
}

// CertificateUnverified summarizes the bundle's signing certificate (the
// leaf of a chain) as the bundle carries it, WITHOUT verifying anything:
// not the chain to a trusted root, not the signature, not the transparency
// log. Anyone can put any certificate into a bundle, so use it to display
// or route a bundle, never to decide anything; Verifier.VerifyBundle
// returns the verified certificate (Result.Signer.Certificate).
//
// It returns nil and no error for a key-signed bundle, and an error
// wrapping ErrBundle when the certificate's Fulcio extensions do not parse.
func (b *Bundle) CertificateUnverified() (*Certificate, error) {
	if !b.HasCertificate() {
		return nil, nil
	}
	leaf, err := leafCertificate(b.b)
	if err != nil {
		return nil, err
	}
	s, err := certificate.SummarizeCertificate(leaf)
	if err != nil {
		return nil, fmt.Errorf("%w: certificate: %v", ErrBundle, err)
	}
	return newCertificate(&s, leaf), nil
}

func newCertificate(s *certificate.Summary, leaf *x509.Certificate) *Certificate {
	e := s.Extensions
	return &Certificate{
		CertificateIssuer:                   s.CertificateIssuer,
		SubjectAlternativeName:              s.SubjectAlternativeName,
		Issuer:                              e.Issuer,
		BuildSignerURI:                      e.BuildSignerURI,
		BuildSignerDigest:                   e.BuildSignerDigest,
		RunnerEnvironment:                   e.RunnerEnvironment,
		SourceRepositoryURI:                 e.SourceRepositoryURI,
		SourceRepositoryDigest:              e.SourceRepositoryDigest,
		SourceRepositoryRef:                 e.SourceRepositoryRef,
		SourceRepositoryIdentifier:          e.SourceRepositoryIdentifier,
		SourceRepositoryOwnerURI:            e.SourceRepositoryOwnerURI,
		SourceRepositoryOwnerIdentifier:     e.SourceRepositoryOwnerIdentifier,
		BuildConfigURI:                      e.BuildConfigURI,
		BuildConfigDigest:                   e.BuildConfigDigest,
		BuildTrigger:                        e.BuildTrigger,
		RunInvocationURI:                    e.RunInvocationURI,
		SourceRepositoryVisibilityAtSigning: e.SourceRepositoryVisibilityAtSigning,
		GithubWorkflowTrigger:               e.GithubWorkflowTrigger,
		GithubWorkflowSHA:                   e.GithubWorkflowSHA,
		GithubWorkflowName:                  e.GithubWorkflowName,
		GithubWorkflowRepository:            e.GithubWorkflowRepository,
		GithubWorkflowRef:                   e.GithubWorkflowRef,
		NotBefore:                           leaf.NotBefore.UTC(),
		NotAfter:                            leaf.NotAfter.UTC(),
		Raw:                                 append([]byte(nil), leaf.Raw...),
	}
}
