package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/lockfile"
	"github.com/pedigree-dev/pedigree/slsa"
)

func newLockCmd(a *app) *cobra.Command {
	return groupCmd(&cobra.Command{
		Use:   "lock",
		Short: "Work with Python lock files (requirements, Pipfile.lock, poetry.lock, uv.lock, pylock.toml, pdm.lock)",
	}, newLockCheckCmd(a))
}

func newLockCheckCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check [flags] LOCK DIST...",
		Short: "Check a wheelhouse against a lock file's hashes, as pip --require-hashes would",
		Long: `check does what pip's --require-hashes mode does, before anything is
installed: every distribution file among DIST (wheel and sdist files, and the
ones directly inside DIST directories) must belong to a package the lock pins
by name and version, and its hash must be one of that package's locked
hashes. Every locked package should have a file there.

LOCK is a requirements file (pip, pip-compile, uv pip compile; -r/-c includes
are followed relative to it), Pipfile.lock, poetry.lock, uv.lock, pylock.toml
or pdm.lock, recognized by name and content (--lock-format overrides).

The report lists each file as matched, missing-from-lock or hash-mismatch,
then the locked packages with no file (locked-but-absent), then anything in
the lock pip would refuse (in hash-checking mode every requirement needs an
== pin and a --hash). Exit status 1 on any of these; --allow-absent reports
locked-but-absent packages without failing (a wheelhouse for one platform,
or without dev packages).`,
		Example: `  $ cd examples/demo
  $ pedigree lock check requirements.txt wheelhouse/
  requirements.txt (requirements): 1 package, 1 file hash, hash-checking mode
  matched  wheelhouse/wheel-0.43.0-py3-none-any.whl  wheel 0.43.0  requirements.txt:3
  OK: 1 file matched; 0 missing from lock, 0 hash mismatches, 0 locked but absent, 0 lock problems`,
		Args: cobra.MinimumNArgs(2),
	}
	format := addFormatFlag(cmd)
	allowAbsent := cmd.Flags().Bool("allow-absent", false, "report locked packages with no file without failing")
	lockFormat := cmd.Flags().String("lock-format", "", "lock file format, when not recognized: "+formatNames())
	var jobs int
	addJobsFlag(cmd, &jobs)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := checkJobs(jobs); err != nil {
			return err
		}
		opts := lockfile.Options{Format: lockfile.Format(*lockFormat)}
		if *lockFormat != "" && !slices.Contains(lockfile.Formats, opts.Format) {
			return usageError("--lock-format: want one of %s, got %q", formatNames(), *lockFormat)
		}
		l, err := lockfile.ParseFile(args[0], opts)
		if err != nil {
			return lockError(err)
		}
		bar, report := a.hashingProgress()
		defer bar.Finish()
		rep, err := lockfile.Check(a.ctx, l, args[1:], lockfile.CheckOptions{AllowAbsent: *allowAbsent, Workers: jobs, Progress: report})
		bar.Finish()
		if err != nil {
			if errors.Is(err, lockfile.ErrNotDistribution) {
				return usageError("%v", err)
			}
			return err
		}
		if format.value == formatJSON {
			if err := writeJSON(a.stdout, rep); err != nil {
				return err
			}
		} else if err := writeCheckText(a.stdout, l, rep); err != nil {
			return err
		}
		if !rep.OK {
			return silentFailure()
		}
		return nil
	}
	return cmd
}

// lockError maps a lock parsing error to an exit code: a lock that is not
// valid fails the check (exit 1); anything else (I/O) is exit 3.
func lockError(err error) error {
	if isLockError(err) {
		return failed(err)
	}
	return err
}

func formatNames() string {
	s := make([]string, len(lockfile.Formats))
	for i, f := range lockfile.Formats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

func writeCheckText(w io.Writer, l *lockfile.Lock, rep *lockfile.CheckReport) error {
	files := plural(l.FileCount(), "file", "files")
	if l.Format == lockfile.FormatRequirements {
		files = plural(l.FileCount(), "file hash", "file hashes")
	}
	head := fmt.Sprintf("%s (%s): %s, %s", l.Path, l.Format, plural(len(l.Packages), "package", "packages"), files)
	if l.HashChecking {
		head += ", hash-checking mode"
	}
	fmt.Fprintln(w, head)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range rep.Files {
		where := f.Location
		if f.Detail != "" {
			where = f.Detail
			if f.Location != "" {
				where += " (" + f.Location + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\n", f.Status, f.Path, f.Name, f.Version, where)
	}
	for _, p := range rep.Absent {
		where := p.Location
		if p.Reason != "" {
			where += " (" + p.Reason + ")"
		}
		fmt.Fprintf(tw, "locked-but-absent\t-\t%s %s\t%s\n", p.Name, p.Version, where)
	}
	for _, p := range rep.Ignored {
		fmt.Fprintf(tw, "ignored\t%s\t-\tnot a wheel or sdist name\n", p)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "lock problem: %s\n", p)
	}
	s := rep.Summary
	verdict := "OK"
	if !rep.OK {
		verdict = "FAILED"
	}
	absent := plural(s.LockedButAbsent, "locked but absent", "locked but absent")
	if s.LockedButAbsent > 0 && rep.OK {
		absent += " (allowed)"
	}
	_, err := fmt.Fprintf(w, "%s: %s matched; %s, %s, %s, %s\n", verdict, plural(s.Matched, "file", "files"),
		plural(s.MissingFromLock, "missing from lock", "missing from lock"), plural(s.HashMismatch, "hash mismatch", "hash mismatches"),
		absent, plural(s.Problems, "lock problem", "lock problems"))
	return err
}

// lockDependencies reads the lock file of attest --lock and returns its
// resolvedDependencies (lockfile.ResolvedDependencies); nil without a
// lock. A lock that does not parse is bad input (exit 2), a missing one an
// I/O error (exit 3);
// problems pip would refuse it for are warnings, since the provenance
// records what the build used.
func lockDependencies(a *app, path string) ([]slsa.ResourceDescriptor, error) {
	if path == "" {
		return nil, nil
	}
	l, err := lockfile.ParseFile(path, lockfile.Options{})
	if err != nil {
		if isLockError(err) {
			return nil, usageError("--lock: %v", err)
		}
		return nil, fmt.Errorf("--lock: %w", err)
	}
	if n := len(l.Problems); n > 0 {
		fmt.Fprintf(a.stderr, "warning: --lock %s: %s pip would refuse (first: %v)\n", path, plural(n, "problem", "problems"), l.Problems[0])
	}
	return lockfile.ResolvedDependencies(l), nil
}

// isLockError reports whether err says the lock itself is not valid.
func isLockError(err error) bool {
	for _, s := range []error{lockfile.ErrFormat, lockfile.ErrSyntax, lockfile.ErrUnsupportedVersion, lockfile.ErrHash, lockfile.ErrTooLarge} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
