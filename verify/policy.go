package verify

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

// ProvenancePolicy is what SLSA provenance must show, each field with the
// meaning slsa-verifier's verify-artifact flag of the same name gives it. A
// zero field is not checked.
type ProvenancePolicy struct {
	// SourceURI is the repository the artifact must be built from:
	// github.com/o/r, https://github.com/o/r or git+https://github.com/o/r.
	SourceURI string
	// BuilderID names the builder to trust, NAME or NAME@REF (a REF vX.Y.Z
	// also matches refs/tags/vX.Y.Z). Required for any builder other than
	// slsa-github-generator's own workflows.
	BuilderID string
	// SourceTag is the exact tag (v1.2.3) the build must have run on.
	SourceTag string
	// SourceVersionedTag is a semver prefix (v1, v1.2, v1.2.3) the build's
	// tag must match.
	SourceVersionedTag string
	// SourceBranch is the branch (main) the build must have run on.
	SourceBranch string
	// WorkflowInputs are workflow_dispatch inputs the build must have had.
	WorkflowInputs map[string]string
}

// IsZero reports whether the policy asks for nothing.
func (p ProvenancePolicy) IsZero() bool {
	return p.SourceURI == "" && p.BuilderID == "" && p.SourceTag == "" &&
		p.SourceVersionedTag == "" && p.SourceBranch == "" && len(p.WorkflowInputs) == 0
}

// Validate checks the policy's own values; errors wrap ErrInvalidPolicy.
func (p ProvenancePolicy) Validate() error {
	if p.SourceTag != "" && p.SourceVersionedTag != "" {
		return fmt.Errorf("source tag and source versioned tag are mutually exclusive: %w", ErrInvalidPolicy)
	}
	if p.SourceVersionedTag != "" {
		if err := CheckVersionedTagPolicy(p.SourceVersionedTag); err != nil {
			return err
		}
	}
	if p.BuilderID != "" {
		if _, _, err := parseBuilderID(p.BuilderID, false); err != nil {
			return fmt.Errorf("%v: %w", err, ErrInvalidPolicy)
		}
	}
	if p.SourceURI != "" {
		repo, ref, _ := strings.Cut(strings.TrimPrefix(normalizeGitURI(p.SourceURI), "git+"), "@")
		if ref != "" || !strings.Contains(repo, "://") || strings.ContainsAny(repo, " \t\n") {
			return fmt.Errorf("source URI %q is not a repository such as github.com/OWNER/REPO: %w", p.SourceURI, ErrInvalidPolicy)
		}
	}
	if _, ok := p.WorkflowInputs[""]; ok {
		return fmt.Errorf("workflow input with an empty name: %w", ErrInvalidPolicy)
	}
	return nil
}

// ProvenanceOptions are the inputs of CheckProvenance besides the statement.
type ProvenanceOptions struct {
	Policy ProvenancePolicy
	// Certificate summarises the verified signing certificate; nil when a
	// public key the user named signed the statement.
	Certificate *sigstore.Certificate
	// IdentityChecked says the signature layer already matched the
	// certificate against an identity policy the user gave (certificate
	// identity and issuer, or a Trusted Publisher). That identity then
	// stands in for slsa-github-generator's builder trust rules; without
	// it, a certificate-signed statement must come from a builder those
	// rules trust.
	IdentityChecked bool
}

// Provenance is what CheckProvenance established about a build.
type Provenance struct {
	PredicateType string `json:"predicateType"`
	BuildType     string `json:"buildType"`
	// BuilderID is the builder that produced the provenance: the
	// certificate's workflow@ref, or for a BYOB delegator, the builder
	// named in the provenance (which the delegator vouches for).
	BuilderID string `json:"builderId"`
	// SourceURI is the source repository (git+https://github.com/o/r) and
	// SourceRef its ref (refs/tags/v1), from the provenance.
	SourceURI string `json:"sourceUri,omitempty"`
	SourceRef string `json:"sourceRef,omitempty"`
	// SourceCommit is the source's git commit, from the first material or
	// resolved dependency (gitCommit or sha1).
	SourceCommit string `json:"sourceCommit,omitempty"`
}

