package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/pypi"
	"github.com/pedigree-dev/pedigree/store"
	"github.com/pedigree-dev/pedigree/verify"
)

func readShared(t *testing.T, elem ...string) []byte {
	t.Helper()
	dir := testshared.Dir(t, elem[:len(elem)-1]...)
	b, err := os.ReadFile(filepath.Join(dir, elem[len(elem)-1]))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func publicGoodVerifier(t *testing.T, pol verify.Policy) *store.PolicyVerifier {
	t.Helper()
	v, err := verify.New() // the public-good trusted root built into pedigree
	if err != nil {
		t.Fatal(err)
	}
	pv, err := store.NewPolicyVerifier(v, pol)
	if err != nil {
		t.Fatal(err)
	}
	return pv
}

// jsonEqual compares two JSON documents by value.
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

// TestPEP740 stores PyPI's real attestations for pypi-attestations 0.0.19
// (publish/v1 as a PEP 740 object, SLSA v1 as the equivalent Sigstore
// bundle) under a Trusted Publisher policy, and serves them back as the
// PEP 740 provenance object PyPI serves for that file.
func TestPEP740(t *testing.T) {
	ctx := context.Background()
	publish := readShared(t, "vectors", "pypi", "pypi_attestations-0.0.19.tar.gz.publish.attestation")
	slsaObj := readShared(t, "vectors", "pypi", "pypi_attestations-0.0.19.tar.gz.slsa.attestation")
	pypiProv := readShared(t, "vectors", "pypi", "pypi_attestations-0.0.19.tar.gz.provenance")
	a, err := pypi.ParseAttestationObject(slsaObj)
	if err != nil {
		t.Fatal(err)
	}
	slsaBundle, err := a.BundleJSON()
	if err != nil {
		t.Fatal(err)
	}

	pub, err := verify.ParsePublisher("github:trailofbits/pypi-attestations@release.yml")
	if err != nil {
		t.Fatal(err)
	}
	s := sqliteStore(t, publicGoodVerifier(t, verify.Policy{Publisher: &pub}))
	res, err := s.Ingest(ctx, append(append(append([]byte{}, publish...), '\n'), slsaBundle...))
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Format != "pep740-attestation" || res[1].Format != "sigstore-bundle" {
		t.Fatalf("formats %s, %s", res[0].Format, res[1].Format)
	}
	wantPub := `{"kind":"GitHub","repository":"trailofbits/pypi-attestations","workflow":"release.yml"}`
	for _, r := range res {
		if string(r.Publisher) != wantPub || r.SignedAt == nil ||
			r.SignerIdentity != "https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19" {
			t.Fatalf("%s: publisher %s, signed %v, signer %q", r.Format, r.Publisher, r.SignedAt, r.SignerIdentity)
		}
	}
	if res[0].PredicateType != verify.PredicatePyPIPublish || res[1].PredicateType != "https://slsa.dev/provenance/v1" {
		t.Fatalf("predicate types %q, %q", res[0].PredicateType, res[1].PredicateType)
	}

	prov, err := s.Provenance(ctx, "pypi-attestations", "0.0.19", "pypi_attestations-0.0.19.tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(prov.AttestationBundles) != 1 || len(prov.AttestationBundles[0].Attestations) != 2 {
		t.Fatalf("provenance: %+v", prov)
	}
	got := func(i int) []byte {
		b, err := json.Marshal(prov.AttestationBundles[0].Attestations[i])
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// Records of one instant are served in ID order.
	iPub, iSLSA := 0, 1
	if jsonEqual(t, got(0), slsaObj) {
		iPub, iSLSA = 1, 0
	}
	if !jsonEqual(t, got(iPub), publish) || !jsonEqual(t, got(iSLSA), slsaObj) {
		t.Fatal("served attestation objects differ from the ones stored")
	}
	// The publish attestation and its publisher are what PyPI serves
	// (PyPI adds "environment": null, which the certificate does not carry).
	var pp pypi.Provenance
	if err := json.Unmarshal(pypiProv, &pp); err != nil {
		t.Fatal(err)
	}
	gotPub, _ := json.Marshal(prov.AttestationBundles[0].Publisher)
	if p := pp.AttestationBundles[0].Publisher; string(gotPub) != wantPub || p.Kind != "GitHub" || p.Repository != "trailofbits/pypi-attestations" || p.Workflow != "release.yml" {
		t.Fatalf("publisher %s, PyPI's %+v", gotPub, p)
	}
	if pypiAtt, _ := json.Marshal(pp.AttestationBundles[0].Attestations[0]); !jsonEqual(t, got(iPub), pypiAtt) {
		t.Fatal("served publish attestation differs from PyPI's")
	}
	// The served object parses as a PEP 740 provenance object.
	served, _ := json.Marshal(prov)
	if _, err := pypi.ParseProvenanceObject(served); err != nil {
		t.Fatalf("served provenance: %v", err)
	}

	for _, tt := range []struct {
		project, version, file string
		wantErr                error
	}{
		{"pypi_attestations", "0.0.19.0", "pypi_attestations-0.0.19.tar.gz", nil}, // PEP 503 name, PEP 440 version
		{"other", "0.0.19", "pypi_attestations-0.0.19.tar.gz", store.ErrNotFound},
		{"pypi-attestations", "0.0.20", "pypi_attestations-0.0.19.tar.gz", store.ErrNotFound},
		{"pypi-attestations", "0.0.20", "pypi_attestations-0.0.20.tar.gz", store.ErrNotFound},
		{"pypi-attestations", "0.0.19", "not-a-distribution", store.ErrInvalidQuery},
	} {
		if _, err := s.Provenance(ctx, tt.project, tt.version, tt.file); !errors.Is(err, tt.wantErr) {
			t.Errorf("Provenance(%s, %s, %s): %v, want %v", tt.project, tt.version, tt.file, err, tt.wantErr)
		}
	}

	// PyPI's provenance object holds one attestation: it can be stored
	// too, its publisher checked against the certificate.
	if _, err := s.Ingest(ctx, pypiProv); err != nil {
		t.Fatalf("provenance object: %v", err)
	}
}

func TestPEP740Refused(t *testing.T) {
	ctx := context.Background()
	publish := readShared(t, "vectors", "pypi", "pypi_attestations-0.0.19.tar.gz.publish.attestation")
	evil, err := verify.ParsePublisher("github:evil/pypi-attestations@release.yml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		pol     verify.Policy
		wantErr error
	}{
		{"no identity policy", verify.Policy{}, verify.ErrNoPolicy},
		{"another publisher", verify.Policy{Publisher: &evil}, verify.ErrPublisherMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sqliteStore(t, publicGoodVerifier(t, tt.pol))
			_, err := s.Ingest(ctx, publish)
			if !errors.Is(err, store.ErrRejected) || !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want ErrRejected and %v", err, tt.wantErr)
			}
		})
	}
}
