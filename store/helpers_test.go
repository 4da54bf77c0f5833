package store_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/storetest"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/store"
	"github.com/pedigree-dev/pedigree/store/sqlstore"
	"github.com/pedigree-dev/pedigree/verify"
)

// Fixed keys: tests are hermetic and their attestations deterministic
// (Ed25519 signatures are).
var (
	testKey  = ed25519.NewKeyFromSeed([]byte("pedigree store test key, 32 b..."))
	otherKey = ed25519.NewKeyFromSeed([]byte("pedigree store other key, 32 b.."))
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// subject is a statement subject for the tests.
type subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

func sha(b byte) string { return fmt.Sprintf("%064x", int(b)) }

// statement returns an SLSA v1 provenance statement as pedigree attest
// writes for a local build of github.com/example/demo at v0.1.0.
func statement(subjects ...subject) []byte {
	st := map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       subjects,
		"predicateType": "https://slsa.dev/provenance/v1",
		"predicate": map[string]any{
			"buildDefinition": map[string]any{
				"buildType":          "https://pedigree.dev/buildtypes/local@v1",
				"externalParameters": map[string]any{"source": "git+https://github.com/example/demo@refs/tags/v0.1.0"},
				"resolvedDependencies": []any{map[string]any{
					"uri":    "git+https://github.com/example/demo@refs/tags/v0.1.0",
					"digest": map[string]string{"gitCommit": "0123456789abcdef0123456789abcdef01234567"},
				}},
			},
			"runDetails": map[string]any{"builder": map[string]any{"id": "https://pedigree.dev/local@v1"}},
		},
	}
	b, err := json.Marshal(st)
	if err != nil {
		panic(err)
	}
	return b
}

// envelope signs payload with key as a bare DSSE envelope, one JSON line.
func envelope(t testing.TB, key crypto.Signer, payload []byte) []byte {
	t.Helper()
	env, err := dsse.Sign(key, "application/vnd.in-toto+json", payload, dsse.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// keyBundle signs payload with key as a key-signed Sigstore bundle v0.3.
func keyBundle(t testing.TB, key crypto.Signer, payload []byte) []byte {
	t.Helper()
	env, err := dsse.Sign(key, "application/vnd.in-toto+json", payload, dsse.SignOptions{OmitKeyID: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := sigstore.NewDSSEBundle(env, key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// keyVerifier trusts testKey, with pol.
func keyVerifier(t testing.TB, pol verify.Policy) *store.PolicyVerifier {
	t.Helper()
	v, err := verify.New(verify.WithPublicKeys(testKey.Public()))
	if err != nil {
		t.Fatal(err)
	}
	pv, err := store.NewPolicyVerifier(v, pol)
	if err != nil {
		t.Fatal(err)
	}
	return pv
}

// newStore opens a store on dsn with verifier v and a fixed clock.
func newStore(t testing.TB, dsn string, v store.Verifier) *store.Store {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return store.New(db, v, store.WithClock(func() time.Time { return t0 }))
}

// sqliteStore is newStore on a fresh SQLite file.
func sqliteStore(t testing.TB, v store.Verifier) *store.Store {
	t.Helper()
	return newStore(t, storetest.SQLite(t), v)
}
