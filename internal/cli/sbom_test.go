package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/cli"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/sbom"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

// An SBOM attestation, as a DSSE line and as a Sigstore bundle, verifies
// with the signer's public key and not with another; its statement is
// about the project's wheel and sdist (not the dependency's wheel), with
// the SBOM, valid against its schema, as the predicate.
func TestSBOMAttestVerifies(t *testing.T) {
	dir := t.TempDir()
	demo := "../../examples/demo"
	env := []string{"SOURCE_DATE_EPOCH=1767225600"}
	if code, _, stderr := runEnv(t, env, "keygen", "-o", filepath.Join(dir, "release")); code != cli.ExitOK {
		t.Fatalf("keygen: %s", stderr)
	}
	pubPEM, err := os.ReadFile(filepath.Join(dir, "release.pub"))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := keys.ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	other, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	wantSubjects := map[string]string{
		"pedigree_demo-0.1.0-py3-none-any.whl": "4a16299b240e546ac189be73e15a3e764103b9829b79aa467b02acd07ec1a1ad",
		"pedigree_demo-0.1.0.tar.gz":           "5f520d65d98235c4dd57892bcbe98d2da5d47dc7c9161014ace7735ec7342da2",
	}
	tests := []struct {
		name   string
		format sbom.Format
		bundle bool
		out    string
	}{
		{"cyclonedx dsse", sbom.FormatCycloneDXJSON, false, "demo.cdx.intoto.jsonl"},
		{"spdx dsse", sbom.FormatSPDXJSON, false, "demo.spdx.intoto.jsonl"},
		{"cyclonedx bundle", sbom.FormatCycloneDXJSON, true, "demo.cdx.sigstore.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, tt.out)
			args := []string{"sbom", demo, "--dist", demo + "/dist", "--dist", demo + "/wheelhouse",
				"--attest", "--key", filepath.Join(dir, "release.key"), "-o", out}
			if tt.bundle {
				args = append(args, "--bundle")
			}
			code, stdout, stderr := runEnv(t, env, args...)
			if code != cli.ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "in-toto statement about 2 subjects") {
				t.Errorf("stdout %q", stdout)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var payload []byte
			if tt.bundle {
				b, err := sigstore.ParseBundle(data)
				if err != nil {
					t.Fatal(err)
				}
				v, _ := sigstore.NewVerifier(sigstore.WithPublicKeys(pub))
				res, err := v.VerifyBundle(b, sigstore.VerifyOptions{})
				if err != nil {
					t.Fatalf("VerifyBundle: %v", err)
				}
				payload = res.Payload
				v2, _ := sigstore.NewVerifier(sigstore.WithPublicKeys(other.Public()))
				if _, err := v2.VerifyBundle(b, sigstore.VerifyOptions{}); err == nil {
					t.Fatal("verified with another key")
				}
			} else {
				e, err := dsse.Parse(bytes.TrimSpace(data))
				if err != nil {
					t.Fatal(err)
				}
				if payload, _, err = e.Verify(pub); err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if _, _, err := e.Verify(other.Public()); err == nil {
					t.Fatal("verified with another key")
				}
			}
			st, err := slsa.ParseStatement(payload)
			if err != nil {
				t.Fatal(err)
			}
			if st.PredicateType != sbom.PredicateType(tt.format) {
				t.Errorf("predicateType %q, want %q", st.PredicateType, sbom.PredicateType(tt.format))
			}
			if len(st.Subject) != len(wantSubjects) {
				t.Fatalf("subjects %+v", st.Subject)
			}
			for name, sum := range wantSubjects {
				if _, ok := st.MatchSubject(digest.Set{digest.SHA256: sum}); !ok {
					t.Errorf("%s (sha256 %s) is not a subject", name, sum)
				}
			}
			if err := sbom.Validate(tt.format, st.Predicate); err != nil {
				t.Errorf("predicate: %v", err)
			}
		})
	}

	// Ed25519 is deterministic and SOURCE_DATE_EPOCH is set: a rerun
	// writes the same bytes.
	first, _ := os.ReadFile(filepath.Join(dir, "demo.cdx.intoto.jsonl"))
	code, _, stderr := runEnv(t, env, "sbom", demo, "--dist", demo+"/dist", "--attest", "--key", filepath.Join(dir, "release.key"),
		"--force", "-o", filepath.Join(dir, "demo.cdx.intoto.jsonl"), "--dist", demo+"/wheelhouse")
	if code != cli.ExitOK {
		t.Fatal(stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "demo.cdx.intoto.jsonl")); !bytes.Equal(first, again) {
		t.Error("a rerun changed the attestation")
	}
}

func TestSBOMAttestUsage(t *testing.T) {
	demo := "../../examples/demo"
	key := "../../dsse/testdata/ed25519.key"
	tests := []struct {
		args []string
		msg  string
		want int
	}{
		{[]string{"sbom", demo, "--attest", "--format", "spdx-json"}, "--attest needs --key", cli.ExitUsage},
		{[]string{"sbom", demo, "--key", key, "--format", "spdx-json"}, "go with --attest", cli.ExitUsage},
		{[]string{"sbom", demo, "--attest", "--key", key, "--format", "spdx-json"}, "add them with --dist", cli.ExitUsage},
		{[]string{"sbom", demo, "--attest", "--key", key, "--dist", demo + "/wheelhouse", "--format", "spdx-json"}, "none of pedigree-demo's was given", cli.ExitUsage},
		{[]string{"sbom", demo, "--attest", "--key", "nope.key", "--dist", demo + "/dist", "--format", "spdx-json"}, "--key", cli.ExitInternal}, // a missing file: I/O
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[2:], " "), func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d (%s)", code, tt.want, stderr)
			}
			if !strings.Contains(stderr, tt.msg) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.msg)
			}
		})
	}
}
