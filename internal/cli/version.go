package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print pedigree's version and build information",
		Example: `  $ pedigree version
  pedigree devel (go1.26.8 linux/amd64)`,
		Args: cobra.NoArgs,
	}
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		info := struct {
			Version   string `json:"version"`
			GoVersion string `json:"goVersion"`
			Platform  string `json:"platform"`
			Module    string `json:"module,omitempty"`
		}{
			Version:   version,
			GoVersion: runtime.Version(),
			Platform:  runtime.GOOS + "/" + runtime.GOARCH,
		}
		if bi, ok := debug.ReadBuildInfo(); ok {
			info.Module = bi.Main.Path
		}
		if format.value == formatJSON {
			return writeJSON(a.stdout, info)
		}
		_, err := fmt.Fprintf(a.stdout, "pedigree %s (%s %s)\n", info.Version, info.GoVersion, info.Platform)
		return err
	}
	return cmd
}
