package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pedigree-dev/pedigree/buildenv"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/atomicfile"
)

func newEvidenceCmd(a *app) *cobra.Command {
	return groupCmd(&cobra.Command{
		Use:   "evidence",
		Short: "Write and re-check a release evidence bundle (SBOMs, provenance, signature, index, summary)",
		Long: `evidence create writes one folder of evidence for a release: an SPDX and a
CycloneDX SBOM, SLSA v1 provenance (DSSE-signed with --key), an HMAC-SHA256
envelope in dpone's shape (with --hmac-key-env), evidence.json listing every
file with its SHA-256 and size, and SUMMARY.md. evidence verify re-checks it.
See docs/evidence.md for the bundle format and a runbook for every blocker.`,
	}, newEvidenceCreateCmd(a), newEvidenceVerifyCmd(a))
}

// createReport is what `evidence create --format json` prints.
type createReport struct {
	Passed    bool                `json:"passed"`
	Release   string              `json:"release"`
	OutputDir string              `json:"outputDir"`
	Subjects  []evidence.Subject  `json:"subjects"`
	Files     []evidence.File     `json:"files"`
	Signature *evidence.Signature `json:"signature,omitempty"`
	Verify    string              `json:"verify,omitempty"`
	Blockers  []evidence.Blocker  `json:"blockers"`
	Warnings  []string            `json:"warnings,omitempty"`
}

