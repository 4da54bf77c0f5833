package digest

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Errors returned when a digest is malformed; wrapped with the algorithm (and,
// by callers, the field path) concerned.
var (
	// ErrInvalidDigest: a digest value of a known algorithm has the wrong
	// length or is not lowercase hex.
	ErrInvalidDigest = errors.New("invalid digest")
	// ErrDuplicateAlgorithm: an algorithm was added to a Set twice.
	ErrDuplicateAlgorithm = errors.New("digest algorithm already present")
	// ErrEmpty: a Set has no entry, or an entry has an empty name or value.
	ErrEmpty = errors.New("empty digest")
)

// Algorithm names as the in-toto ResourceDescriptor digest spec spells them.
const (
	SHA256     = "sha256"
	SHA224     = "sha224"
	SHA384     = "sha384"
	SHA512     = "sha512"
	SHA512_224 = "sha512_224"
	SHA512_256 = "sha512_256"
	SHA3_224   = "sha3_224"
	SHA3_256   = "sha3_256"
	SHA3_384   = "sha3_384"
	SHA3_512   = "sha3_512"
	SHA1       = "sha1"
	MD5        = "md5"
	Blake2b    = "blake2b"
	Blake2s    = "blake2s"
	RIPEMD160  = "ripemd160"
	SM3        = "sm3"
	GitCommit  = "gitCommit"
	GitTree    = "gitTree"
	GitBlob    = "gitBlob"
	GitTag     = "gitTag"
	DirHash1   = "dirHash1"
	// DirHash is the spelling in-toto's Go bindings give a directory hash
	// (which they take to be SHA-256 sized). pedigree writes DirHash1, but
	// checks a DirHash value's length as the bindings do, so that a value
	// they would reject fails here first, with the field path.
	DirHash = "dirHash"
)

// hexLengths lists, for each algorithm whose values are lowercase hex of a
// known size, the allowed lengths in characters. Git object ids may be SHA-1
// or SHA-256.
var hexLengths = map[string][]int{
	SHA256:     {64},
	SHA224:     {56},
	SHA384:     {96},
	SHA512:     {128},
	SHA512_224: {56},
	SHA512_256: {64},
	SHA3_224:   {56},
	SHA3_256:   {64},
	SHA3_384:   {96},
	SHA3_512:   {128},
	SHA1:       {40},
	MD5:        {32},
	Blake2b:    {128},
	Blake2s:    {64},
	RIPEMD160:  {40},
	SM3:        {64},
	GitCommit:  {40, 64},
	GitTree:    {40, 64},
	GitBlob:    {40, 64},
	GitTag:     {40, 64},
	DirHash1:   {64},
	DirHash:    {64},
}

// Known reports whether alg is an algorithm whose value format is checked.
// Unknown algorithms are kept as they are, never rejected.
func Known(alg string) bool {
	_, ok := hexLengths[alg]
	return ok
}

// HexLength returns the length in hex characters of a digest of alg (the
// first allowed length for git ids), or 0 for an unknown algorithm.
func HexLength(alg string) int {
	if l := hexLengths[alg]; len(l) > 0 {
		return l[0]
	}
	return 0
}

// ValidateValue checks one digest value. Known algorithms need lowercase hex
// of the right length; unknown ones only need a non-empty value. It returns
// an error wrapping ErrInvalidDigest or ErrEmpty, without the field path.
func ValidateValue(alg, value string) error {
	if value == "" {
		return fmt.Errorf("want a value: %w", ErrEmpty)
	}
	lengths, ok := hexLengths[alg]
	if !ok {
		return nil
	}
	if !slices.Contains(lengths, len(value)) {
		return fmt.Errorf("want %s lowercase hex characters, got %d: %w", joinInts(lengths), len(value), ErrInvalidDigest)
	}
	for i := 0; i < len(value); i++ {
		c := value[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Errorf("want lowercase hex, got %q at offset %d: %w", c, i, ErrInvalidDigest)
		}
	}
	return nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, " or ")
}

// Set maps algorithm names to digest values (lowercase hex for the known
// algorithms), as in the in-toto ResourceDescriptor "digest" field.
type Set map[string]string

// Add adds a digest, failing with ErrDuplicateAlgorithm if alg is present and
// with ErrInvalidDigest if value is malformed for a known algorithm.
func (s Set) Add(alg, value string) error {
	if alg == "" {
		return fmt.Errorf("algorithm name: %w", ErrEmpty)
	}
	if _, ok := s[alg]; ok {
		return fmt.Errorf("%s: %w", alg, ErrDuplicateAlgorithm)
	}
	if err := ValidateValue(alg, value); err != nil {
		return fmt.Errorf("%s: %w", alg, err)
	}
	s[alg] = value
	return nil
}

// Validate checks every entry (in sorted order, so the first error reported
// is stable); an empty set is an error. Errors name the algorithm:
// "sha256: want 64 lowercase hex characters, got 63: invalid digest".
func (s Set) Validate() error {
	if len(s) == 0 {
		return ErrEmpty
	}
	for _, alg := range s.Algorithms() {
		if alg == "" {
			return fmt.Errorf("algorithm name: %w", ErrEmpty)
		}
		if err := ValidateValue(alg, s[alg]); err != nil {
			return fmt.Errorf("%s: %w", alg, err)
		}
	}
	return nil
}

// Algorithms returns the algorithm names in sorted order.
func (s Set) Algorithms() []string {
	return slices.Sorted(maps.Keys(s))
}

// Equal reports whether s and o hold exactly the same entries.
func (s Set) Equal(o Set) bool { return maps.Equal(s, o) }

// Matches reports whether s and o share at least one algorithm and agree on
// every algorithm they share: the rule for "this artifact is that subject".
func (s Set) Matches(o Set) bool {
	shared := false
	for alg, v := range s {
		if w, ok := o[alg]; ok {
			if v != w {
				return false
			}
			shared = true
		}
	}
	return shared
}

// Clone returns a copy of s.
func (s Set) Clone() Set { return maps.Clone(s) }
