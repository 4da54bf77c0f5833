package sigstore_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// testStatement is a small in-toto statement about a.txt.
func testStatement(t testing.TB) []byte {
	t.Helper()
	d := fileDigest(t, filepath.Join("testdata", "a.txt"))
	return fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a.txt","digest":{"sha256":%q}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{"buildType":"https://example.com/t"},"runDetails":{"builder":{"id":"https://example.com/b"}}}}`, d[digest.SHA256])
}

// signDSSE signs an in-toto payload with dsse.Sign, with a keyid hint
// (which NewDSSEBundle must drop) and, for RSA, PKCS#1 v1.5 as Sigstore
// bundles need, or PSS when pss is set.
func signDSSE(t testing.TB, priv crypto.Signer, payload []byte, pss bool) *dsse.Envelope {
	t.Helper()
	scheme := dsse.RSAPKCS1v15
	if pss {
		scheme = dsse.RSAPSS
	}
	env, err := dsse.Sign(priv, dsse.PayloadTypeInToto, payload, dsse.SignOptions{KeyID: "some-hint", RSAScheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

type testKey struct {
	name string
	priv crypto.Signer
}

var (
	testKeysOnce sync.Once
	testKeysList []testKey
)

func testKeys(t testing.TB) []testKey {
	t.Helper()
	testKeysOnce.Do(func() {
		p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		_, ed, _ := ed25519.GenerateKey(rand.Reader)
		r, _ := rsa.GenerateKey(rand.Reader, 2048)
		testKeysList = []testKey{{"ecdsa-p256", p256}, {"ecdsa-p384", p384}, {"ed25519", ed}, {"rsa-2048", r}}
	})
	return testKeysList
}

func TestKeyBundleRoundTrip(t *testing.T) {
	stmt := testStatement(t)
	artifact := fileDigest(t, filepath.Join("testdata", "a.txt"))
	all := testKeys(t)
	for i, k := range all {
		t.Run(k.name, func(t *testing.T) {
			env := signDSSE(t, k.priv, stmt, false)
			data, err := sigstore.NewDSSEBundle(env, k.priv.Public())
			if err != nil {
				t.Fatalf("NewDSSEBundle: %v", err)
			}
			again, err := sigstore.NewDSSEBundle(env, k.priv.Public())
			if err != nil || !bytes.Equal(data, again) {
				t.Errorf("NewDSSEBundle is not deterministic: %v", err)
			}
			if bytes.Contains(data, []byte("some-hint")) {
				t.Error("the envelope's keyid was kept in the bundle")
			}
			b, err := sigstore.ParseBundle(data)
			if err != nil {
				t.Fatalf("ParseBundle: %v", err)
			}
			id, _ := keys.ID(k.priv.Public())
			if b.Version() != "v0.3" || b.MediaType() != sigstore.MediaTypeBundleV03 || b.HasCertificate() || b.KeyHint() != id {
				t.Errorf("bundle: version %s media type %s cert %v hint %s", b.Version(), b.MediaType(), b.HasCertificate(), b.KeyHint())
			}
			// Verify with the right key among others, from the default
			// (public-good) root.
			other := all[(i+1)%len(all)].priv.Public()
			v := publicGoodVerifier(t, sigstore.WithPublicKeys(other, k.priv.Public()))
			res, err := v.VerifyBundle(b, sigstore.VerifyOptions{})
			if err != nil {
				t.Fatalf("VerifyBundle: %v", err)
			}
			if res.Signer.KeyID != id || !bytes.Equal(res.Payload, stmt) || res.PayloadType != dsse.PayloadTypeInToto {
				t.Errorf("result: %+v", res)
			}
			if err := statementSubjectsMatch(res.Payload, artifact); err != nil {
				t.Error(err)
			}
			// The same envelope, bare.
			if _, err := v.VerifyEnvelope(env, sigstore.VerifyOptions{}); err != nil {
				t.Errorf("VerifyEnvelope: %v", err)
			}
			// Only the wrong key.
			wrong := publicGoodVerifier(t, sigstore.WithPublicKeys(other))
			if _, err := wrong.VerifyBundle(b, sigstore.VerifyOptions{}); !errors.Is(err, sigstore.ErrVerification) {
				t.Errorf("wrong key: got %v, want ErrVerification", err)
			}
			if _, err := wrong.VerifyEnvelope(env, sigstore.VerifyOptions{}); !errors.Is(err, sigstore.ErrVerification) {
				t.Errorf("wrong key, bare envelope: got %v, want ErrVerification", err)
			}
			// No key at all.
			if _, err := publicGoodVerifier(t).VerifyBundle(b, sigstore.VerifyOptions{}); !errors.Is(err, sigstore.ErrKeyRequired) {
				t.Errorf("no key: got %v, want ErrKeyRequired", err)
			}
			// An identity asked of a key signature.
			id1 := &sigstore.Identity{Issuer: beaconIssuer, SAN: beaconIdentity}
			if _, err := v.VerifyBundle(b, sigstore.VerifyOptions{Identity: id1}); !errors.Is(err, sigstore.ErrIdentity) {
				t.Errorf("identity on a key bundle: got %v, want ErrIdentity", err)
			}
			// Tampered payload.
			tampered := *env
			tampered.Payload = bytes.Replace(stmt, []byte("a.txt"), []byte("b.txt"), 1)
			if _, err := v.VerifyEnvelope(&tampered, sigstore.VerifyOptions{}); !errors.Is(err, sigstore.ErrVerification) {
				t.Errorf("tampered envelope: got %v, want ErrVerification", err)
			}
			tb := bytes.Replace(data, []byte(base64.StdEncoding.EncodeToString(stmt)), []byte(base64.StdEncoding.EncodeToString(tampered.Payload)), 1)
			if bytes.Equal(tb, data) {
				t.Fatal("payload not found in bundle")
			}
			if _, err := v.VerifyBundle(mustParse(t, tb), sigstore.VerifyOptions{}); !errors.Is(err, sigstore.ErrVerification) {
				t.Errorf("tampered bundle: got %v, want ErrVerification", err)
			}
		})
	}
}

func mustParse(t testing.TB, data []byte) *sigstore.Bundle {
	t.Helper()
	b, err := sigstore.ParseBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSwappedSignatures(t *testing.T) {
	stmt := testStatement(t)
	ks := testKeys(t)
	a, b := ks[0], ks[2]
	envA, envB := signDSSE(t, a.priv, stmt, false), signDSSE(t, b.priv, stmt, false)
	// A's bundle carrying B's signature over the same payload.
	swapped := *envA
	swapped.Signatures = envB.Signatures
	v := publicGoodVerifier(t, sigstore.WithPublicKeys(a.priv.Public()))
	if _, err := v.VerifyEnvelope(&swapped, sigstore.VerifyOptions{}); !errors.Is(err, sigstore.ErrVerification) {
		t.Errorf("swapped envelope signature: got %v, want ErrVerification", err)
	}
	dataA, err := sigstore.NewDSSEBundle(envA, a.priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	sigA := base64.StdEncoding.EncodeToString(envA.Signatures[0].Sig)
	sigB := base64.StdEncoding.EncodeToString(envB.Signatures[0].Sig)
	bad := bytes.Replace(dataA, []byte(sigA), []byte(sigB), 1)
	if _, err := v.VerifyBundle(mustParse(t, bad), sigstore.VerifyOptions{}); !errors.Is(err, sigstore.ErrVerification) {
		t.Errorf("swapped bundle signature: got %v, want ErrVerification", err)
	}
	// NewDSSEBundle refuses an envelope the key did not sign.
	if _, err := sigstore.NewDSSEBundle(&swapped, a.priv.Public()); !errors.Is(err, sigstore.ErrVerification) {
		t.Errorf("NewDSSEBundle with another key's signature: got %v, want ErrVerification", err)
	}

	// Two real certificate bundles over the same artifact: v0.3's
	// signature in v0.1's bundle.
	v01 := readTestdata(t, "happy-path-v0.1.sigstore.json")
	v03 := readTestdata(t, "happy-path-v0.3.sigstore.json")
	sig01, sig03 := messageSignature(t, v01), messageSignature(t, v03)
	if sig01 == sig03 {
		t.Fatal("the two bundles have the same signature")
	}
	swappedCert := bytes.Replace(v01, []byte(sig01), []byte(sig03), 1)
	artifact := fileDigest(t, filepath.Join("testdata", "a.txt"))
	_, err = publicGoodVerifier(t).VerifyBundle(mustParse(t, swappedCert), sigstore.VerifyOptions{ArtifactDigest: artifact})
	if !errors.Is(err, sigstore.ErrVerification) {
		t.Errorf("swapped certificate bundle signature: got %v, want ErrVerification", err)
	}
}

func messageSignature(t testing.TB, bundle []byte) string {
	t.Helper()
	var b struct {
		MessageSignature struct {
			Signature string `json:"signature"`
		} `json:"messageSignature"`
	}
	if err := json.Unmarshal(bundle, &b); err != nil || b.MessageSignature.Signature == "" {
		t.Fatalf("no message signature: %v", err)
	}
	return b.MessageSignature.Signature
}

func TestRSAPSS(t *testing.T) {
	k := testKeys(t)[3]
	env := signDSSE(t, k.priv, testStatement(t), true)
	// Bare DSSE accepts RSA-PSS (in-toto tooling signs with it) ...
	v := publicGoodVerifier(t, sigstore.WithPublicKeys(k.priv.Public()))
	if _, err := v.VerifyEnvelope(env, sigstore.VerifyOptions{}); err != nil {
		t.Errorf("VerifyEnvelope RSA-PSS: %v", err)
	}
	// ... but a Sigstore bundle verifier checks PKCS#1 v1.5, so
	// NewDSSEBundle refuses to write a bundle that would not verify.
	if _, err := sigstore.NewDSSEBundle(env, k.priv.Public()); !errors.Is(err, sigstore.ErrVerification) {
		t.Errorf("NewDSSEBundle RSA-PSS: got %v, want ErrVerification", err)
	}
}

func TestNewDSSEBundleErrors(t *testing.T) {
	k := testKeys(t)[0]
	env := signDSSE(t, k.priv, testStatement(t), false)
	two := *env
	two.Signatures = append(append([]dsse.Signature(nil), env.Signatures...), env.Signatures...)
	none := *env
	none.Signatures = nil
	weak, _ := rsa.GenerateKey(rand.Reader, 1024)
	tests := []struct {
		name    string
		env     *dsse.Envelope
		pub     crypto.PublicKey
		wantErr error
	}{
		{"nil envelope", nil, k.priv.Public(), sigstore.ErrBundle},
		{"two signatures", &two, k.priv.Public(), sigstore.ErrBundle},
		{"no signature", &none, k.priv.Public(), sigstore.ErrBundle},
		{"RSA 1024", env, weak.Public(), sigstore.ErrKey},
		{"not a key", env, "key", sigstore.ErrKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := sigstore.NewDSSEBundle(tt.env, tt.pub); !errors.Is(err, tt.wantErr) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
	if _, err := sigstore.NewVerifier(sigstore.WithPublicKeys(weak.Public())); !errors.Is(err, sigstore.ErrKey) {
		t.Errorf("WithPublicKeys(RSA 1024): got %v, want ErrKey", err)
	}
	if _, err := sigstore.NewVerifier(sigstore.WithTrustedRoot(nil)); !errors.Is(err, sigstore.ErrTrustedRoot) {
		t.Errorf("WithTrustedRoot(nil): got %v, want ErrTrustedRoot", err)
	}
}

// editJSON decodes a testdata bundle, lets edit change it and re-encodes it.
func editJSON(t testing.TB, name string, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(readTestdata(t, name), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func vm(m map[string]any) map[string]any { return m["verificationMaterial"].(map[string]any) }

func TestParseBundleErrors(t *testing.T) {
	good := readTestdata(t, "happy-path-v0.3.sigstore.json")
	dsseBundle := "happy-path-intoto-in-dsse-v3.sigstore.json"
	tests := []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"empty", nil, sigstore.ErrBundle},
		{"truncated", good[:len(good)/2], sigstore.ErrBundle},
		{"truncated by one byte", good[:len(bytes.TrimSpace(good))-1], sigstore.ErrBundle},
		{"not JSON", []byte("PK\x03\x04 a zip file"), sigstore.ErrBundle},
		{"wrong media type", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) { m["mediaType"] = "application/vnd.in-toto+json" }), sigstore.ErrBundle},
		{"no media type", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) { delete(m, "mediaType") }), sigstore.ErrBundle},
		{"unsupported version 0.4", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) { m["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.4+json" }), sigstore.ErrBundle},
		{"version 0.0", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) { m["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.0" }), sigstore.ErrBundle},
		{"unknown field", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) { m["extra"] = 1 }), sigstore.ErrBundle},
		{"no content", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) { delete(m, "messageSignature") }), sigstore.ErrBundle},
		{"no verification material", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) { delete(m, "verificationMaterial") }), sigstore.ErrBundle},
		{"garbage certificate", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) {
			vm(m)["certificate"] = map[string]any{"rawBytes": base64.StdEncoding.EncodeToString([]byte("not DER"))}
		}), sigstore.ErrBundle},
		{"empty certificate chain", editJSON(t, "happy-path-v0.1.sigstore.json", func(m map[string]any) {
			vm(m)["x509CertificateChain"] = map[string]any{"certificates": []any{}}
		}), sigstore.ErrBundle},
		{"v0.2 entry without inclusion proof", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) {
			m["mediaType"] = sigstore.MediaTypeBundleV02
			vm(m)["x509CertificateChain"] = map[string]any{"certificates": []any{vm(m)["certificate"]}}
			delete(vm(m), "certificate")
			for _, e := range vm(m)["tlogEntries"].([]any) {
				delete(e.(map[string]any), "inclusionProof")
			}
		}), sigstore.ErrBundle},
		{"DSSE with two signatures", editJSON(t, dsseBundle, func(m map[string]any) {
			env := m["dsseEnvelope"].(map[string]any)
			sigs := env["signatures"].([]any)
			env["signatures"] = append(sigs, sigs[0])
		}), sigstore.ErrBundle},
		{"DSSE without payloadType", editJSON(t, dsseBundle, func(m map[string]any) {
			delete(m["dsseEnvelope"].(map[string]any), "payloadType")
		}), sigstore.ErrBundle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sigstore.ParseBundle(tt.data)
			t.Log(err)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
	big := make([]byte, sigstore.MaxBundleSize+1)
	if _, err := sigstore.ParseBundle(big); !errors.Is(err, sigstore.ErrTooLarge) {
		t.Errorf("oversized: got %v, want ErrTooLarge", err)
	}
}

