package attestation_test

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// Read a PEP 740 provenance object as an index serves it and verify its
// attestations: the signature against the public-good root, the signer
// against the publisher the index lists.
func ExampleVerify() {
	items, err := attestation.ParseFile("testdata/pypi_attestations-0.0.19.tar.gz.provenance")
	if err != nil {
		panic(err)
	}
	v, err := sigstore.NewVerifier()
	if err != nil {
		panic(err)
	}
	for _, it := range items {
		res, err := attestation.Verify(v, it, sigstore.VerifyOptions{
			Identity: &sigstore.Identity{
				Issuer: "https://token.actions.githubusercontent.com",
				SAN:    "https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19",
			},
		})
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(it.Format, it.Publisher.Repository, res.PayloadType)
	}
	// Output: pep740-provenance trailofbits/pypi-attestations application/vnd.in-toto+json
}
