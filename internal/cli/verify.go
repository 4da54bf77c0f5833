package cli

import (
	"bytes"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/verify"
)

// verifyFlags are the flags pedigree verify shares with verify-artifact.
type verifyFlags struct {
	provenance     []string
	trustedRoot    string
	keys           []string
	issuer         string
	issuerRegexp   string
	identity       string
	identityRegexp string
	publisher      string
	sourceURI      string
	builderID      string
	sourceTag      string
	versionedTag   string
	sourceBranch   string
	inputs         []string
	print          bool
	verifierID     string
	resourceURI    string
	levels         []string
	keyID          string
	server         string
}

func newVerifyCmd(a *app) *cobra.Command {
	f := &verifyFlags{}
	cmd := &cobra.Command{
		Use:   "verify [flags] ARTIFACT...",
		Short: "Verify artifacts against signed attestations, offline",
		Long: `Verify checks each ARTIFACT (a file, or ALG:HEX such as sha256:... when only the
digest is known) against the attestations given with --provenance: the
signature (a Sigstore bundle checked against --trusted-root, by default the
public-good root built into pedigree, or a key given with --key), that the
artifact is a subject, the signer's identity, SLSA provenance policy with
slsa-verifier's meaning, and PEP 740's rules for Python distributions.

An artifact passes when at least one attestation that names it passes every
check. A certificate-signed attestation needs an identity policy: --source-uri
(slsa-github-generator's builders are trusted, any other builder must be named
with --builder-id), --builder-id, --cert-identity with --cert-oidc-issuer, or
--publisher. Nothing passes without one.

Exit codes: 0 every artifact verified, 1 a verification failed, 2 usage,
3 I/O or internal error.`,
		Example: `  $ pedigree verify --provenance binary-linux-amd64-push-v14.intoto.jsonl \
      --source-uri github.com/slsa-framework/example-package --source-versioned-tag v14 \
      binary-linux-amd64-push-v14
  PASSED: binary-linux-amd64-push-v14: binary-linux-amd64-push-v14.intoto.jsonl (builder https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0, source git+https://github.com/slsa-framework/example-package@refs/tags/v14)

  $ pedigree verify --provenance pypi_attestations-0.0.19.tar.gz.publish.attestation \
      --publisher github:trailofbits/pypi-attestations@release.yml pypi_attestations-0.0.19.tar.gz
  PASSED: pypi_attestations-0.0.19.tar.gz: pypi_attestations-0.0.19.tar.gz.publish.attestation (signer https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19, issuer https://token.actions.githubusercontent.com, predicate https://docs.pypi.org/attestations/publish/v1)`,
		Args: cobra.MinimumNArgs(1),
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.provenance, "provenance", nil, "attestation file, or a directory of them (repeatable)")
	fl.StringVar(&f.server, "server", "", "attestation store (pedigree serve) to fetch the artifacts' attestations from by digest, http://HOST:PORT; its token, if it needs one for reads, from $"+storeTokenEnv)
	addTrustFlags(cmd, f)
	fl.BoolVar(&f.print, "print-provenance", false, "print each verified statement (JSON, one per line) to stdout; status lines then go to stderr")
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(f.provenance) == 0 && f.server == "" {
			return usageError("verify: give at least one attestation with --provenance, or a store with --server")
		}
		pol, err := f.trustPolicy()
		if err != nil {
			return err
		}
		rep, err := runVerify(a, f, pol, args)
		if err != nil {
			return err
		}
		if format.value == formatJSON {
			if !f.print {
				dropStatements(rep.Artifacts)
			}
			if err := writeJSON(a.stdout, rep); err != nil {
				return err
			}
		} else if err := writeVerifyText(a, rep, f.print); err != nil {
			return err
		}
		if !rep.Verified {
			return silentFailure()
		}
		return nil
	}
	return cmd
}

