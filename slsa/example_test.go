package slsa_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// Build a SLSA v1 provenance statement for a wheel and get the bytes to
// sign (RFC 8785) and the form to show people.
func ExampleNewStatement() {
	var wheel slsa.ResourceDescriptor
	wheel.Name = "pedigree_demo-0.1.0-py3-none-any.whl"
	if err := wheel.AddDigest(digest.SHA256, "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3"); err != nil {
		fmt.Println(err)
		return
	}
	started := time.Unix(1767225600, 0) // SOURCE_DATE_EPOCH
	prov := &slsa.ProvenanceV1{
		BuildDefinition: slsa.BuildDefinition{
			BuildType:          "https://pedigree.dev/buildtypes/python/v1",
			ExternalParameters: map[string]any{"source": "git+https://github.com/example/demo@refs/tags/v0.1.0"},
		},
		RunDetails: slsa.RunDetails{
			Builder:  slsa.Builder{ID: "https://pedigree.dev/builders/local@v1"},
			Metadata: &slsa.BuildMetadata{InvocationID: "local-1", StartedOn: slsa.NewTime(started)},
		},
	}
	s, err := slsa.NewStatement([]slsa.ResourceDescriptor{wheel}, slsa.PredicateProvenanceV1, prov)
	if err != nil {
		fmt.Println(err)
		return
	}
	signed, err := slsa.Canonical(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	readable, err := slsa.Indent(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s\n\n%s", signed, readable)
	// Output:
	// {"_type":"https://in-toto.io/Statement/v1","predicate":{"buildDefinition":{"buildType":"https://pedigree.dev/buildtypes/python/v1","externalParameters":{"source":"git+https://github.com/example/demo@refs/tags/v0.1.0"}},"runDetails":{"builder":{"id":"https://pedigree.dev/builders/local@v1"},"metadata":{"invocationId":"local-1","startedOn":"2026-01-01T00:00:00Z"}}},"predicateType":"https://slsa.dev/provenance/v1","subject":[{"digest":{"sha256":"9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3"},"name":"pedigree_demo-0.1.0-py3-none-any.whl"}]}
	//
	// {
	//   "_type": "https://in-toto.io/Statement/v1",
	//   "predicate": {
	//     "buildDefinition": {
	//       "buildType": "https://pedigree.dev/buildtypes/python/v1",
	//       "externalParameters": {
	//         "source": "git+https://github.com/example/demo@refs/tags/v0.1.0"
	//       }
	//     },
	//     "runDetails": {
	//       "builder": {
	//         "id": "https://pedigree.dev/builders/local@v1"
	//       },
	//       "metadata": {
	//         "invocationId": "local-1",
	//         "startedOn": "2026-01-01T00:00:00Z"
	//       }
	//     }
	//   },
	//   "predicateType": "https://slsa.dev/provenance/v1",
	//   "subject": [
	//     {
	//       "digest": {
	//         "sha256": "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3"
	//       },
	//       "name": "pedigree_demo-0.1.0-py3-none-any.whl"
	//     }
	//   ]
	// }
}

// Parse a statement (here PyPI's trusted-publishing attestation, whose
// predicate is null), find the subject for an artifact digest, and read a
// SLSA predicate.
func ExampleParseStatement() {
	payload := []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"pypi_attestations-0.0.19.tar.gz","digest":{"sha256":"9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3"}}],"predicateType":"https://docs.pypi.org/attestations/publish/v1","predicate":null}`)
	s, err := slsa.ParseStatement(payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	i, ok := s.MatchSubject(digest.Set{digest.SHA256: "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3"})
	fmt.Println(s.PredicateType, s.HasPredicate(), i, ok, s.Subject[i].Name)

	_, err = s.ProvenanceV1()
	fmt.Println(errors.Is(err, slsa.ErrPredicateType), err)

	// Malformed input gets one line naming the field.
	_, err = slsa.ParseStatement([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"9bb1"}}],"predicateType":"https://slsa.dev/provenance/v1"}`))
	fmt.Println(errors.Is(err, slsa.ErrInvalidDigest), err)
	// Output:
	// https://docs.pypi.org/attestations/publish/v1 false 0 true pypi_attestations-0.0.19.tar.gz
	// true predicateType: want "https://slsa.dev/provenance/v1", got "https://docs.pypi.org/attestations/publish/v1": unexpected predicate type
	// true subject[0].digest.sha256: want 64 lowercase hex characters, got 4: invalid digest
}

// Type and resource URIs compare after RFC 3986 case normalization.
func ExampleTypeURI_Equal() {
	u, err := slsa.ParseResourceURI("GIT+HTTPS://GitHub.com/Example/Demo@refs/tags/v1%2e0")
	fmt.Println(u, err)
	fmt.Println(slsa.TypeURI("HTTPS://SLSA.DEV/provenance/v1").Equal(slsa.PredicateProvenanceV1))
	// Output:
	// git+https://github.com/Example/Demo@refs/tags/v1%2E0 <nil>
	// true
}
