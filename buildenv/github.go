package buildenv

import (
	"fmt"
	"slices"
	"strings"
)

// githubEvents are the events GitHub's buildType is defined for.
var githubEvents = []string{"create", "release", "push", "workflow_dispatch"}

// detectGitHub fills GitHub's workflow/v1 buildType from the runner's
// default environment variables:
//
//	externalParameters.workflow {ref: GITHUB_REF, repository: SERVER/REPO, path: from GITHUB_WORKFLOW_REF}
//	internalParameters.github {event_name, repository_id, repository_owner_id, runner_environment}
//	resolvedDependencies [{uri: git+SERVER/REPO@GITHUB_REF, digest: {gitCommit: GITHUB_SHA}}]
//	builder.id https://github.com/actions/runner/RUNNER_ENVIRONMENT
//	invocationId SERVER/REPO/actions/runs/RUN_ID/attempts/RUN_ATTEMPT
func detectGitHub(env map[string]string) (*Context, error) {
	v, err := required(env, "GitHub Actions",
		"GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_REPOSITORY_ID", "GITHUB_REPOSITORY_OWNER_ID",
		"GITHUB_REF", "GITHUB_SHA", "GITHUB_WORKFLOW_REF", "GITHUB_EVENT_NAME",
		"GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "RUNNER_ENVIRONMENT")
	if err != nil {
		return nil, err
	}
	if err := checkCommit("GitHub Actions: GITHUB_SHA", v["GITHUB_SHA"]); err != nil {
		return nil, err
	}
	server := strings.TrimSuffix(v["GITHUB_SERVER_URL"], "/")
	repoName := v["GITHUB_REPOSITORY"]
	// GITHUB_WORKFLOW_REF is owner/repo/.github/workflows/build.yml@refs/heads/main.
	wf, ok := strings.CutPrefix(v["GITHUB_WORKFLOW_REF"], repoName+"/")
	at := strings.LastIndexByte(wf, '@')
	if !ok || at <= 0 {
		return nil, fmt.Errorf("GitHub Actions: GITHUB_WORKFLOW_REF: %q is not %s/PATH@REF: %w", v["GITHUB_WORKFLOW_REF"], repoName, ErrInvalidValue)
	}
	path := wf[:at]
	repo := server + "/" + repoName
	runnerEnv := v["RUNNER_ENVIRONMENT"]

	c := &Context{
		Platform:     GitHubActions,
		BuildType:    BuildTypeGitHub,
		BuilderID:    "https://github.com/actions/runner/" + runnerEnv,
		InvocationID: fmt.Sprintf("%s/actions/runs/%s/attempts/%s", repo, v["GITHUB_RUN_ID"], v["GITHUB_RUN_ATTEMPT"]),
		ExternalParameters: map[string]any{
			"workflow": map[string]any{
				"ref":        v["GITHUB_REF"],
				"repository": repo,
				"path":       path,
			},
		},
		InternalParameters: map[string]any{
			"github": map[string]any{
				"event_name":          v["GITHUB_EVENT_NAME"],
				"repository_id":       v["GITHUB_REPOSITORY_ID"],
				"repository_owner_id": v["GITHUB_REPOSITORY_OWNER_ID"],
				"runner_environment":  runnerEnv,
			},
		},
		Source: Source{Repository: repo, Ref: v["GITHUB_REF"], Commit: v["GITHUB_SHA"]},
	}
	c.ResolvedDependencies = append(c.ResolvedDependencies, c.Source.Dependency())
	if ev := v["GITHUB_EVENT_NAME"]; !slices.Contains(githubEvents, ev) {
		c.Warnings = append(c.Warnings, fmt.Sprintf("GitHub event %q is outside the events %s defines (%s); verifiers following it may reject this provenance",
			ev, BuildTypeGitHub, strings.Join(githubEvents, ", ")))
	}
	return c, nil
}