// CheckProvenance applies o.Policy to a SLSA v0.2 or v1 statement whose
// signature was verified, with slsa-verifier's semantics: the builder must
// be trusted (one of slsa-github-generator's own workflows pinned at a
// release tag, or the one named with BuilderID; a BYOB delegator vouches
// for the builder named in the provenance), the source repository must
// match the certificate and the provenance's trigger and materials, and
// tag, versioned tag, branch and workflow inputs must match when asked for.
// It does not look at subjects. Errors wrap ErrInvalidPolicy, ErrNoPolicy,
// ErrUnknownPredicate, ErrUnknownBuildType, ErrMalformedProvenance,
// ErrUntrustedIssuer, ErrUntrustedBuilder, ErrInvalidBuilderRef,
// ErrBuilderMismatch, ErrSourceMismatch, ErrTagMismatch,
// ErrVersionedTagMismatch, ErrBranchMismatch or ErrWorkflowInputsMismatch.
func CheckProvenance(st *slsa.Statement, o ProvenanceOptions) (*Provenance, error) {
	pol := o.Policy
	if err := pol.Validate(); err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("no statement: %w", ErrMalformedProvenance)
	}
	prov, err := decodeProvenance(st)
	if err != nil {
		return nil, err
	}
	return checkProvenance(prov, o)
}

// checkProvenance is CheckProvenance on a decoded predicate, whose policy
// was validated.
func checkProvenance(prov *provenance, o ProvenanceOptions) (*Provenance, error) {
	pol := o.Policy
	var err error
	out := &Provenance{PredicateType: prov.predicateType, BuildType: prov.buildType, BuilderID: prov.builderID}

	if o.Certificate != nil && !o.IdentityChecked {
		if pol.SourceURI == "" && pol.BuilderID == "" {
			return nil, fmt.Errorf("nothing says whose signature to accept: give --source-uri, --builder-id, --cert-identity or --publisher: %w", ErrNoPolicy)
		}
		if out.BuilderID, err = checkBuilderTrust(prov, o.Certificate, pol); err != nil {
			return nil, err
		}
		if pol.SourceURI != "" {
			if err := checkCertificateSource(o.Certificate, pol.SourceURI); err != nil {
				return nil, err
			}
			if !strings.HasPrefix(normalizeGitURI(pol.SourceURI), "git+https://github.com/") {
				return nil, fmt.Errorf("source URI %q: GitHub Actions builders build github.com repositories: %w", pol.SourceURI, ErrSourceMismatch)
			}
		}
	} else {
		// The signer is trusted directly (a key, or an identity the user
		// named): the provenance's own builder ID is checked if asked for.
		if pol.BuilderID != "" {
			name, ref, err := parseBuilderID(prov.builderID, false)
			if err != nil {
				return nil, fmt.Errorf("builder id: %v: %w", err, ErrMalformedProvenance)
			}
			if err := builderMatchesLoose(name, ref, pol.BuilderID); err != nil {
				return nil, err
			}
		}
		if c := o.Certificate; c != nil && pol.SourceURI != "" && certSourceRepository(c) != "" {
			if err := checkCertificateSource(c, pol.SourceURI); err != nil {
				return nil, err
			}
		}
	}

	if pol.SourceURI != "" {
		if err := checkSource(prov, pol.SourceURI); err != nil {
			return nil, err
		}
	}
	if pol.SourceBranch != "" {
		if err := checkBranch(prov, pol.SourceBranch); err != nil {
			return nil, err
		}
	}
	if pol.SourceTag != "" || pol.SourceVersionedTag != "" {
		if err := checkTag(prov, pol.SourceTag, pol.SourceVersionedTag); err != nil {
			return nil, err
		}
	}
	if len(pol.WorkflowInputs) > 0 {
		if err := checkWorkflowInputs(prov, pol.WorkflowInputs); err != nil {
			return nil, err
		}
	}
	out.SourceCommit = prov.sourceCommit()
	if uri, err := prov.sourceURI(); err == nil {
		if repo, ref, err := splitGitURI(uri); err == nil {
			out.SourceURI, out.SourceRef = repo, ref
		} else {
			out.SourceURI = uri
		}
	}
	return out, nil
}

