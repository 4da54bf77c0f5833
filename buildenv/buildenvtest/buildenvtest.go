// Package buildenvtest gives tests the CI environments buildenv is tested
// with (buildenv/testdata/*.env: the variables of a GitHub Actions and a
// GitLab CI job), so that every package's tests detect the same build
// contexts from the same files.
package buildenvtest

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// Env reads buildenv/testdata/<name>, one KEY=VALUE a line (blank lines
// and # comments skipped), and returns it as an environment map. It fails
// the test when the file cannot be read.
func Env(t testing.TB, name string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(testshared.Root(), "buildenv", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		env[k] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return env
}
