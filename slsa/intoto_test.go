package slsa_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	provv1 "github.com/in-toto/attestation/go/predicates/provenance/v1"
	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// strict is how readers built on in-toto's Go bindings parse statements:
// unknown members (including misspelled or snake_case ones) fail.
var strict = protojson.UnmarshalOptions{DiscardUnknown: false}

// inTotoParse parses bytes as in-toto's Go bindings do, failing the test
// when they refuse them, and validates the statement and (for SLSA v1) the
// predicate with the bindings' own Validate.
func inTotoParse(t *testing.T, name string, data []byte, wantPredicate bool) {
	t.Helper()
	var st intoto.Statement
	if err := strict.Unmarshal(data, &st); err != nil {
		t.Fatalf("%s: in-toto's Statement rejects it: %v\n%s", name, err, data)
	}
	if wantPredicate {
		if err := st.Validate(); err != nil {
			t.Fatalf("%s: in-toto's Statement.Validate: %v", name, err)
		}
	}
	if st.GetPredicateType() != slsa.PredicateProvenanceV1 {
		return
	}
	pj, err := protojson.Marshal(st.GetPredicate())
	if err != nil {
		t.Fatal(err)
	}
	var prov provv1.Provenance
	if err := strict.Unmarshal(pj, &prov); err != nil {
		t.Fatalf("%s: in-toto's Provenance rejects the predicate: %v\n%s", name, err, pj)
	}
	if err := prov.Validate(); err != nil {
		t.Fatalf("%s: in-toto's Provenance.Validate: %v", name, err)
	}
}

// TestInTotoBindingsAcceptBuiltStatements: a statement built with this
// package (every field set) decodes with in-toto's own Go bindings, in
// canonical and indented form, and means the same there.
func TestInTotoBindingsAcceptBuiltStatements(t *testing.T) {
	p := validV1()
	p.RunDetails.Metadata.StartedOn = slsa.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 500_000_000, time.UTC))
	p.BuildDefinition.ExternalParameters["n"] = 42
	subject := slsa.ResourceDescriptor{
		Name: "pedigree_demo-0.1.0-py3-none-any.whl", URI: "pkg:pypi/pedigree-demo@0.1.0",
		DownloadLocation: "https://files.example/pedigree_demo-0.1.0-py3-none-any.whl",
		MediaType:        "application/zip", Content: []byte{1, 2, 3}, Annotations: map[string]any{"k": "v"},
	}
	if err := subject.AddDigest(digest.SHA256, sha256A); err != nil {
		t.Fatal(err)
	}
	s, err := slsa.NewStatement([]slsa.ResourceDescriptor{subject}, slsa.PredicateProvenanceV1, &p)
	if err != nil {
		t.Fatal(err)
	}
	canon, err := slsa.Canonical(s)
	if err != nil {
		t.Fatal(err)
	}
	ind, err := slsa.Indent(s)
	if err != nil {
		t.Fatal(err)
	}
	inTotoParse(t, "canonical", canon, true)
	inTotoParse(t, "indented", ind, true)

	var st intoto.Statement
	if err := strict.Unmarshal(canon, &st); err != nil {
		t.Fatal(err)
	}
	sub := st.GetSubject()[0]
	if sub.GetName() != subject.Name || sub.GetUri() != subject.URI || sub.GetDigest()["sha256"] != sha256A ||
		sub.GetDownloadLocation() != subject.DownloadLocation || sub.GetMediaType() != subject.MediaType ||
		string(sub.GetContent()) != string(subject.Content) || sub.GetAnnotations().GetFields()["k"].GetStringValue() != "v" {
		t.Errorf("in-toto reads the subject differently: %v", sub)
	}
	pj, _ := protojson.Marshal(st.GetPredicate())
	var prov provv1.Provenance
	if err := strict.Unmarshal(pj, &prov); err != nil {
		t.Fatal(err)
	}
	md := prov.GetRunDetails().GetMetadata()
	if prov.GetRunDetails().GetBuilder().GetId() != p.RunDetails.Builder.ID ||
		prov.GetBuildDefinition().GetBuildType() != p.BuildDefinition.BuildType ||
		md.GetInvocationId() != "run-1" ||
		!md.GetStartedOn().AsTime().Equal(p.RunDetails.Metadata.StartedOn.Time) ||
		!md.GetFinishedOn().AsTime().Equal(p.RunDetails.Metadata.FinishedOn.Time) ||
		prov.GetBuildDefinition().GetExternalParameters().GetFields()["n"].GetNumberValue() != 42 ||
		prov.GetRunDetails().GetBuilder().GetVersion()["pedigree"] != "0.1.0" ||
		string(prov.GetRunDetails().GetByproducts()[0].GetContent()) != "ok" ||
		prov.GetBuildDefinition().GetResolvedDependencies()[0].GetDigest()["gitCommit"] != "4d329c75e7ec1725f7c9ce917a8799d408d06be3" {
		t.Errorf("in-toto reads the provenance differently: %v", &prov)
	}
}

// TestInTotoBindingsAcceptTestdata: the real statements in testdata parse
// with in-toto's bindings too (their Validate needs a predicate, which
// PyPI's publish attestation does not have, and externalParameters, which
// the Rekor v2 conformance statement lacks).
func TestInTotoBindingsAcceptTestdata(t *testing.T) {
	files, _ := filepath.Glob("testdata/statements/*.json")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var st intoto.Statement
		if err := strict.Unmarshal(data, &st); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