// TestRootCertificateInChain: a v0.1 bundle whose chain carries the Fulcio
// root (conformance case bundle-with-root-cert_fail without its inclusion
// proof, whose missing checkpoint would otherwise be the first error):
// sigstore-go alone accepts it; ParseBundle must not.
func TestRootCertificateInChain(t *testing.T) {
	data := editJSON(t, "happy-path-v0.1.sigstore.json", func(m map[string]any) {
		chain := vm(m)["x509CertificateChain"].(map[string]any)
		root := map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(fulcioRoot(t))}
		chain["certificates"] = append(chain["certificates"].([]any), root)
	})
	if _, err := sigstore.ParseBundle(data); !errors.Is(err, sigstore.ErrBundle) || !strings.Contains(err.Error(), "self-signed root") {
		t.Errorf("got %v, want ErrBundle naming the root certificate", err)
	}
}

// fulcioRoot returns the DER self-signed root of the public-good Fulcio CA
// from the embedded trusted root.
func fulcioRoot(t testing.TB) []byte {
	t.Helper()
	var tr struct {
		CertificateAuthorities []struct {
			CertChain struct {
				Certificates []struct {
					RawBytes []byte `json:"rawBytes"`
				} `json:"certificates"`
			} `json:"certChain"`
		} `json:"certificateAuthorities"`
	}
	if err := json.Unmarshal(sigstore.PublicGoodJSON(), &tr); err != nil {
		t.Fatal(err)
	}
	for _, ca := range tr.CertificateAuthorities {
		for _, c := range ca.CertChain.Certificates {
			cert, err := x509.ParseCertificate(c.RawBytes)
			if err == nil && bytes.Equal(cert.RawIssuer, cert.RawSubject) {
				return c.RawBytes
			}
		}
	}
	t.Fatal("no root certificate in the public-good root")
	return nil
}

