package cli_test

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/cli"
)

// digestTree writes files with names sha256sum must escape or keep as
// they are, and returns the directory.
func digestTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"pkg-1.0-py3-none-any.whl": "wheel",
		"pkg-1.0.tar.gz":           "sdist",
		"sub/dir/notes.txt":        "",
		"with space.txt":           "space",
		`back\slash`:               "backslash",
		"new\nline":                "newline",
		" leading blank":           "blank",
		"*star":                    "star",
		"big.bin":                  strings.Repeat("0123456789", 300_000),
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// check runs a coreutils checker on the sums in dir and expects every line OK.
func check(t *testing.T, dir string, sums string, tool string, args ...string) {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("skipped: %s is not installed", tool)
	}
	sumFile := filepath.Join(t.TempDir(), "SUMS")
	if err := os.WriteFile(sumFile, []byte(sums), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, append(args, sumFile)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v rejects pedigree's output: %v\n%s\nsums:\n%s", tool, args, err, out, sums)
	}
	if n := strings.Count(string(out), ": OK\n"); n != strings.Count(sums, "\n") {
		t.Fatalf("%s checked %d lines of %d:\n%s", tool, n, strings.Count(sums, "\n"), out)
	}
}

// TestDigestOutputAcceptedBySHA256Sum: what pedigree digest prints,
// sha256sum -c --strict accepts, awkward names included.
func TestDigestOutputAcceptedBySHA256Sum(t *testing.T) {
	dir := digestTree(t)
	code, stdout, stderr := run(t, "", "digest", dir)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(stdout, "\n"); n != 9 {
		t.Fatalf("%d lines, want 9:\n%s", n, stdout)
	}
	check(t, dir, stdout, "sha256sum", "-c", "--strict")

	// The base64 form decodes to the same lines (names without escapes).
	code, stdout, stderr = run(t, "", "digest", "--format", "base64", filepath.Join(dir, "pkg-*"), filepath.Join(dir, "with space.txt"))
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(stdout))
	if err != nil {
		t.Fatal(err)
	}
	check(t, "/", string(decoded), "sha256sum", "-c", "--strict")
}

// TestDigestSHA512AcceptedBySHA512Sum: one other algorithm gives that
// algorithm's sum tool's lines.
func TestDigestSHA512AcceptedBySHA512Sum(t *testing.T) {
	dir := digestTree(t)
	code, stdout, stderr := run(t, "", "digest", "-a", "sha512", dir)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	check(t, dir, stdout, "sha512sum", "-c", "--strict")
}

// TestDigestTaggedAcceptedByCksum: several algorithms give tagged lines,
// which cksum -c (coreutils 9) checks.
func TestDigestTaggedAcceptedByCksum(t *testing.T) {
	dir := digestTree(t)
	code, stdout, stderr := run(t, "", "digest", "-a", "sha256,sha512,sha384,sha224,md5,sha1", "--jobs", "1", dir)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(stdout, "\n"); n != 9*6 {
		t.Fatalf("%d lines, want 54", n)
	}
	if out, err := exec.Command("cksum", "--version").Output(); err != nil || !strings.Contains(string(out), "coreutils) 9") {
		t.Skipf("skipped: cksum -c needs coreutils 9 (%s)", strings.SplitN(string(out), "\n", 2)[0])
	}
	check(t, dir, stdout, "cksum", "-c", "--strict")
}

func TestDigestExitCodes(t *testing.T) {
	dir := digestTree(t)
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"digest", dir}, cli.ExitOK},
		{[]string{"digest", "--format", "json", "-"}, cli.ExitOK},
		{[]string{"digest"}, cli.ExitUsage},
		{[]string{"digest", "--format", "xml", dir}, cli.ExitUsage},
		{[]string{"digest", "-a", "blake2b", dir}, cli.ExitUsage},
		{[]string{"digest", "--jobs", "-1", dir}, cli.ExitUsage},
		{[]string{"digest", "--format", "base64", "-a", "sha256,sha512", dir}, cli.ExitUsage},
		{[]string{"digest", "-", "-"}, cli.ExitUsage},
		{[]string{"digest", filepath.Join(dir, "missing")}, cli.ExitInternal},
		{[]string{"digest", filepath.Join(dir, "*.exe")}, cli.ExitInternal},
		{[]string{"digest", "--dir-hash", dir}, cli.ExitUsage},         // a newline in a name: dirHash1 cannot say it
		{[]string{"digest", "--format", "base64", dir}, cli.ExitUsage}, // nor can base64-subjects: use another format
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := run(t, "stdin", tt.args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.want, stderr)
			}
			if code != cli.ExitOK && strings.Count(stderr, "\n") != 1 {
				t.Fatalf("want exactly one line on stderr, got %q", stderr)
			}
		})
	}
}

// TestDigestAndAttestExitCodesAgree: digest and attest hash their
// arguments the same way, so the same argument gets the same exit code from
// both, the root help's rule: a path that is missing (or a glob matching
// none) is an I/O error, 3; one that was read but is not what pedigree
// hashes (an empty directory, a dangling link inside a directory) is a
// usage error, 2.
func TestDigestAndAttestExitCodesAgree(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	dangling := filepath.Join(dir, "dangling")
	for _, d := range []string{empty, dangling} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dangling, "link.whl")); err != nil {
		t.Skipf("skipped: cannot make a symbolic link: %v", err)
	}
	out := filepath.Join(dir, "out.intoto.jsonl")
	tests := []struct {
		name string
		arg  string
		want int
	}{
		{"missing file", filepath.Join(dir, "missing.whl"), cli.ExitInternal},
		{"glob matching none", filepath.Join(dir, "*.exe"), cli.ExitInternal},
		{"empty directory", empty, cli.ExitUsage},
		{"dangling link in a directory", dangling, cli.ExitUsage},
	}
	for _, tt := range tests {
		for _, args := range [][]string{{"digest", tt.arg}, {"attest", "-o", out, tt.arg}} {
			t.Run(args[0]+" "+tt.name, func(t *testing.T) {
				code, _, stderr := run(t, "", args...)
				if code != tt.want {
					t.Fatalf("exit %d, want %d (stderr %q)", code, tt.want, stderr)
				}
				if !strings.HasPrefix(lastLine(stderr), "pedigree: ") {
					t.Fatalf("want a final 'pedigree: ' line on stderr, got %q", stderr)
				}
			})
		}
	}
}
