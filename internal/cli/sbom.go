package cli

import (
	"errors"
	"fmt"
	"io/fs"
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

The lock file is --lock, or the first of pylock.toml, uv.lock, poetry.lock,
pdm.lock, Pipfile.lock and requirements.txt found in the project directory.
--format is spdx-json or cyclonedx-json; without it, an output name ending
in .spdx.json or .cdx.json (or .cyclonedx.json) chooses. -o - or no -o
writes the document to standard output.`,
		Example: `  $ pedigree sbom examples/demo --lock examples/demo/requirements.txt --format cyclonedx-json -o demo.cdx.json
  wrote demo.cdx.json: CycloneDX 1.6 SBOM of pedigree-demo 0.1.0, 1 package from requirements.txt (1 runtime, 0 dev, 0 optional; 1 with hashes, 0 with a license)`,
		Args: cobra.MaximumNArgs(1),
	}
	format := &formatFlag{allowed: []string{string(sbom.FormatSPDXJSON), string(sbom.FormatCycloneDXJSON)}}
	cmd.Flags().Var(format, "format", "document format: spdx-json or cyclonedx-json")
	lockPath := cmd.Flags().String("lock", "", "lock file (default: found in the project directory)")
	output := cmd.Flags().StringP("output", "o", "-", "output file, - for standard output")
	force := cmd.Flags().Bool("force", false, "overwrite the output file if it exists")

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
		project, err := sbom.ReadProject(projectArg)
		if err != nil {
			return sbomInputError(err)
		}
		projectDir := filepath.Dir(project.Path)
		lp := *lockPath
		if lp == "" {
			lp = sbom.FindLock(projectDir)
		}
		opts := sbom.Options{Project: project, Time: when, ToolVersion: version}
		if lp != "" {
			lock, err := lockfile.ParseFile(lp, lockfile.Options{})
			if err != nil {
				return sbomInputError(err)
			}
			if err := lock.Err(); err != nil {
				fmt.Fprintf(a.stderr, "pedigree: warning: %s: %d line(s) pip would refuse, listed anyway; first: %v\n", lp, len(lock.Problems), lock.Problems[0])
			}
			opts.Lock = lock
		} else if len(project.Requirements()) > 0 {
			return usageError("%s declares dependencies but no lock file was found in %s (looked for %s); pass --lock", project.Path, projectDir, strings.Join(sbom.LockNames, ", "))
		}
		inv, err := sbom.New(opts)
		if err != nil {
			return sbomInputError(err)
		}
		data, err := inv.Encode(f)
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
			if errors.Is(err, atomicfile.ErrExists) {
				return usageError("%v", err)
			}
			return err
		}
		s := inv.Summary()
		from := ""
		if s.Lock != "" {
			from = " from " + s.Lock
		}
		name := s.Project
		if s.Version != "" {
			name += " " + s.Version
		}
		_, err = fmt.Fprintf(a.stdout, "wrote %s: %s SBOM of %s, %s%s (%d runtime, %d dev, %d optional; %d with hashes, %d with a license)\n",
			*output, formatTitle(f), name, plural(s.Packages, "package", "packages"), from, s.Runtime, s.Dev, s.Optional, s.WithHashes, s.WithLicense)
		return err
	}
	return cmd
}

// sbomFormat is --format, or the format the output name implies.
func sbomFormat(flag, output string) (sbom.Format, error) {
	if flag != "" {
		return sbom.Format(flag), nil
	}
	lower := strings.ToLower(output)
	switch {
	case strings.HasSuffix(lower, ".spdx.json"):
		return sbom.FormatSPDXJSON, nil
	case strings.HasSuffix(lower, ".cdx.json"), strings.HasSuffix(lower, ".cyclonedx.json"):
		return sbom.FormatCycloneDXJSON, nil
	}
	return "", usageError("--format is required (spdx-json or cyclonedx-json) unless the -o name ends in .spdx.json or .cdx.json")
}

func formatTitle(f sbom.Format) string {
	if f == sbom.FormatSPDXJSON {
		return "SPDX 2.3"
	}
	return "CycloneDX 1.6"
}

// sbomInputError maps an error reading the project, lock or dists: a file that
// is missing or unreadable is an I/O error (exit 3), one whose content is
// rejected a failed check (exit 1).
func sbomInputError(err error) error {
	var pe *fs.PathError
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.As(err, &pe) {
		return err
	}
	return failed(err)
}
