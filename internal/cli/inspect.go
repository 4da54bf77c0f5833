package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// An inspector recognizes one kind of input and prints it readably. The
// inspect command asks each in order and runs the first that matches, so
// a new kind (statement, envelope, bundle, evidence folder) is one more
// entry in inspectors.
type inspector struct {
	// kind names what the inspector reads ("wheel").
	kind string
	// match decides from the path, whether it is a directory, and the
	// first bytes of a file (nil for a directory).
	match func(path string, isDir bool, head []byte) bool
	// run prints the input; it returns silentFailure() when the input
	// fails a check it makes (a RECORD mismatch), after printing it.
	run func(a *app, path string, o inspectOptions) error
}

// inspectors lists the kinds inspect understands, most specific first.
var inspectors = []inspector{
	{kind: "evidence folder", match: matchEvidenceDir, run: inspectEvidenceDir},
	{kind: "attestation", match: matchJSON, run: inspectJSON},
	{kind: "wheel", match: matchWheel, run: inspectWheel},
	{kind: "sdist", match: matchSdist, run: inspectSdist},
}

// inspectHeadSize is how much of a file the matchers see.
const inspectHeadSize = 4096

func newInspectCmd(a *app) *cobra.Command {
	kinds := make([]string, len(inspectors))
	for i, in := range inspectors {
		kinds[i] = in.kind
	}
	cmd := &cobra.Command{
		Use:   "inspect [flags] FILE",
		Short: "Show what an attestation, evidence folder or distribution holds, readably",
		Long: `inspect reads FILE without extracting or installing it and prints what it
is and what it says. It recognizes: ` + strings.Join(kinds, ", ") + `.

For a wheel: name, version, compatibility tags, package URL, sha256, the
core metadata summary (license, Requires-Python, Requires-Dist with markers
and extras, Provides-Extra, Dynamic), the RECORD check (every file's sha256
and size against RECORD; only .pyc files and RECORD itself may be unhashed,
and a file missing from RECORD is a problem), and the PEP 770 SBOMs under
.dist-info/sboms/. For an sdist: the same from PKG-INFO.

For an attestation (an in-toto statement, a DSSE envelope, an .intoto.jsonl
file of several, a Sigstore bundle, a PEP 740 attestation or provenance
object, a GitHub attestation) each one found: its format, subjects, the
predicate summarized (builder, buildType, source, commit, parameters,
dependencies, times; the release for pedigree's evidence statement, the
record for a PSPF statement), the signer identity from the certificate, and
the signature status: "not-checked" unless --key (DSSE and key-signed
bundles) or --trusted-root (Sigstore) is given, then "verified" or "failed".
A flavor PSPF record or attestation slot is shown field by field. For an
evidence folder (pedigree's or dpone's): release, subjects, source, builder,
signature set-up, and with --key or --hmac-key-env the result of
'pedigree evidence verify'.

Archives are read with bounds: entry count, total uncompressed size and
entry names (no absolute paths, no "..") are checked. Exit status 1 when a
wheel's RECORD does not match its content or a signature that was checked
fails.`,
		Example: `  $ cd examples/demo
  $ pedigree inspect dist/pedigree_demo-0.1.0-py3-none-any.whl
  dist/pedigree_demo-0.1.0-py3-none-any.whl: wheel
    name             pedigree-demo
    version          0.1.0
    tags             py3-none-any
    purl             pkg:pypi/pedigree-demo@0.1.0?file_name=pedigree_demo-0.1.0-py3-none-any.whl
    sha256           4a16299b240e546ac189be73e15a3e764103b9829b79aa467b02acd07ec1a1ad
    size             1321 bytes, 4 files, 1027 bytes uncompressed
    metadata         2.4
    summary          A tiny package that pedigree's README example attests and verifies
    license          Apache-2.0
    requires-python  >=3.9
    requires-dist    wheel>=0.43
    generator        flit 3.10.1
    record           OK: 3 files verified, 1 unhashed
    sboms            none

  $ pedigree inspect rfc8785-0.1.2-py3-none-any.whl.attestation --trusted-root staging.json
  rfc8785-0.1.2-py3-none-any.whl.attestation: PEP 740 attestation
    bundle         application/vnd.dev.sigstore.bundle.v0.3+json
    signer         william@yossarian.net (from the certificate)
    oidc issuer    https://github.com/login/oauth
    predicateType  https://docs.pypi.org/attestations/publish/v1
    subjects (1)   rfc8785-0.1.2-py3-none-any.whl sha256:c4e92e9ecc828bef2aa7dba1de8ac983511f7532a0df11c770d39099a25cf201
    predicate      (none)
    signature      verified: certificate for william@yossarian.net (issuer https://github.com/login/oauth), signed 2024-06-06T18:39:05Z`,
		Args: cobra.ExactArgs(1),
	}
	format := addFormatFlag(cmd)
	var (
		keyFiles    []string
		trustedRoot string
		hmacEnv     string
	)
	cmd.Flags().StringArrayVar(&keyFiles, "key", nil, "public key PEM to check DSSE signatures and key-signed bundles with (repeatable)")
	cmd.Flags().StringVar(&trustedRoot, "trusted-root", "", "trusted_root.json to check Sigstore bundles and PEP 740 attestations against")
	cmd.Flags().StringVar(&hmacEnv, "hmac-key-env", "", "environment `VARIABLE` holding the HMAC key of an evidence folder")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		path := args[0]
		fi, err := os.Stat(path)
		if err != nil {
			return err
		}
		var head []byte
		if !fi.IsDir() {
			if head, err = readHead(path, inspectHeadSize); err != nil {
				return err
			}
		}
		o := inspectOptions{format: format.value, trustedRoot: trustedRoot}
		if o.keys, err = loadPublicKeys(keyFiles); err != nil {
			return err
		}
		if hmacEnv != "" {
			if o.hmacKey, err = a.secretEnv("--hmac-key-env", hmacEnv); err != nil {
				return err
			}
		}
		for _, in := range inspectors {
			if in.match(path, fi.IsDir(), head) {
				return in.run(a, path, o)
			}
		}
		return usageError("inspect: cannot tell what %s is (pedigree inspects: %s)", path, strings.Join(kinds, ", "))
	}
	return cmd
}

