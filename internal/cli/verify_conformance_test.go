package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/cli"
	"github.com/pedigree-dev/pedigree/internal/testshared"
)

func verifyArgs(dir string, row testshared.ExpectedRow) []string {
	path := func(rel string) string { return filepath.Join(dir, rel) }
	artifact := row["artifact"]
	if !strings.HasPrefix(artifact, "sha256:") && !strings.HasPrefix(artifact, "sha512:") {
		artifact = path(artifact)
	}
	args := []string{"verify", "--provenance", path(row["attestation"])}
	for _, c := range []struct{ column, flag string }{
		{"trusted_root", "--trusted-root"},
		{"key", "--key"},
	} {
		if v := row[c.column]; v != "" {
			args = append(args, c.flag, path(v))
		}
	}
	for _, c := range []struct{ column, flag string }{
		{"issuer", "--cert-oidc-issuer"},
		{"identity", "--cert-identity"},
		{"identity_regexp", "--cert-identity-regexp"},
		{"source_uri", "--source-uri"},
		{"builder_id", "--builder-id"},
		{"source_tag", "--source-tag"},
		{"source_versioned_tag", "--source-versioned-tag"},
		{"source_branch", "--source-branch"},
	} {
		if v := row[c.column]; v != "" {
			args = append(args, c.flag, v)
		}
	}
	return append(args, artifact)
}

// TestConformanceExpected drives `pedigree verify` with every row of
// EXPECTED.tsv: pass rows must exit 0 with a PASSED line, fail rows exit 1
// with a FAILED line (or, for trust material that cannot be used, the one
// error line), never an internal error.
func TestConformanceExpected(t *testing.T) {
	dir, rows := testshared.Expected(t)
	if len(rows) == 0 {
		t.Fatal("EXPECTED.tsv has no rows")
	}
	for _, row := range rows {
		t.Run(row["id"], func(t *testing.T) {
			t.Parallel()
			args := verifyArgs(dir, row)
			code, stdout, stderr := run(t, "", args...)
			switch row["expect"] {
			case "pass":
				if code != cli.ExitOK || !strings.HasPrefix(stdout, "PASSED: ") {
					t.Fatalf("want pass (%s)\nexit %d\nstdout: %s\nstderr: %s\nargs: %q", row["note"], code, stdout, stderr, args)
				}
			case "fail":
				if code != cli.ExitFailed {
					t.Fatalf("want exit %d (%s), got %d\nstdout: %s\nstderr: %s\nargs: %q", cli.ExitFailed, row["note"], code, stdout, stderr, args)
				}
				if !strings.HasPrefix(stdout, "FAILED: ") && !strings.HasPrefix(stderr, "pedigree: ") {
					t.Fatalf("a failure must say why\nstdout: %s\nstderr: %s", stdout, stderr)
				}
				t.Logf("%s", strings.TrimSpace(stdout+stderr))
			default:
				t.Fatalf("unknown expect %q", row["expect"])
			}
		})
	}
}
