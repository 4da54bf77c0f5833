package cli

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pedigree-dev/pedigree/buildenv"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/hmacenv"
	"github.com/pedigree-dev/pedigree/internal/atomicfile"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/provenance"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

// maxAppendInput bounds the existing .intoto.jsonl that --append reads.
const maxAppendInput = 1 << 30

// attestFlags holds the flags of pedigree attest.
type attestFlags struct {
	subjectsFile, base64Subjects string
	images, ociLayouts           []string
	output                       string
	appendLine, force, bundle    bool
	signing                      signingKeyFlags
	hmacKeyEnv, hmacKeyID        string
	builderID, buildType         string
	invocationID                 string
	externalParams               []string
	internalParams               []string
	byproducts                   []string
	sourceURI, sourceCommit      string
	lock                         string
	jobs                         int
}

func newAttestCmd(a *app) *cobra.Command {
	f := &attestFlags{}
	cmd := &cobra.Command{
		Use:   "attest [flags] [ARTIFACT...]",
		Short: "Generate SLSA v1 provenance for artifacts, signed with your key",
		Long: `attest writes SLSA v1.0 build provenance (an in-toto Statement v1) for the
artifacts named, in any CI or none, and signs it.

Subjects come from any mix of:
  ARTIFACT...                files, directories (every file below, sorted) and quoted
                             globs ('dist/*.whl'); - reads the artifact from stdin
  --subjects-file F|-        a subject list: sha256sum output, base64-subjects, or a
                             JSON array of in-toto ResourceDescriptors (pedigree digest
                             --format json); no limit from argument length
  --base64-subjects S        slsa-github-generator's base64-subjects input, as is
  --image NAME@sha256:HEX    a container image by manifest digest (named NAME, tag dropped)
  --oci-layout DIR           each manifest in an OCI image layout's index.json

The build context is detected from the environment: GitHub Actions (GitHub's
https://actions.github.io/buildtypes/workflow/v1 layout), GitLab CI, or a local
build (the git remote and HEAD commit of the working tree, whether it is dirty,
the host's OS/arch and this command line). See docs/buildtypes/. The
--builder-id, --build-type, --invocation-id, --source-uri and --source-commit
flags override what is detected.

--lock FILE records what the build installed: one resolvedDependency per file
the lock pins (name = the file name, digest = its hashes, uri = its package
URL with a file_name qualifier, downloadLocation = its URL when the lock has
one; a VCS package as git+URL@commit with a gitCommit digest), for any lock
pedigree reads (requirements, Pipfile.lock, poetry.lock, uv.lock, pylock.toml,
pdm.lock). The project itself (an editable or virtual root) is left out.

With SOURCE_DATE_EPOCH set, startedOn and finishedOn are that time and the
invocation id (unless CI gives one) is derived from the inputs: two runs on the
same inputs write byte-identical files (Ed25519 signatures included).

Output (-o, default <first subject>.intoto.jsonl, or multiple.intoto.jsonl for
several subjects; - for standard output): one JSON object per line:
  no key                the unsigned statement (and a warning on stderr)
  --key KEY             a DSSE envelope signed over the RFC 8785 canonical
                        statement; keyid = SHA-256 of the key's SPKI
  --key KEY --bundle    a Sigstore bundle v0.3 with a public-key hint instead
                        (default name <first subject>.sigstore.json)
--append adds a line to an existing .intoto.jsonl (atomically).

--hmac-key-env VAR also writes <output>.hmac-sha256.json beside the output:
dpone's HMAC-SHA256 envelope over the output file's SHA-256, keyed with the
value of the environment variable VAR (unset or empty: signature.missing_key,
exit 2). It is evidence only for parties sharing the secret.

Exit codes: 0 written, 2 bad flags or inputs (malformed list, wrong
passphrase, existing output without --force), 3 I/O error (a missing or
unreadable input file).`,
		Example: `  $ cd examples/demo
  $ pedigree attest dist/*
  warning: no git working tree here: the source repository and commit are not recorded
  warning: the statement is not signed (no --key); anyone could have written it
  wrote multiple.intoto.jsonl: SLSA v1 provenance, 2 subjects, build type local, unsigned

  $ pedigree keygen -o release
  $ pedigree attest --key release.key -o demo.intoto.jsonl dist/
  wrote demo.intoto.jsonl: SLSA v1 provenance, 2 subjects, build type local, DSSE-signed (ed25519, keyid e234f8ac7842c7217474897d79c3dac4ea9fb9294d19c723db8d5ecef538364c)

  $ pedigree attest --key release.key --bundle dist/pedigree_demo-0.1.0-py3-none-any.whl
  wrote pedigree_demo-0.1.0-py3-none-any.whl.sigstore.json: SLSA v1 provenance, 1 subject, build type local, Sigstore bundle v0.3 (ed25519, keyid e234f8ac7842c7217474897d79c3dac4ea9fb9294d19c723db8d5ecef538364c)

  $ pedigree digest --format json dist > subjects.json   # or sha256sum output, or 10,000 lines on stdin
  $ pedigree attest --subjects-file subjects.json --key release.key -o release.intoto.jsonl`,
	}
	fl := cmd.Flags()
	fl.StringVar(&f.subjectsFile, "subjects-file", "", "read subjects from `FILE` (- for stdin): sha256sum, base64-subjects or JSON")
	fl.StringVar(&f.base64Subjects, "base64-subjects", "", "slsa-github-generator's base64-subjects `STRING`")
	fl.StringArrayVar(&f.images, "image", nil, "a container image subject `NAME@sha256:HEX` (repeatable)")
	fl.StringArrayVar(&f.ociLayouts, "oci-layout", nil, "subjects from the manifests of the OCI image layout in `DIR` (repeatable)")
	fl.StringVarP(&f.output, "output", "o", "", "write to `PATH` (- for stdout); default <first subject>.intoto.jsonl")
	fl.BoolVar(&f.appendLine, "append", false, "add a line to an existing .intoto.jsonl")
	fl.BoolVar(&f.force, "force", false, "overwrite an existing output (and HMAC envelope)")
	addSigningKeyFlags(cmd, &f.signing, "")
	fl.BoolVar(&f.bundle, "bundle", false, "with --key: write a Sigstore bundle v0.3 (public-key hint) instead of a DSSE line")
	fl.StringVar(&f.hmacKeyEnv, "hmac-key-env", "", "also write <output>.hmac-sha256.json keyed with this environment `VARIABLE`")
	fl.StringVar(&f.hmacKeyID, "hmac-key-id", "local-hmac", "the key_id written into the HMAC envelope")
	fl.StringVar(&f.builderID, "builder-id", "", "builder id `URI` (default: detected)")
	fl.StringVar(&f.buildType, "build-type", "", "build type `URI` (default: detected)")
	fl.StringVar(&f.invocationID, "invocation-id", "", "invocation `ID` (default: from CI, or derived)")
	fl.StringArrayVar(&f.externalParams, "external-param", nil, "add an external parameter `K=V` (repeatable)")
	fl.StringArrayVar(&f.internalParams, "internal-param", nil, "add an internal parameter `K=V` (repeatable)")
	fl.StringArrayVar(&f.byproducts, "byproduct", nil, "record the file at `PATH` as a byproduct (repeatable)")
	fl.StringVar(&f.sourceURI, "source-uri", "", "source repository `URI` (default: detected)")
	fl.StringVar(&f.sourceCommit, "source-commit", "", "source git commit `SHA` (default: detected)")
	fl.StringVar(&f.lock, "lock", "", "record the packages of the lock `FILE` (requirements, Pipfile.lock, poetry.lock, uv.lock, pylock.toml, pdm.lock) as resolvedDependencies")
	addJobsFlag(cmd, &f.jobs)
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return runAttest(a, cmd, f, args, format.value)
	}
	return cmd
}