// addTrustFlags registers the trust and policy flags pedigree verify shares
// with pedigree serve, which verifies what it stores as verify would.
func addTrustFlags(cmd *cobra.Command, f *verifyFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.trustedRoot, "trusted-root", "", "Sigstore trusted_root.json (default: the public-good root built into pedigree)")
	fl.StringArrayVar(&f.keys, "key", nil, "PEM public key: verify key-signed attestations with it (repeatable)")
	fl.StringVar(&f.issuer, "cert-oidc-issuer", "", "OIDC issuer the signing certificate must carry")
	fl.StringVar(&f.issuerRegexp, "cert-oidc-issuer-regexp", "", "regular expression the certificate's OIDC issuer must match")
	fl.StringVar(&f.identity, "cert-identity", "", "identity (subject alternative name) the signing certificate must carry")
	fl.StringVar(&f.identityRegexp, "cert-identity-regexp", "", "regular expression the certificate's identity must match")
	fl.StringVar(&f.publisher, "publisher", "", "PyPI Trusted Publisher the signer must be: github:OWNER/REPO[@WORKFLOW] or gitlab:NAMESPACE/PROJECT[@FILE]")
	addProvenancePolicyFlags(cmd, f)
	fl.StringVar(&f.verifierID, "verifier-id", "", "SLSA verification summary: the verifier that must have issued it")
	fl.StringVar(&f.resourceURI, "resource-uri", "", "SLSA verification summary: the resource it must be about")
	fl.StringArrayVar(&f.levels, "verified-level", nil, "SLSA verification summary: a level it must claim, e.g. SLSA_BUILD_LEVEL_2 (repeatable)")
	fl.StringVar(&f.keyID, "public-key-id", "", "the key id the verifying signature must carry (DSSE keyid, or a bundle's key hint)")
}

// addProvenancePolicyFlags registers the SLSA policy flags with
// slsa-verifier's names and meaning.
func addProvenancePolicyFlags(cmd *cobra.Command, f *verifyFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.sourceURI, "source-uri", "", "source repository the artifact must be built from, e.g. github.com/OWNER/REPO")
	fl.StringVar(&f.builderID, "builder-id", "", "builder to trust, NAME or NAME@REF (required for builders other than slsa-github-generator's own)")
	fl.StringVar(&f.sourceTag, "source-tag", "", "exact tag the artifact must be built from")
	fl.StringVar(&f.versionedTag, "source-versioned-tag", "", "semantic version prefix the build's tag must match (v14 matches v14.x.y)")
	fl.StringVar(&f.sourceBranch, "source-branch", "", "branch the artifact must be built from")
	fl.StringArrayVar(&f.inputs, "build-workflow-input", nil, "workflow_dispatch input the build must have had, KEY=VALUE (repeatable)")
	cmd.MarkFlagsMutuallyExclusive("source-tag", "source-versioned-tag")
}

// policy turns the flags into a verify.Policy, or a usage error.
func (f *verifyFlags) policy() (verify.Policy, error) {
	var pol verify.Policy
	if f.issuer != "" || f.issuerRegexp != "" || f.identity != "" || f.identityRegexp != "" {
		if f.issuer != "" && f.issuerRegexp != "" {
			return pol, usageError("verify: --cert-oidc-issuer and --cert-oidc-issuer-regexp are exclusive")
		}
		if f.identity != "" && f.identityRegexp != "" {
			return pol, usageError("verify: --cert-identity and --cert-identity-regexp are exclusive")
		}
		if f.issuer == "" && f.issuerRegexp == "" {
			return pol, usageError("verify: a certificate identity needs --cert-oidc-issuer or --cert-oidc-issuer-regexp")
		}
		if f.identity == "" && f.identityRegexp == "" {
			return pol, usageError("verify: --cert-oidc-issuer needs --cert-identity or --cert-identity-regexp")
		}
		for _, re := range []struct{ flag, value string }{{"--cert-oidc-issuer-regexp", f.issuerRegexp}, {"--cert-identity-regexp", f.identityRegexp}} {
			if _, err := regexp.Compile(re.value); err != nil {
				return pol, usageError("verify: %s: %v", re.flag, err)
			}
		}
		pol.Identity = &sigstore.Identity{Issuer: f.issuer, IssuerRegexp: f.issuerRegexp, SAN: f.identity, SANRegexp: f.identityRegexp}
	}
	if f.publisher != "" {
		p, err := verify.ParsePublisher(f.publisher)
		if err != nil {
			return pol, usageError("verify: --publisher: %v", err)
		}
		pol.Publisher = &p
	}
	pol.Provenance = verify.ProvenancePolicy{
		SourceURI: f.sourceURI, BuilderID: f.builderID, SourceTag: f.sourceTag,
		SourceVersionedTag: f.versionedTag, SourceBranch: f.sourceBranch,
	}
	pol.VSA = verify.VSAPolicy{VerifierID: f.verifierID, ResourceURI: f.resourceURI, VerifiedLevels: f.levels, KeyID: f.keyID}
	for _, kv := range f.inputs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return pol, usageError("verify: --build-workflow-input %q: want KEY=VALUE", kv)
		}
		if pol.Provenance.WorkflowInputs == nil {
			pol.Provenance.WorkflowInputs = map[string]string{}
		}
		pol.Provenance.WorkflowInputs[k] = v
	}
	if err := pol.Validate(); err != nil {
		return pol, usageError("verify: %v", err)
	}
	return pol, nil
}

