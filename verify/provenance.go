package verify

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/slsa"
)

// Build types pedigree knows how to read, as their provenance spells them.
const (
	// BuildTypeGenericGenerator is slsa-github-generator's generic
	// generator (SLSA v0.2).
	BuildTypeGenericGenerator = "https://github.com/slsa-framework/slsa-github-generator/generic@v1"
	// BuildTypeGoBuilder is slsa-github-generator's Go builder (v0.2).
	BuildTypeGoBuilder = "https://github.com/slsa-framework/slsa-github-generator/go@v1"
	// BuildTypeContainerGenerator is slsa-github-generator's container
	// generator (v0.2).
	BuildTypeContainerGenerator = "https://github.com/slsa-framework/slsa-github-generator/container@v1"
	// BuildTypeDelegator is the BYOB delegator's buildType (v0.2 and v1).
	BuildTypeDelegator = "https://github.com/slsa-framework/slsa-github-generator/delegator-generic@v0"
	// BuildTypeContainerBased is slsa-github-generator's container-based
	// builder (v1).
	BuildTypeContainerBased = "https://slsa.dev/container-based-build/v0.1?draft"
	// BuildTypeGitHubWorkflow is GitHub's own workflow buildType, written by
	// actions/attest-build-provenance (v1).
	BuildTypeGitHubWorkflow = "https://actions.github.io/buildtypes/workflow/v1"
	// BuildTypeGitHubWorkflowAlt is the same buildType under the URI its
	// specification names.
	BuildTypeGitHubWorkflowAlt = "https://github.com/actions/buildtypes/workflow/v1"
	// BuildTypeSLSAGitHubWorkflow is the SLSA community's GitHub Actions
	// workflow buildType (used by npm), which also records workflow inputs.
	BuildTypeSLSAGitHubWorkflow = "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1"

	legacyGoBuildType      = "https://github.com/slsa-framework/slsa-github-generator-go@v1"
	legacyBuilderBuildType = "https://github.com/slsa-framework/slsa-github-generator@v1"
)

// style says how a provenance document records its source, trigger and
// refs; it follows from the predicate type and buildType.
type style int

const (
	// styleGeneric: an unknown buildType. Only the first material (v0.2)
	// or resolved dependency (v1) and its ref can be read; used only when
	// the signer is trusted without slsa-github-generator's rules.
	styleGeneric style = iota
	// styleLegacy: slsa-github-generator v0.2 (generic, Go, container):
	// trigger in invocation.configSource, GitHub context in lower-case
	// invocation.environment.
	styleLegacy
	// styleBYOB: the BYOB delegator (v0.2 or v1): ref from the source URI,
	// GitHub context upper-case (GITHUB_REF...).
	styleBYOB
	// styleContainerBased: v1 with the GitHub context upper-case in
	// internalParameters and the trigger in GITHUB_WORKFLOW_REF.
	styleContainerBased
	// styleGitHub: GitHub's workflow buildType: trigger in
	// externalParameters.workflow.
	styleGitHub
)

// classify returns the style of a predicate type and buildType, and
// whether the pair is one pedigree knows.
func classify(predicateType, buildType string) (style, bool) {
	switch predicateType {
	case slsa.PredicateProvenanceV02:
		switch buildType {
		case BuildTypeGenericGenerator, BuildTypeGoBuilder, BuildTypeContainerGenerator,
			legacyGoBuildType, legacyBuilderBuildType:
			return styleLegacy, true
		case BuildTypeDelegator:
			return styleBYOB, true
		}
	case slsa.PredicateProvenanceV1:
		switch buildType {
		case BuildTypeDelegator:
			return styleBYOB, true
		case BuildTypeContainerBased:
			return styleContainerBased, true
		case BuildTypeGitHubWorkflow, BuildTypeGitHubWorkflowAlt, BuildTypeSLSAGitHubWorkflow:
			return styleGitHub, true
		}
	}
	return styleGeneric, false
}

// provenance is a decoded SLSA v0.2 or v1 predicate with the accessors the
// policy needs, whatever the version.
type provenance struct {
	predicateType string
	buildType     string
	builderID     string
	style         style
	v02           *slsa.ProvenanceV02
	v1            *slsa.ProvenanceV1
	// env is the GitHub context: v0.2 invocation.environment, or v1
	// internalParameters; upper says whether its keys are GITHUB_REF (true)
	// or github_ref (false).
	env   map[string]any
	upper bool
}

