package sigstore_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// FuzzParseBundle seeds from testdata and, when ../shared is present, from
// every conformance bundle. A bundle that parses must answer its accessors
// without panicking. (attestation.FuzzParse also verifies what parses.)
func FuzzParseBundle(f *testing.F) {
	matches, _ := filepath.Glob(filepath.Join("testdata", "*.sigstore.json"))
	if dir := testshared.Path("vectors", "sigstore-conformance", "bundle-verify"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "*", "bundle.sigstore.json"))
		matches = append(matches, more...)
	}
	for _, m := range matches {
		if data, err := os.ReadFile(m); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := sigstore.ParseBundle(data)
		if err != nil {
			if !errors.Is(err, sigstore.ErrBundle) && !errors.Is(err, sigstore.ErrTooLarge) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		_, _, _ = b.MediaType(), b.KeyHint(), b.HasCertificate()
		_ = b.UnverifiedEnvelope()
		_ = b.UnverifiedMessageDigest()
		switch b.Version() {
		case "v0.1", "v0.2", "v0.3":
		default:
			if len(b.Version()) < 4 || b.Version()[:4] != "v0.3" {
				t.Fatalf("accepted version %q", b.Version())
			}
		}
	})
}

// FuzzParseTrustedRoot seeds from the embedded root and the test roots.
func FuzzParseTrustedRoot(f *testing.F) {
	f.Add(sigstore.PublicGoodJSON())
	f.Add(readTestdata(f, "staging-rekor2.trusted_root.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := sigstore.ParseTrustedRoot(data); err != nil && !errors.Is(err, sigstore.ErrTrustedRoot) && !errors.Is(err, sigstore.ErrTooLarge) {
			t.Fatalf("error without a sentinel: %v", err)
		}
	})
}
