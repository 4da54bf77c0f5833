package verify

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

// signer signs DSSE envelopes with a key from pedigree's own keys.Generate
// and dsse.Sign, as pedigree attest --key does, so the pipeline is tested
// end to end on hand-made inputs.
type signer struct {
	priv crypto.Signer
	pub  crypto.PublicKey
}

func newSignerAlg(t testing.TB, alg keys.Algorithm) *signer {
	t.Helper()
	k, err := keys.Generate(alg)
	if err != nil {
		t.Fatal(err)
	}
	return &signer{priv: k, pub: k.Public()}
}

func newSigner(t testing.TB) *signer        { return newSignerAlg(t, keys.ECDSAP256) }
func newEd25519Signer(t testing.TB) *signer { return newSignerAlg(t, keys.Ed25519) }

func (s *signer) envelope(t testing.TB, payload []byte) *dsse.Envelope {
	t.Helper()
	env, err := dsse.Sign(s.priv, slsa.PayloadType, payload, dsse.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env.Signatures[0].KeyID = "" // a bundle's DSSE key id must be empty
	return env
}

// bundleJSON signs payload into a key-signed Sigstore bundle.
func (s *signer) bundleJSON(t testing.TB, payload []byte) []byte {
	t.Helper()
	b, err := sigstore.NewDSSEBundle(s.envelope(t, payload), s.pub)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// statementJSON is a SLSA v1 statement about the given subjects, built from
// github.com/o/r at tag v1.2.3.
func statementJSON(t testing.TB, subjects map[string]digest.Set) []byte {
	t.Helper()
	st := map[string]any{
		"_type":         slsa.StatementTypeV1,
		"predicateType": slsa.PredicateProvenanceV1,
		"predicate": map[string]any{
			"buildDefinition": map[string]any{
				"buildType":          "https://pedigree.dev/buildtypes/test@v1",
				"externalParameters": map[string]any{},
				"resolvedDependencies": []any{map[string]any{
					"uri":    "git+https://github.com/o/r@refs/tags/v1.2.3",
					"digest": map[string]any{"gitCommit": strings.Repeat("a", 40)},
				}},
			},
			"runDetails": map[string]any{"builder": map[string]any{"id": "https://pedigree.dev/builder@v1"}},
		},
	}
	var subj []any
	for _, name := range slices.Sorted(maps.Keys(subjects)) {
		subj = append(subj, map[string]any{"name": name, "digest": subjects[name]})
	}
	st["subject"] = subj
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// artifactFile writes content to dir/name and returns its path and digests.
func artifactFile(t testing.TB, dir, name, content string) (string, digest.Set) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	s256 := sha256.Sum256([]byte(content))
	s512 := sha512.Sum512([]byte(content))
	return p, digest.Set{digest.SHA256: hex.EncodeToString(s256[:]), digest.SHA512: hex.EncodeToString(s512[:])}
}

func parseItems(t testing.TB, data []byte, source string) []attestation.Item {
	t.Helper()
	items, err := attestation.Parse(data, source)
	if err != nil {
		t.Fatalf("attestation.Parse(%s): %v", source, err)
	}
	return items
}

func newKeyVerifier(t testing.TB, pubs ...crypto.PublicKey) *Verifier {
	t.Helper()
	v, err := New(WithPublicKeys(pubs...), WithWorkers(4))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVerifyKeySigned(t *testing.T) {
	dir := t.TempDir()
	whl, whlDigest := artifactFile(t, dir, "pkg-1.0-py3-none-any.whl", "wheel bytes")
	sdist, sdistDigest := artifactFile(t, dir, "pkg-1.0.tar.gz", "sdist bytes")
	other, _ := artifactFile(t, dir, "other.bin", "something else")
	key := newSigner(t)
	edKey := newEd25519Signer(t)
	p384 := newSignerAlg(t, keys.ECDSAP384)
	stmt := statementJSON(t, map[string]digest.Set{
		"pkg-1.0-py3-none-any.whl": {digest.SHA256: whlDigest[digest.SHA256]},
		"pkg-1.0.tar.gz":           {digest.SHA512: sdistDigest[digest.SHA512]},
	})
	good := key.bundleJSON(t, stmt)

	tamper := func(bundle []byte, edit func(env map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(bundle, &m); err != nil {
			t.Fatal(err)
		}
		edit(m["dsseEnvelope"].(map[string]any))
		b, _ := json.Marshal(m)
		return b
	}
	otherStmt := statementJSON(t, map[string]digest.Set{"x": {digest.SHA256: whlDigest[digest.SHA256]}})
	otherBundle := key.bundleJSON(t, otherStmt)
	var otherParsed map[string]any
	if err := json.Unmarshal(otherBundle, &otherParsed); err != nil {
		t.Fatal(err)
	}
	otherSig := otherParsed["dsseEnvelope"].(map[string]any)["signatures"]
	envJSON, _ := json.Marshal(key.envelope(t, stmt))

	tests := []struct {
		name      string
		artifacts []Artifact
		atts      map[string][]byte // source -> content
		keys      []crypto.PublicKey
		policy    Policy
		wantErr   []error // per artifact
	}{
		{name: "bundle, sha256 and sha512 subjects", artifacts: []Artifact{{Path: whl}, {Path: sdist}},
			atts: map[string][]byte{"good.sigstore.json": good}, wantErr: []error{nil, nil}},
		{name: "ed25519 bundle", artifacts: []Artifact{{Path: whl}},
			atts: map[string][]byte{"ed.sigstore.json": edKey.bundleJSON(t, stmt)}, keys: []crypto.PublicKey{edKey.pub}, wantErr: []error{nil}},
		{name: "P-384 bundle", artifacts: []Artifact{{Path: whl}},
			atts: map[string][]byte{"p384.sigstore.json": p384.bundleJSON(t, stmt)}, keys: []crypto.PublicKey{p384.pub}, wantErr: []error{nil}},
		{name: "bare envelope", artifacts: []Artifact{{Path: whl}},
			atts: map[string][]byte{"prov.intoto.jsonl": envJSON}, wantErr: []error{nil}},
		{name: "digest only", artifacts: []Artifact{{Digest: digest.Set{digest.SHA256: whlDigest[digest.SHA256]}}, {Digest: digest.Set{digest.SHA512: sdistDigest[digest.SHA512]}}},
			atts: map[string][]byte{"good.sigstore.json": good}, wantErr: []error{nil, nil}},
		{name: "digest only in an algorithm the subject lacks", artifacts: []Artifact{{Digest: digest.Set{digest.SHA256: sdistDigest[digest.SHA256]}}},
			atts: map[string][]byte{"good.sigstore.json": good}, wantErr: []error{ErrNoAttestation}},
		{name: "wrong subject", artifacts: []Artifact{{Path: other}},
			atts: map[string][]byte{"good.sigstore.json": good}, wantErr: []error{ErrNoAttestation}},
		{name: "tampered payload", artifacts: []Artifact{{Path: whl}},
			atts: map[string][]byte{"t.sigstore.json": tamper(good, func(env map[string]any) {
				p := strings.Replace(string(stmt), "v1.2.3", "v1.2.4", 1)
				env["payload"] = []byte(p)
			})}, wantErr: []error{ErrSignature}},
		{name: "swapped signature", artifacts: []Artifact{{Path: whl}},
			atts: map[string][]byte{"s.sigstore.json": tamper(good, func(env map[string]any) {
				env["signatures"] = otherSig
			})}, wantErr: []error{ErrSignature}},
		{name: "another key", artifacts: []Artifact{{Path: whl}}, keys: []crypto.PublicKey{newSigner(t).pub},
			atts: map[string][]byte{"good.sigstore.json": good}, wantErr: []error{ErrSignature}},
		{name: "one bad, one good", artifacts: []Artifact{{Path: whl}},
			atts: map[string][]byte{
				"a-bad.sigstore.json":  tamper(good, func(env map[string]any) { env["signatures"] = otherSig }),
				"b-good.sigstore.json": good,
			}, wantErr: []error{nil}},
		{name: "source policy", artifacts: []Artifact{{Path: whl}}, atts: map[string][]byte{"good.sigstore.json": good},
			policy: Policy{Provenance: ProvenancePolicy{SourceURI: "github.com/o/r", SourceTag: "v1.2.3", BuilderID: "https://pedigree.dev/builder"}}, wantErr: []error{nil}},
		{name: "source policy, other repository", artifacts: []Artifact{{Path: whl}}, atts: map[string][]byte{"good.sigstore.json": good},
			policy: Policy{Provenance: ProvenancePolicy{SourceURI: "github.com/o/other"}}, wantErr: []error{ErrSourceMismatch}},
		{name: "source policy, other tag", artifacts: []Artifact{{Path: whl}}, atts: map[string][]byte{"good.sigstore.json": good},
			policy: Policy{Provenance: ProvenancePolicy{SourceVersionedTag: "v1.3"}}, wantErr: []error{ErrVersionedTagMismatch}},
		{name: "publisher needs a certificate", artifacts: []Artifact{{Path: whl}}, atts: map[string][]byte{"good.sigstore.json": good},
			policy: Policy{Publisher: &TrustedPublisher{Kind: "github", Repository: "o/r"}}, wantErr: []error{ErrPublisherMismatch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := tt.keys
			if keys == nil {
				keys = []crypto.PublicKey{key.pub}
			}
			var items []attestation.Item
			for _, src := range slices.Sorted(maps.Keys(tt.atts)) {
				items = append(items, parseItems(t, tt.atts[src], src)...)
			}
			rep, err := newKeyVerifier(t, keys...).Verify(context.Background(), Options{Artifacts: tt.artifacts, Attestations: items, Policy: tt.policy})
			if err != nil {
				t.Fatal(err)
			}
			allOK := true
			for i, want := range tt.wantErr {
				r := rep.Artifacts[i]
				if !errors.Is(r.Err(), want) {
					t.Errorf("artifact %s: error %v, want %v", r.Artifact, r.Err(), want)
				}
				if r.Verified != (want == nil) {
					t.Errorf("artifact %s: Verified = %v with error %v", r.Artifact, r.Verified, r.Err())
				}
				allOK = allOK && want == nil
			}
			if rep.Verified != allOK {
				t.Errorf("Report.Verified = %v, want %v", rep.Verified, allOK)
			}
			if len(rep.Attestations) != len(items) {
				t.Errorf("%d attestation results for %d attestations", len(rep.Attestations), len(items))
			}
		})
	}
}

// A failed signature is reported, never dropped: in the artifact's list
// (matched by its unverified subject) and in the attestation list.
func TestVerifyReportsFailedSignatures(t *testing.T) {
	dir := t.TempDir()
	whl, d := artifactFile(t, dir, "pkg-1.0-py3-none-any.whl", "wheel")
	key, stranger := newSigner(t), newSigner(t)
	stmt := statementJSON(t, map[string]digest.Set{"pkg-1.0-py3-none-any.whl": {digest.SHA256: d[digest.SHA256]}})
	items := parseItems(t, key.bundleJSON(t, stmt), "mine.json")
	items = append(items, parseItems(t, stranger.bundleJSON(t, stmt), "theirs.json")...)
	rep, err := newKeyVerifier(t, key.pub).Verify(context.Background(), Options{
		Artifacts:    []Artifact{{Path: whl}},
		Attestations: items,
		Unreadable:   []Unreadable{{Source: "broken.json", Err: errors.New("unexpected end of JSON input")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Artifacts[0]
	if !r.Verified || len(r.Attestations) != 2 {
		t.Fatalf("want verified with 2 evaluations, got %+v", r)
	}
	if r.Attestations[1].Verified || !errors.Is(r.Attestations[1].Err(), ErrSignature) {
		t.Errorf("theirs.json: want a signature failure, got %+v", r.Attestations[1])
	}
	want := map[string]string{"mine.json": "verified", "theirs.json": "failed", "broken.json": "failed"}
	for _, a := range rep.Attestations {
		if want[a.Attestation] != a.Signature {
			t.Errorf("%s: signature %q, want %q", a.Attestation, a.Signature, want[a.Attestation])
		}
		delete(want, a.Attestation)
	}
	if len(want) != 0 {
		t.Errorf("not reported: %v", want)
	}
}

// Truncated and otherwise broken attestation files never verify anything;
// the CLI passes them in as Unreadable.
func TestVerifyTruncated(t *testing.T) {
	dir := t.TempDir()
	whl, d := artifactFile(t, dir, "pkg-1.0-py3-none-any.whl", "wheel")
	key := newSigner(t)
	bundle := key.bundleJSON(t, statementJSON(t, map[string]digest.Set{"w": {digest.SHA256: d[digest.SHA256]}}))
	for _, n := range []int{1, len(bundle) / 2, len(bundle) - 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			_, err := attestation.Parse(bundle[:n], "cut.json")
			if err == nil {
				t.Fatalf("a bundle cut at %d bytes parses", n)
			}
			rep, verr := newKeyVerifier(t, key.pub).Verify(context.Background(), Options{
				Artifacts:  []Artifact{{Path: whl}},
				Unreadable: []Unreadable{{Source: "cut.json", Err: err}},
			})
			if verr != nil {
				t.Fatal(verr)
			}
			r := rep.Artifacts[0]
			if r.Verified || !errors.Is(r.Err(), ErrNoAttestation) || !strings.Contains(r.Error, "could not be read") {
				t.Fatalf("got %+v", r)
			}
		})
	}
}

func TestVerifyUnsignedStatement(t *testing.T) {
	dir := t.TempDir()
	whl, d := artifactFile(t, dir, "pkg-1.0-py3-none-any.whl", "wheel")
	stmt := statementJSON(t, map[string]digest.Set{"w": {digest.SHA256: d[digest.SHA256]}})
	items := parseItems(t, stmt, "unsigned.json")
	rep, err := newKeyVerifier(t, newSigner(t).pub).Verify(context.Background(), Options{Artifacts: []Artifact{{Path: whl}}, Attestations: items})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Artifacts[0]; r.Verified || !errors.Is(r.Err(), ErrSignature) || !errors.Is(r.Err(), attestation.ErrUnsigned) {
		t.Fatalf("got %+v", r)
	}
}

// Subjects naming both sha256 and sha512 must agree on both.
func TestVerifyAllDigestsMustAgree(t *testing.T) {
	dir := t.TempDir()
	whl, d := artifactFile(t, dir, "a.bin", "content")
	key := newSigner(t)
	bad := digest.Set{digest.SHA256: d[digest.SHA256], digest.SHA512: strings.Repeat("0", 128)}
	items := parseItems(t, key.bundleJSON(t, statementJSON(t, map[string]digest.Set{"a.bin": bad})), "b.json")
	rep, err := newKeyVerifier(t, key.pub).Verify(context.Background(), Options{Artifacts: []Artifact{{Path: whl}}, Attestations: items})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verified {
		t.Fatal("an artifact whose sha512 differs from the subject's verified")
	}
}

func TestVerifyPEP740KeySigned(t *testing.T) {
	dir := t.TempDir()
	whl, d := artifactFile(t, dir, "pkg-1.0-py3-none-any.whl", "wheel")
	renamed, _ := artifactFile(t, dir, "pkg-2.0-py3-none-any.whl", "wheel")
	key := newSigner(t)
	st, _ := json.Marshal(map[string]any{
		"_type": slsa.StatementTypeV1, "predicateType": PredicatePyPIPublish, "predicate": nil,
		"subject": []any{map[string]any{"name": "pkg-1.0-py3-none-any.whl", "digest": map[string]string{"sha256": d[digest.SHA256]}}},
	})
	items := parseItems(t, key.bundleJSON(t, st), "publish.json")
	digestOnly := Artifact{Name: "sha256:" + d[digest.SHA256], Digest: digest.Set{digest.SHA256: d[digest.SHA256]}} // as the CLI passes sha256:HEX
	rep, err := newKeyVerifier(t, key.pub).Verify(context.Background(), Options{Artifacts: []Artifact{{Path: whl}, {Path: renamed}, digestOnly}, Attestations: items})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Artifacts[0].Verified {
		t.Errorf("the wheel: %v", rep.Artifacts[0].Err())
	}
	if rep.Artifacts[1].Verified || !errors.Is(rep.Artifacts[1].Err(), ErrDistributionMismatch) {
		t.Errorf("the same bytes under another version's name: %+v", rep.Artifacts[1])
	}
	if r := rep.Artifacts[2]; r.Verified || !errors.Is(r.Err(), ErrDistributionMismatch) || !strings.Contains(r.Error, "give the file, not only its digest") {
		t.Errorf("only the digest: want the reason to ask for the file, got verified %v: %s", r.Verified, r.Error)
	}
}

// TestVerifyReadErrors: an artifact that cannot be read is ErrRead, still
// wrapping the file system's own error (or digest's, for a directory) and
// naming the file.
func TestVerifyReadErrors(t *testing.T) {
	v := newKeyVerifier(t, newSigner(t).pub)
	dir := t.TempDir()
	ok, _ := artifactFile(t, dir, "ok.bin", "fine")
	tests := []struct {
		name    string
		path    string
		wantErr error
	}{
		{"missing", filepath.Join(dir, "missing"), fs.ErrNotExist},
		{"directory", dir, digest.ErrUnsupportedFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), Options{Artifacts: []Artifact{{Path: ok}, {Path: tt.path}}})
			if !errors.Is(err, ErrRead) || !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want ErrRead and %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("err = %v, does not name %s", err, tt.path)
			}
		})
	}
}

// TestVerifyHashesInSubjectAlgorithms: artifacts are hashed in the
// algorithms the subjects use (and sha256), not in every one pedigree
// knows; an artifact given twice is reported twice with the same digest.
func TestVerifyHashesInSubjectAlgorithms(t *testing.T) {
	dir := t.TempDir()
	p, _ := artifactFile(t, dir, "a.bin", "content")
	d384, _, err := digest.File(context.Background(), p, digest.SHA384)
	if err != nil {
		t.Fatal(err)
	}
	key := newSigner(t)
	items := parseItems(t, key.bundleJSON(t, statementJSON(t, map[string]digest.Set{"a.bin": d384})), "a.json")
	rep, err := newKeyVerifier(t, key.pub).Verify(context.Background(), Options{Artifacts: []Artifact{{Path: p}, {Path: p, Name: "again"}}, Attestations: items})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Verified {
		t.Fatalf("not verified: %s", rep.Artifacts[0].Error)
	}
	for _, r := range rep.Artifacts {
		if got := r.Digest.Algorithms(); !slices.Equal(got, []string{digest.SHA256, digest.SHA384}) || r.Digest[digest.SHA384] != d384[digest.SHA384] {
			t.Errorf("%s: digest %v, want sha256 and the subject's sha384", r.Artifact, r.Digest)
		}
	}
	if rep.Artifacts[1].Artifact != "again" {
		t.Errorf("second artifact named %q", rep.Artifacts[1].Artifact)
	}
}

func TestVerifyErrors(t *testing.T) {
	v := newKeyVerifier(t, newSigner(t).pub)
	if _, err := v.Verify(context.Background(), Options{Artifacts: []Artifact{{Path: filepath.Join(t.TempDir(), "missing")}}}); !errors.Is(err, ErrRead) {
		t.Errorf("missing artifact: %v, want ErrRead", err)
	}
	someDigest := []Artifact{{Digest: digest.Set{digest.SHA256: strings.Repeat("0", 64)}}}
	for _, id := range []sigstore.Identity{
		{SAN: "x"},
		{Issuer: "https://issuer.example", SANRegexp: "("},
		{IssuerRegexp: "[", SAN: "x"},
	} {
		if _, err := v.Verify(context.Background(), Options{Artifacts: someDigest, Policy: Policy{Identity: &id}}); !errors.Is(err, ErrInvalidPolicy) || !errors.Is(err, sigstore.ErrInvalidIdentity) {
			t.Errorf("identity %+v: %v, want ErrInvalidPolicy and sigstore.ErrInvalidIdentity", id, err)
		}
	}
	if _, err := v.Verify(context.Background(), Options{}); !errors.Is(err, ErrInvalidPolicy) {
		t.Errorf("no artifact: %v", err)
	}
	if _, err := v.Verify(context.Background(), Options{Artifacts: []Artifact{{Name: "x"}}}); !errors.Is(err, ErrInvalidPolicy) {
		t.Errorf("artifact without file or digest: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	var arts []Artifact
	for i := range 10 {
		p, _ := artifactFile(t, dir, fmt.Sprint(i), "x")
		arts = append(arts, Artifact{Path: p})
	}
	if _, err := v.Verify(ctx, Options{Artifacts: arts}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
	if _, err := New(WithWorkers(0)); !errors.Is(err, ErrInvalidPolicy) {
		t.Errorf("zero workers: %v", err)
	}
}

// Many artifacts and attestations, verified concurrently, each artifact
// matched to its own attestation.
func TestVerifyBatch(t *testing.T) {
	dir := t.TempDir()
	key := newSigner(t)
	var arts []Artifact
	var items []attestation.Item
	for i := range 64 {
		p, d := artifactFile(t, dir, fmt.Sprintf("a%02d.bin", i), fmt.Sprintf("artifact %d", i))
		arts = append(arts, Artifact{Path: p})
		items = append(items, parseItems(t, key.bundleJSON(t, statementJSON(t, map[string]digest.Set{filepath.Base(p): d})), fmt.Sprintf("b%02d.json", i))...)
	}
	rep, err := newKeyVerifier(t, key.pub).Verify(context.Background(), Options{Artifacts: arts, Attestations: items})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Verified {
		t.Fatal("batch did not verify")
	}
	for i, r := range rep.Artifacts {
		if len(r.Attestations) != 1 || r.Attestations[0].Attestation != fmt.Sprintf("b%02d.json", i) {
			t.Fatalf("artifact %d matched %+v", i, r.Attestations)
		}
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(rep); err != nil {
		t.Fatal(err)
	}
}

// A DSSE envelope with an embedded certificate but no transparency-log
// evidence (slsa-github-generator's legacy .intoto.jsonl form) has no proof
// of signing time: refused, with the reason. Built from the real generic
// v14 bundle's signature and certificate.
func TestVerifyLegacyEnvelopeRefused(t *testing.T) {
	dir := testshared.Dir(t, "vectors")
	data, err := os.ReadFile(filepath.Join(dir, genericV14))
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		DSSE struct {
			Payload     []byte `json:"payload"`
			PayloadType string `json:"payloadType"`
			Signatures  []struct {
				Sig []byte `json:"sig"`
			} `json:"signatures"`
		} `json:"dsseEnvelope"`
		VM struct {
			Certificate struct {
				RawBytes []byte `json:"rawBytes"`
			} `json:"certificate"`
		} `json:"verificationMaterial"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b.VM.Certificate.RawBytes})
	legacy, _ := json.Marshal(map[string]any{
		"payloadType": b.DSSE.PayloadType,
		"payload":     b.DSSE.Payload,
		"signatures":  []any{map[string]any{"keyid": "", "sig": b.DSSE.Signatures[0].Sig, "cert": string(certPEM)}},
	})
	items := parseItems(t, legacy, "legacy.intoto.jsonl")
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := v.Verify(context.Background(), Options{
		Artifacts:    []Artifact{{Digest: digest.Set{digest.SHA256: "376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa"}}},
		Attestations: items,
		Policy:       Policy{Provenance: ProvenancePolicy{SourceURI: exampleSource}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Artifacts[0]
	if r.Verified || !errors.Is(r.Err(), ErrSignature) || !errors.Is(r.Err(), sigstore.ErrNoTimestamp) {
		t.Fatalf("legacy envelope: %+v", r)
	}
	if !strings.Contains(r.Error, "transparency-log evidence") {
		t.Errorf("the reason does not say what is missing: %s", r.Error)
	}
}
