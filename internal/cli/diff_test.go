package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/cli"
	"github.com/pedigree-dev/pedigree/internal/testshared"
)

func TestDiffExitCodes(t *testing.T) {
	td := filepath.Join(testshared.Root(), "provdiff", "testdata")
	b1, b2 := filepath.Join(td, "build-1.json"), filepath.Join(td, "build-2.json")
	golden := filepath.Join(td, "build-1-vs-2.golden.json") // JSON, but not a statement
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"diff", b1, b1}, cli.ExitOK},
		{[]string{"diff", "--format", "json", b1, b1}, cli.ExitOK},
		{[]string{"diff", b1, b2}, cli.ExitFailed},
		{[]string{"diff", "--format", "json", b1, b2}, cli.ExitFailed},
		{[]string{"diff", b1, golden}, cli.ExitUsage},
		{[]string{"diff", b1}, cli.ExitUsage},
		{[]string{"diff", b1, filepath.Join(td, "missing.json")}, cli.ExitInternal},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[1:], " "), func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.want, stderr)
			}
		})
	}
}
