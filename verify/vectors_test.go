package verify

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

// The policy tests read the statements and certificates inside the shared
// vectors directly with encoding/json: the policy functions only ever see
// statements whose signatures the pipeline verified, and these come from
// real slsa-github-generator and PyPI runs.

type vector struct {
	payload []byte
	stmt    *slsa.Statement
	cert    *sigstore.Certificate
}

// fulcioExt maps the Fulcio extension OIDs (1.3.6.1.4.1.57264.1.N) the
// policy reads to their Certificate fields.
func fulcioClaims(t testing.TB, der []byte) *sigstore.Certificate {
	t.Helper()
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("certificate: %v", err)
	}
	c := &sigstore.Certificate{}
	if len(cert.URIs) > 0 {
		c.SubjectAlternativeName = cert.URIs[0].String()
	} else if len(cert.EmailAddresses) > 0 {
		c.SubjectAlternativeName = cert.EmailAddresses[0]
	}
	fields := map[int]*string{
		8: &c.Issuer, 9: &c.BuildSignerURI, 10: &c.BuildSignerDigest, 11: &c.RunnerEnvironment,
		12: &c.SourceRepositoryURI, 13: &c.SourceRepositoryDigest, 14: &c.SourceRepositoryRef,
		18: &c.BuildConfigURI, 20: &c.BuildTrigger, 21: &c.RunInvocationURI,
	}
	for _, ext := range cert.Extensions {
		id := ext.Id
		if len(id) != 9 || !id[:8].Equal(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1}) {
			continue
		}
		if id[8] == 1 && c.Issuer == "" { // deprecated issuer: raw bytes
			c.Issuer = string(ext.Value)
			continue
		}
		if dst, ok := fields[id[8]]; ok {
			var s string
			if _, err := asn1.Unmarshal(ext.Value, &s); err != nil {
				t.Fatalf("extension %v: %v", id, err)
			}
			*dst = s
		}
	}
	return c
}

// loadVector reads a Sigstore bundle (v0.1-v0.3) or a PEP 740 attestation
// object from ../shared/vectors/<rel> and returns its statement and signer.
func loadVector(t testing.TB, rel string) vector {
	t.Helper()
	path := filepath.Join(testshared.Dir(t, "vectors"), rel)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		// Sigstore bundle
		DSSE *struct {
			Payload []byte `json:"payload"`
		} `json:"dsseEnvelope"`
		VM *struct {
			Certificate *struct {
				RawBytes []byte `json:"rawBytes"`
			} `json:"certificate"`
			Chain *struct {
				Certificates []struct {
					RawBytes []byte `json:"rawBytes"`
				} `json:"certificates"`
			} `json:"x509CertificateChain"`
		} `json:"verificationMaterial"`
		// PEP 740 attestation object
		Envelope *struct {
			Statement []byte `json:"statement"`
		} `json:"envelope"`
		Material *struct {
			Certificate []byte `json:"certificate"`
		} `json:"verification_material"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	var payload, der []byte
	switch {
	case raw.DSSE != nil && raw.VM != nil:
		payload = raw.DSSE.Payload
		if raw.VM.Certificate != nil {
			der = raw.VM.Certificate.RawBytes
		} else if raw.VM.Chain != nil && len(raw.VM.Chain.Certificates) > 0 {
			der = raw.VM.Chain.Certificates[0].RawBytes
		}
	case raw.Envelope != nil && raw.Material != nil:
		payload, der = raw.Envelope.Statement, raw.Material.Certificate
	default:
		t.Fatalf("%s: neither a DSSE bundle nor a PEP 740 attestation", rel)
	}
	st, err := slsa.ParseStatement(payload)
	if err != nil {
		t.Fatalf("%s: payload: %v", rel, err)
	}
	return vector{payload: payload, stmt: st, cert: fulcioClaims(t, der)}
}

// mutate returns a copy of st whose predicate went through edit (as a
// generic JSON object).
func mutate(t testing.TB, st *slsa.Statement, edit func(pred map[string]any)) *slsa.Statement {
	t.Helper()
	var pred map[string]any
	if err := json.Unmarshal(st.Predicate, &pred); err != nil {
		t.Fatal(err)
	}
	edit(pred)
	b, err := json.Marshal(pred)
	if err != nil {
		t.Fatal(err)
	}
	out := *st
	out.Predicate = b
	return &out
}
