package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// Output formats shared by the commands.
const (
	formatText = "text"
	formatJSON = "json"
)

// formatFlag is a --format flag restricted to a fixed set of values; the
// first value is the default.
type formatFlag struct {
	value   string
	allowed []string
}

func (f *formatFlag) String() string { return f.value }
func (f *formatFlag) Type() string   { return "format" }
func (f *formatFlag) Set(s string) error {
	if !slices.Contains(f.allowed, s) {
		return fmt.Errorf("want one of %s, got %q", strings.Join(f.allowed, ", "), s)
	}
	f.value = s
	return nil
}

// addFormatFlag registers --format on cmd with the given allowed values (the
// first is the default) and returns the flag to read after parsing.
func addFormatFlag(cmd *cobra.Command, allowed ...string) *formatFlag {
	if len(allowed) == 0 {
		allowed = []string{formatText, formatJSON}
	}
	f := &formatFlag{value: allowed[0], allowed: allowed}
	cmd.Flags().Var(f, "format", "output format: "+strings.Join(allowed, ", "))
	return f
}

// plural returns "1 file" or "2 files": n and the noun that goes with it.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// writeJSON writes v as indented JSON followed by a newline, without HTML
// escaping, the form every --format json output takes.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
