package pypi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/pypi"
)

func readPEP740(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "pep740", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseAttestationObject(t *testing.T) {
	a, err := pypi.ParseAttestationObject(readPEP740(t, "rfc8785-0.1.2-py3-none-any.whl.attestation"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 1 || len(a.VerificationMaterial.TransparencyEntries) != 1 {
		t.Errorf("attestation: version %d, %d entries", a.Version, len(a.VerificationMaterial.TransparencyEntries))
	}
	var st struct {
		Type    string `json:"_type"`
		Subject []struct {
			Name string `json:"name"`
		} `json:"subject"`
	}
	if err := json.Unmarshal(a.Envelope.Statement, &st); err != nil {
		t.Fatal(err)
	}
	if st.Type != "https://in-toto.io/Statement/v1" || len(st.Subject) != 1 || st.Subject[0].Name != "rfc8785-0.1.2-py3-none-any.whl" {
		t.Errorf("statement: %+v", st)
	}
}

// TestBundleJSON checks the PEP 740 -> Sigstore bundle mapping field by
// field.
func TestBundleJSON(t *testing.T) {
	a, err := pypi.ParseAttestationObject(readPEP740(t, "rfc8785-0.1.2-py3-none-any.whl.attestation"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := a.BundleJSON()
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		MediaType            string `json:"mediaType"`
		VerificationMaterial struct {
			Certificate struct {
				RawBytes []byte `json:"rawBytes"`
			} `json:"certificate"`
			TlogEntries []json.RawMessage `json:"tlogEntries"`
		} `json:"verificationMaterial"`
		DSSEEnvelope struct {
			Payload     []byte `json:"payload"`
			PayloadType string `json:"payloadType"`
			Signatures  []struct {
				Sig   []byte  `json:"sig"`
				KeyID *string `json:"keyid"`
			} `json:"signatures"`
		} `json:"dsseEnvelope"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if b.MediaType != "application/vnd.dev.sigstore.bundle.v0.3+json" {
		t.Errorf("mediaType %q", b.MediaType)
	}
	if !bytes.Equal(b.VerificationMaterial.Certificate.RawBytes, a.VerificationMaterial.Certificate) {
		t.Error("certificate not carried over")
	}
	var wantEntry bytes.Buffer
	if err := json.Compact(&wantEntry, a.VerificationMaterial.TransparencyEntries[0]); err != nil {
		t.Fatal(err)
	}
	if len(b.VerificationMaterial.TlogEntries) != 1 || !bytes.Equal(b.VerificationMaterial.TlogEntries[0], wantEntry.Bytes()) {
		t.Error("transparency entries not carried over unchanged")
	}
	env := b.DSSEEnvelope
	if env.PayloadType != pypi.PEP740PayloadType || !bytes.Equal(env.Payload, a.Envelope.Statement) {
		t.Errorf("envelope payload: %q", env.PayloadType)
	}
	if len(env.Signatures) != 1 || !bytes.Equal(env.Signatures[0].Sig, a.Envelope.Signature) || env.Signatures[0].KeyID != nil {
		t.Error("envelope signature: want exactly the attestation's signature, with no keyid")
	}
}

func TestParseProvenanceObject(t *testing.T) {
	p, err := pypi.ParseProvenanceObject(readPEP740(t, "pypi_attestations-0.0.19.tar.gz.provenance"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 1 || len(p.AttestationBundles) != 1 || len(p.AttestationBundles[0].Attestations) != 1 {
		t.Fatalf("provenance: %+v", p)
	}
	pub := p.AttestationBundles[0].Publisher
	if pub.Kind != "GitHub" || pub.Repository != "trailofbits/pypi-attestations" || pub.Workflow != "release.yml" || pub.Environment != "" {
		t.Errorf("publisher: %+v", pub)
	}
	if !bytes.Contains(pub.Raw, []byte(`"environment":null`)) {
		t.Errorf("publisher Raw: %s", pub.Raw)
	}
}

func TestPublisherKinds(t *testing.T) {
	tests := []struct {
		in   string
		want pypi.Publisher
	}{
		{`{"kind":"GitLab","repository":"g/p","workflow_filepath":".gitlab-ci.yml","environment":"prod"}`,
			pypi.Publisher{Kind: "GitLab", Repository: "g/p", WorkflowFilepath: ".gitlab-ci.yml", Environment: "prod"}},
		{`{"kind":"Google","email":"sa@p.iam.gserviceaccount.com"}`, pypi.Publisher{Kind: "Google", Email: "sa@p.iam.gserviceaccount.com"}},
		{`{"kind":"Other","claims":{"a":"b"},"vendor":1}`, pypi.Publisher{Kind: "Other", Claims: map[string]any{"a": "b"}}},
	}
	for _, tt := range tests {
		var p pypi.Publisher
		if err := json.Unmarshal([]byte(tt.in), &p); err != nil {
			t.Fatal(err)
		}
		if p.Kind != tt.want.Kind || p.Repository != tt.want.Repository || p.WorkflowFilepath != tt.want.WorkflowFilepath ||
			p.Environment != tt.want.Environment || p.Email != tt.want.Email || len(p.Claims) != len(tt.want.Claims) || string(p.Raw) != tt.in {
			t.Errorf("%s: got %+v", tt.in, p)
		}
	}
}

// editPEP740 decodes a testdata object generically, changes it and re-encodes it.
func editPEP740(t testing.TB, name string, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(readPEP740(t, name), &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPEP740Errors(t *testing.T) {
	const att = "rfc8785-0.1.2-py3-none-any.whl.attestation"
	const prov = "pypi_attestations-0.0.19.tar.gz.provenance"
	vm := func(m map[string]any) map[string]any { return m["verification_material"].(map[string]any) }
	tests := []struct {
		name       string
		provenance bool
		data       []byte
		wantErr    error
		wantField  string
	}{
		{"truncated", false, readPEP740(t, att)[:100], pypi.ErrPEP740, ""},
		{"not JSON", false, []byte("hello"), pypi.ErrPEP740, ""},
		{"version 2", false, editPEP740(t, att, func(m map[string]any) { m["version"] = 2 }), pypi.ErrPEP740, "version"},
		{"no version", false, editPEP740(t, att, func(m map[string]any) { delete(m, "version") }), pypi.ErrPEP740, "version"},
		{"unknown member", false, editPEP740(t, att, func(m map[string]any) { m["signature"] = "x" }), pypi.ErrPEP740, "signature"},
		{"no certificate", false, editPEP740(t, att, func(m map[string]any) { delete(vm(m), "certificate") }), pypi.ErrPEP740, "verification_material.certificate"},
		{"certificate not DER", false, editPEP740(t, att, func(m map[string]any) { vm(m)["certificate"] = "AAAA" }), pypi.ErrPEP740, "verification_material.certificate"},
		{"certificate not base64", false, editPEP740(t, att, func(m map[string]any) { vm(m)["certificate"] = "not base64!" }), pypi.ErrPEP740, ""},
		{"no transparency entries", false, editPEP740(t, att, func(m map[string]any) { vm(m)["transparency_entries"] = []any{} }), pypi.ErrPEP740, "transparency_entries"},
		{"transparency entry not an object", false, editPEP740(t, att, func(m map[string]any) { vm(m)["transparency_entries"] = []any{"x"} }), pypi.ErrPEP740, "transparency_entries[0]"},
		{"empty signature", false, editPEP740(t, att, func(m map[string]any) { m["envelope"].(map[string]any)["signature"] = "" }), pypi.ErrPEP740, "envelope.signature"},
		{"no statement", false, editPEP740(t, att, func(m map[string]any) { delete(m["envelope"].(map[string]any), "statement") }), pypi.ErrPEP740, "envelope.statement"},
		{"trailing data", false, append(readPEP740(t, att), []byte(" {}")...), pypi.ErrPEP740, ""},
		{"provenance version 0", true, editPEP740(t, prov, func(m map[string]any) { m["version"] = 0 }), pypi.ErrPEP740, "version"},
		{"provenance without bundles", true, editPEP740(t, prov, func(m map[string]any) { m["attestation_bundles"] = []any{} }), pypi.ErrPEP740, "attestation_bundles"},
		{"publisher without kind", true, editPEP740(t, prov, func(m map[string]any) {
			delete(m["attestation_bundles"].([]any)[0].(map[string]any)["publisher"].(map[string]any), "kind")
		}), pypi.ErrPEP740, "attestation_bundles[0].publisher.kind"},
		{"bundle without attestations", true, editPEP740(t, prov, func(m map[string]any) {
			m["attestation_bundles"].([]any)[0].(map[string]any)["attestations"] = []any{}
		}), pypi.ErrPEP740, "attestation_bundles[0].attestations"},
		{"bad nested attestation", true, editPEP740(t, prov, func(m map[string]any) {
			a := m["attestation_bundles"].([]any)[0].(map[string]any)["attestations"].([]any)[0].(map[string]any)
			a["envelope"].(map[string]any)["signature"] = ""
		}), pypi.ErrPEP740, "attestation_bundles[0].attestations[0].envelope.signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.provenance {
				_, err = pypi.ParseProvenanceObject(tt.data)
			} else {
				_, err = pypi.ParseAttestationObject(tt.data)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantField) {
				t.Errorf("error %q does not name %q", err, tt.wantField)
			}
		})
	}
	big := make([]byte, pypi.MaxPEP740Size+1)
	if _, err := pypi.ParseAttestationObject(big); !errors.Is(err, pypi.ErrPEP740TooLarge) {
		t.Errorf("oversized attestation: %v", err)
	}
	if _, err := pypi.ParseProvenanceObject(big); !errors.Is(err, pypi.ErrPEP740TooLarge) {
		t.Errorf("oversized provenance: %v", err)
	}
}

// pep740Seeds adds the testdata objects, and the shared PEP 740 vectors
// when ../shared is present, to a fuzz corpus.
func pep740Seeds(f *testing.F) {
	for _, name := range []string{"rfc8785-0.1.2-py3-none-any.whl.attestation", "pypi_attestations-0.0.19.tar.gz.provenance"} {
		f.Add(readPEP740(f, name))
	}
	if dir := testshared.Path("vectors", "pypi"); dir != "" {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.*attestation"))
		more, _ := filepath.Glob(filepath.Join(dir, "*.provenance"))
		for _, m := range append(matches, more...) {
			if data, err := os.ReadFile(m); err == nil {
				f.Add(data)
			}
		}
	}
}

func FuzzParseAttestationObject(f *testing.F) {
	pep740Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := pypi.ParseAttestationObject(data)
		if err != nil {
			if !errors.Is(err, pypi.ErrPEP740) && !errors.Is(err, pypi.ErrPEP740TooLarge) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if a.Version != 1 || len(a.VerificationMaterial.TransparencyEntries) == 0 {
			t.Fatalf("accepted an invalid object: %+v", a)
		}
		if _, err := a.BundleJSON(); err != nil {
			t.Fatalf("BundleJSON of a valid object: %v", err)
		}
	})
}

func FuzzParseProvenanceObject(f *testing.F) {
	pep740Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := pypi.ParseProvenanceObject(data)
		if err != nil {
			if !errors.Is(err, pypi.ErrPEP740) && !errors.Is(err, pypi.ErrPEP740TooLarge) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if len(p.AttestationBundles) == 0 {
			t.Fatal("accepted a provenance object without bundles")
		}
	})
}