// checkBuilderTrust applies slsa-github-generator's builder trust rules to a
// certificate-signed provenance and returns the verified builder ID.
func checkBuilderTrust(prov *provenance, c *sigstore.Certificate, pol ProvenancePolicy) (string, error) {
	tb, err := trustCertificateBuilder(c, pol.BuilderID)
	if err != nil {
		return "", err
	}
	st, known := classify(prov.predicateType, prov.buildType)
	if allowed, ok := defaultBuilders[tb.name]; ok {
		if !known || !slices.Contains(allowed, prov.buildType) {
			return "", fmt.Errorf("buildType %q (%s) is not one builder %s writes: %w", prov.buildType, prov.predicateType, tb.name, ErrUnknownBuildType)
		}
	} else if st != styleGitHub {
		return "", fmt.Errorf("buildType %q (%s) of builder %s: pedigree reads GitHub's workflow buildType for builders named with --builder-id: %w", prov.buildType, prov.predicateType, tb.name, ErrUnknownBuildType)
	}

	name, ref, err := parseBuilderID(prov.builderID, false)
	if err != nil {
		return "", fmt.Errorf("builder id: %v: %w", err, ErrMalformedProvenance)
	}
	if !tb.byob {
		// The provenance must name the builder that signed it.
		if err := builderMatchesFull(name, ref, tb.String()); err != nil {
			return "", err
		}
		return tb.String(), nil
	}
	// A delegator signed: the builder it ran (the TRW) is in the provenance
	// and must be pinned at a release tag and trusted.
	if ref == "" {
		return "", fmt.Errorf("delegated builder %q has no @ref: %w", prov.builderID, ErrInvalidBuilderRef)
	}
	if strings.HasPrefix(name, jreleaserRepository) {
		if err := checkJReleaserTag(ref); err != nil {
			return "", err
		}
	} else if err := checkReleaseTag(ref); err != nil {
		return "", fmt.Errorf("delegated builder %s: %w", name, err)
	}
	want := pol.BuilderID
	if want == "" {
		if !strings.HasPrefix(name, generatorWorkflows) {
			return "", fmt.Errorf("builder %s was run by slsa-github-generator's delegator but is not one of slsa-github-generator's workflows; name it with --builder-id to trust it: %w", prov.builderID, ErrUntrustedBuilder)
		}
		want = name
	}
	if err := builderMatchesLoose(name, ref, want); err != nil {
		return "", err
	}
	return prov.builderID, nil
}

// jreleaserRepository's BYOB builder is pinned at vX.Y.Z-<language> tags.
const jreleaserRepository = "https://github.com/jreleaser/release-action"

func checkJReleaserTag(ref string) error {
	tag, err := refName(ref, "tags")
	if err != nil {
		return fmt.Errorf("builder ref: %v: %w", err, ErrInvalidBuilderRef)
	}
	if !semver.IsValid(tag) || strings.Count(tag, ".") != 2 || semver.Prerelease(tag) != "-java" || semver.Build(tag) != "" {
		return fmt.Errorf("builder ref %q is not of the form refs/tags/vX.Y.Z-java: %w", ref, ErrInvalidBuilderRef)
	}
	return nil
}

