package cli

import (
	"github.com/spf13/cobra"

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