func TestVerifyBundleErrors(t *testing.T) {
	artifact := fileDigest(t, filepath.Join("testdata", "a.txt"))
	beacon := &sigstore.Identity{Issuer: beaconIssuer, SAN: beaconIdentity}
	otherDigest := digest.Set{digest.SHA256: strings.Repeat("ab", 32)}
	k := testKeys(t)[0]
	tests := []struct {
		name    string
		data    []byte
		opts    []sigstore.Option
		vo      sigstore.VerifyOptions
		wantErr error
	}{
		{"no tlog entry: no proof of signing time", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) {
			delete(vm(m), "tlogEntries")
		}), nil, sigstore.VerifyOptions{ArtifactDigest: artifact, Identity: beacon}, sigstore.ErrNoTimestamp},
		{"DSSE with certificate, no tlog entry", editJSON(t, "happy-path-intoto-in-dsse-v3.sigstore.json", func(m map[string]any) {
			delete(vm(m), "tlogEntries")
		}), nil, sigstore.VerifyOptions{Identity: beacon}, sigstore.ErrNoTimestamp},
		{"tampered DSSE payload", editJSON(t, "happy-path-intoto-in-dsse-v3.sigstore.json", func(m map[string]any) {
			env := m["dsseEnvelope"].(map[string]any)
			p, _ := base64.StdEncoding.DecodeString(env["payload"].(string))
			env["payload"] = base64.StdEncoding.EncodeToString(bytes.Replace(p, []byte("a.txt"), []byte("b.txt"), 1))
		}), nil, sigstore.VerifyOptions{Identity: beacon}, sigstore.ErrVerification},
		{"message signature without artifact digest", readTestdata(t, "happy-path-v0.3.sigstore.json"), nil, sigstore.VerifyOptions{Identity: beacon}, sigstore.ErrMessageDigest},
		{"message signature with another artifact", readTestdata(t, "happy-path-v0.3.sigstore.json"), nil, sigstore.VerifyOptions{ArtifactDigest: otherDigest, Identity: beacon}, sigstore.ErrMessageDigest},
		{"message signature, only a sha512 digest", readTestdata(t, "happy-path-v0.3.sigstore.json"), nil, sigstore.VerifyOptions{ArtifactDigest: digest.Set{digest.SHA512: strings.Repeat("ab", 64)}, Identity: beacon}, sigstore.ErrMessageDigest},
		{"certificate bundle with --key", readTestdata(t, "happy-path-v0.3.sigstore.json"), []sigstore.Option{sigstore.WithPublicKeys(k.priv.Public())}, sigstore.VerifyOptions{ArtifactDigest: artifact}, sigstore.ErrKeyRequired},
		{"an extra tlog entry from a log the root does not name", editJSON(t, "happy-path-v0.3.sigstore.json", func(m map[string]any) {
			entries := vm(m)["tlogEntries"].([]any)
			extra := map[string]any{}
			for k, v := range entries[0].(map[string]any) {
				extra[k] = v
			}
			extra["logId"] = map[string]any{"keyId": base64.StdEncoding.EncodeToString(make([]byte, 32))}
			vm(m)["tlogEntries"] = append(entries, extra)
		}), nil, sigstore.VerifyOptions{ArtifactDigest: artifact, Identity: beacon}, sigstore.ErrVerification},
		{"rekor v2 bundle against public-good", readTestdata(t, "rekor2-happy-path.sigstore.json"), nil, sigstore.VerifyOptions{ArtifactDigest: artifact, Identity: beacon}, sigstore.ErrVerification},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := sigstore.ParseBundle(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			_, err = publicGoodVerifier(t, tt.opts...).VerifyBundle(b, tt.vo)
			t.Log(err)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
	if _, err := publicGoodVerifier(t).VerifyBundle(nil, sigstore.VerifyOptions{}); !errors.Is(err, sigstore.ErrBundle) {
		t.Errorf("nil bundle: got %v, want ErrBundle", err)
	}
}