func matchWheel(path string, isDir bool, head []byte) bool {
	return !isDir && strings.HasSuffix(strings.ToLower(path), ".whl") && bytes.HasPrefix(head, []byte("PK"))
}

func matchSdist(path string, isDir bool, head []byte) bool {
	if isDir {
		return false
	}
	_, err := pypi.ParseSdistFilename(baseName(path))
	return err == nil
}

// baseName is the last element of a path with '/' or '\' separators,
// whatever the OS.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// rows writes inspect's text form: lines such as "FILE: wheel", and
// "  key  value" rows whose values line up.
type rows struct{ tw *tabwriter.Writer }

func newRows(w io.Writer) rows { return rows{tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)} }

// line writes a line of its own (a heading; "" for a blank line).
func (r rows) line(format string, args ...any) { fmt.Fprintf(r.tw, format+"\n", args...) }

// add writes one row.
func (r rows) add(k, v string) { fmt.Fprintf(r.tw, "  %s\t%s\n", k, v) }

// list writes one row per value, the key on the first.
func (r rows) list(k string, values []string) {
	for i, v := range values {
		if i > 0 {
			k = ""
		}
		r.add(k, v)
	}
}

// flush writes out what is buffered.
func (r rows) flush() error { return r.tw.Flush() }

// distSummary is the JSON form of an inspected distribution.
type distSummary struct {
	Kind   string      `json:"kind"`
	Path   string      `json:"path"`
	Size   int64       `json:"size"`
	Digest digest.Set  `json:"digest"`
	PURL   string      `json:"purl"`
	Wheel  *pypi.Wheel `json:"wheel,omitempty"`
	Sdist  *pypi.Sdist `json:"sdist,omitempty"`
}

// archiveError turns a pypi reading error into a failure (exit 1) unless
// it is an I/O error.
func archiveError(err error) error {
	for _, s := range []error{pypi.ErrWheel, pypi.ErrSdist, pypi.ErrFilename, pypi.ErrTooLarge, pypi.ErrUnsafePath, pypi.ErrMetadata, pypi.ErrRecord} {
		if errors.Is(err, s) {
			return failed(err)
		}
	}
	return err
}

