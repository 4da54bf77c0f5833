package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/cli"
	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// TestEvidenceExitCodes checks the exit status of evidence create and
// verify: 0 written / verified, 1 blockers / findings, 2 usage, 3 I/O.
func TestEvidenceExitCodes(t *testing.T) {
	demo := filepath.Join(testshared.Root(), "examples", "demo")
	key := filepath.Join(testshared.Root(), "evidence", "testdata", "ed25519.key")
	pub := filepath.Join(testshared.Root(), "evidence", "testdata", "ed25519.pub")
	work := t.TempDir()
	out := filepath.Join(work, "ev")
	env := []string{"SOURCE_DATE_EPOCH=1767225600", "HMAC=local-secret", "EMPTY="}
	main := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := cli.Main(context.Background(), args, env, strings.NewReader(""), &stdout, &stderr)
		return code, stdout.String() + stderr.String()
	}
	common := []string{"evidence", "create", "--release", "v0.1.0", "--project-root", demo,
		"--repository", "https://github.com/example/demo", "--commit-sha", "4d329c75e7ec1725f7c9ce917a8799d408d06be3"}
	whl := filepath.Join(demo, "dist", "pedigree_demo-0.1.0-py3-none-any.whl")
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"blocked: no key", append(common, "--output-dir", out, "--subject", whl), cli.ExitFailed},
		{"blocked: missing subject", append(common, "--output-dir", out, "--key", key, "--subject", filepath.Join(work, "nope.whl")), cli.ExitFailed},
		{"usage: no release", []string{"evidence", "create", "--subject", whl}, cli.ExitUsage},
		{"usage: bad key file", append(common, "--output-dir", out, "--key", pub, "--subject", whl), cli.ExitUsage},
		{"io: no key file", append(common, "--output-dir", out, "--key", filepath.Join(work, "none.key"), "--subject", whl), cli.ExitInternal},
		{"created", append(common, "--output-dir", out, "--key", key, "--hmac-key-env", "HMAC", "--subject", whl), cli.ExitOK},
		{"usage: exists", append(common, "--output-dir", out, "--key", key, "--subject", whl), cli.ExitUsage},
		{"verified", []string{"evidence", "verify", out, "--key", pub, "--hmac-key-env", "HMAC", "--subject", whl}, cli.ExitOK},
		{"verify json", []string{"evidence", "verify", out, "--key", pub, "--format", "json"}, cli.ExitOK},
		{"findings: no key", []string{"evidence", "verify", out}, cli.ExitFailed},
		{"usage: empty HMAC variable", []string{"evidence", "verify", out, "--hmac-key-env", "EMPTY"}, cli.ExitUsage},
		{"usage: not evidence", []string{"evidence", "verify", demo}, cli.ExitUsage},
		{"io: no folder", []string{"evidence", "verify", filepath.Join(work, "none")}, cli.ExitInternal},
		{"usage: no subcommand", []string{"evidence"}, cli.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, output := main(tt.args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d:\n%s", code, tt.want, output)
			}
		})
	}
	// Tampered: exit 1.
	p := filepath.Join(out, "SUMMARY.md")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, append(data, ' '), 0o644)
	if code, output := main("evidence", "verify", out, "--key", pub); code != cli.ExitFailed || !strings.Contains(output, "SUMMARY.md: ") {
		t.Errorf("tampered: exit %d:\n%s", code, output)
	}
}