func newEvidenceCreateCmd(a *app) *cobra.Command {
	var (
		opts     evidence.CreateOptions
		subjects []string
		signing  signingKeyFlags
	)
	cmd := &cobra.Command{
		Use:   "create --release NAME --subject FILE... [--key KEY | --hmac-key-env VAR]",
		Short: "Write the evidence bundle of a release, atomically",
		Long: `create gathers the evidence for a release's artifacts and writes it to one folder,
atomically (a temporary folder renamed at the end: never half a bundle):

  sbom.spdx.json, sbom.cyclonedx.json  SPDX 2.3 and CycloneDX 1.6, schema-valid
  provenance.intoto.jsonl              SLSA v1 provenance of the subjects and a release-evidence
                                       statement; DSSE-signed with --key
  signature.hmac-sha256.json           with --hmac-key-env: dpone's HMAC-SHA256 envelope over
                                       provenance.intoto.jsonl
  evidence.json                        release, subjects, every file with its sha256 and size,
                                       the verification command, blockers
  SUMMARY.md                           the same for a person

The source repository, commit and builder are detected from CI (GitHub
Actions, GitLab CI) or the git working tree; --repository, --commit-sha and
--builder-id override them. Subjects may be globs (quote them) or extra
arguments. With SOURCE_DATE_EPOCH set the bundle is byte-for-byte
reproducible (Ed25519 signatures are deterministic).

Problems are reported as blockers with stable codes (subjects.empty,
subject.missing.PATH, signature.missing_key, ...; see docs/evidence.md) and
exit status 1; nothing is written then. The HMAC key is read from the
variable --hmac-key-env names, never from the command line.`,
		Example: `  $ pedigree evidence create --release v0.1.0 --subject 'dist/*' --lock requirements.txt \
      --repository https://github.com/pedigree-dev/pedigree-demo --commit-sha 6f1c3e1a0b9d8c7e6f5a4b3c2d1e0f9a8b7c6d5e \
      --key release.key --hmac-key-env PEDIGREE_HMAC_KEY --hmac-key-id demo-ci
  wrote evidence/v0.1.0: evidence for release v0.1.0 of pedigree-demo 0.1.0
    subjects:  pedigree_demo-0.1.0-py3-none-any.whl, pedigree_demo-0.1.0.tar.gz
    files:     SUMMARY.md, evidence.json, provenance.intoto.jsonl, sbom.cyclonedx.json, sbom.spdx.json, signature.hmac-sha256.json
    signature: DSSE (ed25519 key 439b3f98471c...); HMAC-SHA256 (key id demo-ci)
    verify:    pedigree evidence verify evidence/v0.1.0 --key release.pub --hmac-key-env PEDIGREE_HMAC_KEY --subject dist/pedigree_demo-0.1.0-py3-none-any.whl --subject dist/pedigree_demo-0.1.0.tar.gz`,
	}
	f := cmd.Flags()
	f.StringVar(&opts.Release, "release", "", "release name, e.g. v0.7.1 (required)")
	f.StringArrayVar(&subjects, "subject", nil, "a release artifact or a glob of them (repeatable)")
	f.StringVar(&opts.ProjectPath, "project-root", ".", "project directory (holding pyproject.toml) or the pyproject.toml")
	f.StringVar(&opts.LockPath, "lock", "", "lock file (default: found in the project directory)")
	f.StringVar(&opts.OutputDir, "output-dir", "", "bundle folder to create (default evidence/RELEASE)")
	f.StringVar(&opts.Repository, "repository", "", "source repository URL (default: detected)")
	f.StringVar(&opts.Commit, "commit-sha", "", "source commit, 40 or 64 hex characters (default: detected)")
	f.StringVar(&opts.BuilderID, "builder-id", "", "builder id URI (default: detected)")
	addSigningKeyFlags(cmd, &signing, "")
	f.StringVar(&opts.HMACKeyEnv, "hmac-key-env", "", "environment `VARIABLE` holding the HMAC key")
	f.StringVar(&opts.HMACKeyID, "hmac-key-id", evidence.DefaultHMACKeyID, "key_id written into the HMAC envelope")
	f.BoolVar(&opts.AllowUnsigned, "allow-unsigned", false, "write unsigned evidence when no key is given")
	f.BoolVar(&opts.Force, "force", false, "replace an existing output folder")
	_ = cmd.MarkFlagRequired("release")
	format := addFormatFlag(cmd, formatText, formatJSON, "md")

	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if opts.OutputDir == "" {
			p, err := atomicfile.SafeJoin("evidence", opts.Release)
			if err != nil {
				return usageError("--release %q cannot name a folder; give --output-dir", opts.Release)
			}
			opts.OutputDir = filepath.ToSlash(p)
		}
		opts.Subjects = expandGlobs(append(subjects, args...))
		when, err := a.outputTime()
		if err != nil {
			return err
		}
		opts.Time = when
		opts.ToolVersion = version
		if signing.key != "" {
			signer, err := signing.signer(a)
			if err != nil {
				return err
			}
			opts.Signer = signer
			opts.PublicKeyHint = publicKeyHint(signing.key)
		}
		if opts.HMACKeyEnv != "" {
			opts.HMACKey = []byte(a.getenv(opts.HMACKeyEnv))
		}
		dir := opts.ProjectPath
		if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
			dir = filepath.Dir(dir)
		}
		build, err := buildenv.Detect(a.ctx, buildenv.Options{Env: a.env, Dir: dir, Args: evidenceCommandLine(cmd)})
		if err != nil {
			return usageError("%v", err)
		}
		opts.Build = build

		res, err := evidence.Create(a.ctx, opts)
		switch {
		case errors.Is(err, evidence.ErrBlocked):
			return writeBlocked(a, format.value, opts, res)
		case err != nil:
			return outputError(err)
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(a.stderr, "pedigree: warning: %s\n", w)
		}
		ix := res.Index
		switch format.value {
		case formatJSON:
			return writeJSON(a.stdout, createReport{
				Passed: true, Release: ix.Release, OutputDir: res.Dir, Subjects: ix.Subjects,
				Files: ix.Files, Signature: &ix.Signature, Verify: ix.Verify,
				Blockers: []evidence.Blocker{}, Warnings: res.Warnings,
			})
		case "md":
			_, err := a.stdout.Write(res.Summary)
			return err
		}
		return writeCreated(a.stdout, res)
	}
	return cmd
}