// decodeProvenance decodes the predicate of st, which must be SLSA
// provenance v0.2 or v1.
func decodeProvenance(st *slsa.Statement) (*provenance, error) {
	p := &provenance{predicateType: st.PredicateType}
	if st.PredicateType != slsa.PredicateProvenanceV02 && st.PredicateType != slsa.PredicateProvenanceV1 {
		return nil, fmt.Errorf("predicate type %q is not SLSA provenance v0.2 or v1: %w", st.PredicateType, ErrUnknownPredicate)
	}
	switch st.PredicateType {
	case slsa.PredicateProvenanceV02:
		v, err := st.ProvenanceV02()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", err, ErrMalformedProvenance)
		}
		p.v02 = v
		p.buildType = v.BuildType
		p.builderID = v.Builder.ID
		if env, ok := v.Invocation.Environment.(map[string]any); ok {
			p.env = env
		}
	case slsa.PredicateProvenanceV1:
		v, err := st.ProvenanceV1()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", err, ErrMalformedProvenance)
		}
		p.v1 = v
		p.buildType = v.BuildDefinition.BuildType
		p.builderID = v.RunDetails.Builder.ID
		p.env = v.BuildDefinition.InternalParameters
		p.upper = true
	}
	if p.builderID == "" {
		return nil, fmt.Errorf("builder id: missing: %w", ErrMalformedProvenance)
	}
	if p.buildType == "" {
		return nil, fmt.Errorf("buildType: missing: %w", ErrMalformedProvenance)
	}
	p.style, _ = classify(p.predicateType, p.buildType)
	if p.style == styleBYOB && p.v02 != nil {
		p.upper = true
	}
	return p, nil
}

// sourceURI is the first material (v0.2) or resolved dependency (v1): the
// source the build checked out, with its ref.
func (p *provenance) sourceURI() (string, error) {
	var uri, field string
	if p.v02 != nil {
		field = "predicate.materials[0].uri"
		if len(p.v02.Materials) > 0 {
			uri = p.v02.Materials[0].URI
		}
	} else {
		field = "predicate.buildDefinition.resolvedDependencies[0].uri"
		if len(p.v1.BuildDefinition.ResolvedDependencies) > 0 {
			uri = p.v1.BuildDefinition.ResolvedDependencies[0].URI
		}
	}
	if uri == "" {
		return "", fmt.Errorf("%s: missing: the provenance names no source: %w", field, ErrMalformedProvenance)
	}
	return uri, nil
}

// sourceCommit is the git commit of the first material or resolved
// dependency, or "".
func (p *provenance) sourceCommit() string {
	var d map[string]string
	if p.v02 != nil && len(p.v02.Materials) > 0 {
		d = p.v02.Materials[0].Digest
	} else if p.v1 != nil && len(p.v1.BuildDefinition.ResolvedDependencies) > 0 {
		d = p.v1.BuildDefinition.ResolvedDependencies[0].Digest
	}
	if c := d["gitCommit"]; c != "" {
		return c
	}
	return d["sha1"]
}

// triggerURI is git+https://host/o/r@ref of what started the build.
func (p *provenance) triggerURI() (string, error) {
	switch p.style {
	case styleLegacy, styleBYOB:
		if p.v02 != nil {
			uri := p.v02.Invocation.ConfigSource.URI
			if uri == "" {
				return "", fmt.Errorf("predicate.invocation.configSource.uri: missing: %w", ErrMalformedProvenance)
			}
			return uri, nil
		}
		return p.workflowRefTrigger()
	case styleContainerBased:
		return p.workflowRefTrigger()
	case styleGitHub:
		w, err := p.githubWorkflow()
		if err != nil {
			return "", err
		}
		return "git+" + w.repository + "@" + w.ref, nil
	default:
		return p.sourceURI()
	}
}

// workflowRefTrigger reads GITHUB_WORKFLOW_REF ("o/r/path@ref") from v1
// internalParameters.
func (p *provenance) workflowRefTrigger() (string, error) {
	ref, err := p.envString("GITHUB_WORKFLOW_REF")
	if err != nil {
		return "", err
	}
	repoPath, at, ok := strings.Cut(ref, "@")
	if !ok || at == "" || strings.Contains(at, "@") {
		return "", fmt.Errorf("internalParameters.GITHUB_WORKFLOW_REF %q is not OWNER/REPO/PATH@REF: %w", ref, ErrMalformedProvenance)
	}
	parts := strings.Split(repoPath, "/")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return "", fmt.Errorf("internalParameters.GITHUB_WORKFLOW_REF %q is not OWNER/REPO/PATH@REF: %w", ref, ErrMalformedProvenance)
	}
	return "git+https://github.com/" + parts[0] + "/" + parts[1] + "@" + at, nil
}

type githubWorkflow struct{ ref, repository, path string }

// Known external parameters of GitHub's workflow buildTypes; the
// specification asks consumers to reject any other.
var (
	githubExternalKeys     = []string{"runner_environment", "workflow"}
	slsaGitHubExternalKeys = []string{"inputs", "vars", "workflow"}
	githubWorkflowKeys     = []string{"path", "ref", "repository"}
)