// attestResult is what attest reports (--format json).
type attestResult struct {
	Output       string `json:"output"`
	Kind         string `json:"kind"` // statement, dsse, sigstore-bundle
	Appended     bool   `json:"appended,omitempty"`
	Subjects     int    `json:"subjects"`
	Platform     string `json:"platform"`
	BuildType    string `json:"buildType"`
	BuilderID    string `json:"builderId"`
	InvocationID string `json:"invocationId"`
	Signed       bool   `json:"signed"`
	KeyAlgorithm string `json:"keyAlgorithm,omitempty"`
	KeyID        string `json:"keyId,omitempty"`
	HMACEnvelope string `json:"hmacEnvelope,omitempty"`
	PayloadSHA   string `json:"payloadSha256"`
}

func runAttest(a *app, cmd *cobra.Command, f *attestFlags, args []string, format string) error {
	// Flag combinations first: nothing is read or written before they make sense.
	if err := f.check(cmd, args); err != nil {
		return err
	}
	var hmacKey []byte
	if f.hmacKeyEnv != "" {
		key, err := a.secretEnv("--hmac-key-env", f.hmacKeyEnv)
		if err != nil {
			// A missing key is bad input the user can fix, like a missing
			// flag value, hence exit 2 (dpone's signature.missing_key);
			// never an unsigned output.
			return fmt.Errorf("%w: %w", err, hmacenv.ErrMissingKey)
		}
		hmacKey = key
	}
	ext, err := parseParams("--external-param", f.externalParams)
	if err != nil {
		return err
	}
	internal, err := parseParams("--internal-param", f.internalParams)
	if err != nil {
		return err
	}
	signer, err := f.signing.signer(a)
	if err != nil {
		return err
	}
	// With SOURCE_DATE_EPOCH, startedOn and finishedOn are that time and
	// the invocation id is derived from the inputs.
	started, derive, err := a.sourceDateEpoch()
	if err != nil {
		return err
	}
	if !derive {
		started = a.now()
	}
	if f.output != "" {
		if err := checkOutputs(f, f.output); err != nil {
			return err
		}
	}

	subjects, err := collectSubjects(a, f, args)
	if err != nil {
		return err
	}
	byproducts, err := hashByproducts(a, f.byproducts)
	if err != nil {
		return err
	}
	build, err := buildenv.Detect(a.ctx, buildenv.Options{Env: a.env, Args: commandLine(cmd, args)})
	if err != nil {
		return usageError("build context: %v", err)
	}
	if err := build.OverrideSource(f.sourceURI, f.sourceCommit); err != nil {
		return usageError("--source-uri/--source-commit: %v", err)
	}
	for _, w := range build.Warnings {
		fmt.Fprintf(a.stderr, "warning: %s\n", w)
	}
	// resolved are dependencies beyond the source (appended after it):
	// with --lock, one per file the lock pins.
	resolved, err := lockDependencies(a, f.lock)
	if err != nil {
		return err
	}
	finished := started
	if !derive {
		finished = a.now()
	}
	st, payload, err := provenance.Generate(provenance.Options{
		ResolvedDependencies: resolved,
		Subjects:             subjects,
		Build:                build,
		BuilderID:            f.builderID,
		BuildType:            f.buildType,
		InvocationID:         f.invocationID,
		ExternalParameters:   ext,
		InternalParameters:   internal,
		Byproducts:           byproducts,
		StartedOn:            started,
		FinishedOn:           finished,
		DeriveInvocationID:   derive,
	})
	if err != nil {
		var fe *slsa.FieldError
		if errors.As(err, &fe) || errors.Is(err, provenance.ErrDuplicateSubject) {
			return usageError("%v", err)
		}
		return err
	}
	pred, err := st.ProvenanceV1()
	if err != nil {
		return err
	}

	res := attestResult{
		Kind:         "statement",
		Subjects:     len(st.Subject),
		Platform:     string(build.Platform),
		BuildType:    pred.BuildDefinition.BuildType,
		BuilderID:    pred.RunDetails.Builder.ID,
		InvocationID: pred.RunDetails.Metadata.InvocationID,
	}
	sum := sha256.Sum256(payload)
	res.PayloadSHA = hex.EncodeToString(sum[:])
	line := payload
	if signer != nil {
		if line, err = signPayload(signer, payload, f.bundle, &res); err != nil {
			return err
		}
	}

	out := f.output
	if out == "" {
		out = defaultOutput(st.Subject, f.bundle)
		if err := checkOutputs(f, out); err != nil {
			return err
		}
	}
	res.Output = out
	if out == "-" {
		_, err := a.stdout.Write(append(line, '\n'))
		if err == nil && signer == nil {
			fmt.Fprintln(a.stderr, "warning: the statement is not signed (no --key); anyone could have written it")
		}
		return err
	}
	content, err := writeAttestation(f, out, line)
	if err != nil {
		return err
	}
	res.Appended = f.appendLine && !bytes.Equal(content, append(line, '\n'))
	if hmacKey != nil {
		if res.HMACEnvelope, err = writeHMACEnvelope(f, out, content, hmacKey); err != nil {
			return err
		}
	}
	if signer == nil {
		fmt.Fprintln(a.stderr, "warning: the statement is not signed (no --key); anyone could have written it")
	}
	if format == formatJSON {
		return writeJSON(a.stdout, res)
	}
	return printAttestResult(a.stdout, res)
}

