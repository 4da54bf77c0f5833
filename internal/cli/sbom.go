package cli

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/internal/atomicfile"
	"github.com/pedigree-dev/pedigree/lockfile"
	"github.com/pedigree-dev/pedigree/sbom"
)

func newSBOMCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sbom [PROJECT_DIR | pyproject.toml]",
		Short: "Write an SPDX 2.3 or CycloneDX 1.6 SBOM for a Python project and its lock file",
		Long: `sbom writes a software bill of materials for a Python project: the project
from its pyproject.toml, and every package of its lock file with its hashes,
PURL, scope (runtime, dev or optional), environment markers and dependency
graph. The document is validated against the official schema before it is
written; with SOURCE_DATE_EPOCH set the output is byte-for-byte reproducible.

--dist adds distribution files: the project's own wheels and sdists (the
root component lists their digests, and its license and version come from
their METADATA when pyproject.toml has none) and locked packages' wheels
(their digest must be one the lock pins; their METADATA gives the license).
Wheels are verified against their RECORD, and the PEP 770 SBOMs they embed
(.dist-info/sboms/) are referenced with their digests.

The lock file is --lock, or the first of pylock.toml, uv.lock, poetry.lock,
pdm.lock, Pipfile.lock and requirements.txt found in the project directory.
--format is spdx-json or cyclonedx-json; without it, an output name ending
in .spdx.json or .cdx.json (or .cyclonedx.json) chooses. -o - or no -o
writes the document to standard output.

--attest --key KEY writes the SBOM as the predicate of an in-toto statement
(predicate type https://spdx.dev/Document/v2.3 or
https://cyclonedx.org/bom/v1.6) whose subjects are the project's own --dist
files, signed as attest signs provenance: a DSSE envelope line over the
statement's RFC 8785 canonical JSON, or with --bundle a Sigstore bundle v0.3.
The format may then come from names like NAME.cdx.intoto.jsonl.`,
		Example: `  $ cd examples/demo
  $ pedigree sbom --dist dist --dist wheelhouse -o pedigree-demo.cdx.json
  wrote pedigree-demo.cdx.json: CycloneDX 1.6 SBOM of pedigree-demo 0.1.0 (3 distribution files), 1 package from requirements.txt (1 runtime, 0 dev, 0 optional; 1 with hashes, 1 with a license)
  $ pedigree sbom --dist dist --dist wheelhouse -o pedigree-demo.spdx.json
  wrote pedigree-demo.spdx.json: SPDX 2.3 SBOM of pedigree-demo 0.1.0 (3 distribution files), 1 package from requirements.txt (1 runtime, 0 dev, 0 optional; 1 with hashes, 1 with a license)
  $ pedigree sbom --dist dist --dist wheelhouse --attest --key release.key -o pedigree-demo.cdx.intoto.jsonl
  wrote pedigree-demo.cdx.intoto.jsonl: CycloneDX 1.6 SBOM of pedigree-demo 0.1.0 (3 distribution files), 1 package from requirements.txt (1 runtime, 0 dev, 0 optional; 1 with hashes, 1 with a license); in-toto statement about 2 subjects, DSSE-signed (ed25519, keyid b467a8a0019a3da9ba4a1dd8382b7f1f23d647096b1f66c3563ae125aba028b9)`,
		Args: cobra.MaximumNArgs(1),
	}
	format := &formatFlag{allowed: []string{string(sbom.FormatSPDXJSON), string(sbom.FormatCycloneDXJSON)}}
	cmd.Flags().Var(format, "format", "document format: spdx-json or cyclonedx-json")
	lockPath := cmd.Flags().String("lock", "", "lock file (default: found in the project directory)")
	dists := cmd.Flags().StringArray("dist", nil, "wheel or sdist to describe: the project's own, or a locked package's (repeatable; a directory or a quoted glob adds every .whl and .tar.gz in it)")
	output := cmd.Flags().StringP("output", "o", "-", "output file, - for standard output")
	force := cmd.Flags().Bool("force", false, "overwrite the output file if it exists")
	attest := cmd.Flags().Bool("attest", false, "write the SBOM as a signed in-toto statement about the project's --dist files")
	var signing signingKeyFlags
	addSigningKeyFlags(cmd, &signing, "with --attest: ")
	bundle := cmd.Flags().Bool("bundle", false, "with --attest: write a Sigstore bundle v0.3 (public-key hint) instead of a DSSE line")

	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		projectArg := "."
		if len(args) == 1 {
			projectArg = args[0]
		}
		f, err := sbomFormat(format.value, *output)
		if err != nil {
			return err
		}
		when, err := a.outputTime()
		if err != nil {
			return err
		}
		var signer crypto.Signer
		switch {
		case *attest && signing.key == "":
			return usageError("--attest needs --key: the statement is signed")
		case !*attest && (signing.key != "" || signing.passphraseEnv != "" || *bundle):
			return usageError("--key, --passphrase-env and --bundle go with --attest")
		case *attest:
			if signer, err = signing.signer(a); err != nil {
				return err
			}
		}
		project, err := sbom.ReadProject(projectArg)
		if err != nil {
			return sbomInputError(err)
		}
		distPaths, err := expandDists(*dists)
		if err != nil {
			return err
		}
		lock, err := sbomLock(a, *lockPath, project)
		if err != nil {
			return err
		}
		inv, err := sbom.New(sbom.Options{Project: project, Lock: lock, Dists: distPaths, Time: when, ToolVersion: version})
		if err != nil {
			return sbomInputError(err)
		}
		var data []byte
		var res attestResult
		if signer != nil {
			data, err = sbomAttestation(inv, f, signer, *bundle, &res)
		} else {
			data, err = inv.Encode(f)
		}
		if err != nil {
			if errors.Is(err, sbom.ErrUnsupportedHash) {
				return failed(err)
			}
			return err
		}
		if *output == "-" {
			_, err := a.stdout.Write(data)
			return err
		}
		if err := atomicfile.WriteFile(*output, data, atomicfile.Options{Force: *force}); err != nil {
			return outputError(err)
		}
		return writeSBOMWritten(a.stdout, *output, f, inv.Summary(), res)
	}
	return cmd
}

