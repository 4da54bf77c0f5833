package verify

// Certificate is what the policy reads from a verified Fulcio signing
// certificate: the OIDC issuer, the subject alternative name and the
// Fulcio extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md),
// with the field names sigstore-go's certificate summary uses. The values
// come from a certificate whose chain the signature layer has verified.
type Certificate struct {
	Issuer                 string // OIDC issuer (1.3.6.1.4.1.57264.1.8, or .1.1)
	SubjectAlternativeName string // the signer: for GitHub, the workflow URI @ref
	BuildSignerURI         string // 1.3.6.1.4.1.57264.1.9
	BuildSignerDigest      string // 1.3.6.1.4.1.57264.1.10
	RunnerEnvironment      string // 1.3.6.1.4.1.57264.1.11: github-hosted or self-hosted
	SourceRepositoryURI    string // 1.3.6.1.4.1.57264.1.12: https://github.com/o/r
	SourceRepositoryDigest string // 1.3.6.1.4.1.57264.1.13: commit
	SourceRepositoryRef    string // 1.3.6.1.4.1.57264.1.14: refs/tags/v1
	BuildConfigURI         string // 1.3.6.1.4.1.57264.1.18: the calling workflow
	BuildTrigger           string // 1.3.6.1.4.1.57264.1.20: push, workflow_dispatch...
	RunInvocationURI       string // 1.3.6.1.4.1.57264.1.21
}
