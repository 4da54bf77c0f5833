package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/sigstore"
)

const benchBundles = 1000

// BenchmarkVerifyBatch verifies 1,000 bundles in one process, on 1 and 2
// workers, and reports verifications per second:
//
//   - cert: slsa-github-generator's real certificate-signed bundle (SLSA
//     v0.2, bundle v0.3) with the public-good root: certificate chain, SCT,
//     Rekor inclusion proof and SET, then --source-uri policy; 1,000
//     copies, one digest-only artifact that all of them name.
//   - key: 1,000 distinct key-signed bundles (ECDSA P-256), one artifact
//     each.
//
// Run: go test ./verify -run '^$' -bench VerifyBatch -benchtime 3x
func BenchmarkVerifyBatch(b *testing.B) {
	b.Run("cert", func(b *testing.B) {
		dir := testshared.Dir(b, "vectors")
		data, err := os.ReadFile(filepath.Join(dir, genericV14))
		if err != nil {
			b.Fatal(err)
		}
		one, err := attestation.Parse(data, "generic.intoto.jsonl")
		if err != nil {
			b.Fatal(err)
		}
		items := make([]attestation.Item, benchBundles)
		for i := range items {
			items[i] = one[0]
			items[i].Source = fmt.Sprintf("b%04d", i)
		}
		arts := []Artifact{{Digest: digest.Set{digest.SHA256: "376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa"}}}
		pol := Policy{Provenance: ProvenancePolicy{SourceURI: exampleSource}}
		tr, err := sigstore.LoadTrustedRoot(filepath.Join(dir, "trusted-roots", "public-good.json"))
		if err != nil {
			b.Fatal(err)
		}
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
				v, err := New(WithTrustedRoot(tr), WithWorkers(w))
				if err != nil {
					b.Fatal(err)
				}
				benchVerify(b, v, Options{Artifacts: arts, Attestations: items, Policy: pol})
			})
		}
	})
	b.Run("key", func(b *testing.B) {
		key := newSigner(b)
		items := make([]attestation.Item, benchBundles)
		arts := make([]Artifact, benchBundles)
		for i := range items {
			sum := sha256.Sum256([]byte(fmt.Sprint(i)))
			d := digest.Set{digest.SHA256: hex.EncodeToString(sum[:])}
			arts[i] = Artifact{Digest: d}
			parsed, err := attestation.Parse(key.bundleJSON(b, statementJSON(b, map[string]digest.Set{fmt.Sprint(i): d})), fmt.Sprintf("b%04d", i))
			if err != nil {
				b.Fatal(err)
			}
			items[i] = parsed[0]
		}
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
				v, err := New(WithPublicKeys(key.pub), WithWorkers(w))
				if err != nil {
					b.Fatal(err)
				}
				benchVerify(b, v, Options{Artifacts: arts, Attestations: items})
			})
		}
	})
}

func benchVerify(b *testing.B, v *Verifier, o Options) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := v.Verify(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		if !rep.Verified {
			b.Fatalf("not verified: %s", rep.Artifacts[0].Error)
		}
	}
	b.ReportMetric(float64(len(o.Attestations)*b.N)/b.Elapsed().Seconds(), "verifications/s")
}

// BenchmarkCheckProvenance is the policy alone on a real SLSA v0.2
// statement (decode and every check).
func BenchmarkCheckProvenance(b *testing.B) {
	v := loadVector(b, genericV14)
	o := ProvenanceOptions{Policy: ProvenancePolicy{SourceURI: exampleSource, SourceVersionedTag: "v14", SourceBranch: "main"}, Certificate: v.cert}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckProvenance(v.stmt, o); err != nil {
			b.Fatal(err)
		}
	}
}
