package sigstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
)

// rootCache parses each trusted root once, as a process would.
type rootCache struct {
	mu    sync.Mutex
	roots map[string]*sigstore.TrustedRoot
}

func (c *rootCache) get(t *testing.T, path string) *sigstore.TrustedRoot {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tr, ok := c.roots[path]; ok {
		return tr
	}
	tr, err := sigstore.LoadTrustedRoot(path)
	if err != nil {
		// A broken trusted root is the expected failure of some rows.
		tr = nil
	}
	if c.roots == nil {
		c.roots = map[string]*sigstore.TrustedRoot{}
	}
	c.roots[path] = tr
	return tr
}

// statementSubjectsMatch reports whether an in-toto statement has a subject
// whose digest matches want.
func statementSubjectsMatch(payload []byte, want digest.Set) error {
	st, err := slsa.DecodeStatement(payload)
	if err != nil {
		return err
	}
	if _, ok := st.MatchSubject(want); !ok {
		return errors.New("artifact digest is not among the statement's subjects")
	}
	return nil
}

func fileDigest(t testing.TB, path string) digest.Set {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return digest.Set{digest.SHA256: hex.EncodeToString(sum[:])}
}

// verifyConformanceRow runs one conformance row through the library and
// returns the verification error (nil: the row passes verification).
func verifyConformanceRow(t *testing.T, dir string, roots *rootCache, r testshared.ExpectedRow) error {
	t.Helper()
	var opts []sigstore.Option
	trPath := filepath.Join(dir, r["trusted_root"])
	tr := roots.get(t, trPath)
	if tr == nil {
		_, err := sigstore.LoadTrustedRoot(trPath)
		return err
	}
	opts = append(opts, sigstore.WithTrustedRoot(tr))
	if r["key"] != "" {
		pemData, err := os.ReadFile(filepath.Join(dir, r["key"]))
		if err != nil {
			t.Fatal(err)
		}
		pub, err := keys.ParsePublicKeyPEM(pemData)
		if err != nil {
			return err
		}
		opts = append(opts, sigstore.WithPublicKeys(pub))
	}
	v, err := sigstore.NewVerifier(opts...)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(dir, r["attestation"]))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sigstore.ParseBundle(data)
	if err != nil {
		return err
	}
	artifact := fileDigest(t, filepath.Join(dir, r["artifact"]))
	var vo sigstore.VerifyOptions
	vo.ArtifactDigest = artifact
	if r["issuer"] != "" || r["identity"] != "" || r["identity_regexp"] != "" {
		vo.Identity = &sigstore.Identity{Issuer: r["issuer"], SAN: r["identity"], SANRegexp: r["identity_regexp"]}
	}
	res, err := v.VerifyBundle(b, vo)
	if err != nil {
		return err
	}
	if b.IsDSSE() {
		return statementSubjectsMatch(res.Payload, artifact)
	}
	return nil
}

// TestConformance runs every conformance/* row of EXPECTED.tsv through the
// Verifier and checks it passes or fails as the row says.
func TestConformance(t *testing.T) {
	dir, rows := testshared.Expected(t)
	roots := &rootCache{}
	total, agree := 0, 0
	for _, r := range rows {
		if !strings.HasPrefix(r["id"], "conformance/") {
			continue
		}
		total++
		t.Run(strings.TrimPrefix(r["id"], "conformance/"), func(t *testing.T) {
			err := verifyConformanceRow(t, dir, roots, r)
			switch {
			case r["expect"] == "pass" && err != nil:
				t.Errorf("want pass, got %v", err)
			case r["expect"] == "fail" && err == nil:
				t.Errorf("want fail, got pass")
			default:
				agree++
				if err != nil {
					t.Logf("%s failed as expected: %v", r["id"], err)
				}
			}
		})
	}
	t.Logf("conformance: %d of %d rows as expected", agree, total)
	if total != 70 {
		t.Errorf("want 70 conformance rows in EXPECTED.tsv, found %d", total)
	}
}

// TestConformanceRightReason re-runs two failing conformance cases whose
// first error is not the one their README describes, with that first
// obstacle removed, to show the described defect is caught too:
//   - rekor2-timestamp-with-incorrect-time_fail: its RFC 3161 timestamp is
//     base64 wrapped at 76 columns, which protobuf JSON refuses; re-encoded,
//     the timestamp (outside the certificate's validity) must still fail;
//   - bundle-with-root-cert_fail: its v0.1 inclusion proof has no
//     checkpoint; without the (optional in v0.1) proof, the root
//     certificate in the chain must still be refused.
func TestConformanceRightReason(t *testing.T) {
	dir := testshared.Dir(t, "vectors", "sigstore-conformance", "bundle-verify")
	edit := func(t *testing.T, name string, f func(vm map[string]any)) []byte {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name, "bundle.sigstore.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		f(m["verificationMaterial"].(map[string]any))
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	artifact := fileDigest(t, filepath.Join(dir, "a.txt"))
	beacon := &sigstore.Identity{Issuer: beaconIssuer, SAN: beaconIdentity}

	t.Run("rekor2-timestamp-with-incorrect-time_fail", func(t *testing.T) {
		data := edit(t, "rekor2-timestamp-with-incorrect-time_fail", func(vm map[string]any) {
			ts := vm["timestampVerificationData"].(map[string]any)["rfc3161Timestamps"].([]any)[0].(map[string]any)
			s := strings.ReplaceAll(ts["signedTimestamp"].(string), "\n", "")
			ts["signedTimestamp"] = s
		})
		b, err := sigstore.ParseBundle(data)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := sigstore.LoadTrustedRoot(filepath.Join(dir, "rekor2-timestamp-with-incorrect-time_fail", "trusted_root.json"))
		if err != nil {
			t.Fatal(err)
		}
		v, err := sigstore.NewVerifier(sigstore.WithTrustedRoot(tr))
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.VerifyBundle(b, sigstore.VerifyOptions{ArtifactDigest: artifact, Identity: beacon})
		if !errors.Is(err, sigstore.ErrVerification) || !strings.Contains(err.Error(), "leaf certificate") {
			t.Errorf("got %v, want the certificate to fail at the timestamp's time", err)
		}
	})
	t.Run("bundle-with-root-cert_fail", func(t *testing.T) {
		data := edit(t, "bundle-with-root-cert_fail", func(vm map[string]any) {
			for _, e := range vm["tlogEntries"].([]any) {
				delete(e.(map[string]any), "inclusionProof")
			}
		})
		_, err := sigstore.ParseBundle(data)
		if !errors.Is(err, sigstore.ErrBundle) || !strings.Contains(err.Error(), "self-signed root") {
			t.Errorf("got %v, want the root certificate refused", err)
		}
	})
}