// sbomLock reads the project's lock: lockPath, or the first lock file
// found beside its pyproject.toml. A project without one is fine when it
// declares no dependency (nil), a usage error when it does. Lines pip would
// refuse are listed anyway, with a warning.
func sbomLock(a *app, lockPath string, project *sbom.Project) (*lockfile.Lock, error) {
	projectDir := filepath.Dir(project.Path)
	if lockPath == "" {
		lockPath = sbom.FindLock(projectDir)
	}
	if lockPath == "" {
		if len(project.Requirements()) > 0 {
			return nil, usageError("%s declares dependencies but no lock file was found in %s (looked for %s); pass --lock", project.Path, projectDir, strings.Join(sbom.LockNames, ", "))
		}
		return nil, nil
	}
	lock, err := lockfile.ParseFile(lockPath, lockfile.Options{})
	if err != nil {
		return nil, sbomInputError(err)
	}
	if err := lock.Err(); err != nil {
		fmt.Fprintf(a.stderr, "pedigree: warning: %s: %d line(s) pip would refuse, listed anyway; first: %v\n", lockPath, len(lock.Problems), lock.Problems[0])
	}
	return lock, nil
}

// writeSBOMWritten prints the line saying what sbom wrote to output: the
// document, what it lists and, with --attest, the statement's signature.
func writeSBOMWritten(w io.Writer, output string, f sbom.Format, s sbom.Summary, res attestResult) error {
	from := ""
	if s.Lock != "" {
		from = " from " + s.Lock
	}
	name := s.Project
	if s.Version != "" {
		name += " " + s.Version
	}
	if s.Artifacts > 0 {
		name += " (" + plural(s.Artifacts, "distribution file", "distribution files") + ")"
	}
	signed := ""
	if res.Signed {
		signed = fmt.Sprintf("; in-toto statement about %s, %s", plural(res.Subjects, "subject", "subjects"), res.signature())
	}
	_, err := fmt.Fprintf(w, "wrote %s: %s SBOM of %s, %s%s (%d runtime, %d dev, %d optional; %d with hashes, %d with a license)%s\n",
		output, sbomTitle(f), name, plural(s.Packages, "package", "packages"), from, s.Runtime, s.Dev, s.Optional, s.WithHashes, s.WithLicense, signed)
	return err
}