// evidenceCommandLine is the command as recorded in the provenance of a
// local build: the command path, the flags set (but --format and --force,
// which change how the result is shown or written, not what it says) and
// the arguments. No secret is on it: keys are files or variable names.
func evidenceCommandLine(cmd *cobra.Command) []string {
	out := strings.Fields(cmd.CommandPath())
	cmd.Flags().Visit(func(f *pflag.Flag) {
		switch {
		case f.Name == "format" || f.Name == "force":
		case isSlice(f):
			for _, v := range f.Value.(pflag.SliceValue).GetSlice() {
				out = append(out, "--"+f.Name, v)
			}
		default:
			out = append(out, "--"+f.Name, f.Value.String())
		}
	})
	return append(out, cmd.Flags().Args()...)
}

func isSlice(f *pflag.Flag) bool {
	_, ok := f.Value.(pflag.SliceValue)
	return ok
}

// expandGlobs replaces each argument holding glob characters by the files
// it matches, sorted; one that matches nothing stays as given (and is then
// reported as a missing subject).
func expandGlobs(args []string) []string {
	var out []string
	for _, arg := range args {
		if strings.ContainsAny(arg, "*?[") {
			if matches, err := filepath.Glob(arg); err == nil && len(matches) > 0 {
				out = append(out, matches...)
				continue
			}
		}
		out = append(out, arg)
	}
	return out
}

// publicKeyHint guesses the public key file beside a private key
// (release.key -> release.pub) for the verify command.
func publicKeyHint(keyPath string) string {
	if base, ok := strings.CutSuffix(keyPath, ".key"); ok {
		if _, err := os.Stat(base + ".pub"); err == nil {
			return base + ".pub"
		}
	}
	return "PUBLIC_KEY.pem"
}

func writeCreated(w io.Writer, res *evidence.Result) error {
	ix := res.Index
	var b strings.Builder
	project := ix.Project.Name
	if ix.Project.Version != "" {
		project += " " + ix.Project.Version
	}
	fmt.Fprintf(&b, "wrote %s: evidence for release %s of %s\n", res.Dir, ix.Release, project)
	var names []string
	for _, s := range ix.Subjects {
		names = append(names, s.Name)
	}
	fmt.Fprintf(&b, "  subjects:  %s\n", strings.Join(names, ", "))
	names = []string{}
	for _, f := range ix.Files {
		names = append(names, f.Path)
	}
	names = append(names, evidence.FileIndex)
	slices.Sort(names)
	fmt.Fprintf(&b, "  files:     %s\n", strings.Join(names, ", "))
	fmt.Fprintf(&b, "  signature: %s\n", describeSignature(ix.Signature))
	fmt.Fprintf(&b, "  verify:    %s\n", ix.Verify)
	_, err := io.WriteString(w, b.String())
	return err
}

func describeSignature(s evidence.Signature) string {
	var parts []string
	if s.DSSE != nil {
		parts = append(parts, fmt.Sprintf("DSSE (%s key %s...)", s.DSSE.Algorithm, s.DSSE.KeyID[:min(12, len(s.DSSE.KeyID))]))
	}
	if s.HMAC != nil {
		parts = append(parts, fmt.Sprintf("HMAC-SHA256 (key id %s)", s.HMAC.KeyID))
	}
	if len(parts) == 0 {
		return "none (--allow-unsigned)"
	}
	return strings.Join(parts, "; ")
}

// writeBlocked reports the blockers that stopped create (exit 1).
func writeBlocked(a *app, format string, opts evidence.CreateOptions, res *evidence.Result) error {
	switch format {
	case formatJSON:
		if err := writeJSON(a.stdout, createReport{
			Release: opts.Release, OutputDir: opts.OutputDir, Subjects: []evidence.Subject{},
			Files: []evidence.File{}, Blockers: res.Blockers, Warnings: res.Warnings,
		}); err != nil {
			return err
		}
	case "md":
		var b strings.Builder
		fmt.Fprintf(&b, "# Release evidence: %s (not written)\n\n## Blockers\n\n", opts.Release)
		for _, bl := range res.Blockers {
			fmt.Fprintf(&b, "- `%s`: %s\n", bl.Code, bl.Message)
		}
		if _, err := io.WriteString(a.stdout, b.String()); err != nil {
			return err
		}
	default:
		var b strings.Builder
		fmt.Fprintf(&b, "evidence for %s not written (%s): %d blocker(s)\n", opts.Release, opts.OutputDir, len(res.Blockers))
		for _, bl := range res.Blockers {
			fmt.Fprintf(&b, "  %s: %s\n", bl.Code, bl.Message)
		}
		if _, err := io.WriteString(a.stdout, b.String()); err != nil {
			return err
		}
	}
	return silentFailure()
}