func TestVerifyEnvelopeErrors(t *testing.T) {
	k := testKeys(t)[0]
	env := signDSSE(t, k.priv, testStatement(t), false)
	other := signDSSE(t, testKeys(t)[2].priv, testStatement(t), false)
	v := publicGoodVerifier(t, sigstore.WithPublicKeys(k.priv.Public()))
	// Signed by another key too: still ours.
	both := *env
	both.Signatures = append(append([]dsse.Signature(nil), other.Signatures...), env.Signatures...)
	if res, err := v.VerifyEnvelope(&both, sigstore.VerifyOptions{}); err != nil || res.Signer.KeyID != keyID(t, k.priv.Public()) {
		t.Errorf("envelope signed by another key and ours: %v", err)
	}
	tests := []struct {
		name    string
		v       *sigstore.Verifier
		env     *dsse.Envelope
		vo      sigstore.VerifyOptions
		wantErr error
	}{
		{"no key", publicGoodVerifier(t), env, sigstore.VerifyOptions{}, sigstore.ErrKeyRequired},
		{"identity", v, env, sigstore.VerifyOptions{Identity: &sigstore.Identity{Issuer: beaconIssuer, SAN: beaconIdentity}}, sigstore.ErrIdentity},
		{"nil", v, nil, sigstore.VerifyOptions{}, sigstore.ErrBundle},
		{"no signature", v, &dsse.Envelope{PayloadType: env.PayloadType, Payload: env.Payload}, sigstore.VerifyOptions{}, sigstore.ErrBundle},
		{"other payload type", v, &dsse.Envelope{PayloadType: "text/plain", Payload: env.Payload, Signatures: env.Signatures}, sigstore.VerifyOptions{}, sigstore.ErrVerification},
		{"a bad signature naming our key", v, &dsse.Envelope{PayloadType: env.PayloadType, Payload: env.Payload, Signatures: []dsse.Signature{
			env.Signatures[0], {KeyID: keyID(t, k.priv.Public()), Sig: other.Signatures[0].Sig}}}, sigstore.VerifyOptions{}, dsse.ErrSignature},
		{"signed by another key only", v, other, sigstore.VerifyOptions{}, sigstore.ErrVerification},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.v.VerifyEnvelope(tt.env, tt.vo); !errors.Is(err, tt.wantErr) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestTrustedRootErrors(t *testing.T) {
	good := sigstore.PublicGoodJSON()
	tests := []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"empty", nil, sigstore.ErrTrustedRoot},
		{"truncated", good[:len(good)/2], sigstore.ErrTrustedRoot},
		{"wrong media type", bytes.Replace(good, []byte("trustedroot+json;version=0.1"), []byte("trustedroot+json;version=9"), 1), sigstore.ErrTrustedRoot},
		{"a bundle", readTestdata(t, "happy-path-v0.3.sigstore.json"), sigstore.ErrTrustedRoot},
		{"too large", make([]byte, sigstore.MaxTrustedRootSize+1), sigstore.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := sigstore.ParseTrustedRoot(tt.data); !errors.Is(err, tt.wantErr) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
	if _, err := sigstore.LoadTrustedRoot(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("LoadTrustedRoot of a missing file succeeded")
	}
}

// TestConcurrentVerify verifies the same bundles from many goroutines
// with one Verifier (run it with -race).
func TestConcurrentVerify(t *testing.T) {
	artifact := fileDigest(t, filepath.Join("testdata", "a.txt"))
	beacon := &sigstore.Identity{Issuer: beaconIssuer, SAN: beaconIdentity}
	msg := parseTestBundle(t, "happy-path-v0.3.sigstore.json")
	env := parseTestBundle(t, "happy-path-intoto-in-dsse-v3.sigstore.json")
	k := testKeys(t)[2]
	keyData, err := sigstore.NewDSSEBundle(signDSSE(t, k.priv, testStatement(t), false), k.priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	keyBundle := mustParse(t, keyData)
	certV := publicGoodVerifier(t)
	keyV := publicGoodVerifier(t, sigstore.WithPublicKeys(k.priv.Public()))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				if _, err := certV.VerifyBundle(msg, sigstore.VerifyOptions{ArtifactDigest: artifact, Identity: beacon}); err != nil {
					errs <- err
				}
				if _, err := certV.VerifyBundle(env, sigstore.VerifyOptions{Identity: beacon}); err != nil {
					errs <- err
				}
				if _, err := keyV.VerifyBundle(keyBundle, sigstore.VerifyOptions{}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// messageBundle builds a key-signed message-signature bundle v0.3 over
// data (no transparency log entry), as cosign sign-blob --key
// --tlog-upload=false would.
func messageBundle(t testing.TB, priv crypto.Signer, data []byte, alg string) []byte {
	t.Helper()
	var sum []byte
	var sig []byte
	var err error
	switch alg {
	case "SHA2_256":
		s := sha256.Sum256(data)
		sum = s[:]
	case "SHA2_512":
		s := crypto.SHA512.New()
		s.Write(data)
		sum = s.Sum(nil)
	}
	switch k := priv.(type) {
	case *ecdsa.PrivateKey:
		sig, err = ecdsa.SignASN1(rand.Reader, k, sum)
	case ed25519.PrivateKey:
		sig, err = k.Sign(rand.Reader, sum, &ed25519.Options{Hash: crypto.SHA512})
	}
	if err != nil {
		t.Fatal(err)
	}
	id, _ := keys.ID(priv.Public())
	out, err := json.Marshal(map[string]any{
		"mediaType":            sigstore.MediaTypeBundleV03,
		"verificationMaterial": map[string]any{"publicKey": map[string]any{"hint": id}},
		"messageSignature": map[string]any{
			"messageDigest": map[string]any{"algorithm": alg, "digest": sum},
			"signature":     sig,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestKeyMessageSignature(t *testing.T) {
	data := readTestdata(t, "a.txt")
	p256, ed := testKeys(t)[0].priv, testKeys(t)[2].priv
	sum512 := crypto.SHA512.New()
	sum512.Write(data)
	tests := []struct {
		name     string
		priv     crypto.Signer
		alg      string
		artifact digest.Set
		wantErr  error
	}{
		{"ecdsa-p256 sha256", p256, "SHA2_256", fileDigest(t, filepath.Join("testdata", "a.txt")), nil},
		{"ed25519ph sha512", ed, "SHA2_512", digest.Set{digest.SHA512: fmt.Sprintf("%x", sum512.Sum(nil))}, nil},
		{"ecdsa-p256 other artifact", p256, "SHA2_256", digest.Set{digest.SHA256: strings.Repeat("0", 64)}, sigstore.ErrMessageDigest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustParse(t, messageBundle(t, tt.priv, data, tt.alg))
			v := publicGoodVerifier(t, sigstore.WithPublicKeys(tt.priv.Public()))
			res, err := v.VerifyBundle(b, sigstore.VerifyOptions{ArtifactDigest: tt.artifact})
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if err == nil && (!res.MessageDigest.Equal(tt.artifact) || res.Payload != nil) {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func keyID(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	id, err := keys.ID(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
