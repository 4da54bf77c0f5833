package attestation_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/pypi"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

const (
	ghIssuer = "https://token.actions.githubusercontent.com"
	// The digests of artifacts not copied into testdata.
	pypiSdistSHA256      = "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3" // pypi_attestations-0.0.19.tar.gz
	genericBinarySHA256  = "376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa" // gha_generic binary-linux-amd64-push-v14
	pypiReleaseWorkflow  = "https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19"
	slsaGeneratorBuilder = `^https://github\.com/slsa-framework/slsa-github-generator/\.github/workflows/[a-z0-9_-]+\.yml@refs/tags/v2\.1\.0$`
)

func td(name string) string { return filepath.Join("testdata", name) }

func readTD(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(td(name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func verifier(t testing.TB, opts ...sigstore.Option) *sigstore.Verifier {
	t.Helper()
	v, err := sigstore.NewVerifier(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// compact re-encodes a JSON file on one line.
func compact(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// leafPEM returns the certificate of a bundle in testdata as PEM.
func leafPEM(t testing.TB, bundleFile string) string {
	t.Helper()
	var b struct {
		VerificationMaterial struct {
			Certificate struct {
				RawBytes []byte `json:"rawBytes"`
			} `json:"certificate"`
		} `json:"verificationMaterial"`
	}
	if err := json.Unmarshal(readTD(t, bundleFile), &b); err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b.VerificationMaterial.Certificate.RawBytes}))
}

// envelopeWithCert is the DSSE envelope of a real certificate-signed bundle
// written bare, its certificate embedded in the signature and its
// transparency log entry dropped.
func envelopeWithCert(t testing.TB) []byte {
	t.Helper()
	b, err := sigstore.ParseBundle(readTD(t, "happy-path-intoto-in-dsse-v3.sigstore.json"))
	if err != nil {
		t.Fatal(err)
	}
	env := b.UnverifiedEnvelope()
	out, err := json.Marshal(map[string]any{
		"payloadType": env.PayloadType,
		"payload":     env.Payload,
		"signatures":  []map[string]any{{"keyid": "", "sig": env.Signatures[0].Sig, "cert": leafPEM(t, "happy-path-intoto-in-dsse-v3.sigstore.json")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseFormats(t *testing.T) {
	vsa := compact(t, readTD(t, "gke-gce-pre.bcid-vsa.jsonl"))
	generic := compact(t, readTD(t, "generic-push-v14.intoto.jsonl"))
	dsseBundle := compact(t, readTD(t, "happy-path-intoto-in-dsse-v3.sigstore.json"))
	tests := []struct {
		name        string
		data        []byte
		wantFormats []attestation.Format
		wantSources []string
	}{
		{"PEP 740 attestation", readTD(t, "pypi_attestations-0.0.19.tar.gz.publish.attestation"),
			[]attestation.Format{attestation.FormatPEP740Attestation}, []string{"in"}},
		{"PEP 740 provenance", readTD(t, "pypi_attestations-0.0.19.tar.gz.provenance"),
			[]attestation.Format{attestation.FormatPEP740Provenance}, []string{"in#attestation_bundles[0].attestations[0]"}},
		{"slsa-github-generator v2 .intoto.jsonl (a bundle on one line)", readTD(t, "generic-push-v14.intoto.jsonl"),
			[]attestation.Format{attestation.FormatBundle}, []string{"in"}},
		{"bundle v0.2 (.build.slsa)", readTD(t, "delegator-push-v14.build.slsa"),
			[]attestation.Format{attestation.FormatBundle}, []string{"in"}},
		{"pretty-printed bundle", readTD(t, "happy-path-intoto-in-dsse-v3.sigstore.json"),
			[]attestation.Format{attestation.FormatBundle}, []string{"in"}},
		{"DSSE envelope", readTD(t, "gke-gce-pre.bcid-vsa.jsonl"),
			[]attestation.Format{attestation.FormatDSSE}, []string{"in"}},
		{"JSON Lines: envelope, blank line, bundle", bytes.Join([][]byte{vsa, {}, generic, {}}, []byte("\n")),
			[]attestation.Format{attestation.FormatDSSE, attestation.FormatBundle}, []string{"in:1", "in:3"}},
		{"JSON Lines with CRLF and a byte order mark", append([]byte("\xef\xbb\xbf"), bytes.Join([][]byte{vsa, vsa}, []byte("\r\n"))...),
			[]attestation.Format{attestation.FormatDSSE, attestation.FormatDSSE}, []string{"in:1", "in:2"}},
		{"gh attestation download JSONL", fmt.Appendf(nil, "{\"bundle\":%s,\"bundle_url\":\"https://example.com/b\"}\n{\"bundle\":%s}\n", dsseBundle, generic),
			[]attestation.Format{attestation.FormatGitHub, attestation.FormatGitHub}, []string{"in:1", "in:2"}},
		{"GitHub attestations API response", fmt.Appendf(nil, `{"attestations":[{"bundle":%s,"repository_id":1},{"bundle":%s}]}`, dsseBundle, generic),
			[]attestation.Format{attestation.FormatGitHub, attestation.FormatGitHub}, []string{"in#attestations[0]", "in#attestations[1]"}},
		{"unsigned statement", []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"x","predicate":{}}`),
			[]attestation.Format{attestation.FormatStatement}, []string{"in"}},
		{"envelope with an embedded certificate", envelopeWithCert(t),
			[]attestation.Format{attestation.FormatDSSE}, []string{"in"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := attestation.Parse(tt.data, "in")
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(tt.wantFormats) {
				t.Fatalf("got %d items, want %d", len(items), len(tt.wantFormats))
			}
			for i, it := range items {
				if it.Format != tt.wantFormats[i] || it.Source != tt.wantSources[i] {
					t.Errorf("item %d: %s %q, want %s %q", i, it.Format, it.Source, tt.wantFormats[i], tt.wantSources[i])
				}
				switch it.Format {
				case attestation.FormatDSSE:
					if it.Envelope == nil {
						t.Errorf("item %d: no envelope", i)
					}
				case attestation.FormatStatement:
					if it.Statement == nil || it.Bundle != nil || it.Envelope != nil {
						t.Errorf("item %d: statement item %+v", i, it)
					}
				default:
					if it.Bundle == nil {
						t.Errorf("item %d: no bundle", i)
					}
				}
			}
		})
	}
}

func TestProvenancePublisher(t *testing.T) {
	items, err := attestation.ParseFile(td("pypi_attestations-0.0.19.tar.gz.provenance"))
	if err != nil {
		t.Fatal(err)
	}
	p := items[0].Publisher
	if p == nil || p.Kind != "GitHub" || p.Repository != "trailofbits/pypi-attestations" || p.Workflow != "release.yml" || p.Environment != "" {
		t.Fatalf("publisher: %+v", p)
	}
	if !items[0].Bundle.IsDSSE() || !items[0].Bundle.HasCertificate() || items[0].Bundle.Version() != "v0.3" {
		t.Error("a PEP 740 attestation converts to a certificate-signed DSSE bundle v0.3")
	}
}

func TestParseErrors(t *testing.T) {
	generic := compact(t, readTD(t, "generic-push-v14.intoto.jsonl"))
	publish := readTD(t, "pypi_attestations-0.0.19.tar.gz.publish.attestation")
	tests := []struct {
		name     string
		data     []byte
		wantErr  error
		wantAlso error  // a second sentinel the error must wrap
		wantMsg  string // a substring of the message
	}{
		{"empty", nil, attestation.ErrUnknownFormat, nil, "in: empty"},
		{"whitespace", []byte(" \n\t"), attestation.ErrUnknownFormat, nil, "empty"},
		{"binary", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe"), attestation.ErrUnknownFormat, nil, "binary data"},
		{"text", []byte("sha256:abc  file\n"), attestation.ErrUnknownFormat, nil, "not JSON"},
		{"JSON array", []byte(`[{"payloadType":"x"}]`), attestation.ErrUnknownFormat, nil, ""},
		{"object of no format", []byte(`{"name":"x","version":"1"}`), attestation.ErrUnknownFormat, nil, "no attestation format"},
		{"not a Sigstore media type", []byte(`{"mediaType":"application/spdx+json"}`), attestation.ErrUnknownFormat, nil, "application/spdx+json"},
		{"statement of another type", []byte(`{"_type":"https://example.com/x"}`), attestation.ErrUnknownFormat, nil, ""},
		{"truncated bundle", generic[:len(generic)/2], attestation.ErrMalformed, nil, "in:1: "},
		{"truncated second line", append(append(append([]byte(nil), generic...), '\n'), generic[:100]...), attestation.ErrMalformed, nil, "in:2: "},
		{"a number on line 2", append(append([]byte(nil), generic...), []byte("\n42\n")...), attestation.ErrMalformed, nil, "in:2: want a JSON object"},
		{"unknown bundle version", []byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.9+json"}`), attestation.ErrMalformed, sigstore.ErrBundle, ""},
		{"bundle with wrong media type version spelling", bytes.Replace(generic, []byte("bundle.v0.3+json"), []byte("bundle+json;version=7"), 1), attestation.ErrMalformed, sigstore.ErrBundle, ""},
		{"envelope without signatures", []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}`), attestation.ErrMalformed, dsse.ErrNoSignature, ""},
		{"envelope with bad base64", []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"!!","signatures":[{"sig":"AA=="}]}`), attestation.ErrMalformed, dsse.ErrMalformed, ""},
		{"envelope with a broken certificate", []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[{"sig":"AA==","cert":"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}]}`), attestation.ErrMalformed, nil, "signatures[0].cert"},
		{"PEP 740 version 2", bytes.Replace(publish, []byte(`"version":1}`), []byte(`"version":2}`), 1), attestation.ErrMalformed, pypi.ErrPEP740, "version"},
		{"PEP 740 unknown member", bytes.Replace(publish, []byte(`"version":1}`), []byte(`"version":1,"extra":true}`), 1), attestation.ErrMalformed, pypi.ErrPEP740, "extra"},
		{"PEP 740 without transparency entries", []byte(`{"version":1,"verification_material":{"certificate":"","transparency_entries":[]},"envelope":{"statement":"e30=","signature":"AA=="}}`), attestation.ErrMalformed, pypi.ErrPEP740, "certificate"},
		{"provenance without bundles", []byte(`{"version":1,"attestation_bundles":[]}`), attestation.ErrMalformed, pypi.ErrPEP740, "attestation_bundles"},
		{"GitHub list without attestations", []byte(`{"attestations":[]}`), attestation.ErrNoAttestations, nil, ""},
		{"GitHub line without a bundle object", []byte(`{"bundle":{"mediaType":"nope"}}`), attestation.ErrMalformed, sigstore.ErrBundle, "in: bundle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := attestation.Parse(tt.data, "in")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if tt.wantAlso != nil && !errors.Is(err, tt.wantAlso) {
				t.Errorf("got %v, want it to wrap %v too", err, tt.wantAlso)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
	if _, err := attestation.Parse(make([]byte, attestation.MaxFileSize+1), "in"); !errors.Is(err, attestation.ErrTooLarge) {
		t.Errorf("oversized: got %v, want ErrTooLarge", err)
	}
}

// subjectMatches checks an in-toto statement (v0.1 or v1) names an artifact
// with digest want.
func subjectMatches(payload []byte, want digest.Set) error {
	st, err := slsa.DecodeStatement(payload)
	if err != nil {
		return err
	}
	if _, ok := st.MatchSubject(want); !ok {
		return errors.New("artifact digest is not among the statement's subjects")
	}
	return nil
}

func sha256Set(hexDigest string) digest.Set { return digest.Set{digest.SHA256: hexDigest} }

func TestVerifyItems(t *testing.T) {
	pg := verifier(t)
	vsaKey, err := keys.ParsePublicKeyPEM(readTD(t, "vsa_signing_public_key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	vsaKeyID, _ := keys.ID(vsaKey)
	withVSAKey := verifier(t, sigstore.WithPublicKeys(vsaKey))
	builder := &sigstore.Identity{Issuer: ghIssuer, SANRegexp: slsaGeneratorBuilder}
	pypiIdentity := &sigstore.Identity{Issuer: ghIssuer, SAN: pypiReleaseWorkflow}

	tests := []struct {
		name      string
		file      string
		data      []byte
		v         *sigstore.Verifier
		identity  *sigstore.Identity
		subject   digest.Set
		wantErr   error
		wantKeyID string
	}{
		{name: "PEP 740 attestation", file: "pypi_attestations-0.0.19.tar.gz.publish.attestation", v: pg, identity: pypiIdentity, subject: sha256Set(pypiSdistSHA256)},
		{name: "PEP 740 provenance and its publisher", file: "pypi_attestations-0.0.19.tar.gz.provenance", v: pg, identity: pypiIdentity, subject: sha256Set(pypiSdistSHA256)},
		{name: "PEP 740 provenance, publisher only", file: "pypi_attestations-0.0.19.tar.gz.provenance", v: pg, subject: sha256Set(pypiSdistSHA256)},
		{name: "PEP 740 wrong identity", file: "pypi_attestations-0.0.19.tar.gz.publish.attestation", v: pg, identity: &sigstore.Identity{Issuer: ghIssuer, SAN: strings.Replace(pypiReleaseWorkflow, "trailofbits", "evil", 1)}, wantErr: sigstore.ErrIdentity},
		{name: "PEP 740 provenance, another publisher", data: bytes.Replace(readTD(t, "pypi_attestations-0.0.19.tar.gz.provenance"), []byte(`"workflow":"release.yml"`), []byte(`"workflow":"other.yml"`), 1), v: pg, wantErr: attestation.ErrPublisher},
		{name: "slsa-github-generator generic", file: "generic-push-v14.intoto.jsonl", v: pg, identity: builder, subject: sha256Set(genericBinarySHA256)},
		{name: "slsa-github-generator delegator", file: "delegator-push-v14.build.slsa", v: pg, identity: builder, subject: fileDigest(t, td("delegator-push-v14.artifact"))},
		{name: "slsa-github-generator with a pypi identity", file: "generic-push-v14.intoto.jsonl", v: pg, identity: pypiIdentity, wantErr: sigstore.ErrIdentity},
		{name: "key-signed VSA envelope", file: "gke-gce-pre.bcid-vsa.jsonl", v: withVSAKey, wantKeyID: vsaKeyID},
		{name: "VSA without its key", file: "gke-gce-pre.bcid-vsa.jsonl", v: pg, wantErr: sigstore.ErrKeyRequired},
		{name: "envelope with a certificate and no tlog entry", data: envelopeWithCert(t), v: pg, wantErr: sigstore.ErrNoTimestamp},
		{name: "unsigned statement", data: []byte(`{"_type":"https://in-toto.io/Statement/v1"}`), v: pg, wantErr: attestation.ErrUnsigned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			if tt.file != "" {
				data = readTD(t, tt.file)
			}
			items, err := attestation.Parse(data, "in")
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 {
				t.Fatalf("%d items", len(items))
			}
			res, err := attestation.Verify(tt.v, items[0], sigstore.VerifyOptions{Identity: tt.identity})
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "in: ") && !strings.HasPrefix(err.Error(), "in#") {
					t.Errorf("error %q does not name the source", err)
				}
				return
			}
			if tt.wantKeyID != "" && res.Signer.KeyID != tt.wantKeyID {
				t.Errorf("KeyID %q, want %q", res.Signer.KeyID, tt.wantKeyID)
			}
			if tt.subject != nil {
				if err := subjectMatches(res.Payload, tt.subject); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func fileDigest(t testing.TB, path string) digest.Set {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return sha256Set(hex.EncodeToString(sum[:]))
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestParsePaths(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.whl"), []byte("PK\x03\x04binary"))
	writeFile(t, filepath.Join(dir, "a.whl.publish.attestation"), readTD(t, "pypi_attestations-0.0.19.tar.gz.publish.attestation"))
	writeFile(t, filepath.Join(dir, "sub", "prov.intoto.jsonl"), readTD(t, "generic-push-v14.intoto.jsonl"))
	writeFile(t, filepath.Join(dir, "sub", "trusted_root.json"), sigstore.PublicGoodJSON())
	writeFile(t, filepath.Join(dir, "sub", "notes.txt"), []byte("hello\n"))
	writeFile(t, filepath.Join(dir, ".git", "broken.json"), []byte(`{"payloadType":`))
	single := filepath.Join(t.TempDir(), "x.provenance")
	writeFile(t, single, readTD(t, "pypi_attestations-0.0.19.tar.gz.provenance"))

	items, err := attestation.ParsePaths([]string{dir, single})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, fmt.Sprintf("%s %s", strings.TrimPrefix(filepath.ToSlash(it.Source), filepath.ToSlash(filepath.Dir(single))+"/"), it.Format))
	}
	want := []string{
		filepath.ToSlash(filepath.Join(dir, "a.whl.publish.attestation")) + " pep740-attestation",
		filepath.ToSlash(filepath.Join(dir, "sub", "prov.intoto.jsonl")) + " sigstore-bundle",
		"x.provenance#attestation_bundles[0].attestations[0] pep740-provenance",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A malformed attestation in a directory is an error, not a skip.
	bad := t.TempDir()
	writeFile(t, filepath.Join(bad, "x.intoto.jsonl"), []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}`))
	if _, err := attestation.ParsePaths([]string{bad}); !errors.Is(err, attestation.ErrMalformed) {
		t.Errorf("malformed file in a directory: got %v, want ErrMalformed", err)
	}
	// A file named explicitly must be an attestation.
	if _, err := attestation.ParsePaths([]string{filepath.Join(dir, "a.whl")}); !errors.Is(err, attestation.ErrUnknownFormat) {
		t.Errorf("explicit non-attestation file: got %v, want ErrUnknownFormat", err)
	}
	if _, err := attestation.ParsePaths([]string{t.TempDir()}); !errors.Is(err, attestation.ErrNoAttestations) {
		t.Errorf("empty directory: got %v, want ErrNoAttestations", err)
	}
	if _, err := attestation.ParsePaths([]string{filepath.Join(dir, "missing")}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing path: got %v, want fs.ErrNotExist", err)
	}
}

func TestCheckPublisher(t *testing.T) {
	gh := &sigstore.Certificate{
		Issuer:                 ghIssuer,
		SubjectAlternativeName: "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1",
		SourceRepositoryURI:    "https://github.com/o/r",
		SourceRepositoryDigest: "0123456789abcdef0123456789abcdef01234567",
		SourceRepositoryRef:    "refs/tags/v1",
		BuildConfigURI:         "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1",
	}
	ghSHA := *gh
	ghSHA.BuildConfigURI = "https://github.com/o/r/.github/workflows/release.yml@0123456789abcdef0123456789abcdef01234567"
	gl := &sigstore.Certificate{
		Issuer:              "https://gitlab.com",
		SourceRepositoryURI: "https://gitlab.com/g/sub/p",
		SourceRepositoryRef: "refs/heads/main",
		BuildConfigURI:      "https://gitlab.com/g/sub/p//.gitlab-ci.yml@refs/heads/main",
	}
	google := &sigstore.Certificate{Issuer: "https://accounts.google.com", SubjectAlternativeName: "sa@p.iam.gserviceaccount.com"}
	tests := []struct {
		name    string
		p       pypi.Publisher
		c       *sigstore.Certificate
		wantErr error
	}{
		{"GitHub at ref", pypi.Publisher{Kind: "GitHub", Repository: "o/r", Workflow: "release.yml", Environment: "pypi"}, gh, nil},
		{"GitHub at sha", pypi.Publisher{Kind: "GitHub", Repository: "o/r", Workflow: "release.yml"}, &ghSHA, nil},
		{"GitHub other workflow", pypi.Publisher{Kind: "GitHub", Repository: "o/r", Workflow: "ci.yml"}, gh, attestation.ErrPublisher},
		{"GitHub workflow prefix", pypi.Publisher{Kind: "GitHub", Repository: "o/r", Workflow: "release"}, gh, attestation.ErrPublisher},
		{"GitHub other repository", pypi.Publisher{Kind: "GitHub", Repository: "o/other", Workflow: "release.yml"}, gh, attestation.ErrPublisher},
		{"GitHub other issuer", pypi.Publisher{Kind: "GitHub", Repository: "g/sub/p", Workflow: ".gitlab-ci.yml"}, gl, attestation.ErrPublisher},
		{"GitHub without workflow", pypi.Publisher{Kind: "GitHub", Repository: "o/r"}, gh, attestation.ErrPublisher},
		{"GitLab", pypi.Publisher{Kind: "GitLab", Repository: "g/sub/p", WorkflowFilepath: ".gitlab-ci.yml"}, gl, nil},
		{"GitLab other file", pypi.Publisher{Kind: "GitLab", Repository: "g/sub/p", WorkflowFilepath: "release.yml"}, gl, attestation.ErrPublisher},
		{"Google", pypi.Publisher{Kind: "Google", Email: "sa@p.iam.gserviceaccount.com"}, google, nil},
		{"Google other account", pypi.Publisher{Kind: "Google", Email: "x@p.iam.gserviceaccount.com"}, google, attestation.ErrPublisher},
		{"unknown kind", pypi.Publisher{Kind: "ActiveState"}, gh, attestation.ErrPublisher},
		{"key-signed", pypi.Publisher{Kind: "GitHub", Repository: "o/r", Workflow: "release.yml"}, nil, attestation.ErrPublisher},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := attestation.CheckPublisher(&tt.p, tt.c)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestPublisherOf(t *testing.T) {
	gh := "https://github.com/o/r"
	gl := "https://gitlab.com/g/sub/p"
	tests := []struct {
		name string
		cert *sigstore.Certificate
		want string
	}{
		{"key-signed", nil, ""},
		{"GitHub", &sigstore.Certificate{Issuer: ghIssuer, SourceRepositoryURI: gh, SourceRepositoryRef: "refs/tags/v1",
			BuildConfigURI: gh + "/.github/workflows/release.yml@refs/tags/v1"},
			`{"kind":"GitHub","repository":"o/r","workflow":"release.yml"}`},
		{"GitHub at digest", &sigstore.Certificate{Issuer: ghIssuer, SourceRepositoryURI: gh, SourceRepositoryDigest: "abc",
			BuildConfigURI: gh + "/.github/workflows/release.yml@abc"},
			`{"kind":"GitHub","repository":"o/r","workflow":"release.yml"}`},
		{"GitHub, reusable workflow elsewhere", &sigstore.Certificate{Issuer: ghIssuer, SourceRepositoryURI: gh, SourceRepositoryRef: "refs/tags/v1",
			BuildConfigURI: "https://github.com/other/repo/.github/workflows/release.yml@refs/tags/v1"}, ""},
		{"GitHub, build config at another ref", &sigstore.Certificate{Issuer: ghIssuer, SourceRepositoryURI: gh, SourceRepositoryRef: "refs/tags/v1",
			BuildConfigURI: gh + "/.github/workflows/release.yml@refs/heads/evil"}, ""},
		{"GitHub, build config outside .github/workflows", &sigstore.Certificate{Issuer: ghIssuer, SourceRepositoryURI: gh, SourceRepositoryRef: "refs/tags/v1",
			BuildConfigURI: gh + "//release.yml@refs/tags/v1"}, ""},
		{"GitHub issuer, repository elsewhere", &sigstore.Certificate{Issuer: ghIssuer, SourceRepositoryURI: "https://example.com/o/r"}, ""},
		{"GitHub issuer, GitLab repository", &sigstore.Certificate{Issuer: ghIssuer, SourceRepositoryURI: gl, SourceRepositoryRef: "refs/heads/main",
			BuildConfigURI: gl + "//.gitlab-ci.yml@refs/heads/main"}, ""},
		{"GitLab", &sigstore.Certificate{Issuer: "https://gitlab.com", SourceRepositoryURI: gl, SourceRepositoryDigest: "abc",
			BuildConfigURI: gl + "//.gitlab-ci.yml@abc"},
			`{"kind":"GitLab","repository":"g/sub/p","workflow_filepath":".gitlab-ci.yml"}`},
		{"GitLab, build config in another project", &sigstore.Certificate{Issuer: "https://gitlab.com", SourceRepositoryURI: gl, SourceRepositoryDigest: "abc",
			BuildConfigURI: "https://gitlab.com/g/other//.gitlab-ci.yml@abc"}, ""},
		{"Google", &sigstore.Certificate{Issuer: "https://accounts.google.com", SubjectAlternativeName: "me@example.com"},
			`{"kind":"Google","email":"me@example.com"}`},
		{"Google without SAN", &sigstore.Certificate{Issuer: "https://accounts.google.com"}, ""},
		{"another issuer", &sigstore.Certificate{Issuer: "https://github.com/login/oauth", SubjectAlternativeName: "me@example.com"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			p := attestation.PublisherOf(tt.cert)
			if p != nil {
				b, err := json.Marshal(p)
				if err != nil {
					t.Fatal(err)
				}
				got = string(b)
				if err := attestation.CheckPublisher(p, tt.cert); err != nil {
					t.Errorf("CheckPublisher(PublisherOf(c), c) = %v", err)
				}
			}
			if got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}
