package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/verify"
)

// Status lines slsa-verifier prints, kept so scripts can swap binaries.
const (
	slsaVerifierPassed = "PASSED: SLSA verification passed"
	slsaVerifierFailed = "FAILED: SLSA verification failed"
)

func newVerifyArtifactCmd(a *app) *cobra.Command {
	f := &verifyFlags{}
	var provenancePath, provenanceRepository string
	cmd := &cobra.Command{
		Use:   "verify-artifact [flags] artifact [artifact..]",
		Short: "Verify SLSA provenance like slsa-verifier verify-artifact (drop-in)",
		Long: `verify-artifact takes slsa-verifier verify-artifact's flags, with their names and
meaning, and prints what it prints (on stderr), so a script can swap the
binaries: every artifact must be a subject of the provenance at
--provenance-path, built from --source-uri by a trusted builder
(slsa-github-generator's own workflows pinned at a release tag, or the one
named with --builder-id), and match the optional tag, versioned tag, branch
and workflow inputs. Unlike slsa-verifier it works offline: the Sigstore
trusted root is the public-good one built into pedigree, or --trusted-root.

--format json prints instead, on stdout, the report pedigree verify --format
json gives (every artifact, not only those up to the first failure), with
slsa-verifier's same-builder rule applied and the builder every artifact
came from as "builderId"; statements are included with --print-provenance.

Exit codes: 0 verified, 1 verification failed, 2 usage, 3 I/O or internal error.`,
		Example: `  $ pedigree verify-artifact --provenance-path binary-linux-amd64-push-v14.intoto.jsonl \
      --source-uri github.com/slsa-framework/example-package --source-tag v14 \
      binary-linux-amd64-push-v14
  Verified build using builder "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0" at commit 4d329c75e7ec1725f7c9ce917a8799d408d06be3
  Verifying artifact binary-linux-amd64-push-v14: PASSED

  PASSED: SLSA verification passed`,
		Args: cobra.MinimumNArgs(1),
	}
	fl := cmd.Flags()
	fl.StringVar(&provenancePath, "provenance-path", "", "path to a provenance file")
	fl.StringVar(&provenanceRepository, "provenance-repository", "", "image repository for provenance (slsa-verifier's verify-image flag; unused for artifacts)")
	fl.StringVar(&f.trustedRoot, "trusted-root", "", "Sigstore trusted_root.json (default: the public-good root built into pedigree)")
	addProvenancePolicyFlags(cmd, f)
	fl.BoolVar(&f.print, "print-provenance", false, "[optional] print the verified provenance to stdout")
	if err := cmd.MarkFlagRequired("provenance-path"); err != nil {
		panic(err)
	}
	if err := cmd.MarkFlagRequired("source-uri"); err != nil {
		panic(err)
	}
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		f.provenance = []string{provenancePath}
		pol, err := f.policy()
		if err != nil {
			return err
		}
		rep, err := runVerify(a, f, pol, args)
		if err != nil {
			return err
		}
		outcomes := sameBuilder(rep)
		if format.value == formatJSON {
			return writeVerifyArtifactJSON(a, rep, outcomes, f.print)
		}
		// slsa-verifier stops at the first artifact that fails.
		for i, r := range rep.Artifacts {
			passed, reason := outcomes[i].passed, outcomes[i].reason
			if passed == nil {
				fmt.Fprintf(a.stderr, "Verifying artifact %s: FAILED: %s\n\n", r.Artifact, oneLine(reason))
				fmt.Fprintf(a.stderr, "%s: %s\n", slsaVerifierFailed, oneLine(reason))
				return silentFailure()
			}
			fmt.Fprintf(a.stderr, "Verified build using builder %q at commit %s\n", passed.BuilderID, passed.SourceCommit)
			if f.print && passed.Statement != nil {
				if _, err := fmt.Fprintf(a.stdout, "%s\n", passed.Statement); err != nil {
					return err
				}
			}
			fmt.Fprintf(a.stderr, "Verifying artifact %s: PASSED\n\n", r.Artifact)
		}
		_, err = fmt.Fprintln(a.stderr, slsaVerifierPassed)
		return err
	}
	return cmd
}

// artifactOutcome is verify-artifact's verdict on one artifact: the
// evaluation that passed, or why none did.
type artifactOutcome struct {
	passed *verify.Evaluation
	reason string
}

// sameBuilder applies slsa-verifier's rule that every artifact comes from
// the builder of the first one that verified to verify's report, artifact
// by artifact, in order.
func sameBuilder(rep *verify.Report) []artifactOutcome {
	out := make([]artifactOutcome, len(rep.Artifacts))
	firstBuilder := ""
	for i, r := range rep.Artifacts {
		o := artifactOutcome{reason: r.Error}
		for j := range r.Attestations {
			if r.Attestations[j].Verified {
				o.passed = &r.Attestations[j]
				break
			}
		}
		if o.passed != nil {
			switch {
			case firstBuilder == "":
				firstBuilder = o.passed.BuilderID
			case o.passed.BuilderID != firstBuilder:
				o.reason = fmt.Sprintf("encountered different builderIDs %s %s", firstBuilder, o.passed.BuilderID)
				o.passed = nil
			}
		}
		out[i] = o
	}
	return out
}

// verifyArtifactResult is verify-artifact's --format json output: verify's
// report with slsa-verifier's same-builder rule applied, and the builder
// every artifact was verified to come from.
type verifyArtifactResult struct {
	Verified     bool                       `json:"verified"`
	BuilderID    string                     `json:"builderId,omitempty"`
	Artifacts    []verify.ArtifactResult    `json:"artifacts"`
	Attestations []verify.AttestationResult `json:"attestations"`
}

// writeVerifyArtifactJSON writes the result of every artifact (not only up
// to the first failure) as JSON to stdout, the statements only with
// --print-provenance, and fails silently (exit 1) when one did not verify.
func writeVerifyArtifactJSON(a *app, rep *verify.Report, outcomes []artifactOutcome, print bool) error {
	res := verifyArtifactResult{Verified: true, Artifacts: rep.Artifacts, Attestations: rep.Attestations}
	for i := range res.Artifacts {
		r, o := &res.Artifacts[i], outcomes[i]
		if o.passed == nil {
			res.Verified = false
			if r.Verified {
				r.Verified, r.Error = false, o.reason
			}
		} else if res.BuilderID == "" {
			res.BuilderID = o.passed.BuilderID
		}
	}
	if !print {
		dropStatements(res.Artifacts)
	}
	if !res.Verified {
		res.BuilderID = ""
	}
	if err := writeJSON(a.stdout, res); err != nil {
		return err
	}
	if !res.Verified {
		return silentFailure()
	}
	return nil
}
