package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/atomicfile"
	"github.com/pedigree-dev/pedigree/pspf"
	"github.com/pedigree-dev/pedigree/slsa"
)

func newPSPFCmd(a *app) *cobra.Command {
	return groupCmd(&cobra.Command{
		Use:   "pspf",
		Short: "PSPF (flavor) package provenance records",
		Long: `Commands for the provenance record that flavor (provide-io/flavorpack) stores in
the attestation slot of a PSPF package.`,
	}, newPSPFRecordCmd(a))
}

// pspfReport is what `pspf record --format json` prints.
type pspfReport struct {
	Kind          string          `json:"kind"` // record, attestation-slot, statement or dsse-envelope
	PredicateType string          `json:"predicateType,omitempty"`
	Output        string          `json:"output,omitempty"`
	SHA256        string          `json:"sha256"`
	Content       string          `json:"content"`
	Record        *pspf.Record    `json:"record"`
	Statement     *slsa.Statement `json:"statement,omitempty"`
}

func newPSPFRecordCmd(a *app) *cobra.Command {
	var (
		opts         pspf.Options
		launcherPath string
		fingerprint  string
		timestamp    string
		subjects     []string
		signing      signingKeyFlags
		slot         bool
		output       string
		force        bool
	)
	cmd := &cobra.Command{
		Use:   "record",
		Short: "Print a PSPF provenance record exactly as flavor's build_provenance writes it",
		Long: `Print the nine-key provenance record flavor stores in a PSPF package's attestation
slot: builder, builder_version, build_timestamp (ISO 8601 in UTC, "+00:00"),
source_date_epoch, platform{os,arch}, python{version,implementation},
launcher{language,version,hash}, reproducible and signing_attestation_key_fp, as
key-sorted compact JSON with non-ASCII escaped, byte for byte what flavor writes.

The build time is --build-timestamp, else SOURCE_DATE_EPOCH, else now.
"reproducible" is true when SOURCE_DATE_EPOCH is set and not blank. Unlike
flavor, a SOURCE_DATE_EPOCH that is not an integer is an error, not
"reproducible". Like flavor, --launcher-hash and --signing-key-fingerprint are
written as given ("sha256:" is prefixed to the fingerprint).

--attestation-slot prints the slot content instead ({"provenance": record}, as
flavor's build_attestation writes it with the SBOM disabled).

--subject PKG (repeatable) wraps the record as the predicate of an in-toto
Statement v1 whose subjects are the package files' sha256 digests, with
predicate type ` + pspf.PredicateType + `, written as canonical JSON
(RFC 8785); with --key it is signed into a DSSE envelope (one line, as in an
.intoto.jsonl file) that 'pedigree inspect --key' and verifiers check.

The record goes to stdout followed by a newline, or with -o to a file
without one. --format json prints a report: kind, sha256 and content of the
exact bytes, the record, and the statement when there is one.`,
		Example: `  $ pedigree pspf record --builder-name flavor-python --builder-version 0.3.21 \
      --platform-os linux --platform-arch amd64 --python-version 3.11.12 \
      --launcher-language go --launcher-version 1.24.1 \
      --launcher-hash sha256:abababababababababababababababababababababababababababababababab \
      --build-timestamp 1743379200
  {"build_timestamp":"2025-03-31T00:00:00+00:00","builder":"flavor-python","builder_version":"0.3.21","launcher":{"hash":"sha256:abababababababababababababababababababababababababababababababab","language":"go","version":"1.24.1"},"platform":{"arch":"amd64","os":"linux"},"python":{"implementation":"cpython","version":"3.11.12"},"reproducible":false,"signing_attestation_key_fp":null,"source_date_epoch":1743379200}`,
		Args: cobra.NoArgs,
	}
	f := cmd.Flags()
	f.StringVar(&opts.BuilderName, "builder-name", "", "builder tool name, e.g. flavor-python (required)")
	f.StringVar(&opts.BuilderVersion, "builder-version", "", "builder tool version (required)")
	f.StringVar(&opts.PlatformOS, "platform-os", "", "target operating system, e.g. linux (required)")
	f.StringVar(&opts.PlatformArch, "platform-arch", "", "target architecture, e.g. amd64 (required)")
	f.StringVar(&opts.PythonVersion, "python-version", "", "Python version, e.g. 3.11.12 (required)")
	f.StringVar(&opts.LauncherLanguage, "launcher-language", "", "launcher language: go or rust (required)")
	f.StringVar(&opts.LauncherVersion, "launcher-version", "", "launcher version (required)")
	f.StringVar(&launcherPath, "launcher", "", "launcher binary to hash (records sha256:<hex>)")
	f.StringVar(&opts.LauncherHash, "launcher-hash", "", "launcher hash as recorded, e.g. sha256:HEX")
	f.StringVar(&fingerprint, "signing-key-fingerprint", "", "hex fingerprint of the package signing key (recorded as sha256:HEX; null when absent)")
	f.StringVar(&timestamp, "build-timestamp", "", "build time in seconds since 1970 (default SOURCE_DATE_EPOCH, else now)")
	f.StringArrayVar(&subjects, "subject", nil, "package file: print an in-toto statement about it with the record as predicate (repeatable)")
	f.BoolVar(&slot, "attestation-slot", false, `print the attestation slot content {"provenance": record}`)
	addSigningKeyFlags(cmd, &signing, "with --subject: ")
	f.StringVarP(&output, "output", "o", "", "write the bytes to this file (no trailing newline)")
	f.BoolVar(&force, "force", false, "overwrite the output file")
	for _, name := range []string{"builder-name", "builder-version", "platform-os", "platform-arch",
		"python-version", "launcher-language", "launcher-version"} {
		_ = cmd.MarkFlagRequired(name)
	}
	cmd.MarkFlagsMutuallyExclusive("launcher", "launcher-hash")
	cmd.MarkFlagsOneRequired("launcher", "launcher-hash")
	cmd.MarkFlagsMutuallyExclusive("subject", "attestation-slot")
	format := addFormatFlag(cmd)

	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if signing.key != "" && len(subjects) == 0 {
			return usageError("--key signs the statement: give --subject PKG too")
		}
		opts.SourceDateEpoch = a.getenv("SOURCE_DATE_EPOCH")
		if _, err := pspf.CheckSourceDateEpoch(opts.SourceDateEpoch); err != nil {
			return usageError("%v", err)
		}
		var err error
		if opts.BuildTimestamp, err = pspfBuildTimestamp(a, cmd.Flags().Changed("build-timestamp"), timestamp, opts.SourceDateEpoch); err != nil {
			return err
		}
		if cmd.Flags().Changed("signing-key-fingerprint") {
			opts.SigningKeyFingerprint = &fingerprint
		}
		if launcherPath != "" {
			sum, _, err := digest.File(a.ctx, launcherPath, digest.SHA256)
			if err != nil {
				return fmt.Errorf("--launcher: %w", err)
			}
			opts.LauncherHash = "sha256:" + sum[digest.SHA256]
		}
		rec, err := pspf.Build(opts)
		if err != nil {
			return usageError("%v", err)
		}

		report := pspfReport{Kind: "record", Record: rec}
		var content []byte
		switch {
		case slot:
			report.Kind = "attestation-slot"
			content, _, err = rec.AttestationSlot()
		case len(subjects) > 0:
			content, err = pspfStatement(a, rec, subjects, &signing, &report)
		default:
			content, err = rec.Marshal()
		}
		if err != nil {
			return err
		}
		sum := sha256.Sum256(content)
		report.SHA256 = hex.EncodeToString(sum[:])
		report.Content = string(content)

		if output != "" {
			if err := atomicfile.WriteFile(output, content, atomicfile.Options{Force: force}); err != nil {
				return outputError(err)
			}
			report.Output = output
		}
		switch {
		case format.value == formatJSON:
			return writeJSON(a.stdout, report)
		case output != "":
			_, err = fmt.Fprintf(a.stdout, "wrote %s (%s, sha256:%s)\n", output, report.Kind, report.SHA256)
		default:
			_, err = fmt.Fprintf(a.stdout, "%s\n", content)
		}
		return err
	}
	return cmd
}