// check refuses flags that do not go together (usage errors).
func (f *attestFlags) check(cmd *cobra.Command, args []string) error {
	switch {
	case f.bundle && f.signing.key == "":
		return usageError("--bundle needs --key: a Sigstore bundle carries a signature")
	case f.bundle && f.appendLine:
		return usageError("--append adds lines to an .intoto.jsonl; a Sigstore bundle is one JSON document")
	case f.signing.passphraseEnv != "" && f.signing.key == "":
		return usageError("--passphrase-env is the passphrase of --key; no --key given")
	case f.output == "-" && (f.appendLine || f.hmacKeyEnv != ""):
		return usageError("-o - writes to stdout: --append and --hmac-key-env need a file")
	case f.subjectsFile == "-" && slices.Contains(args, "-"):
		return usageError("standard input cannot be both an artifact (-) and --subjects-file -")
	case cmd.Flags().Changed("hmac-key-id") && f.hmacKeyEnv == "":
		return usageError("--hmac-key-id names the key of --hmac-key-env; no --hmac-key-env given")
	}
	return checkJobs(f.jobs)
}

// writeHMACEnvelope writes <out>.hmac-sha256.json, dpone's HMAC-SHA256
// envelope over content (what out now holds), and returns its path.
func writeHMACEnvelope(f *attestFlags, out string, content, key []byte) (string, error) {
	envPath := out + ".hmac-sha256.json"
	sum := sha256.Sum256(content)
	env, err := hmacenv.Sign(key, f.hmacKeyID, filepath.ToSlash(filepath.Clean(out)), hex.EncodeToString(sum[:]))
	if err != nil {
		return "", usageError("--hmac-key-id: %v", err)
	}
	if err := atomicfile.WriteFile(envPath, env.Marshal(), atomicfile.Options{Force: f.force || f.appendLine}); err != nil {
		return "", outputError(err)
	}
	return envPath, nil
}

