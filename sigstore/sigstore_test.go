package sigstore_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/sigstore"
)

const (
	beaconIssuer   = "https://token.actions.githubusercontent.com"
	beaconIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func parseTestBundle(t testing.TB, name string) *sigstore.Bundle {
	t.Helper()
	b, err := sigstore.ParseBundle(readTestdata(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

func publicGoodVerifier(t testing.TB, opts ...sigstore.Option) *sigstore.Verifier {
	t.Helper()
	v, err := sigstore.NewVerifier(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVerifyBundleHappyPaths(t *testing.T) {
	beacon := &sigstore.Identity{Issuer: beaconIssuer, SAN: beaconIdentity}
	staging, err := sigstore.ParseTrustedRoot(readTestdata(t, "staging-rekor2.trusted_root.json"))
	if err != nil {
		t.Fatal(err)
	}
	managedKey, err := keys.ParsePublicKeyPEM(readTestdata(t, "managed-key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	artifact := fileDigest(t, filepath.Join("testdata", "a.txt"))
	tests := []struct {
		name       string
		bundle     string
		opts       []sigstore.Option
		identity   *sigstore.Identity
		version    string
		dsse       bool
		keyBased   bool
		timestamps int
	}{
		{name: "v0.1 message signature", bundle: "happy-path-v0.1.sigstore.json", identity: beacon, version: "v0.1", timestamps: 1},
		{name: "v0.3 message signature", bundle: "happy-path-v0.3.sigstore.json", identity: beacon, version: "v0.3", timestamps: 1},
		{name: "v0.3 DSSE", bundle: "happy-path-intoto-in-dsse-v3.sigstore.json", identity: beacon, version: "v0.3", dsse: true, timestamps: 1},
		{name: "managed key", bundle: "managed-key.sigstore.json", opts: []sigstore.Option{sigstore.WithPublicKeys(managedKey)}, version: "v0.3", keyBased: true, timestamps: 1},
		{name: "rekor v2 with RFC 3161 timestamp", bundle: "rekor2-happy-path.sigstore.json", opts: []sigstore.Option{sigstore.WithTrustedRoot(staging)}, identity: beacon, version: "v0.3", timestamps: 1},
		{name: "no identity constraint", bundle: "happy-path-v0.3.sigstore.json", version: "v0.3", timestamps: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := parseTestBundle(t, tt.bundle)
			if b.Version() != tt.version {
				t.Errorf("Version() = %q, want %q", b.Version(), tt.version)
			}
			if b.IsDSSE() != tt.dsse {
				t.Errorf("IsDSSE() = %v, want %v", b.IsDSSE(), tt.dsse)
			}
			v := publicGoodVerifier(t, tt.opts...)
			res, err := v.VerifyBundle(b, sigstore.VerifyOptions{ArtifactDigest: artifact, Identity: tt.identity})
			if err != nil {
				t.Fatalf("VerifyBundle: %v", err)
			}
			if len(res.Timestamps) < tt.timestamps {
				t.Errorf("got %d verified timestamps, want at least %d", len(res.Timestamps), tt.timestamps)
			}
			if tt.dsse {
				if res.PayloadType != "application/vnd.in-toto+json" || len(res.Payload) == 0 {
					t.Errorf("DSSE payload not returned: %q, %d bytes", res.PayloadType, len(res.Payload))
				}
				if err := statementSubjectsMatch(res.Payload, artifact); err != nil {
					t.Error(err)
				}
			} else if !res.MessageDigest.Equal(artifact) {
				t.Errorf("MessageDigest = %v, want %v", res.MessageDigest, artifact)
			}
			if tt.keyBased {
				id, _ := keys.ID(managedKey)
				if res.Signer.KeyID != id || res.Signer.Certificate != nil {
					t.Errorf("Signer = %+v, want key %s", res.Signer, id)
				}
				return
			}
			c := res.Signer.Certificate
			if c == nil {
				t.Fatal("no certificate in result")
			}
			if c.SubjectAlternativeName != beaconIdentity || c.Issuer != beaconIssuer {
				t.Errorf("certificate SAN %q issuer %q", c.SubjectAlternativeName, c.Issuer)
			}
			if c.BuildSignerURI != beaconIdentity || c.SourceRepositoryURI != "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon" {
				t.Errorf("certificate extensions: %+v", c)
			}
		})
	}
}

func TestPublicGoodParsedOnce(t *testing.T) {
	a, err := sigstore.PublicGood()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sigstore.PublicGood()
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("PublicGood parsed the embedded root twice")
	}
	if _, err := sigstore.ParseTrustedRoot(sigstore.PublicGoodJSON()); err != nil {
		t.Error(err)
	}
}

func TestIdentityMismatch(t *testing.T) {
	b := parseTestBundle(t, "happy-path-v0.3.sigstore.json")
	v := publicGoodVerifier(t)
	artifact := fileDigest(t, filepath.Join("testdata", "a.txt"))
	tests := []struct {
		name     string
		identity sigstore.Identity
		wantErr  error
	}{
		{"exact", sigstore.Identity{Issuer: beaconIssuer, SAN: beaconIdentity}, nil},
		{"regexps", sigstore.Identity{IssuerRegexp: `^https://token\.actions\.githubusercontent\.com$`, SANRegexp: `^https://github\.com/sigstore-conformance/`}, nil},
		{"unanchored regexp as cosign", sigstore.Identity{Issuer: beaconIssuer, SANRegexp: `extremely-dangerous`}, nil},
		{"wrong SAN", sigstore.Identity{Issuer: beaconIssuer, SAN: "https://github.com/evil/repo/.github/workflows/x.yml@refs/heads/main"}, sigstore.ErrIdentity},
		{"wrong issuer", sigstore.Identity{Issuer: "https://accounts.google.com", SAN: beaconIdentity}, sigstore.ErrIdentity},
		{"SAN regexp no match", sigstore.Identity{Issuer: beaconIssuer, SANRegexp: `^https://github\.com/evil/`}, sigstore.ErrIdentity},
		{"issuer regexp no match", sigstore.Identity{IssuerRegexp: `gitlab`, SAN: beaconIdentity}, sigstore.ErrIdentity},
		{"SAN prefix is not a match", sigstore.Identity{Issuer: beaconIssuer, SAN: "https://github.com/sigstore-conformance/"}, sigstore.ErrIdentity},
		{"missing issuer", sigstore.Identity{SAN: beaconIdentity}, sigstore.ErrInvalidIdentity},
		{"missing SAN", sigstore.Identity{Issuer: beaconIssuer}, sigstore.ErrInvalidIdentity},
		{"bad regexp", sigstore.Identity{Issuer: beaconIssuer, SANRegexp: `(`}, sigstore.ErrInvalidIdentity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.VerifyBundle(b, sigstore.VerifyOptions{ArtifactDigest: artifact, Identity: &tt.identity})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
			invalid := tt.wantErr == sigstore.ErrInvalidIdentity
			if err := tt.identity.Validate(); (err != nil) != invalid || (invalid && !errors.Is(err, sigstore.ErrInvalidIdentity)) {
				t.Errorf("Validate() = %v, want an invalid identity: %v", err, invalid)
			}
		})
	}
}

// TestCertificateUnverified checks that a bundle's certificate summary,
// read without verification, is the one verification confirms, and that a
// key-signed bundle has none.
func TestCertificateUnverified(t *testing.T) {
	staging, err := sigstore.ParseTrustedRoot(readTestdata(t, "staging-rekor2.trusted_root.json"))
	if err != nil {
		t.Fatal(err)
	}
	artifact := fileDigest(t, filepath.Join("testdata", "a.txt"))
	for _, tt := range []struct {
		bundle string
		opts   []sigstore.Option
	}{
		{bundle: "happy-path-v0.1.sigstore.json"},
		{bundle: "happy-path-v0.3.sigstore.json"},
		{bundle: "happy-path-intoto-in-dsse-v3.sigstore.json"},
		{bundle: "rekor2-happy-path.sigstore.json", opts: []sigstore.Option{sigstore.WithTrustedRoot(staging)}},
	} {
		t.Run(tt.bundle, func(t *testing.T) {
			b := parseTestBundle(t, tt.bundle)
			got, err := b.CertificateUnverified()
			if err != nil {
				t.Fatal(err)
			}
			res, err := publicGoodVerifier(t, tt.opts...).VerifyBundle(b, sigstore.VerifyOptions{ArtifactDigest: artifact})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, res.Signer.Certificate) {
				t.Errorf("CertificateUnverified() = %+v\nverified certificate %+v", got, res.Signer.Certificate)
			}
		})
	}
	c, err := parseTestBundle(t, "managed-key.sigstore.json").CertificateUnverified()
	if c != nil || err != nil {
		t.Errorf("key-signed bundle: CertificateUnverified() = %+v, %v; want nil, nil", c, err)
	}
}
