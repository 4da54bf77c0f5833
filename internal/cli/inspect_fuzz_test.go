package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// FuzzDescribeAttestation feeds arbitrary files through attestation.Parse
// and inspect's summary of each item: nothing may panic, however the
// statement, predicate or certificate inside is malformed.
func FuzzDescribeAttestation(f *testing.F) {
	root := testshared.Root()
	for _, p := range []string{
		filepath.Join(root, "provdiff", "testdata", "build-1.json"),
		filepath.Join(root, "evidence", "testdata", "golden", "provenance.intoto.jsonl"),
		filepath.Join(root, "evidence", "testdata", "dpone-01", "provenance.intoto.json"),
	} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	if dir := testshared.Path("vectors", "pypi"); dir != "" {
		for _, name := range []string{"rfc8785-0.1.2-py3-none-any.whl.attestation", "pypi_attestations-0.0.19.tar.gz.provenance"} {
			if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := attestation.Parse(data, "fuzz")
		if err != nil {
			return
		}
		for _, it := range items {
			ii := describeItem(it)
			if ii.Source == "" {
				t.Fatal("no source")
			}
		}
	})
}
