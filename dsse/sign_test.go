package dsse

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	sslibdsse "github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/secure-systems-lab/go-securesystemslib/signerverifier"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/keys"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixtureKeys are the key pairs in testdata (made with openssl genpkey).
var fixtureKeys = []string{"ed25519", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-3072"}

func loadSigner(t testing.TB, name string) crypto.Signer {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".key"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.ParsePrivateKeyPEM(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func loadPublic(t testing.TB, name string) crypto.PublicKey {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".pub"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.ParsePublicKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var testPayload = []byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1","subject":[{"digest":{"sha256":"0000000000000000000000000000000000000000000000000000000000000000"},"name":"a"}]}`)

type signCase struct {
	key    string
	scheme RSAScheme
}

func signCases() []signCase {
	var cases []signCase
	for _, k := range fixtureKeys {
		cases = append(cases, signCase{k, RSAPSS})
		if k == "rsa-3072" {
			cases = append(cases, signCase{k, RSAPKCS1v15})
		}
	}
	return cases
}

func (c signCase) String() string {
	if c.key == "rsa-3072" {
		return c.key + "/" + c.scheme.String()
	}
	return c.key
}

// TestSignVerifyTamper signs with every key type, verifies, then changes
// every single byte of the payload, payloadType and signature in turn: each
// change must fail verification.
func TestSignVerifyTamper(t *testing.T) {
	for _, c := range signCases() {
		t.Run(c.String(), func(t *testing.T) {
			signer := loadSigner(t, c.key)
			pub := loadPublic(t, c.key)
			env, err := Sign(signer, PayloadTypeInToto, testPayload, SignOptions{RSAScheme: c.scheme})
			if err != nil {
				t.Fatal(err)
			}
			wantID, _ := keys.ID(pub)
			if env.Signatures[0].KeyID != wantID {
				t.Fatalf("keyid %q, want %q", env.Signatures[0].KeyID, wantID)
			}
			payload, ids, err := env.Verify(pub)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(payload, testPayload) || len(ids) != 1 || ids[0] != wantID {
				t.Fatalf("Verify = %q, %v", payload, ids)
			}
			// Through JSON and Parse too.
			js, err := json.Marshal(env)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := Parse(js)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := parsed.Verify(pub); err != nil {
				t.Fatalf("after JSON round trip: %v", err)
			}

			check := func(what string, e *Envelope) {
				t.Helper()
				if _, _, err := e.Verify(pub); !errors.Is(err, ErrSignature) {
					t.Fatalf("%s: error %v, want ErrSignature", what, err)
				}
			}
			for i := range testPayload {
				e := clone(env)
				e.Payload[i] ^= 0x01
				check("payload byte", e)
			}
			for i := range env.PayloadType {
				e := clone(env)
				b := []byte(e.PayloadType)
				b[i] ^= 0x20
				e.PayloadType = string(b)
				check("payloadType byte", e)
			}
			for i := range env.Signatures[0].Sig {
				e := clone(env)
				e.Signatures[0].Sig[i] ^= 0x80
				check("sig byte", e)
			}
			e := clone(env)
			e.Payload = append(e.Payload, ' ')
			check("payload appended", e)
		})
	}
}

func clone(e *Envelope) *Envelope {
	c := &Envelope{PayloadType: e.PayloadType, Payload: bytes.Clone(e.Payload)}
	for _, s := range e.Signatures {
		c.Signatures = append(c.Signatures, Signature{KeyID: s.KeyID, Sig: bytes.Clone(s.Sig)})
	}
	return c
}

func TestEd25519Deterministic(t *testing.T) {
	signer := loadSigner(t, "ed25519")
	a, err := Sign(signer, PayloadTypeInToto, testPayload, SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Sign(signer, PayloadTypeInToto, testPayload, SignOptions{})
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("two Ed25519 envelopes differ:\n%s\n%s", ja, jb)
	}
	golden := filepath.Join("testdata", "ed25519.envelope.json")
	if *update {
		if err := os.WriteFile(golden, append(ja, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(ja, '\n'), want) {
		t.Fatalf("envelope\n%s\ndiffers from %s\n%s", ja, golden, want)
	}
}

func TestSignOptions(t *testing.T) {
	signer := loadSigner(t, "ecdsa-p256")
	env, err := Sign(signer, PayloadTypeInToto, testPayload, SignOptions{OmitKeyID: true})
	if err != nil || env.Signatures[0].KeyID != "" {
		t.Fatalf("OmitKeyID: keyid %q, %v", env.Signatures[0].KeyID, err)
	}
	env, err = Sign(signer, PayloadTypeInToto, testPayload, SignOptions{KeyID: "release-2026"})
	if err != nil || env.Signatures[0].KeyID != "release-2026" {
		t.Fatalf("KeyID: keyid %q, %v", env.Signatures[0].KeyID, err)
	}
	if _, err := Sign(signer, "", testPayload, SignOptions{}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("empty payloadType: %v", err)
	}
	if _, err := Sign(nil, PayloadTypeInToto, testPayload, SignOptions{}); !errors.Is(err, keys.ErrUnsupportedKey) {
		t.Fatalf("nil signer: %v", err)
	}
	if _, err := Sign(signer, PayloadTypeInToto, testPayload, SignOptions{RSAScheme: 7}); !errors.Is(err, keys.ErrUnsupportedKey) {
		t.Fatalf("bad scheme: %v", err)
	}
}

// TestVerifyRule covers the multi-signature and key-matching rule
// documented on Verifier.
func TestVerifyRule(t *testing.T) {
	ed := loadSigner(t, "ed25519")
	p256 := loadSigner(t, "ecdsa-p256")
	rsaKey := loadSigner(t, "rsa-3072")
	good, _ := Sign(ed, PayloadTypeInToto, testPayload, SignOptions{})
	other, _ := Sign(p256, PayloadTypeInToto, testPayload, SignOptions{})
	noID, _ := Sign(p256, PayloadTypeInToto, testPayload, SignOptions{OmitKeyID: true})
	pkcs1, _ := Sign(rsaKey, PayloadTypeInToto, testPayload, SignOptions{RSAScheme: RSAPKCS1v15})
	edID, _ := keys.ID(ed.Public())

	with := func(sigs ...Signature) *Envelope {
		return &Envelope{PayloadType: PayloadTypeInToto, Payload: testPayload, Signatures: sigs}
	}
	badSig := func(s Signature) Signature {
		s.Sig = bytes.Clone(s.Sig)
		s.Sig[0] ^= 1
		return s
	}
	tests := []struct {
		name    string
		env     *Envelope
		pubs    []crypto.PublicKey
		opts    []VerifierOption
		wantIDs []string
		wantErr error
	}{
		{"good", good, []crypto.PublicKey{ed.Public()}, nil, []string{edID}, nil},
		{"good among several keys", good, []crypto.PublicKey{p256.Public(), ed.Public()}, nil, []string{edID}, nil},
		{"wrong key, named keyid", other, []crypto.PublicKey{ed.Public()}, nil, nil, ErrUnknownKey},
		{"wrong key, empty keyid", noID, []crypto.PublicKey{ed.Public()}, nil, nil, ErrSignature},
		{"good plus unknown signer", with(other.Signatures[0], good.Signatures[0]), []crypto.PublicKey{ed.Public()}, nil, []string{edID}, nil},
		{"good plus a bad one claiming our key", with(good.Signatures[0], badSig(good.Signatures[0])), []crypto.PublicKey{ed.Public()}, nil, nil, ErrSignature},
		{"good plus a bad unattributed one", with(good.Signatures[0], badSig(noID.Signatures[0])), []crypto.PublicKey{ed.Public()}, nil, []string{edID}, nil},
		{"keyid is only a hint", with(Signature{KeyID: "someone-else", Sig: good.Signatures[0].Sig}), []crypto.PublicKey{ed.Public()}, nil, []string{edID}, nil},
		{"empty sig", with(good.Signatures[0], Signature{KeyID: "x"}), []crypto.PublicKey{ed.Public()}, nil, nil, ErrMalformed},
		{"no signatures", with(), []crypto.PublicKey{ed.Public()}, nil, nil, ErrNoSignature},
		{"no payloadType", &Envelope{Payload: testPayload, Signatures: good.Signatures}, []crypto.PublicKey{ed.Public()}, nil, nil, ErrMalformed},
		{"no keys", good, nil, nil, nil, ErrNoKey},
		{"rsa pkcs1 by default", pkcs1, []crypto.PublicKey{rsaKey.Public()}, nil, []string{mustID(rsaKey.Public())}, nil},
		{"rsa pkcs1 when only PSS accepted", pkcs1, []crypto.PublicKey{rsaKey.Public()}, []VerifierOption{WithRSASchemes(RSAPSS)}, nil, ErrSignature},
		{"unsupported key", good, []crypto.PublicKey{"nope"}, nil, nil, keys.ErrUnsupportedKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				ids []string
				err error
			)
			v, err := NewVerifier(tt.pubs, tt.opts...)
			if err == nil {
				_, ids, err = v.Verify(tt.env)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if len(ids) != len(tt.wantIDs) || (len(ids) > 0 && ids[0] != tt.wantIDs[0]) {
				t.Fatalf("ids %v, want %v", ids, tt.wantIDs)
			}
		})
	}
	many := with()
	for range MaxSignatures + 1 {
		many.Signatures = append(many.Signatures, good.Signatures[0])
	}
	if _, _, err := many.Verify(ed.Public()); !errors.Is(err, ErrMalformed) {
		t.Fatalf("too many signatures: %v", err)
	}
}

func mustID(pub crypto.PublicKey) string {
	id, err := keys.ID(pub)
	if err != nil {
		panic(err)
	}
	return id
}

// TestSecureSystemsLibVerifies checks that go-securesystemslib, which
// in-toto and slsa-verifier use, verifies pedigree's envelopes (Ed25519,
// ECDSA, RSA-PSS) when told the key id pedigree writes.
func TestSecureSystemsLibVerifies(t *testing.T) {
	for _, c := range signCases() {
		if c.scheme != RSAPSS {
			continue
		}
		t.Run(c.String(), func(t *testing.T) {
			env, err := Sign(loadSigner(t, c.key), PayloadTypeInToto, testPayload, SignOptions{})
			if err != nil {
				t.Fatal(err)
			}
			pubPEM, _ := os.ReadFile(filepath.Join("testdata", c.key+".pub"))
			sk, err := signerverifier.LoadKey(pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			sk.KeyID = env.Signatures[0].KeyID
			var v sslibdsse.Verifier
			switch c.key {
			case "ed25519":
				v, err = signerverifier.NewED25519SignerVerifierFromSSLibKey(sk)
			case "rsa-3072":
				v, err = signerverifier.NewRSAPSSSignerVerifierFromSSLibKey(sk)
			default:
				v, err = signerverifier.NewECDSASignerVerifierFromSSLibKey(sk)
			}
			if err != nil {
				t.Fatal(err)
			}
			ev, err := sslibdsse.NewEnvelopeVerifier(v)
			if err != nil {
				t.Fatal(err)
			}
			js, _ := json.Marshal(env)
			var theirs sslibdsse.Envelope
			if err := json.Unmarshal(js, &theirs); err != nil {
				t.Fatal(err)
			}
			accepted, err := ev.Verify(context.Background(), &theirs)
			if err != nil || len(accepted) != 1 {
				t.Fatalf("go-securesystemslib: %v (accepted %d)", err, len(accepted))
			}
			theirs.Payload = theirs.Payload[:len(theirs.Payload)-4] + "AAAA"
			if _, err := ev.Verify(context.Background(), &theirs); err == nil {
				t.Fatal("go-securesystemslib accepted a changed payload")
			}
		})
	}
}

// TestVerifyRealVSA verifies a DSSE envelope made by another signer: the
// Google BCID verification summary in ../shared/vectors/vsa, signed with
// ECDSA P-256 in IEEE P1363 form.
func TestVerifyRealVSA(t *testing.T) {
	dir := testshared.Dir(t, "vectors", "vsa")
	data, err := os.ReadFile(filepath.Join(dir, "gke-gce-pre.bcid-vsa.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	env, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, _ := os.ReadFile(filepath.Join(dir, "vsa_signing_public_key.pem"))
	pub, err := keys.ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := NewVerifier([]crypto.PublicKey{pub}, WithECDSARawSignatures())
	if _, _, err := v.Verify(env); err != nil {
		t.Fatalf("with WithECDSARawSignatures: %v", err)
	}
	// Its keyid is "keystore://…", not a key we were given: without
	// accepting P1363 no signature verifies.
	if _, _, err := env.Verify(pub); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("DER only: %v, want ErrUnknownKey", err)
	}
	env.Payload[10] ^= 1
	if _, _, err := v.Verify(env); err == nil {
		t.Fatal("changed VSA payload verified")
	}
}

// FuzzParseVerify parses arbitrary envelope JSON and verifies it with a
// fixture key: neither may panic, and nothing unsigned may verify.
func FuzzParseVerify(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	if p := testshared.Path("vectors"); p != "" {
		more, _ := filepath.Glob(filepath.Join(p, "vsa", "*.jsonl"))
		seeds = append(seeds, more...)
	}
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"payloadType":"x","payload":"","signatures":[{"keyid":"","sig":"AA=="}]}`))
	pub := loadPublic(f, "ed25519")
	v, err := NewVerifier([]crypto.PublicKey{pub})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := Parse(data)
		if err != nil {
			return
		}
		payload, _, err := v.Verify(env)
		if err == nil && !bytes.Equal(payload, testPayload) {
			t.Fatalf("verified a payload the fixture key never signed: %q", payload)
		}
	})
}

func BenchmarkSign(b *testing.B) {
	payload := bytes.Repeat([]byte("x"), 2<<20)
	for _, k := range fixtureKeys {
		b.Run(k, func(b *testing.B) {
			signer := loadSigner(b, k)
			b.SetBytes(int64(len(payload)))
			for b.Loop() {
				if _, err := Sign(signer, PayloadTypeInToto, payload, SignOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifyKeyring verifies a 2 MiB envelope against a keyring of
// four ECDSA P-256 keys, the signer's last, with P1363 signatures accepted
// (as the sigstore package's verifier does): every key before the signer's
// is tried and fails.
func BenchmarkVerifyKeyring(b *testing.B) {
	payload := bytes.Repeat([]byte("x"), 2<<20)
	var pubs []crypto.PublicKey
	for range 3 {
		k, err := keys.Generate(keys.ECDSAP256)
		if err != nil {
			b.Fatal(err)
		}
		pubs = append(pubs, k.Public())
	}
	signer := loadSigner(b, "ecdsa-p256")
	pubs = append(pubs, signer.Public())
	env, err := Sign(signer, PayloadTypeInToto, payload, SignOptions{})
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(pubs, WithECDSARawSignatures())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, _, err := v.Verify(env); err != nil {
			b.Fatal(err)
		}
	}
}