// parseParams turns K=V flag values into a map; a key given twice is a
// usage error.
func parseParams(flag string, kvs []string) (map[string]any, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		k, v, err := provenance.ParseParameter(kv)
		if err != nil {
			return nil, usageError("%s %v", flag, err)
		}
		if _, dup := m[k]; dup {
			return nil, usageError("%s: %q given twice", flag, k)
		}
		m[k] = v
	}
	return m, nil
}

// checkOutputs refuses, before any work, an output (and HMAC envelope) that
// writing would refuse after it (atomicfile.Check): one that exists without
// --force, or a directory; --append rewrites both.
func checkOutputs(f *attestFlags, out string) error {
	if out == "-" || f.appendLine {
		return nil
	}
	paths := []string{out}
	if f.hmacKeyEnv != "" {
		paths = append(paths, out+".hmac-sha256.json")
	}
	for _, p := range paths {
		if err := atomicfile.Check(p, atomicfile.Options{Force: f.force}); err != nil {
			return usageError("%v", err)
		}
	}
	return nil
}

// collectSubjects gathers the subjects of every source, in the order files,
// --subjects-file, --base64-subjects, --image, --oci-layout.
func collectSubjects(a *app, f *attestFlags, args []string) ([]slsa.ResourceDescriptor, error) {
	var subjects []slsa.ResourceDescriptor
	if len(args) > 0 {
		bar, report := a.hashingProgress()
		ds, err := digest.ExpandPaths(a.ctx, args, digest.Options{Workers: f.jobs, Stdin: a.stdin, Progress: report})
		bar.Finish()
		if err != nil {
			return nil, subjectError("artifacts", err)
		}
		subjects = append(subjects, provenance.FromDigest(ds)...)
	}
	if f.subjectsFile != "" {
		var r io.Reader = a.stdin
		if f.subjectsFile != "-" {
			file, err := os.Open(f.subjectsFile)
			if err != nil {
				return nil, fmt.Errorf("--subjects-file: %w", err)
			}
			defer file.Close()
			r = file
		}
		ds, err := digest.ParseSubjectList(r)
		if err != nil {
			return nil, subjectError("--subjects-file "+f.subjectsFile, err)
		}
		subjects = append(subjects, provenance.FromDigest(ds)...)
	}
	if f.base64Subjects != "" {
		ds, err := digest.ParseBase64Subjects(f.base64Subjects)
		if err != nil {
			return nil, subjectError("--base64-subjects", err)
		}
		subjects = append(subjects, provenance.FromDigest(ds)...)
	}
	for _, ref := range f.images {
		s, err := provenance.ImageSubject(ref)
		if err != nil {
			return nil, usageError("--image %v", err)
		}
		subjects = append(subjects, s)
	}
	for _, dir := range f.ociLayouts {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("--oci-layout: %w", err)
		}
		ss, err := provenance.OCILayoutSubjects(a.ctx, dir)
		if err != nil {
			return nil, usageError("--oci-layout %v", err)
		}
		subjects = append(subjects, ss...)
	}
	if len(subjects) == 0 {
		return nil, usageError("no subjects: name artifacts, or use --subjects-file, --base64-subjects, --image or --oci-layout")
	}
	return subjects, nil
}

