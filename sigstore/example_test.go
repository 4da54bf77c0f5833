package sigstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// Verify a message-signature bundle of an artifact with the embedded
// public-good root and a cosign-style identity.
func ExampleVerifier_VerifyBundle() {
	v, err := sigstore.NewVerifier() // or WithTrustedRoot(LoadTrustedRoot(path))
	if err != nil {
		panic(err)
	}
	data, _ := os.ReadFile("testdata/happy-path-v0.3.sigstore.json")
	b, err := sigstore.ParseBundle(data)
	if err != nil {
		panic(err)
	}
	artifact, _ := os.ReadFile("testdata/a.txt")
	sum := sha256.Sum256(artifact)
	res, err := v.VerifyBundle(b, sigstore.VerifyOptions{
		ArtifactDigest: digest.Set{digest.SHA256: hex.EncodeToString(sum[:])},
		Identity: &sigstore.Identity{
			Issuer:    "https://token.actions.githubusercontent.com",
			SANRegexp: `^https://github\.com/sigstore-conformance/`,
		},
	})
	if err != nil {
		fmt.Println("verification failed:", err)
		return
	}
	fmt.Println(b.Version(), res.Signer.Certificate.SourceRepositoryURI, res.Timestamps[0].Format("2006-01-02"))
	// Output: v0.3 https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon 2024-03-19
}