// sbomAttestation signs the SBOM's in-toto statement (predicate type
// https://spdx.dev/Document/v2.3 or https://cyclonedx.org/bom/v1.6, subjects
// the project's distribution files) as attest signs provenance: a DSSE
// envelope line, or a Sigstore bundle.
func sbomAttestation(inv *sbom.Inventory, f sbom.Format, signer crypto.Signer, bundle bool, res *attestResult) ([]byte, error) {
	st, payload, err := inv.Statement(f)
	if err != nil {
		if errors.Is(err, sbom.ErrNoSubjects) {
			return nil, usageError("--attest: %v (add them with --dist)", err)
		}
		return nil, err
	}
	res.Subjects = len(st.Subject)
	line, err := signPayload(signer, payload, bundle, res)
	if err != nil {
		return nil, err
	}
	return attestationFile(line, bundle), nil
}

// expandDists turns --dist values into files: a directory gives its .whl,
// .tar.gz and .zip files, a pattern with glob characters its matches (at
// least one), anything else is taken as a file.
func expandDists(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		if fi, err := os.Stat(v); err == nil && fi.IsDir() {
			entries, err := os.ReadDir(v)
			if err != nil {
				return nil, err
			}
			n := len(out)
			for _, e := range entries {
				name := strings.ToLower(e.Name())
				if e.Type().IsRegular() && (strings.HasSuffix(name, ".whl") || strings.HasSuffix(name, ".tar.gz") || strings.HasSuffix(name, ".zip")) {
					out = append(out, filepath.Join(v, e.Name()))
				}
			}
			if len(out) == n {
				return nil, usageError("--dist %s: no wheel or sdist in this directory", v)
			}
			continue
		}
		if strings.ContainsAny(v, "*?[") {
			matches, err := filepath.Glob(v)
			if err != nil {
				return nil, usageError("--dist %s: %v", v, err)
			}
			if len(matches) == 0 {
				return nil, fmt.Errorf("--dist %s: matches no file", v)
			}
			out = append(out, matches...)
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

// sbomFormat is --format, or the format the output name implies.
func sbomFormat(flag, output string) (sbom.Format, error) {
	if flag != "" {
		return sbom.Format(flag), nil
	}
	lower := strings.ToLower(output)
	for _, ext := range []string{".intoto.jsonl", ".intoto.json", ".sigstore.json"} {
		if strings.HasSuffix(lower, ext) {
			lower = strings.TrimSuffix(lower, ext) + ".json" // NAME.cdx.intoto.jsonl: NAME.cdx.json's format
			break
		}
	}
	switch {
	case strings.HasSuffix(lower, ".spdx.json"):
		return sbom.FormatSPDXJSON, nil
	case strings.HasSuffix(lower, ".cdx.json"), strings.HasSuffix(lower, ".cyclonedx.json"):
		return sbom.FormatCycloneDXJSON, nil
	}
	return "", usageError("--format is required (spdx-json or cyclonedx-json) unless the -o name ends in .spdx.json or .cdx.json (or, with --attest, .spdx.intoto.jsonl or .cdx.intoto.jsonl)")
}

func sbomTitle(f sbom.Format) string {
	if f == sbom.FormatSPDXJSON {
		return "SPDX 2.3"
	}
	return "CycloneDX 1.6"
}

// sbomInputError maps an error reading the project, lock or dists: a file
// that is missing or unreadable is an I/O error (exit 3), one whose content
// is rejected a failed check (exit 1).
func sbomInputError(err error) error {
	if isIOError(err) {
		return err
	}
	return failed(err)
}
