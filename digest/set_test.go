package digest

import (
	"errors"
	"strings"
	"testing"

	intoto "github.com/in-toto/attestation/go/v1"
)

func TestValidateValue(t *testing.T) {
	hex64 := strings.Repeat("ab", 32)
	tests := []struct {
		alg, value string
		wantErr    error
	}{
		{SHA256, hex64, nil},
		{SHA256, hex64[:63], ErrInvalidDigest},
		{SHA256, strings.ToUpper(hex64), ErrInvalidDigest},
		{DirHash1, hex64, nil},
		{DirHash1, hex64 + "ab", ErrInvalidDigest},
		{DirHash, hex64, nil},
		{DirHash, hex64[:40], ErrInvalidDigest},
		{DirHash, "h1:" + hex64[:41], ErrInvalidDigest},
		{DirHash, strings.Repeat("zz", 32), ErrInvalidDigest},
		{GitCommit, hex64[:40], nil},
		{GitCommit, hex64, nil},
		{GitCommit, hex64[:41], ErrInvalidDigest},
		{"customAlg", "anything goes", nil},
		{DirHash, "", ErrEmpty},
	}
	for _, tt := range tests {
		err := ValidateValue(tt.alg, tt.value)
		if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
			t.Errorf("ValidateValue(%s, %q) = %v, want %v", tt.alg, tt.value, err, tt.wantErr)
		}
	}
}

// TestSetValidateDirHash: a malformed dirHash in a set fails with the
// algorithm named, as in-toto's bindings would refuse it.
func TestSetValidateDirHash(t *testing.T) {
	err := Set{DirHash: "abc"}.Validate()
	if !errors.Is(err, ErrInvalidDigest) || !strings.HasPrefix(err.Error(), "dirHash: want 64 lowercase hex characters, got 3") {
		t.Fatalf("Validate = %v", err)
	}
}

// TestKnownCoversInToto: every algorithm whose length in-toto's Go bindings
// check is one whose length this package checks, with the same length (git
// ids: SHA-1's first; pedigree also accepts SHA-256 ones).
func TestKnownCoversInToto(t *testing.T) {
	for name, alg := range intoto.HashAlgorithms {
		if !Known(name) {
			t.Errorf("%s: in-toto checks its length, digest.Known says unknown", name)
			continue
		}
		if got, want := HexLength(name), 2*alg.HexLength(); got != want {
			t.Errorf("%s: HexLength = %d, in-toto wants %d", name, got, want)
		}
	}
}