// checkSource requires the provenance's trigger and its first material or
// resolved dependency to be the expected repository, both with a ref, and
// to agree with each other (BYOB builds may build another commit of the
// same repository, so their source may carry no ref).
func checkSource(prov *provenance, expected string) error {
	want := normalizeGitURI(expected)
	if prov.style == stylePedigree {
		// The source parameter names it; resolvedDependencies[0] is its
		// dependency only when that parameter is there.
		src, err := prov.pedigreeSource()
		if err != nil {
			return err
		}
		if err := src.needRepository(); err != nil {
			return fmt.Errorf("want source %s, but %w", want, err)
		}
		if got := normalizeGitURI(src.repo); got != want {
			return fmt.Errorf("the build's source is %s, want %s: %w", src.uri(), want, ErrSourceMismatch)
		}
		return nil
	}
	if prov.style == styleGeneric {
		// No separate trigger is recorded: the source is all there is.
		source, err := prov.sourceURI()
		if err != nil {
			return err
		}
		repo, _, err := splitGitURI(source)
		if err != nil {
			return err
		}
		if repo != want {
			return fmt.Errorf("the build's source is %s, want %s: %w", source, want, ErrSourceMismatch)
		}
		return nil
	}
	trigger, err := prov.triggerURI()
	if err != nil {
		return err
	}
	triggerRepo, triggerRef, err := splitGitURI(trigger)
	if err != nil {
		return err
	}
	if triggerRepo != want {
		return fmt.Errorf("the build was triggered from %s, want %s: %w", trigger, want, ErrSourceMismatch)
	}
	if triggerRef == "" {
		return fmt.Errorf("trigger %q has no ref: %w", trigger, ErrMalformedProvenance)
	}
	source, err := prov.sourceURI()
	if err != nil {
		return err
	}
	sourceRepo, sourceRef, err := splitGitURI(source)
	if err != nil {
		return err
	}
	if sourceRepo != want {
		return fmt.Errorf("the build's source is %s, want %s: %w", source, want, ErrSourceMismatch)
	}
	if sourceRef == "" {
		if prov.buildType == BuildTypeDelegator {
			return nil
		}
		return fmt.Errorf("source %q has no ref: %w", source, ErrMalformedProvenance)
	}
	if trigger != source {
		return fmt.Errorf("the build was triggered from %s but built %s: %w", trigger, source, ErrMalformedProvenance)
	}
	return nil
}

func checkBranch(prov *provenance, want string) error {
	ref, err := prov.branchRef()
	if err != nil {
		return err
	}
	if ref == "" {
		if why := prov.noRefReason(); why != "" {
			return fmt.Errorf("want branch %s, but %s: %w", want, why, ErrBranchMismatch)
		}
		tag, _ := prov.tagRef()
		if tag != "" {
			return fmt.Errorf("want branch %s, but the build ran on tag %s and the provenance records no branch for it: %w", want, tag, ErrBranchMismatch)
		}
		return fmt.Errorf("want branch %s, but the provenance records no branch: %w", want, ErrBranchMismatch)
	}
	branch, err := refName(ref, "heads")
	if err != nil {
		return fmt.Errorf("want branch %s: %v: %w", want, err, ErrBranchMismatch)
	}
	if branch != want {
		return fmt.Errorf("the build ran on branch %s, want %s: %w", branch, want, ErrBranchMismatch)
	}
	return nil
}

func checkTag(prov *provenance, exact, versioned string) error {
	sentinel := ErrTagMismatch
	want := exact
	if versioned != "" {
		sentinel, want = ErrVersionedTagMismatch, versioned
	}
	ref, err := prov.tagRef()
	if err != nil {
		return err
	}
	if ref == "" {
		if why := prov.noRefReason(); why != "" {
			return fmt.Errorf("want tag %s, but %s: %w", want, why, sentinel)
		}
		branch, _ := prov.branchRef()
		if branch != "" {
			return fmt.Errorf("want tag %s, but the build ran on %s, a branch, not a tag: %w", want, branch, sentinel)
		}
		return fmt.Errorf("want tag %s, but the build did not run on a tag: %w", want, sentinel)
	}
	tag, err := refName(ref, "tags")
	if err != nil {
		return fmt.Errorf("want tag %s: %v: %w", want, err, sentinel)
	}
	if versioned != "" {
		return matchVersionedTag(tag, versioned)
	}
	if tag != exact {
		return fmt.Errorf("the build ran on tag %s, want %s: %w", tag, exact, ErrTagMismatch)
	}
	return nil
}

func checkWorkflowInputs(prov *provenance, want map[string]string) error {
	got, err := prov.workflowInputs()
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		v, ok := got[k]
		if !ok {
			return fmt.Errorf("workflow input %s: not recorded, want %q: %w", k, want[k], ErrWorkflowInputsMismatch)
		}
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("workflow input %s: recorded as %T, not a string: %w", k, v, ErrWorkflowInputsMismatch)
		}
		if s != want[k] {
			return fmt.Errorf("workflow input %s=%q, want %q: %w", k, s, want[k], ErrWorkflowInputsMismatch)
		}
	}
	return nil
}
