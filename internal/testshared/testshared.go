// Package testshared locates the shared test data that lives beside a
// checkout (../shared: conformance vectors, Python samples, SBOM schemas,
// seed cases). Tests call Dir and are skipped, with a message saying why,
// in a clone that does not have it.
package testshared

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the module root (the directory holding go.mod), found by
// walking up from the working directory, or "" when there is none.
func Root() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Path returns the absolute path of ../shared/<elem...> beside the module
// root, or "" when ../shared does not exist.
func Path(elem ...string) string {
	root := Root()
	if root == "" {
		return ""
	}
	shared := filepath.Join(filepath.Dir(root), "shared")
	if fi, err := os.Stat(shared); err != nil || !fi.IsDir() {
		return ""
	}
	return filepath.Join(append([]string{shared}, elem...)...)
}

// Dir returns the absolute path of ../shared/<elem...>, skipping the test
// when it is absent.
func Dir(t testing.TB, elem ...string) string {
	t.Helper()
	p := Path(elem...)
	if p == "" {
		t.Skip("skipped: ../shared (conformance vectors and samples) is not beside this checkout")
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipped: %s is not in ../shared: %v", filepath.Join(elem...), err)
	}
	return p
}
