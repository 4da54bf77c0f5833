package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/cli"
)

// run calls cli.Main in-process and returns the exit code and outputs.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Main(context.Background(), args, []string{"SOURCE_DATE_EPOCH=1767225600"}, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"version"}, cli.ExitOK},
		{[]string{"--help"}, cli.ExitOK},
		{[]string{}, cli.ExitUsage},
		{[]string{"nope"}, cli.ExitUsage},
		{[]string{"version", "--bogus"}, cli.ExitUsage},
		{[]string{"version", "--format", "xml"}, cli.ExitUsage},
		{[]string{"version", "extra"}, cli.ExitUsage},
		{[]string{"sbom", "--format", "xml"}, cli.ExitUsage},
		{[]string{"sbom", "../../examples/demo", "-o", "out.json"}, cli.ExitUsage},
		{[]string{"sbom", "../../examples/demo", "--format", "spdx-json", "--dist", "../../README.md"}, cli.ExitFailed},
		{[]string{"sbom", "../../examples/demo/nope", "--format", "spdx-json"}, cli.ExitInternal},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.want, stderr)
			}
			if code != cli.ExitOK && strings.Count(stderr, "\n") != 1 {
				t.Fatalf("want exactly one line on stderr, got %q", stderr)
			}
		})
	}
}