func inspectWheel(a *app, path string, o inspectOptions) error {
	format := o.format
	sum, size, err := digest.File(a.ctx, path, digest.SHA256)
	if err != nil {
		return err
	}
	w, err := pypi.OpenWheel(path, pypi.ArchiveOptions{})
	if err != nil {
		return archiveError(err)
	}
	purl := pypi.PURL(w.Metadata.Name, w.Metadata.Version, pypi.PURLOptions{FileName: baseName(path)})
	if format == formatJSON {
		if err := writeJSON(a.stdout, distSummary{Kind: "wheel", Path: path, Size: size, Digest: sum, PURL: purl, Wheel: w}); err != nil {
			return err
		}
	} else {
		r := newRows(a.stdout)
		r.line("%s: wheel", path)
		r.add("name", w.Metadata.Name)
		r.add("version", w.Metadata.Version)
		if w.Filename.Build != "" {
			r.add("build", w.Filename.Build)
		}
		r.add("tags", w.Filename.TagString())
		r.add("purl", purl)
		r.add("sha256", sum[digest.SHA256])
		r.add("size", fmt.Sprintf("%d bytes, %s, %d bytes uncompressed", size, plural(w.Entries, "file", "files"), w.UncompressedSize))
		metadataRows(r, w.Metadata)
		if w.Info.Generator != "" {
			r.add("generator", w.Info.Generator)
		}
		rc := w.Record
		unhashed := plural(rc.Unhashed, "unhashed", "unhashed")
		if rc.OK() {
			r.add("record", fmt.Sprintf("OK: %s verified, %s", plural(rc.Verified, "file", "files"), unhashed))
		} else {
			r.add("record", fmt.Sprintf("FAILED: %s, %s verified, %s", plural(len(rc.Problems), "problem", "problems"), plural(rc.Verified, "file", "files"), unhashed))
			for _, p := range rc.Problems {
				line := p.Kind + " " + p.Path
				if p.Detail != "" {
					line += ": " + p.Detail
				}
				r.add("", line)
			}
		}
		sboms := []string{"none"}
		if len(w.SBOMs) > 0 {
			sboms = make([]string, len(w.SBOMs))
		}
		for i, s := range w.SBOMs {
			sboms[i] = fmt.Sprintf("%s (%s, %d bytes, sha256 %s)", strings.TrimPrefix(s.Path, w.DistInfo+"/"), s.Format, s.Size, s.SHA256)
		}
		r.list("sboms", sboms)
		if err := r.flush(); err != nil {
			return err
		}
	}
	if !w.Record.OK() {
		return silentFailure()
	}
	return nil
}

// metadataRows prints the core metadata summary.
func metadataRows(r rows, m *pypi.Metadata) {
	r.add("metadata", m.MetadataVersion)
	if m.Summary != "" {
		r.add("summary", m.Summary)
	}
	switch {
	case m.LicenseExpression != "":
		r.add("license", m.LicenseExpression)
	case m.License != "":
		l, _, _ := strings.Cut(m.License, "\n")
		r.add("license", l+" (free text)")
	}
	if m.RequiresPython != "" {
		r.add("requires-python", m.RequiresPython)
	}
	reqs := make([]string, len(m.RequiresDist))
	for i, req := range m.RequiresDist {
		reqs[i] = req.String()
	}
	r.list("requires-dist", reqs)
	r.list("provides-extra", m.ProvidesExtra)
	r.list("dynamic", m.Dynamic)
}

func inspectSdist(a *app, path string, o inspectOptions) error {
	format := o.format
	sum, size, err := digest.File(a.ctx, path, digest.SHA256)
	if err != nil {
		return err
	}
	s, err := pypi.OpenSdist(path, pypi.ArchiveOptions{})
	if err != nil {
		return archiveError(err)
	}
	purl := pypi.PURL(s.Metadata.Name, s.Metadata.Version, pypi.PURLOptions{FileName: baseName(path)})
	if format == formatJSON {
		return writeJSON(a.stdout, distSummary{Kind: "sdist", Path: path, Size: size, Digest: sum, PURL: purl, Sdist: s})
	}
	r := newRows(a.stdout)
	r.line("%s: sdist", path)
	r.add("name", s.Metadata.Name)
	r.add("version", s.Metadata.Version)
	if s.Filename.Legacy {
		r.add("file name", "legacy (not PEP 625)")
	}
	r.add("purl", purl)
	r.add("sha256", sum[digest.SHA256])
	r.add("size", fmt.Sprintf("%d bytes, %s, %d bytes uncompressed", size, plural(s.Entries, "file", "files"), s.UncompressedSize))
	metadataRows(r, s.Metadata)
	return r.flush()
}
