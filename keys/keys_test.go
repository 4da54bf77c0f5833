package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// fixturePassphrase encrypted the openssl-*.key fixtures in testdata, made
// with openssl 3.0 (see testdata/README.md).
var fixturePassphrase = []byte("correct-horse")

// fastIterations keeps the many encrypted round trips below quick; the
// default count is exercised by TestEncryptedDefaultOpenSSL.
const fastIterations = 1000

func TestGenerateRoundTrip(t *testing.T) {
	for _, alg := range Algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			key, err := Generate(alg)
			if err != nil {
				t.Fatal(err)
			}
			name, err := AlgorithmOf(key.Public())
			if err != nil || name != string(alg) {
				t.Fatalf("AlgorithmOf = %q, %v; want %q", name, err, alg)
			}
			for _, pass := range [][]byte{nil, []byte("s3cret")} {
				pemBytes, err := marshalPrivateKeyPEM(key, pass, fastIterations)
				if err != nil {
					t.Fatal(err)
				}
				wantType := "-----BEGIN PRIVATE KEY-----"
				if pass != nil {
					wantType = "-----BEGIN ENCRYPTED PRIVATE KEY-----"
				}
				if !bytes.HasPrefix(pemBytes, []byte(wantType)) {
					t.Fatalf("PEM starts %q, want %q", pemBytes[:40], wantType)
				}
				got, err := ParsePrivateKeyPEM(pemBytes, pass)
				if err != nil {
					t.Fatal(err)
				}
				if !publicEqual(got.Public(), key.Public()) {
					t.Fatal("parsed key differs from the generated one")
				}
			}
			pubPEM, err := MarshalPublicKeyPEM(key.Public())
			if err != nil {
				t.Fatal(err)
			}
			pub, err := ParsePublicKeyPEM(pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			id1, _ := ID(pub)
			id2, _ := ID(key.Public())
			if id1 != id2 || len(id1) != 64 {
				t.Fatalf("key ids %q and %q", id1, id2)
			}
		})
	}
}

func publicEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

func TestParseAlgorithm(t *testing.T) {
	tests := []struct {
		in      string
		want    Algorithm
		wantErr error
	}{
		{"ed25519", Ed25519, nil},
		{"ECDSA-P256", ECDSAP256, nil},
		{"ecdsa-p384", ECDSAP384, nil},
		{"rsa-3072", RSA3072, nil},
		{"rsa-1024", "", ErrUnknownAlgorithm},
		{"", "", ErrUnknownAlgorithm},
	}
	for _, tt := range tests {
		got, err := ParseAlgorithm(tt.in)
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("ParseAlgorithm(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if _, err := Generate("dsa"); !errors.Is(err, ErrUnknownAlgorithm) {
		t.Errorf("Generate(dsa) error %v", err)
	}
}

// TestParseOpenSSLKeys reads keys openssl wrote, in every form pedigree
// accepts or refuses.
func TestParseOpenSSLKeys(t *testing.T) {
	tests := []struct {
		file       string
		passphrase []byte
		wantAlg    string
		wantErr    error
	}{
		{"openssl-ed25519-aes256.key", fixturePassphrase, "ed25519", nil},
		{"openssl-ed25519-aes256.key", []byte("tr0ub4dor"), "", ErrPassphrase},
		{"openssl-ed25519-aes256.key", nil, "", ErrEncrypted},
		{"openssl-p384-aes128-sha1.key", fixturePassphrase, "ecdsa-p384", nil},
		{"openssl-p384-aes128-sha1.key", []byte("correct-horsf"), "", ErrPassphrase},
		{"openssl-p256-sec1.key", nil, "ecdsa-p256", nil},
		{"openssl-rsa2048-pkcs1.key", nil, "rsa-2048", nil},
		{"openssl-rsa2048-pkcs1.key", []byte("ignored for plain keys"), "rsa-2048", nil},
		{"openssl-rsa2048-legacy-enc.key", fixturePassphrase, "", ErrUnsupportedKey},
		{"openssl-p384-scrypt.key", fixturePassphrase, "", ErrUnsupportedKey},
		{"openssl-rsa1024.key", nil, "", ErrUnsupportedKey},
		{"openssl-x25519.key", nil, "", ErrUnsupportedKey},
		{"openssl-p256-sec1.pub", nil, "", ErrNoPEM},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+string(tt.passphrase), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			key, err := ParsePrivateKeyPEM(data, tt.passphrase)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if len(tt.passphrase) > 0 && strings.Contains(err.Error(), string(tt.passphrase)) {
					t.Fatalf("error %q shows the passphrase", err)
				}
				return
			}
			alg, err := AlgorithmOf(key.Public())
			if err != nil || alg != tt.wantAlg {
				t.Fatalf("algorithm %q, %v; want %q", alg, err, tt.wantAlg)
			}
			// openssl's own public key for the fixture must match.
			pubFile := filepath.Join("testdata", strings.TrimSuffix(tt.file, ".key")+".pub")
			pubPEM, err := os.ReadFile(pubFile)
			if err != nil {
				t.Fatal(err)
			}
			pub, err := ParsePublicKeyPEM(pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			if !publicEqual(key.Public(), pub) {
				t.Fatal("public key differs from openssl's")
			}
		})
	}
}