// trustPolicy is policy with the checks of flags that exclude each other.
func (f *verifyFlags) trustPolicy() (verify.Policy, error) {
	pol, err := f.policy()
	if err != nil {
		return pol, err
	}
	if len(f.keys) > 0 && pol.Identity != nil {
		return pol, usageError("verify: --key and --cert-identity/--cert-oidc-issuer are exclusive: a key-signed attestation has no certificate")
	}
	if len(f.keys) > 0 && pol.Publisher != nil {
		return pol, usageError("verify: --key and --publisher are exclusive: a Trusted Publisher signs with a certificate")
	}
	return pol, nil
}

// runVerify loads the trust material, artifacts and attestations (from
// --provenance and --server) and verifies. Unreadable inputs are I/O errors
// (exit 3); attestations that are not well-formed are reported as failed
// attestations.
func runVerify(a *app, f *verifyFlags, pol verify.Policy, args []string) (*verify.Report, error) {
	v, err := newVerifier(f)
	if errors.Is(err, errUnusableTrust) {
		// Trust material that does not validate verifies nothing: a
		// failed verification.
		return nil, failed(err)
	}
	if err != nil {
		return nil, err
	}
	arts, err := parseArtifacts(args)
	if err != nil {
		return nil, err
	}
	items, unreadable, err := readAttestations(f.provenance)
	if err != nil {
		return nil, err
	}
	if f.server != "" {
		fetched, bad, err := fetchAttestations(a, f.server, arts)
		if err != nil {
			return nil, err
		}
		items, unreadable = append(items, fetched...), append(unreadable, bad...)
	}
	return v.Verify(a.ctx, verify.Options{Artifacts: arts, Attestations: items, Unreadable: unreadable, Policy: pol})
}

// errUnusableTrust: a --trusted-root or --key file was read but holds no
// usable trust material. verify counts it a failed verification (exit 1),
// serve a bad flag (exit 2).
var errUnusableTrust = errors.New("cannot be used")

// newVerifier loads the trust material the flags name: a trusted root
// (default: the public-good root built in) and public keys. A file that
// cannot be read is an I/O error; one that holds nothing usable wraps
// errUnusableTrust.
func newVerifier(f *verifyFlags) (*verify.Verifier, error) {
	var opts []verify.Option
	if f.trustedRoot != "" {
		tr, err := sigstore.LoadTrustedRoot(f.trustedRoot)
		switch {
		case err != nil && isIOError(err):
			return nil, err
		case err != nil:
			return nil, fmt.Errorf("trusted root %s %w: %w", f.trustedRoot, errUnusableTrust, err)
		}
		opts = append(opts, verify.WithTrustedRoot(tr))
	}
	if len(f.keys) > 0 {
		var pubs []crypto.PublicKey
		for _, path := range f.keys {
			data, err := readFileLimited(path, keys.MaxPEMSize)
			if err != nil {
				return nil, err
			}
			pub, err := keys.ParsePublicKeyPEM(data)
			if err != nil {
				return nil, fmt.Errorf("public key %s %w: %w", path, errUnusableTrust, err)
			}
			pubs = append(pubs, pub)
		}
		opts = append(opts, verify.WithPublicKeys(pubs...))
	}
	return verify.New(opts...)
}

// readAttestations reads every attestation in paths (files, and the files
// of directories, walked in lexical order, skipping hidden directories,
// links to directories and files that are not JSON attestations). A file that is an attestation but
// malformed is returned as Unreadable, to be reported as a failure, so one
// bad file does not hide the others; file system errors are returned.
func readAttestations(paths []string) ([]attestation.Item, []verify.Unreadable, error) {
	var items []attestation.Item
	var unreadable []verify.Unreadable
	add := func(path string, inDir bool) error {
		if inDir {
			ok, err := startsWithBrace(path)
			if err != nil || !ok {
				return err
			}
		}
		found, err := attestation.ParseFile(path)
		switch {
		case err == nil:
			items = append(items, found...)
		case isIOError(err):
			return err
		case inDir && errors.Is(err, attestation.ErrUnknownFormat):
			// Some other JSON file beside the attestations.
		default:
			unreadable = append(unreadable, verify.Unreadable{Source: path, Err: err})
		}
		return nil
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			if err := add(p, false); err != nil {
				return nil, nil, err
			}
			continue
		}
		before := len(items) + len(unreadable)
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && path != p && strings.HasPrefix(d.Name(), "."):
				return filepath.SkipDir
			case d.Type()&fs.ModeSymlink != 0:
				// A link to an attestation file counts; links to
				// directories are not followed (they could loop).
				if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
					return nil
				}
			case !d.Type().IsRegular():
				return nil
			}
			return add(path, true)
		})
		if err != nil {
			return nil, nil, err
		}
		if len(items)+len(unreadable) == before {
			unreadable = append(unreadable, verify.Unreadable{Source: p, Err: fmt.Errorf("a directory with no attestation: %w", attestation.ErrNoAttestations)})
		}
	}
	return items, unreadable, nil
}

