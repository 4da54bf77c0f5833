package sigstore_test

import (
	"bytes"
	"crypto/ed25519"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/sigstore"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestNewDSSEBundleGolden pins the exact bytes NewDSSEBundle writes for a
// fixed Ed25519 key (Ed25519 signatures are deterministic), and checks
// the golden bundle still verifies.
func TestNewDSSEBundleGolden(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	env := signDSSE(t, priv, []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a.txt","digest":{"sha256":"a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"}}],"predicateType":"https://example.com/p","predicate":{}}`), false)
	got, err := sigstore.NewDSSEBundle(env, priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "ed25519-key.sigstore.json.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("NewDSSEBundle output changed:\ngot  %s\nwant %s", got, want)
	}
	v := publicGoodVerifier(t, sigstore.WithPublicKeys(priv.Public()))
	if _, err := v.VerifyBundle(mustParse(t, want), sigstore.VerifyOptions{}); err != nil {
		t.Errorf("golden bundle does not verify: %v", err)
	}
}
