package sigstore

import (
	_ "embed"
	"fmt"
	"os"
	"sync"

	"github.com/sigstore/sigstore-go/pkg/root"
)

// MaxTrustedRootSize bounds the trusted_root.json files this package reads
// (16 MiB; the public-good root is about 7 KiB).
const MaxTrustedRootSize = 16 << 20

//go:embed roots/public-good.json
var publicGoodJSON []byte

// TrustedRoot is a parsed Sigstore trusted_root.json: the Fulcio
// certificate authorities, Rekor transparency logs, certificate
// transparency logs and timestamp authorities a verification trusts. It is
// immutable and safe for concurrent use.
type TrustedRoot struct {
	tr *root.TrustedRoot
}

// ParseTrustedRoot parses a trusted_root.json (media type
// application/vnd.dev.sigstore.trustedroot+json;version=0.1). It fails with
// ErrTooLarge over MaxTrustedRootSize and with ErrTrustedRoot when the JSON
// is malformed, has unknown fields, or any key or certificate is missing,
// unparsable or lacks a validity start.
func ParseTrustedRoot(data []byte) (*TrustedRoot, error) {
	if len(data) > MaxTrustedRootSize {
		return nil, fmt.Errorf("trusted root: %d bytes, limit %d: %w", len(data), MaxTrustedRootSize, ErrTooLarge)
	}
	tr, err := root.NewTrustedRootFromJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTrustedRoot, err)
	}
	return &TrustedRoot{tr: tr}, nil
}

// LoadTrustedRoot reads and parses the trusted_root.json at path. Besides
// ParseTrustedRoot's errors it returns the file system's error (wrapped)
// when the file cannot be read.
func LoadTrustedRoot(path string) (*TrustedRoot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("trusted root: %w", err)
	}
	defer f.Close()
	data, err := readLimited(f, MaxTrustedRootSize)
	if err != nil {
		return nil, fmt.Errorf("trusted root %s: %w", path, err)
	}
	tr, err := ParseTrustedRoot(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return tr, nil
}

var publicGood = sync.OnceValues(func() (*TrustedRoot, error) {
	tr, err := ParseTrustedRoot(publicGoodJSON)
	if err != nil {
		return nil, fmt.Errorf("embedded public-good root: %w", err)
	}
	return tr, nil
})

// PublicGood returns the Sigstore public-good trusted root embedded in the
// binary (see roots/README.md for its origin). It is parsed once per
// process; every call returns the same value. It fails with ErrTrustedRoot
// only if the embedded copy is broken.
func PublicGood() (*TrustedRoot, error) { return publicGood() }

// PublicGoodJSON returns a copy of the embedded public-good
// trusted_root.json.
func PublicGoodJSON() []byte { return append([]byte(nil), publicGoodJSON...) }

// hasTransparencyLogs reports whether the root trusts any Rekor log; when it
// does, certificate-signed bundles must carry a verified log entry.
func (t *TrustedRoot) hasTransparencyLogs() bool { return len(t.tr.RekorLogs()) > 0 }

// hasCTLogs reports whether the root trusts any certificate transparency
// log; when it does, Fulcio certificates must carry a verified SCT.
func (t *TrustedRoot) hasCTLogs() bool { return len(t.tr.CTLogs()) > 0 }
