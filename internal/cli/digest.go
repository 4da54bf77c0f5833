package cli

import (
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/digest"
)

// Output formats of pedigree digest; text is another name for sha256sum.
const (
	formatSHA256Sum = "sha256sum"
	formatBase64    = "base64"
)

func newDigestCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "digest [flags] PATH...",
		Short: "Hash files, globs and directories (sha256sum, base64-subjects or JSON output)",
		Long: `digest hashes files with constant memory, every core working on a separate
file, and prints the digests as subjects for an attestation.

Each PATH is a file (named as given), a directory (one line per file below it,
named relative to the directory, sorted), a glob such as 'dist/*.whl' (quoted,
so pedigree expands it: sorted, directories skipped), or - for standard input.
Inside directories, symbolic links to files are followed; links to
directories, dangling links and special files are errors, never skipped.

Formats (--format):
  sha256sum  the default, and pedigree's text form (--format text is the
             same): "HEX  NAME" lines that 'sha256sum -c' checks (with one
             --algorithm; sha512 gives sha512sum's). With several algorithms
             or --dir-hash, tagged lines "SHA256 (NAME) = HEX" that
             'cksum -c' checks.
  base64     one line: the base64 of the sha256sum output, usable as
             slsa-github-generator's base64-subjects (sha256 only).
  json       a JSON array of in-toto ResourceDescriptors {"name","digest"},
             what 'pedigree attest --subjects-file' reads.

--dir-hash turns each directory PATH into one subject whose digest is its
dirHash1 (lowercase hex; Go's go.sum "h1:" form with --h1), the same value
as golang.org/x/mod/sumdb/dirhash.

A progress bar appears on standard error when it is a terminal and the job
takes more than half a second.`,
		Example: `  $ cd examples/demo
  $ pedigree digest dist
  4a16299b240e546ac189be73e15a3e764103b9829b79aa467b02acd07ec1a1ad  pedigree_demo-0.1.0-py3-none-any.whl
  5f520d65d98235c4dd57892bcbe98d2da5d47dc7c9161014ace7735ec7342da2  pedigree_demo-0.1.0.tar.gz

  $ pedigree digest -a sha256,sha512 dist/pedigree_demo-0.1.0.tar.gz
  SHA256 (dist/pedigree_demo-0.1.0.tar.gz) = 5f520d65d98235c4dd57892bcbe98d2da5d47dc7c9161014ace7735ec7342da2
  SHA512 (dist/pedigree_demo-0.1.0.tar.gz) = 7a4958cd0dc5c0806e465273fc46a88c3d2648f5af866d69d3dc7859436637ab973fc5fd16758f90282f69a44c7f62c759b5aa7666c79e1bc5d1d1bc0e385523

  $ pedigree digest --h1 dist
  dirHash1 (dist) = h1:P4L32DuZQMe3y1/oIV9Lo2WWznACiiaJtsK5iA15hHI=`,
		Args: cobra.MinimumNArgs(1),
	}
	format := addFormatFlag(cmd, formatSHA256Sum, formatBase64, formatJSON, formatText)
	algs := cmd.Flags().StringSliceP("algorithm", "a", []string{digest.SHA256},
		"digest algorithms, comma-separated: "+fmt.Sprint(digest.Supported()))
	dirHash := cmd.Flags().Bool("dir-hash", false, "one subject per directory PATH, digest dirHash1")
	h1 := cmd.Flags().Bool("h1", false, "print dirHash1 values in Go's h1: base64 form (text output; implies --dir-hash)")
	var jobs int
	addJobsFlag(cmd, &jobs)

	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		out := format.value
		if out == formatText {
			out = formatSHA256Sum
		}
		if *h1 {
			*dirHash = true
			if out != formatSHA256Sum {
				return usageError("--h1 changes the text output only; --format %s carries dirHash1 as hex, as in-toto spells it", out)
			}
		}
		chosen, err := digest.CheckAlgorithms(*algs)
		if err != nil {
			return usageError("--algorithm: %v", err)
		}
		if out == formatBase64 && !slices.Equal(chosen, []string{digest.SHA256}) {
			return usageError("--format base64 carries sha256 only (slsa-github-generator's base64-subjects), not %v", chosen)
		}
		if err := checkJobs(jobs); err != nil {
			return err
		}

		bar, report := a.hashingProgress()
		defer bar.Finish()
		subjects, err := digest.ExpandPaths(a.ctx, args, digest.Options{
			Algorithms: chosen,
			Workers:    jobs,
			DirHash:    *dirHash,
			Stdin:      a.stdin,
			Progress:   report,
		})
		bar.Finish()
		if err != nil {
			if isSubjectInputError(err) {
				return usageError("%v", err)
			}
			return err
		}

		switch out {
		case formatJSON:
			return writeJSON(a.stdout, subjects)
		case formatBase64:
			s, err := digest.EncodeBase64Subjects(subjects)
			if errors.Is(err, digest.ErrUnsupportedName) {
				return usageError("%v (use --format json or sha256sum)", err)
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(a.stdout, s)
			return err
		}
		hasDir := slices.ContainsFunc(subjects, func(s digest.Subject) bool { return s.Digest[digest.DirHash1] != "" })
		if len(chosen) == 1 && !hasDir {
			return digest.EncodeSums(a.stdout, subjects, chosen[0])
		}
		if *h1 {
			for i, s := range subjects {
				if v, ok := s.Digest[digest.DirHash1]; ok {
					subjects[i].Digest = digest.Set{digest.DirHash1: digest.H1(v)}
				}
			}
		}
		return digest.EncodeTagged(a.stdout, subjects)
	}
	return cmd
}