// pspfBuildTimestamp is the record's build time: --build-timestamp when
// given, else SOURCE_DATE_EPOCH when set (flavor's reading of it), else
// now. A value that is not a time is a usage error.
func pspfBuildTimestamp(a *app, given bool, timestamp, sourceDateEpoch string) (pspf.Epoch, error) {
	switch {
	case given:
		e, err := pspf.ParseEpoch(timestamp)
		if err != nil {
			return e, usageError("--build-timestamp: %v", err)
		}
		return e, nil
	case strings.TrimSpace(sourceDateEpoch) != "":
		e, err := pspf.ParseEpoch(sourceDateEpoch)
		if err != nil {
			return e, usageError("SOURCE_DATE_EPOCH: %v", err)
		}
		return e, nil
	}
	return pspf.IntEpoch(a.now().Unix()), nil
}

// pspfStatement returns the in-toto statement with rec as predicate about
// the subject files (their sha256), as canonical JSON, or with --key the
// DSSE envelope signing it; it fills report's kind, predicate type and
// statement.
func pspfStatement(a *app, rec *pspf.Record, subjects []string, signing *signingKeyFlags, report *pspfReport) ([]byte, error) {
	report.Kind = "statement"
	report.PredicateType = pspf.PredicateType
	var descs []slsa.ResourceDescriptor
	for _, p := range subjects {
		sum, _, err := digest.File(a.ctx, p, digest.SHA256)
		if err != nil {
			return nil, fmt.Errorf("--subject: %w", err)
		}
		descs = append(descs, slsa.ResourceDescriptor{Name: filepath.Base(p), Digest: sum})
	}
	st, err := pspf.NewStatement(rec, descs)
	if err != nil {
		return nil, err
	}
	report.Statement = st
	content, err := slsa.Canonical(st)
	if err != nil || signing.key == "" {
		return content, err
	}
	signer, err := signing.signer(a)
	if err != nil {
		return nil, err
	}
	env, err := dsse.Sign(signer, slsa.PayloadType, content, dsse.SignOptions{})
	if err != nil {
		return nil, err
	}
	report.Kind = "dsse-envelope"
	return json.Marshal(env)
}
