package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X .../internal/cli.version=v1.2.3".
var version = "devel"

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "pedigree",
		Short: "Verifiable build provenance for Python artifacts",
		Long: `pedigree generates SLSA v1.0 provenance for wheels, sdists, app bundles and
container images, signs it, bundles it with SBOMs into release evidence, and
verifies it offline before anything is installed.

Exit codes: 0 ok, 1 verification or check failed, 2 usage, 3 I/O or internal error.
Every command applies the same rule to the files it is given: one that is
missing or unreadable (or a glob that matches no file) is an I/O error, 3; one
that was read but is not what the command takes is a usage error, 2, or a
failed check, 1, when checking it is the command's job; an existing output
without --force is a usage error, 2. evidence create alone reports missing
inputs as blockers in its report (exit 1).`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Running the root command without a subcommand is a usage error.
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("unknown command %q", args[0])
			}
			return usageError("missing command")
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &exitError{code: ExitUsage, err: fmt.Errorf("%s: %w", cmd.CommandPath(), err)}
	})
	root.SetVersionTemplate("pedigree {{.Version}}\n")

	for _, newCmd := range []func(*app) *cobra.Command{
		newVersionCmd,
		newDigestCmd,
		newKeygenCmd,
		newAttestCmd,
		newVerifyCmd,
		newVerifyArtifactCmd,
		newInspectCmd,
		newLockCmd,
		newSBOMCmd,
		newEvidenceCmd,
		newPSPFCmd,
		newDiffCmd,
		newServeCmd,
		newPushCmd,
	} {
		root.AddCommand(newCmd(a))
	}
	prepare(a, root)
	return root
}

// groupCmd completes cmd, a command that only holds the subcommands subs
// (evidence, lock, pspf, serve token): run alone, it is a usage error naming them.
func groupCmd(cmd *cobra.Command, subs ...*cobra.Command) *cobra.Command {
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(c *cobra.Command, args []string) error {
		var names []string
		for _, sub := range c.Commands() {
			names = append(names, sub.Name())
		}
		return usageError("%s: missing subcommand (%s)", c.CommandPath(), strings.Join(names, " or "))
	}
	cmd.AddCommand(subs...)
	return cmd
}

// prepare turns cobra's argument validation errors into usage errors and
// records that a command started running, for cmd and its subcommands. An
// error returned before any command ran (an unknown command, say) is a usage
// error too; see Main.
func prepare(a *app, cmd *cobra.Command) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error {
			a.ran = true
			return run(c, args)
		}
	}
	if validate := cmd.Args; validate != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := validate(c, args); err != nil {
				return &exitError{code: ExitUsage, err: fmt.Errorf("%s: %w", c.CommandPath(), err)}
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		prepare(a, sub)
	}
}
