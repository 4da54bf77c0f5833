package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/progress"
)

// addJobsFlag registers --jobs (-j), stored in *jobs, on a command that
// hashes files; checkJobs checks the value.
func addJobsFlag(cmd *cobra.Command, jobs *int) {
	cmd.Flags().IntVarP(jobs, "jobs", "j", 0, "files hashed at once (0: one per core)")
}

// checkJobs refuses a negative --jobs (usage error).
func checkJobs(jobs int) error {
	if jobs < 0 {
		return usageError("--jobs: want 0 or more, got %d", jobs)
	}
	return nil
}

// hashingProgress returns the progress bar of a command that hashes files
// (on stderr; drawn only on a terminal whose TERM is not "dumb") and the
// function to report progress to: the bar's Set, or nil when the bar is not
// drawn. Call bar.Finish when the hashing is done.
func (a *app) hashingProgress() (bar *progress.Bar, report func(done, total int64)) {
	opts := progress.Options{Label: "hashing", Bytes: true}
	if a.getenv("TERM") == "dumb" {
		off := false
		opts.Terminal = &off
	}
	bar = progress.New(a.stderr, opts)
	if bar.Enabled() {
		report = bar.Set
	}
	return bar, report
}

// isSubjectInputError reports whether err, from digest.ExpandPaths or a
// subject list parser, says an input was read but is not what pedigree
// takes as subjects (a special file or dangling link, a directory with no
// file, a malformed or oversized list, a name given twice with different
// digests, standard input asked for twice): a usage error, exit 2, in
// every command that hashes files. Anything else, such as a missing file or
// a glob that matches none, is an I/O error, exit 3.
func isSubjectInputError(err error) bool {
	for _, e := range []error{
		digest.ErrSubjectList, digest.ErrDuplicateSubject, digest.ErrNoSubjects, digest.ErrTooLarge,
		digest.ErrStdin, digest.ErrUnsupportedFile,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