// startsWithBrace reports whether a file's first non-space byte is "{", the
// start of every attestation format, reading at most 4 KiB.
func startsWithBrace(path string) (bool, error) {
	head, err := readHead(path, 4096)
	return err == nil && startsLikeJSONObject(head), err
}

// digestAlgorithmRE matches digest algorithm names as in-toto spells them
// (sha256, sha512, gitCommit, gce_image_id...).
var digestAlgorithmRE = regexp.MustCompile(`^[a-z][A-Za-z0-9_]*$`)

// parseArtifacts reads ARTIFACT arguments: an existing file, or ALG:DIGEST
// (sha256:HEX, or any in-toto digest algorithm, such as a VSA's
// gce_image_id:NUMBER).
func parseArtifacts(args []string) ([]verify.Artifact, error) {
	arts := make([]verify.Artifact, 0, len(args))
	for _, arg := range args {
		fi, statErr := os.Stat(arg)
		if statErr == nil {
			if fi.IsDir() {
				return nil, usageError("verify: %s is a directory; give the artifact files", arg)
			}
			arts = append(arts, verify.Artifact{Path: arg})
			continue
		}
		alg, value, ok := strings.Cut(arg, ":")
		if !ok || !digestAlgorithmRE.MatchString(alg) || value == "" || strings.ContainsAny(value, "/\\") {
			return nil, fmt.Errorf("artifact %s: %w (give a file, or ALG:DIGEST such as sha256:HEX)", arg, statErr)
		}
		if err := digest.ValidateValue(alg, value); err != nil {
			return nil, usageError("verify: artifact %s: %v", arg, err)
		}
		arts = append(arts, verify.Artifact{Name: arg, Digest: digest.Set{alg: value}})
	}
	return arts, nil
}

// dropStatements removes the verified statements from arts: the JSON
// reports carry them only with --print-provenance.
func dropStatements(arts []verify.ArtifactResult) {
	for i := range arts {
		for j := range arts[i].Attestations {
			arts[i].Attestations[j].Statement = nil
		}
	}
}

// writeVerifyText prints one line per artifact: PASSED or FAILED with the
// reason. With printProvenance the statements go to stdout, one per line,
// and the status lines to stderr.
func writeVerifyText(a *app, rep *verify.Report, printProvenance bool) error {
	status := a.stdout
	if printProvenance {
		status = a.stderr
	}
	printed := map[string]bool{}
	for _, r := range rep.Artifacts {
		if !r.Verified {
			if _, err := fmt.Fprintf(status, "FAILED: %s: %s\n", r.Artifact, oneLine(r.Error)); err != nil {
				return err
			}
			continue
		}
		for _, ev := range r.Attestations {
			if !ev.Verified {
				continue
			}
			if _, err := fmt.Fprintf(status, "PASSED: %s: %s (%s)\n", r.Artifact, ev.Attestation, describeEvaluation(ev)); err != nil {
				return err
			}
			if printProvenance && ev.Statement != nil && !printed[ev.Attestation] {
				printed[ev.Attestation] = true
				if _, err := fmt.Fprintf(a.stdout, "%s\n", compactJSON(ev.Statement)); err != nil {
					return err
				}
			}
			break
		}
	}
	return nil
}

func describeEvaluation(ev verify.Evaluation) string {
	var parts []string
	if ev.BuilderID != "" {
		parts = append(parts, "builder "+ev.BuilderID)
	}
	if ev.SourceURI != "" {
		src := ev.SourceURI
		if ev.SourceRef != "" {
			src += "@" + ev.SourceRef
		}
		parts = append(parts, "source "+src)
	}
	if len(parts) == 0 {
		switch {
		case ev.SignerIdentity != "":
			parts = append(parts, "signer "+ev.SignerIdentity, "issuer "+ev.SignerIssuer)
		case ev.KeyID != "":
			parts = append(parts, "key "+ev.KeyID)
		}
	}
	if ev.PredicateType != "" && ev.BuilderID == "" {
		parts = append(parts, "predicate "+ev.PredicateType)
	}
	return strings.Join(parts, ", ")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// compactJSON returns raw without insignificant white space (raw itself if
// it is not valid JSON).
func compactJSON(raw []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}