// TestEncryptedDefaultOpenSSL checks that openssl decrypts a key pedigree
// encrypted with its default parameters and derives the same public key.
func TestEncryptedDefaultOpenSSL(t *testing.T) {
	key, err := Generate(ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := MarshalPrivateKeyPEM(key, []byte("pass phrase"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParsePrivateKeyPEM(enc, []byte("pass phrase")); err != nil {
		t.Fatal(err)
	}
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("skipped: openssl is not installed, so interoperability cannot be checked")
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "k.key")
	if err := os.WriteFile(keyFile, enc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(openssl, "pkey", "-in", keyFile, "-passin", "pass:pass phrase", "-pubout").CombinedOutput()
	if err != nil {
		t.Fatalf("openssl pkey: %v\n%s", err, out)
	}
	want, _ := MarshalPublicKeyPEM(key.Public())
	if !bytes.Equal(out, want) {
		t.Fatalf("openssl derived\n%s\nwant\n%s", out, want)
	}
	if out, err := exec.Command(openssl, "pkey", "-in", keyFile, "-passin", "pass:wrong", "-noout").CombinedOutput(); err == nil {
		t.Fatalf("openssl accepted a wrong passphrase: %s", out)
	}
}

func TestCheckPublicKey(t *testing.T) {
	small, err := rsa.GenerateKey(deterministicReader{}, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), deterministicReader{})
	tests := []struct {
		name    string
		pub     crypto.PublicKey
		wantErr error
	}{
		{"ed25519 short", ed25519.PublicKey{1, 2, 3}, ErrUnsupportedKey},
		{"rsa 1024", &small.PublicKey, ErrUnsupportedKey},
		{"p224", &p224.PublicKey, ErrUnsupportedKey},
		{"string", "not a key", ErrUnsupportedKey},
	}
	for _, tt := range tests {
		if err := CheckPublicKey(tt.pub); !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.wantErr)
		}
		if _, err := MarshalPublicKeyPEM(tt.pub); !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: MarshalPublicKeyPEM: %v, want %v", tt.name, err, tt.wantErr)
		}
	}
	if _, err := MarshalPrivateKeyPEM(small, nil); !errors.Is(err, ErrUnsupportedKey) {
		t.Errorf("MarshalPrivateKeyPEM(rsa 1024) = %v", err)
	}
}

// deterministicReader is a weak byte source for keys the tests only need
// to exist (Go ignores it for most key generation anyway).
type deterministicReader struct{}

func (deterministicReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i*7 + 1)
	}
	return len(p), nil
}

func TestParsePrivateKeyPEMLimits(t *testing.T) {
	if _, err := ParsePrivateKeyPEM(bytes.Repeat([]byte("A"), MaxPEMSize+1), nil); !errors.Is(err, ErrNoPEM) {
		t.Errorf("oversized input: %v", err)
	}
	if _, err := ParsePrivateKeyPEM([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), nil); !errors.Is(err, ErrUnsupportedKey) {
		t.Errorf("garbage DER: %v", err)
	}
	if _, err := ParsePrivateKeyPEM([]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"), []byte("x")); !errors.Is(err, ErrUnsupportedKey) {
		t.Errorf("garbage encrypted DER: %v", err)
	}
	cosign := []byte("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n")
	if _, err := ParsePrivateKeyPEM(cosign, []byte("x")); !errors.Is(err, ErrUnsupportedKey) {
		t.Errorf("cosign key: %v", err)
	}
}

// FuzzParsePrivateKeyPEM feeds PEM input, seeded from testdata, to the
// private key parser: it must never panic and must return a usable key or
// an error.
func FuzzParsePrivateKeyPEM(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data, fixturePassphrase)
		}
	}
	f.Fuzz(func(t *testing.T, data, pass []byte) {
		key, err := ParsePrivateKeyPEM(data, pass)
		if err != nil {
			return
		}
		if err := CheckPublicKey(key.Public()); err != nil {
			t.Fatalf("accepted a key CheckPublicKey refuses: %v", err)
		}
	})
}

// FuzzParsePublicKeyPEM does the same for public keys, seeded from
// testdata and the public keys in ../shared/vectors when present.
func FuzzParsePublicKeyPEM(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*"))
	if p := testshared.Path("vectors"); p != "" {
		more, _ := filepath.Glob(filepath.Join(p, "vsa", "*.pem"))
		seeds = append(seeds, more...)
		more, _ = filepath.Glob(filepath.Join(p, "sigstore-conformance", "bundle-verify", "*", "key.pub"))
		seeds = append(seeds, more...)
	}
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, err := ParsePublicKeyPEM(data)
		if err != nil {
			return
		}
		if _, err := ID(pub); err != nil {
			t.Fatalf("accepted key has no id: %v", err)
		}
	})
}
