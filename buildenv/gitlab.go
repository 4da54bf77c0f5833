package buildenv

import (
	"fmt"
	"strings"
)

// detectGitLab fills pedigree's GitLab CI buildType (docs/buildtypes/gitlab.md)
// from the job's predefined CI_* variables:
//
//	externalParameters.pipeline {repository: CI_PROJECT_URL, ref, path: CI_CONFIG_PATH, job: CI_JOB_NAME}
//	internalParameters.gitlab {server_url, project_id, pipeline_id, pipeline_url, pipeline_source,
//	                           job_id, runner_id, runner_description, runner_version}
//	resolvedDependencies [{uri: git+CI_PROJECT_URL@ref, digest: {gitCommit: CI_COMMIT_SHA}}]
//	builder.id CI_PROJECT_URL/-/runners/CI_RUNNER_ID
//	invocationId CI_JOB_URL
//
// The ref is refs/tags/CI_COMMIT_TAG for tag pipelines, refs/heads/
// CI_COMMIT_BRANCH for branch pipelines, CI_MERGE_REQUEST_REF_PATH for merge
// request pipelines, and CI_COMMIT_REF_NAME otherwise.
func detectGitLab(env map[string]string) (*Context, error) {
	v, err := required(env, "GitLab CI",
		"CI_SERVER_URL", "CI_PROJECT_URL", "CI_PROJECT_ID", "CI_COMMIT_SHA",
		"CI_PIPELINE_ID", "CI_PIPELINE_URL", "CI_PIPELINE_SOURCE",
		"CI_JOB_ID", "CI_JOB_URL", "CI_JOB_NAME", "CI_RUNNER_ID")
	if err != nil {
		return nil, err
	}
	if err := checkCommit("GitLab CI: CI_COMMIT_SHA", v["CI_COMMIT_SHA"]); err != nil {
		return nil, err
	}
	var ref string
	switch {
	case env["CI_COMMIT_TAG"] != "":
		ref = "refs/tags/" + env["CI_COMMIT_TAG"]
	case env["CI_COMMIT_BRANCH"] != "":
		ref = "refs/heads/" + env["CI_COMMIT_BRANCH"]
	case env["CI_MERGE_REQUEST_REF_PATH"] != "":
		ref = env["CI_MERGE_REQUEST_REF_PATH"]
	default:
		ref = env["CI_COMMIT_REF_NAME"]
	}
	configPath := env["CI_CONFIG_PATH"]
	if configPath == "" {
		configPath = ".gitlab-ci.yml"
	}
	repo := RedactURL(strings.TrimSuffix(v["CI_PROJECT_URL"], "/"))
	c := &Context{
		Platform:     GitLabCI,
		BuildType:    BuildTypeGitLab,
		BuilderID:    fmt.Sprintf("%s/-/runners/%s", repo, v["CI_RUNNER_ID"]),
		InvocationID: v["CI_JOB_URL"],
		ExternalParameters: map[string]any{
			"pipeline": nonEmpty(map[string]any{
				"repository": repo,
				"ref":        ref,
				"path":       configPath,
				"job":        v["CI_JOB_NAME"],
			}),
		},
		InternalParameters: map[string]any{
			"gitlab": nonEmpty(map[string]any{
				"server_url":         v["CI_SERVER_URL"],
				"project_id":         v["CI_PROJECT_ID"],
				"pipeline_id":        v["CI_PIPELINE_ID"],
				"pipeline_url":       v["CI_PIPELINE_URL"],
				"pipeline_source":    v["CI_PIPELINE_SOURCE"],
				"job_id":             v["CI_JOB_ID"],
				"runner_id":          v["CI_RUNNER_ID"],
				"runner_description": env["CI_RUNNER_DESCRIPTION"],
				"runner_version":     env["CI_RUNNER_VERSION"],
			}),
		},
		Source: Source{Repository: repo, Ref: ref, Commit: v["CI_COMMIT_SHA"]},
	}
	c.ResolvedDependencies = append(c.ResolvedDependencies, c.Source.Dependency())
	return c, nil
}
