package digest

import (
	"crypto/md5"  //nolint:gosec // offered for compatibility with old subject lists, never chosen by default
	"crypto/sha1" //nolint:gosec // same: compatibility only
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
)

// ErrUnsupportedAlgorithm is returned for an algorithm name pedigree cannot
// compute (an unknown name, or one such as blake2b or gitBlob whose values
// pedigree reads but does not produce).
var ErrUnsupportedAlgorithm = errors.New("unsupported digest algorithm")

// constructors lists the algorithms pedigree can compute.
var constructors = map[string]func() hash.Hash{
	SHA256:     sha256.New,
	SHA224:     sha256.New224,
	SHA384:     sha512.New384,
	SHA512:     sha512.New,
	SHA512_224: sha512.New512_224,
	SHA512_256: sha512.New512_256,
	SHA3_224:   func() hash.Hash { return sha3.New224() },
	SHA3_256:   func() hash.Hash { return sha3.New256() },
	SHA3_384:   func() hash.Hash { return sha3.New384() },
	SHA3_512:   func() hash.Hash { return sha3.New512() },
	SHA1:       sha1.New,
	MD5:        md5.New,
}

// Supported returns the names of the algorithms NewHasher accepts, sorted.
func Supported() []string {
	names := make([]string, 0, len(constructors))
	for name := range constructors {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// ArtifactAlgorithms returns the algorithms pedigree hashes an artifact
// with to match it against attestations (statement subjects, Sigstore
// message signatures, the store's subject index): sha256, sha384 and
// sha512, in order of preference. The slice is new on every call.
func ArtifactAlgorithms() []string { return []string{SHA256, SHA384, SHA512} }

// CheckAlgorithms returns algs without duplicates (first occurrence kept),
// or [SHA256] when algs is empty. It fails with an error wrapping
// ErrUnsupportedAlgorithm for a name NewHasher does not accept.
func CheckAlgorithms(algs []string) ([]string, error) {
	if len(algs) == 0 {
		return []string{SHA256}, nil
	}
	out := make([]string, 0, len(algs))
	for _, alg := range algs {
		if _, ok := constructors[alg]; !ok {
			return nil, fmt.Errorf("%q (supported: %v): %w", alg, Supported(), ErrUnsupportedAlgorithm)
		}
		if !slices.Contains(out, alg) {
			out = append(out, alg)
		}
	}
	return out, nil
}

// Hasher computes several digests of one stream in a single pass. It is an
// io.Writer; Sum returns the digests of everything written so far. A Hasher
// is not safe for concurrent use.
type Hasher struct {
	algs   []string
	hashes []hash.Hash
}

// NewHasher returns a Hasher for the given algorithms (SHA-256 alone when
// none is given; a name given twice is computed once). It fails with an
// error wrapping ErrUnsupportedAlgorithm for a name it cannot compute; see
// Supported.
func NewHasher(algs ...string) (*Hasher, error) {
	algs, err := CheckAlgorithms(algs)
	if err != nil {
		return nil, err
	}
	h := &Hasher{algs: algs, hashes: make([]hash.Hash, len(algs))}
	for i, alg := range algs {
		h.hashes[i] = constructors[alg]()
	}
	return h, nil
}

// Write feeds p to every algorithm. It never returns an error.
func (h *Hasher) Write(p []byte) (int, error) {
	for _, hh := range h.hashes {
		hh.Write(p) // hash.Hash.Write never fails
	}
	return len(p), nil
}

// Sum returns the digests of the bytes written so far as lowercase hex.
func (h *Hasher) Sum() Set {
	s := make(Set, len(h.hashes))
	var buf [64]byte
	for i, hh := range h.hashes {
		s[h.algs[i]] = hex.EncodeToString(hh.Sum(buf[:0]))
	}
	return s
}

// Reset forgets everything written, so the Hasher can hash another stream.
func (h *Hasher) Reset() {
	for _, hh := range h.hashes {
		hh.Reset()
	}
}

// Algorithms returns the algorithms computed, in the order they were given.
func (h *Hasher) Algorithms() []string { return slices.Clone(h.algs) }
