package sigstore

import (
	"os"
	"path/filepath"
	"testing"
)

// TestEntityMemoizes: one verification's entity parses the envelope, the
// verification material and the log entries once, from its own copy of the
// bundle, and gives what the bundle's own methods give.
func TestEntityMemoizes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "happy-path-intoto-in-dsse-v3.sigstore.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	e := b.entity()
	if &e.Bundle == b.b {
		t.Fatal("the entity shares the parsed bundle")
	}
	s1, err1 := e.SignatureContent()
	s2, err2 := e.SignatureContent()
	if err1 != nil || err2 != nil || s1 != s2 {
		t.Fatalf("SignatureContent: %p %p (%v %v)", s1, s2, err1, err2)
	}
	want, _ := b.b.SignatureContent()
	if string(s1.EnvelopeContent().RawEnvelope().Payload) != string(want.EnvelopeContent().RawEnvelope().Payload) {
		t.Fatal("SignatureContent differs from the bundle's")
	}
	v1, _ := e.VerificationContent()
	v2, _ := e.VerificationContent()
	vb, _ := b.b.VerificationContent()
	if v1 != v2 || v1.Certificate() == nil || !v1.Certificate().Equal(vb.Certificate()) {
		t.Fatal("VerificationContent not memoized or not the bundle's certificate")
	}
	l1, _ := e.TlogEntries()
	l2, _ := e.TlogEntries()
	if len(l1) == 0 || len(l1) != len(l2) || l1[0] != l2[0] {
		t.Fatal("TlogEntries not memoized")
	}
	if &b.entity().Bundle == &e.Bundle {
		t.Fatal("two verifications share an entity's bundle")
	}
}
