package slsa_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// bigStatement builds a provenance statement with n subjects, as attest does
// for a large release.
func bigStatement(b *testing.B, n int) *slsa.Statement {
	b.Helper()
	subjects := make([]slsa.ResourceDescriptor, n)
	for i := range subjects {
		sum := sha256.Sum256(fmt.Appendf(nil, "artifact %d", i))
		subjects[i] = slsa.ResourceDescriptor{
			Name:   fmt.Sprintf("dist/pkg_%05d-1.0.0-py3-none-any.whl", i),
			Digest: digest.Set{digest.SHA256: hex.EncodeToString(sum[:])},
		}
	}
	p := validV1()
	s, err := slsa.NewStatement(subjects, slsa.PredicateProvenanceV1, &p)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkNewStatement10k(b *testing.B) {
	s := bigStatement(b, 10000)
	p, _ := s.ProvenanceV1()
	b.ResetTimer()
	for b.Loop() {
		if _, err := slsa.NewStatement(s.Subject, slsa.PredicateProvenanceV1, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCanonical10k(b *testing.B) {
	s := bigStatement(b, 10000)
	out, _ := slsa.Canonical(s)
	b.SetBytes(int64(len(out)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := slsa.Canonical(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseStatement10k(b *testing.B) {
	data, err := slsa.Canonical(bigStatement(b, 10000))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := slsa.ParseStatement(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndent10k(b *testing.B) {
	s := bigStatement(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := slsa.Indent(s); err != nil {
			b.Fatal(err)
		}
	}
}