// subjectError names the subject source in err and gives it its exit code
// (see isSubjectInputError).
func subjectError(what string, err error) error {
	if isSubjectInputError(err) {
		return usageError("%s: %v", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// hashByproducts hashes the --byproduct files.
func hashByproducts(a *app, paths []string) ([]slsa.ResourceDescriptor, error) {
	var out []slsa.ResourceDescriptor
	for _, p := range paths {
		set, _, err := digest.File(a.ctx, p, digest.SHA256)
		if err != nil {
			return nil, fmt.Errorf("--byproduct: %w", err)
		}
		out = append(out, slsa.ResourceDescriptor{Name: filepath.ToSlash(p), Digest: set})
	}
	return out, nil
}

// outputOnlyFlags change where and how the provenance is written, not what
// it says; commandLine leaves them out so that writing the same provenance
// elsewhere, or again with --force, gives the same statement.
var outputOnlyFlags = map[string]bool{
	"output": true, "force": true, "append": true, "format": true, "jobs": true,
	"key": true, "passphrase-env": true, "bundle": true, "hmac-key-env": true, "hmac-key-id": true,
}

// commandLine reconstructs the command line recorded by the local
// buildType: the flags that shape the statement, sorted by name, then the
// arguments. --base64-subjects is recorded by its SHA-256 (the subjects
// themselves are in the statement). No secret appears: the flags that
// involve secrets name variables, and are output-only anyway.
func commandLine(cmd *cobra.Command, args []string) []string {
	line := []string{"pedigree", cmd.Name()}
	var flags []string
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		switch {
		case outputOnlyFlags[fl.Name]:
		case fl.Name == "base64-subjects":
			sum := sha256.Sum256([]byte(fl.Value.String()))
			flags = append(flags, "--"+fl.Name+"=sha256:"+hex.EncodeToString(sum[:]))
		default:
			if sv, ok := fl.Value.(pflag.SliceValue); ok {
				for _, v := range sv.GetSlice() {
					flags = append(flags, "--"+fl.Name+"="+v)
				}
				return
			}
			flags = append(flags, "--"+fl.Name+"="+fl.Value.String())
		}
	})
	sort.SliceStable(flags, func(i, j int) bool {
		return strings.SplitN(flags[i], "=", 2)[0] < strings.SplitN(flags[j], "=", 2)[0]
	})
	line = append(line, flags...)
	return append(line, args...)
}

// signPayload signs the canonical statement: a DSSE envelope line, or a
// Sigstore bundle with --bundle.
func signPayload(signer crypto.Signer, payload []byte, bundle bool, res *attestResult) ([]byte, error) {
	alg, err := keys.AlgorithmOf(signer.Public())
	if err != nil {
		return nil, usageError("--key: %v", err)
	}
	keyID, err := keys.ID(signer.Public())
	if err != nil {
		return nil, err
	}
	res.Signed, res.KeyAlgorithm, res.KeyID = true, alg, keyID
	if bundle {
		res.Kind = "sigstore-bundle"
		return signBundle(signer, payload)
	}
	env, err := dsse.Sign(signer, dsse.PayloadTypeInToto, payload, dsse.SignOptions{})
	if err != nil {
		return nil, err
	}
	res.Kind = "dsse"
	return json.Marshal(env)
}

// defaultOutput names the output after the first subject (its base name),
// or "multiple" for several, in the current directory.
func defaultOutput(subjects []slsa.ResourceDescriptor, bundle bool) string {
	ext := ".intoto.jsonl"
	if bundle {
		ext = ".sigstore.json"
	}
	if len(subjects) != 1 {
		return "multiple" + ext
	}
	base := baseName(subjects[0].Name)
	if base == "" || base == "." || base == ".." || base == "-" || strings.ContainsAny(base, "\x00:") {
		base = "subject"
	}
	return base + ext
}

// writeAttestation writes the line to out (or appends it with --append)
// atomically and returns the file's new content.
func writeAttestation(f *attestFlags, out string, line []byte) ([]byte, error) {
	content := attestationFile(line, f.bundle)
	opts := atomicfile.Options{Force: f.force}
	if f.appendLine {
		existing, err := readFileLimited(out, maxAppendInput)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			existing = nil
		case err != nil:
			return nil, fmt.Errorf("--append: %w", err)
		}
		if len(existing) > 0 {
			if err := checkJSONL(existing); err != nil {
				return nil, usageError("--append %s: %v; not appending to it", out, err)
			}
			if existing[len(existing)-1] != '\n' {
				existing = append(existing, '\n')
			}
			if fi, err := os.Stat(out); err == nil {
				opts.Perm = fi.Mode().Perm()
			}
			content = append(existing, content...)
			opts.Force = true
		}
	}
	if dir := filepath.Dir(out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	if err := atomicfile.WriteFile(out, content, opts); err != nil {
		return nil, outputError(err)
	}
	return content, nil
}

// attestationFile is what a file holds of one attestation line: the line
// and a newline, or with bundle the Sigstore bundle indented (a bundle is
// one JSON document, not a line of JSON Lines).
func attestationFile(line []byte, bundle bool) []byte {
	if bundle {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, line, "", "  "); err == nil {
			line = pretty.Bytes()
		}
	}
	return append(bytes.Clone(line), '\n')
}