func newEvidenceVerifyCmd(a *app) *cobra.Command {
	var (
		opts     evidence.VerifyOptions
		keyFiles []string
		hmacEnv  string
	)
	cmd := &cobra.Command{
		Use:   "verify DIR [--key PUBLIC_KEY] [--hmac-key-env VAR] [--subject FILE...]",
		Short: "Re-check an evidence bundle: checksums, signature, provenance, SBOM schemas",
		Long: `verify re-checks an evidence folder written by 'pedigree evidence create' (or by
dpone's 'supply-chain attest'): every checksum in evidence.json, the DSSE
signature (--key) and the HMAC (--hmac-key-env, compared in constant time),
the provenance against its subjects and the subject files given, the SBOMs
against the SPDX 2.3 and CycloneDX 1.6 schemas, and that the folder holds no
other file. evidence.json itself must be exactly the index the signed
statements and the files imply, so a changed byte anywhere is caught.

It prints one line per finding, naming the file, and exits 1 on any. Signed
evidence needs a key; unsigned evidence passes only with --allow-unsigned.`,
		Example: `  $ pedigree evidence verify evidence/v0.1.0 --key release.pub --hmac-key-env PEDIGREE_HMAC_KEY --subject dist/pedigree_demo-0.1.0.tar.gz
  verified evidence/v0.1.0: evidence for release v0.1.0, 2 subjects, 6 files
    DSSE signature by key 439b3f98471c9863099dc506c613a06e1c06911be8c8986495f71fc4f929f641
    HMAC-SHA256 with key id demo-ci`,
		Args: cobra.ExactArgs(1),
	}
	cmd.Flags().StringArrayVar(&keyFiles, "key", nil, "public key PEM to check the DSSE signatures with (repeatable)")
	cmd.Flags().StringVar(&hmacEnv, "hmac-key-env", "", "environment `VARIABLE` holding the HMAC key")
	cmd.Flags().StringArrayVar(&opts.Subjects, "subject", nil, "artifact that must be a subject of the provenance (repeatable)")
	cmd.Flags().BoolVar(&opts.AllowUnsigned, "allow-unsigned", false, "accept evidence created without a signature (integrity only)")
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.Dir = args[0]
		pubs, err := loadPublicKeys(keyFiles)
		if err != nil {
			return err
		}
		opts.PublicKeys = pubs
		if hmacEnv != "" {
			if opts.HMACKey, err = a.secretEnv("--hmac-key-env", hmacEnv); err != nil {
				return err
			}
		}
		opts.Subjects = expandGlobs(opts.Subjects)
		r, err := evidence.Verify(a.ctx, opts)
		if errors.Is(err, evidence.ErrNotEvidence) {
			return usageError("%v", err)
		}
		if err != nil {
			return err
		}
		if format.value == formatJSON {
			if err := writeJSON(a.stdout, r); err != nil {
				return err
			}
		} else if err := writeVerified(a.stdout, r); err != nil {
			return err
		}
		if !r.OK() {
			return silentFailure()
		}
		return nil
	}
	return cmd
}

func writeVerified(w io.Writer, r *evidence.Report) error {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s: %s [%s]\n", f.File, f.Message, f.Code)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	what := "evidence"
	if r.Format == evidence.FormatDpone {
		what = "dpone evidence"
	}
	if r.OK() {
		fmt.Fprintf(&b, "verified %s: %s for release %s, %s, %s\n", r.Dir, what, r.Release, plural(len(r.Subjects), "subject", "subjects"), plural(r.Files, "file", "files"))
		for _, v := range r.Verified {
			fmt.Fprintf(&b, "  %s\n", v)
		}
	} else {
		fmt.Fprintf(&b, "FAILED %s: %s\n", r.Dir, plural(len(r.Findings), "problem", "problems"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
