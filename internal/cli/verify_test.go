package cli_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/cli"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/sigstore"
)

// keySignedRelease writes an artifact, a key-signed bundle whose statement
// names it, and the public key, and returns their paths.
func keySignedRelease(t *testing.T) (artifact, bundle, pubPath string) {
	t.Helper()
	dir := t.TempDir()
	artifact = filepath.Join(dir, "pkg-1.0-py3-none-any.whl")
	if err := os.WriteFile(artifact, []byte("wheel"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("wheel"))
	payload, _ := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": "pkg-1.0-py3-none-any.whl", "digest": map[string]string{"sha256": hex.EncodeToString(sum[:])}}},
		"predicateType": "https://docs.pypi.org/attestations/publish/v1",
		"predicate":     nil,
	})
	k, err := keys.Generate(keys.ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	env, err := dsse.Sign(k, "application/vnd.in-toto+json", payload, dsse.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env.Signatures[0].KeyID = ""
	b, err := sigstore.NewDSSEBundle(env, k.Public())
	if err != nil {
		t.Fatal(err)
	}
	bundle = filepath.Join(dir, "pkg.sigstore.json")
	if err := os.WriteFile(bundle, b, 0o644); err != nil {
		t.Fatal(err)
	}
	pubPEM, err := keys.MarshalPublicKeyPEM(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	pubPath = filepath.Join(dir, "key.pub")
	if err := os.WriteFile(pubPath, pubPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return artifact, bundle, pubPath
}

func TestVerifyExitCodes(t *testing.T) {
	art, bundle, pub := keySignedRelease(t)
	dir := filepath.Dir(art)
	notKey := filepath.Join(dir, "not-a-key.pem")
	if err := os.WriteFile(notKey, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	badRoot := filepath.Join(dir, "root.json")
	if err := os.WriteFile(badRoot, []byte(`{"mediaType":"x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	otherArt := filepath.Join(dir, "other.bin")
	if err := os.WriteFile(otherArt, []byte("other"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"passes", []string{"--key", pub, "--provenance", bundle, art}, cli.ExitOK},
		{"json passes", []string{"--key", pub, "--provenance", bundle, "--format", "json", art}, cli.ExitOK},
		{"not a subject", []string{"--key", pub, "--provenance", bundle, otherArt}, cli.ExitFailed},
		{"one of two fails", []string{"--key", pub, "--provenance", bundle, art, otherArt}, cli.ExitFailed},
		{"certificate required", []string{"--provenance", bundle, "--cert-identity", "a", "--cert-oidc-issuer", "b", art}, cli.ExitFailed},
		{"unusable key", []string{"--key", notKey, "--provenance", bundle, art}, cli.ExitFailed},
		{"unusable trusted root", []string{"--trusted-root", badRoot, "--key", pub, "--provenance", bundle, art}, cli.ExitFailed},
		{"no artifact", []string{"--key", pub, "--provenance", bundle}, cli.ExitUsage},
		{"no provenance", []string{"--key", pub, art}, cli.ExitUsage},
		{"identity without issuer", []string{"--provenance", bundle, "--cert-identity", "a", art}, cli.ExitUsage},
		{"issuer without identity", []string{"--provenance", bundle, "--cert-oidc-issuer", "a", art}, cli.ExitUsage},
		{"two identities", []string{"--provenance", bundle, "--cert-identity", "a", "--cert-identity-regexp", "b", "--cert-oidc-issuer", "c", art}, cli.ExitUsage},
		{"bad regexp", []string{"--provenance", bundle, "--cert-identity-regexp", "(", "--cert-oidc-issuer", "c", art}, cli.ExitUsage},
		{"key and identity", []string{"--key", pub, "--provenance", bundle, "--cert-identity", "a", "--cert-oidc-issuer", "b", art}, cli.ExitUsage},
		{"key and publisher", []string{"--key", pub, "--provenance", bundle, "--publisher", "github:o/r", art}, cli.ExitUsage},
		{"bad publisher", []string{"--provenance", bundle, "--publisher", "o/r", art}, cli.ExitUsage},
		{"tag and versioned tag", []string{"--provenance", bundle, "--source-uri", "github.com/o/r", "--source-tag", "v1", "--source-versioned-tag", "v1", art}, cli.ExitUsage},
		{"versioned tag not semver", []string{"--provenance", bundle, "--source-uri", "github.com/o/r", "--source-versioned-tag", "1.2", art}, cli.ExitUsage},
		{"bad workflow input", []string{"--provenance", bundle, "--source-uri", "github.com/o/r", "--build-workflow-input", "novalue", art}, cli.ExitUsage},
		{"bad digest", []string{"--key", pub, "--provenance", bundle, "sha256:abc"}, cli.ExitUsage},
		{"bad format", []string{"--key", pub, "--provenance", bundle, "--format", "yaml", art}, cli.ExitUsage},
		{"missing artifact", []string{"--key", pub, "--provenance", bundle, filepath.Join(dir, "missing.whl")}, cli.ExitInternal},
		{"missing attestation", []string{"--key", pub, "--provenance", filepath.Join(dir, "missing.json"), art}, cli.ExitInternal},
		{"missing key", []string{"--key", filepath.Join(dir, "missing.pub"), "--provenance", bundle, art}, cli.ExitInternal},
		{"missing trusted root", []string{"--trusted-root", filepath.Join(dir, "missing.json"), "--provenance", bundle, art}, cli.ExitInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, "", append([]string{"verify"}, tt.args...)...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.want, stdout, stderr)
			}
			if code == cli.ExitUsage || code == cli.ExitInternal {
				if stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "pedigree: ") {
					t.Fatalf("want one pedigree: line on stderr and nothing on stdout, got %q / %q", stdout, stderr)
				}
			}
		})
	}
}

// The JSON report names the artifact, digest, attestation, predicate type,
// signer and errors.
func TestVerifyJSONReport(t *testing.T) {
	art, bundle, pub := keySignedRelease(t)
	code, stdout, _ := run(t, "", "verify", "--key", pub, "--provenance", bundle, "--format", "json", "--print-provenance", art)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stdout)
	}
	var rep struct {
		Verified  bool `json:"verified"`
		Artifacts []struct {
			Artifact     string            `json:"artifact"`
			Digest       map[string]string `json:"digest"`
			Attestations []struct {
				Attestation   string          `json:"attestation"`
				PredicateType string          `json:"predicateType"`
				KeyID         string          `json:"keyId"`
				Statement     json.RawMessage `json:"statement"`
			} `json:"attestations"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	a := rep.Artifacts[0]
	ev := a.Attestations[0]
	if !rep.Verified || a.Artifact != art || len(a.Digest["sha256"]) != 64 || ev.Attestation != bundle ||
		ev.PredicateType != "https://docs.pypi.org/attestations/publish/v1" || len(ev.KeyID) != 64 || len(ev.Statement) == 0 {
		t.Fatalf("report: %s", stdout)
	}
	_, stdout, _ = run(t, "", "verify", "--key", pub, "--provenance", bundle, "--format", "json", art)
	if strings.Contains(stdout, `"statement"`) {
		t.Fatal("statement printed without --print-provenance")
	}
}