// checkJSONL checks that every non-blank line is a JSON object, so that
// --append never extends a file that is not JSON Lines.
func checkJSONL(data []byte) error {
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if line[0] != '{' || !json.Valid(line) {
			return fmt.Errorf("line %d is not a JSON object", i+1)
		}
	}
	return nil
}

// signature says how the statement was signed, as the text output puts it.
func (res attestResult) signature() string {
	switch res.Kind {
	case "dsse":
		return fmt.Sprintf("DSSE-signed (%s, keyid %s)", res.KeyAlgorithm, res.KeyID)
	case "sigstore-bundle":
		return fmt.Sprintf("Sigstore bundle v0.3 (%s, keyid %s)", res.KeyAlgorithm, res.KeyID)
	}
	return "unsigned"
}

func printAttestResult(w io.Writer, res attestResult) error {
	buildType := res.BuildType
	switch res.BuildType {
	case buildenv.BuildTypeGitHub:
		buildType = "github-actions"
	case buildenv.BuildTypeGitLab:
		buildType = "gitlab-ci"
	case buildenv.BuildTypeLocal:
		buildType = "local"
	}
	verb := "wrote"
	if res.Appended {
		verb = "appended to"
	}
	if _, err := fmt.Fprintf(w, "%s %s: SLSA v1 provenance, %s, build type %s, %s\n", verb, res.Output, plural(res.Subjects, "subject", "subjects"), buildType, res.signature()); err != nil {
		return err
	}
	if res.HMACEnvelope != "" {
		_, err := fmt.Fprintf(w, "wrote %s: HMAC-SHA256 envelope over %s\n", res.HMACEnvelope, res.Output)
		return err
	}
	return nil
}

// signBundle signs the statement as a Sigstore bundle v0.3 needs it: no
// keyid in the envelope (the bundle's public-key hint names the key) and
// RSA keys signing PKCS#1 v1.5, sigstore-go's default.
func signBundle(signer crypto.Signer, payload []byte) ([]byte, error) {
	env, err := dsse.Sign(signer, dsse.PayloadTypeInToto, payload, dsse.SignOptions{OmitKeyID: true, RSAScheme: dsse.RSAPKCS1v15})
	if err != nil {
		return nil, err
	}
	return sigstore.NewDSSEBundle(env, signer.Public())
}
