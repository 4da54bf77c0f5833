package client_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/storetest"
	"github.com/pedigree-dev/pedigree/store"
	"github.com/pedigree-dev/pedigree/store/client"
	"github.com/pedigree-dev/pedigree/store/server"
	"github.com/pedigree-dev/pedigree/store/sqlstore"
	"github.com/pedigree-dev/pedigree/verify"
)

var (
	testKey  = ed25519.NewKeyFromSeed([]byte("pedigree client test key, 32 b.."))
	otherKey = ed25519.NewKeyFromSeed([]byte("pedigree client other key, 32 b."))
)

func sha(b int) string { return fmt.Sprintf("%064x", b) }

func attestation(t *testing.T, key ed25519.PrivateKey, seed int) []byte {
	t.Helper()
	st, _ := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": "x.whl", "digest": map[string]string{"sha256": sha(seed)}}},
		"predicateType": "https://example.com/predicate/v1",
		"predicate":     map[string]any{},
	})
	env, err := dsse.Sign(key, "application/vnd.in-toto+json", st, dsse.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(env)
	return b
}

func serve(t *testing.T) (url, token string) {
	t.Helper()
	v, err := verify.New(verify.WithPublicKeys(testKey.Public()))
	if err != nil {
		t.Fatal(err)
	}
	pv, err := store.NewPolicyVerifier(v, verify.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := store.New(db, pv)
	token, err = st.CreateToken(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(st).Handler())
	t.Cleanup(ts.Close)
	return ts.URL, token
}

func TestClient(t *testing.T) {
	ctx := context.Background()
	url, token := serve(t)
	c, err := client.New(url+"/", client.WithToken(token))
	if err != nil {
		t.Fatal(err)
	}
	att := attestation(t, testKey, 1)
	res, err := c.Push(ctx, att)
	if err != nil || len(res.Attestations) != 1 || !res.Attestations[0].Created || res.Attestations[0].PredicateType != "https://example.com/predicate/v1" {
		t.Fatalf("Push: %+v, %v", res, err)
	}
	id := res.Attestations[0].ID
	key := store.SubjectKey{Alg: "sha256", Hex: sha(1)}
	lr, err := c.Lookup(ctx, key, client.LookupOptions{Limit: 10})
	if err != nil || len(lr.Attestations) != 1 || lr.Attestations[0].ID != id {
		t.Fatalf("Lookup: %+v, %v", lr, err)
	}
	if raw, err := c.Get(ctx, id); err != nil || string(raw) != string(att) {
		t.Fatalf("Get: %v", err)
	}
	if sum, err := c.Subject(ctx, key); err != nil || sum.Attestations != 1 {
		t.Fatalf("Subject: %+v, %v", sum, err)
	}

	// Errors carry the status and unwrap to the store's sentinels.
	anon, _ := client.New(url)
	_, err = anon.Push(ctx, att)
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || !errors.Is(err, store.ErrUnauthorized) {
		t.Fatalf("Push without token: %v", err)
	}
	_, err = c.Push(ctx, attestation(t, otherKey, 2))
	if !errors.Is(err, store.ErrRejected) || !errors.As(err, &ae) || len(ae.Problems) != 1 || !strings.Contains(ae.Problems[0].Error, "signature verification failed") {
		t.Fatalf("Push rejected: %v", err)
	}
	if _, err := c.Push(ctx, []byte("nope")); !errors.Is(err, store.ErrMalformed) {
		t.Fatalf("Push malformed: %v", err)
	}
	if _, err := c.Get(ctx, sha(5)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get unknown: %v", err)
	}
	if _, err := c.Subject(ctx, store.SubjectKey{Alg: "sha256", Hex: sha(5)}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Subject unknown: %v", err)
	}
}

// TestClientChecksContent: a server that answers with bytes other than
// the ID's is caught.
func TestClientChecksContent(t *testing.T) {
	ctx := context.Background()
	id := sha(7)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/attestations/") {
			w.Write([]byte(`{"tampered":true}`))
			return
		}
		json.NewEncoder(w).Encode(store.LookupResponse{Attestations: []store.LookupItem{{Record: store.Record{ID: id}, Attestation: json.RawMessage(`{"tampered":true}`)}}})
	}))
	defer ts.Close()
	c, _ := client.New(ts.URL)
	if _, err := c.Get(ctx, id); !errors.Is(err, client.ErrResponse) {
		t.Fatalf("Get: %v, want ErrResponse", err)
	}
	if _, err := c.Lookup(ctx, store.SubjectKey{Alg: "sha256", Hex: sha(1)}, client.LookupOptions{}); !errors.Is(err, client.ErrResponse) {
		t.Fatalf("Lookup: %v, want ErrResponse", err)
	}
}

func TestNew(t *testing.T) {
	for _, u := range []string{"", "localhost:8080", "ftp://x", "http://", "http://x?y=1", "http://x/#f"} {
		if _, err := client.New(u); !errors.Is(err, client.ErrURL) {
			t.Errorf("New(%q): %v, want ErrURL", u, err)
		}
	}
	if c, err := client.New("https://store.example.com/pedigree/"); err != nil || c.URL("/v1/x") != "https://store.example.com/pedigree/v1/x" {
		t.Fatalf("prefix: %v", err)
	}
}