// githubWorkflow reads externalParameters.workflow of GitHub's buildTypes,
// rejecting parameters the buildType does not define.
func (p *provenance) githubWorkflow() (githubWorkflow, error) {
	ext := p.v1.BuildDefinition.ExternalParameters
	known := githubExternalKeys
	if p.buildType == BuildTypeSLSAGitHubWorkflow {
		known = slsaGitHubExternalKeys
	}
	for _, k := range slices.Sorted(maps.Keys(ext)) {
		if !slices.Contains(known, k) {
			return githubWorkflow{}, fmt.Errorf("externalParameters.%s: not defined by buildType %s: %w", k, p.buildType, ErrMalformedProvenance)
		}
	}
	w, ok := ext["workflow"].(map[string]any)
	if !ok {
		return githubWorkflow{}, fmt.Errorf("externalParameters.workflow: missing or not an object: %w", ErrMalformedProvenance)
	}
	for _, k := range slices.Sorted(maps.Keys(w)) {
		if !slices.Contains(githubWorkflowKeys, k) {
			return githubWorkflow{}, fmt.Errorf("externalParameters.workflow.%s: not defined by buildType %s: %w", k, p.buildType, ErrMalformedProvenance)
		}
	}
	var out githubWorkflow
	for _, f := range []struct {
		key string
		dst *string
	}{{"ref", &out.ref}, {"repository", &out.repository}, {"path", &out.path}} {
		s, ok := w[f.key].(string)
		if !ok || s == "" {
			return githubWorkflow{}, fmt.Errorf("externalParameters.workflow.%s: missing or not a string: %w", f.key, ErrMalformedProvenance)
		}
		*f.dst = s
	}
	return out, nil
}

// envKey spells a GitHub context key the way this provenance does.
func (p *provenance) envKey(upperKey string) string {
	if p.upper {
		return upperKey
	}
	return strings.ToLower(upperKey)
}

// envField names where the GitHub context lives, for error messages.
func (p *provenance) envField(key string) string {
	if p.v02 != nil {
		return "predicate.invocation.environment." + key
	}
	return "predicate.buildDefinition.internalParameters." + key
}

// envString returns a string from the GitHub context (key given in upper
// case; converted for lower-case provenance).
func (p *provenance) envString(upperKey string) (string, error) {
	key := p.envKey(upperKey)
	if p.env == nil {
		return "", fmt.Errorf("%s: the provenance records no GitHub context: %w", p.envField(key), ErrMalformedProvenance)
	}
	v, ok := p.env[key]
	if !ok {
		return "", fmt.Errorf("%s: missing: %w", p.envField(key), ErrMalformedProvenance)
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: not a string: %w", p.envField(key), ErrMalformedProvenance)
	}
	return s, nil
}

// eventPayload returns the GitHub event payload object.
func (p *provenance) eventPayload() (map[string]any, error) {
	key := p.envKey("GITHUB_EVENT_PAYLOAD")
	payload, ok := p.env[key].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: missing or not an object: %w", p.envField(key), ErrMalformedProvenance)
	}
	return payload, nil
}

// sourceRef returns the ref of the source URI (may be "").
func (p *provenance) sourceRef() (string, error) {
	uri, err := p.sourceURI()
	if err != nil {
		return "", err
	}
	_, ref, err := splitGitURI(uri)
	return ref, err
}

// tagRef returns the full tag ref (refs/tags/v1) the build ran on, or ""
// when it ran on a branch.
func (p *provenance) tagRef() (string, error) {
	switch p.style {
	case styleLegacy, styleContainerBased:
		return p.contextTag()
	case styleGitHub:
		w, err := p.githubWorkflow()
		if err != nil {
			return "", err
		}
		return refOfKind(w.ref, "tags", "externalParameters.workflow.ref")
	default: // BYOB and generic: the source URI's ref
		ref, err := p.sourceRef()
		if err != nil {
			return "", err
		}
		return refOfKind(ref, "tags", "source URI ref")
	}
}

// branchRef returns the full branch ref (refs/heads/main) the build ran
// on; for a tag build, the branch the tag was pushed from when the
// provenance records it, else "".
func (p *provenance) branchRef() (string, error) {
	switch p.style {
	case styleLegacy, styleContainerBased:
		return p.contextBranch()
	case styleBYOB:
		ref, err := p.sourceRef()
		if err != nil {
			return "", err
		}
		switch kind, _ := splitRef(ref); kind {
		case "heads":
			return ref, nil
		case "tags":
			return p.contextBranch()
		default:
			return "", fmt.Errorf("source URI ref %q is neither a branch nor a tag: %w", ref, ErrMalformedProvenance)
		}
	case styleGitHub:
		w, err := p.githubWorkflow()
		if err != nil {
			return "", err
		}
		return refOfKind(w.ref, "heads", "externalParameters.workflow.ref")
	default:
		ref, err := p.sourceRef()
		if err != nil {
			return "", err
		}
		return refOfKind(ref, "heads", "source URI ref")
	}
}

