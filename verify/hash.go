package verify

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/pedigree-dev/pedigree/digest"
)

// ErrRead: an artifact could not be read. Verify returns it (wrapped with
// the path) rather than a verdict: an unreadable file is an I/O problem, not
// a failed verification.
var ErrRead = errors.New("cannot read artifact")

// hashFile computes the digests of a file for the given algorithms (sha256,
// sha384, sha512) in one streaming pass.
func hashFile(path string, algs []string) (digest.Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrRead, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s: is a directory: %w", path, ErrRead)
	}
	hashes := make(map[string]hash.Hash, len(algs))
	writers := make([]io.Writer, 0, len(algs))
	for _, alg := range algs {
		var h hash.Hash
		switch alg {
		case digest.SHA256:
			h = sha256.New()
		case digest.SHA384:
			h = sha512.New384()
		case digest.SHA512:
			h = sha512.New()
		default:
			return nil, fmt.Errorf("digest algorithm %q: %w", alg, ErrInvalidPolicy)
		}
		hashes[alg] = h
		writers = append(writers, h)
	}
	buf := make([]byte, 256<<10)
	if _, err := io.CopyBuffer(io.MultiWriter(writers...), f, buf); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrRead, err)
	}
	out := make(digest.Set, len(hashes))
	for alg, h := range hashes {
		out[alg] = hex.EncodeToString(h.Sum(nil))
	}
	return out, nil
}
