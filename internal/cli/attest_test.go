package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/hmacenv"
	"github.com/pedigree-dev/pedigree/internal/cli"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

// runEnv calls cli.Main in-process with the given environment.
func runEnv(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Main(context.Background(), args, env, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestKeygenModes checks what the testscript story cannot: the private key
// is 0600 and the public key 0644.
func TestKeygenModes(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "release")
	if code, _, stderr := run(t, "", "keygen", "-o", name); code != cli.ExitOK {
		t.Fatalf("keygen: exit %d: %s", code, stderr)
	}
	for file, want := range map[string]os.FileMode{name + ".key": 0o600, name + ".pub": 0o644} {
		fi, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", file, fi.Mode().Perm(), want)
		}
	}
}

// TestAttestVerifyRoundTrip is keygen → attest --key → verify through the
// CLI's files, verified with the library (the verify command lands
// separately): the envelope verifies with the public key, the statement
// parses, every artifact matches a subject, and changed bytes fail.
func TestAttestVerifyRoundTrip(t *testing.T) {
	dir := t.TempDir()
	dist := filepath.Join(dir, "dist")
	if err := os.Mkdir(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	artifacts := map[string][]byte{"pkg-1.0-py3-none-any.whl": []byte("wheel"), "pkg-1.0.tar.gz": []byte("sdist")}
	for n, data := range artifacts {
		if err := os.WriteFile(filepath.Join(dist, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, alg := range keys.Algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			name := filepath.Join(dir, string(alg))
			env := []string{"SOURCE_DATE_EPOCH=1767225600", "PASS=s3cret", "HMAC=shared-secret"}
			if code, _, stderr := runEnv(t, env, "keygen", "--algorithm", string(alg), "--passphrase-env", "PASS", "-o", name); code != cli.ExitOK {
				t.Fatalf("keygen: exit %d: %s", code, stderr)
			}
			out := name + ".intoto.jsonl"
			code, stdout, stderr := runEnv(t, env, "attest", "--key", name+".key", "--passphrase-env", "PASS",
				"--hmac-key-env", "HMAC", "-o", out, dist)
			if code != cli.ExitOK {
				t.Fatalf("attest: exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "DSSE-signed ("+string(alg)) {
				t.Fatalf("stdout %q", stdout)
			}
			line, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			pubPEM, err := os.ReadFile(name + ".pub")
			if err != nil {
				t.Fatal(err)
			}
			pub, err := keys.ParsePublicKeyPEM(pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			verify := func(line []byte, artifact []byte) error {
				env, err := dsse.Parse(bytes.TrimSpace(line))
				if err != nil {
					return err
				}
				payload, _, err := env.Verify(pub)
				if err != nil {
					return err
				}
				st, err := slsa.ParseStatement(payload)
				if err != nil {
					return err
				}
				sum := sha256.Sum256(artifact)
				if _, ok := st.MatchSubject(digest.Set{"sha256": hex.EncodeToString(sum[:])}); !ok {
					return os.ErrNotExist
				}
				return nil
			}
			for n, data := range artifacts {
				if err := verify(line, data); err != nil {
					t.Fatalf("%s: %v", n, err)
				}
				if verify(line, append(bytes.Clone(data), '!')) == nil {
					t.Fatalf("%s: a changed artifact verified", n)
				}
			}
			// Change one base64 character of the payload: no verification.
			i := bytes.Index(line, []byte(`"payload":"`)) + len(`"payload":"`) + 40
			bad := bytes.Clone(line)
			if bad[i] == 'A' {
				bad[i] = 'B'
			} else {
				bad[i] = 'A'
			}
			if verify(bad, artifacts["pkg-1.0.tar.gz"]) == nil {
				t.Fatal("a changed payload verified")
			}
			// The HMAC envelope beside it covers the file.
			envBytes, err := os.ReadFile(out + ".hmac-sha256.json")
			if err != nil {
				t.Fatal(err)
			}
			h, err := hmacenv.Parse(envBytes)
			if err != nil {
				t.Fatal(err)
			}
			if err := h.VerifyBytes([]byte("shared-secret"), line); err != nil {
				t.Fatalf("HMAC envelope: %v", err)
			}
			if err := h.VerifyBytes([]byte("shared-secret"), bad); err == nil {
				t.Fatal("HMAC envelope verified a changed file")
			}
		})
	}
}

func TestAttestExitCodes(t *testing.T) {
	dir := t.TempDir()
	art := filepath.Join(dir, "a.whl")
	if err := os.WriteFile(art, []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := filepath.Join(dir, "o.intoto.jsonl")
	tests := []struct {
		args []string
		env  []string
		want int
	}{
		{[]string{"attest", "-o", o, art}, nil, cli.ExitOK},
		{[]string{"attest", "-o", o, art}, nil, cli.ExitUsage}, // exists
		{[]string{"attest", "-o", o, "--force", art}, nil, cli.ExitOK},
		{[]string{"attest", "-o", o, "--force", filepath.Join(dir, "missing.whl")}, nil, cli.ExitInternal},
		{[]string{"attest", "-o", o, "--force", "--key", filepath.Join(dir, "missing.key"), art}, nil, cli.ExitInternal},
		{[]string{"attest", "-o", o, "--force", "--key", art, art}, nil, cli.ExitUsage}, // not a key
		{[]string{"attest", "-o", o, "--force", "--hmac-key-env", "NOPE", art}, nil, cli.ExitUsage},
		{[]string{"attest", "-o", o, "--force", art}, []string{"SOURCE_DATE_EPOCH=yesterday"}, cli.ExitUsage},
		{[]string{"attest", "-o", o, "--force", "--source-commit", "abc", art}, nil, cli.ExitUsage},
		{[]string{"attest", "-o", o, "--force", "--jobs", "-1", art}, nil, cli.ExitUsage},
		{[]string{"attest", "-o", o, "--force", "--oci-layout", dir, art}, nil, cli.ExitUsage},
		{[]string{"attest", "-o", filepath.Join(art, "sub", "o.jsonl"), art}, nil, cli.ExitInternal}, // parent is a file
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[1:], " "), func(t *testing.T) {
			env := tt.env
			if env == nil {
				env = []string{"SOURCE_DATE_EPOCH=1767225600"}
			}
			code, _, stderr := runEnv(t, env, tt.args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.want, stderr)
			}
			if code != cli.ExitOK && !strings.HasPrefix(lastLine(stderr), "pedigree: ") {
				t.Fatalf("want a final 'pedigree: ' line on stderr, got %q", stderr)
			}
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestAttestBundleVerifies checks `attest --bundle` for every key type with
// the sigstore package's verifier (sigstore-go underneath): the bundle
// verifies with the public key and carries the canonical statement; RSA
// keys sign PKCS#1 v1.5 there, as sigstore-go expects.
func TestAttestBundleVerifies(t *testing.T) {
	dir := t.TempDir()
	art := filepath.Join(dir, "pkg-1.0.tar.gz")
	if err := os.WriteFile(art, []byte("sdist"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, alg := range keys.Algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			name := filepath.Join(dir, string(alg))
			if code, _, stderr := run(t, "", "keygen", "--algorithm", string(alg), "-o", name); code != cli.ExitOK {
				t.Fatalf("keygen: %s", stderr)
			}
			out := name + ".sigstore.json"
			if code, _, stderr := run(t, "", "attest", "--key", name+".key", "--bundle", "-o", out, art); code != cli.ExitOK {
				t.Fatalf("attest: %s", stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			b, err := sigstore.ParseBundle(data)
			if err != nil {
				t.Fatal(err)
			}
			pubPEM, _ := os.ReadFile(name + ".pub")
			pub, err := keys.ParsePublicKeyPEM(pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			v, err := sigstore.NewVerifier(sigstore.WithPublicKeys(pub))
			if err != nil {
				t.Fatal(err)
			}
			res, err := v.VerifyBundle(b, sigstore.VerifyOptions{})
			if err != nil {
				t.Fatalf("VerifyBundle: %v", err)
			}
			st, err := slsa.ParseStatement(res.Payload)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256([]byte("sdist"))
			if _, ok := st.MatchSubject(digest.Set{"sha256": hex.EncodeToString(sum[:])}); !ok {
				t.Fatal("artifact not among the subjects")
			}
			other, _ := keys.Generate(keys.Ed25519)
			v2, _ := sigstore.NewVerifier(sigstore.WithPublicKeys(other.Public()))
			if _, err := v2.VerifyBundle(b, sigstore.VerifyOptions{}); err == nil {
				t.Fatal("verified with another key")
			}
		})
	}
}