// refOfKind returns ref when it is of kind ("tags" or "heads"), "" when it
// is of the other of the two, and an error otherwise.
func refOfKind(ref, kind, field string) (string, error) {
	switch k, _ := splitRef(ref); k {
	case kind:
		return ref, nil
	case "tags", "heads":
		return "", nil
	default:
		return "", fmt.Errorf("%s %q is neither a branch nor a tag: %w", field, ref, ErrMalformedProvenance)
	}
}

// contextTag reads the tag from GITHUB_REF_TYPE / GITHUB_REF.
func (p *provenance) contextTag() (string, error) {
	refType, err := p.envString("GITHUB_REF_TYPE")
	if err != nil {
		return "", err
	}
	switch refType {
	case "branch":
		return "", nil
	case "tag":
		return p.envString("GITHUB_REF")
	default:
		return "", fmt.Errorf("%s: unknown ref type %q: %w", p.envField(p.envKey("GITHUB_REF_TYPE")), refType, ErrMalformedProvenance)
	}
}

// contextBranch reads the branch from the GitHub context: GITHUB_REF for a
// branch build; for a tag build, GITHUB_BASE_REF, or the push event's
// base_ref, or the release event's target_commitish.
func (p *provenance) contextBranch() (string, error) {
	refType, err := p.envString("GITHUB_REF_TYPE")
	if err != nil {
		return "", err
	}
	switch refType {
	case "branch":
		return p.envString("GITHUB_REF")
	case "tag":
	default:
		return "", fmt.Errorf("%s: unknown ref type %q: %w", p.envField(p.envKey("GITHUB_REF_TYPE")), refType, ErrMalformedProvenance)
	}
	baseRef, err := p.envString("GITHUB_BASE_REF")
	if err != nil {
		return "", err
	}
	if baseRef != "" {
		return baseRef, nil
	}
	event, err := p.envString("GITHUB_EVENT_NAME")
	if err != nil {
		return "", err
	}
	switch event {
	case "push":
		payload, err := p.eventPayload()
		if err != nil {
			return "", err
		}
		v, ok := payload["base_ref"]
		if !ok {
			return "", fmt.Errorf("%s.base_ref: missing: %w", p.envField(p.envKey("GITHUB_EVENT_PAYLOAD")), ErrMalformedProvenance)
		}
		s, _ := v.(string) // null: pushed from a commit, not a branch
		return s, nil
	case "release":
		payload, err := p.eventPayload()
		if err != nil {
			return "", err
		}
		rel, ok := payload["release"].(map[string]any)
		if !ok {
			return "", fmt.Errorf("%s.release: missing or not an object: %w", p.envField(p.envKey("GITHUB_EVENT_PAYLOAD")), ErrMalformedProvenance)
		}
		target, ok := rel["target_commitish"].(string)
		if !ok {
			return "", fmt.Errorf("%s.release.target_commitish: missing or not a string: %w", p.envField(p.envKey("GITHUB_EVENT_PAYLOAD")), ErrMalformedProvenance)
		}
		return "refs/heads/" + target, nil
	default:
		return "", nil
	}
}

// workflowInputs returns the inputs of a workflow_dispatch build.
func (p *provenance) workflowInputs() (map[string]any, error) {
	switch p.style {
	case styleLegacy, styleBYOB, styleContainerBased:
		event, err := p.envString("GITHUB_EVENT_NAME")
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrWorkflowInputsMismatch, err)
		}
		if event != "workflow_dispatch" {
			return nil, fmt.Errorf("the build was triggered by %q, not workflow_dispatch, so it has no workflow inputs: %w", event, ErrWorkflowInputsMismatch)
		}
		payload, err := p.eventPayload()
		if err != nil {
			return nil, err
		}
		inputs, ok := payload["inputs"].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s.inputs: missing or not an object: %w", p.envField(p.envKey("GITHUB_EVENT_PAYLOAD")), ErrMalformedProvenance)
		}
		return inputs, nil
	case styleGitHub:
		if p.buildType != BuildTypeSLSAGitHubWorkflow {
			return nil, fmt.Errorf("buildType %s does not record workflow inputs: %w", p.buildType, ErrWorkflowInputsMismatch)
		}
		if _, err := p.githubWorkflow(); err != nil {
			return nil, err
		}
		inputs, ok := p.v1.BuildDefinition.ExternalParameters["inputs"].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("externalParameters.inputs: missing or not an object: %w", ErrWorkflowInputsMismatch)
		}
		return inputs, nil
	default:
		return nil, fmt.Errorf("buildType %s is not one whose workflow inputs pedigree can read: %w", p.buildType, ErrUnknownBuildType)
	}
}
