package server_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/storetest"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/store"
	"github.com/pedigree-dev/pedigree/store/server"
	"github.com/pedigree-dev/pedigree/store/sqlstore"
	"github.com/pedigree-dev/pedigree/verify"
)

var (
	testKey  = ed25519.NewKeyFromSeed([]byte("pedigree server test key, 32 b.."))
	otherKey = ed25519.NewKeyFromSeed([]byte("pedigree server other key, 32 b."))
)

func sha(b int) string { return fmt.Sprintf("%064x", b) }

// attestation returns a DSSE envelope signed by key over an SLSA v1
// statement with one subject per name (subject i has digest sha(seed+i)).
func attestation(t testing.TB, key ed25519.PrivateKey, seed int, names ...string) []byte {
	t.Helper()
	var subjects []map[string]any
	for i, n := range names {
		subjects = append(subjects, map[string]any{"name": n, "digest": map[string]string{"sha256": sha(seed + i)}})
	}
	st, _ := json.Marshal(map[string]any{
		"_type": "https://in-toto.io/Statement/v1", "subject": subjects, "predicateType": "https://slsa.dev/provenance/v1",
		"predicate": map[string]any{
			"buildDefinition": map[string]any{
				"buildType":          "https://pedigree.dev/buildtypes/local@v1",
				"externalParameters": map[string]any{"source": "git+https://github.com/example/demo@refs/tags/v0.1.0"},
			},
			"runDetails": map[string]any{"builder": map[string]any{"id": "https://pedigree.dev/local@v1"}},
		},
	})
	env, err := dsse.Sign(key, "application/vnd.in-toto+json", st, dsse.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(env)
	return b
}

type fixture struct {
	url   string
	token string
	st    *store.Store
}

// gate wraps the real verifier and, when armed, holds each verification
// until released, so tests can keep a request in flight.
type gate struct {
	store.Verifier
	mu      sync.Mutex
	hold    chan struct{}
	entered chan struct{}
}

func (g *gate) Verify(ctx context.Context, raw []byte) (*store.Verified, error) {
	g.mu.Lock()
	hold, entered := g.hold, g.entered
	g.mu.Unlock()
	if hold != nil {
		entered <- struct{}{}
		<-hold
	}
	return g.Verifier.Verify(ctx, raw)
}

func newStore(t *testing.T, dsn string, pol verify.Policy, opts ...verify.Option) (*store.Store, *gate) {
	t.Helper()
	if len(opts) == 0 {
		opts = []verify.Option{verify.WithPublicKeys(testKey.Public())}
	}
	v, err := verify.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	pv, err := store.NewPolicyVerifier(v, pol)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g := &gate{Verifier: pv}
	return store.New(db, g), g
}

func start(t *testing.T, st *store.Store, opts ...server.Option) fixture {
	t.Helper()
	tok, err := st.CreateToken(context.Background(), "ci")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(st, opts...).Handler())
	t.Cleanup(ts.Close)
	return fixture{url: ts.URL, token: tok, st: st}
}

func (f fixture) do(t *testing.T, method, path, token string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func TestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		st, _ := newStore(t, dsn, verify.Policy{})
		f := start(t, st)
		att := attestation(t, testKey, 1, "demo-0.1.0-py3-none-any.whl", "demo-0.1.0.tar.gz")
		id := store.ContentID(att)

		code, h, body := f.do(t, "POST", "/v1/attestations", f.token, att)
		if code != http.StatusCreated || h.Get("Location") != "/v1/attestations/"+id {
			t.Fatalf("POST: %d %s %s", code, h.Get("Location"), body)
		}
		var ing store.IngestResponse
		if err := json.Unmarshal(body, &ing); err != nil || len(ing.Attestations) != 1 || ing.Attestations[0].ID != id || !ing.Attestations[0].Created {
			t.Fatalf("POST body: %s (%v)", body, err)
		}
		if code, _, body := f.do(t, "POST", "/v1/attestations", f.token, att); code != http.StatusOK || !bytes.Contains(body, []byte(`"created":false`)) {
			t.Fatalf("POST again: %d %s", code, body)
		}

		code, h, body = f.do(t, "GET", "/v1/attestations/"+id, "", nil)
		if code != 200 || !bytes.Equal(body, att) || h.Get("ETag") != `"`+id+`"` || h.Get("Content-Type") != "application/json" {
			t.Fatalf("GET id: %d %v identical=%v", code, h, bytes.Equal(body, att))
		}

		code, _, body = f.do(t, "GET", "/v1/attestations?digest=sha256:"+sha(2), "", nil)
		var lr store.LookupResponse
		if err := json.Unmarshal(body, &lr); code != 200 || err != nil || len(lr.Attestations) != 1 || lr.More ||
			!bytes.Equal(lr.Attestations[0].Attestation, att) || lr.Attestations[0].BuilderID != "https://pedigree.dev/local@v1" {
			t.Fatalf("lookup: %d %s", code, body)
		}
		code, _, body = f.do(t, "GET", "/v1/attestations?digest=sha256:"+sha(2)+"&predicateType=https://spdx.dev/Document", "", nil)
		if code != 200 || !bytes.Contains(body, []byte(`"attestations":[]`)) {
			t.Fatalf("lookup by other predicate type: %d %s", code, body)
		}

		code, _, body = f.do(t, "GET", "/v1/subjects/sha256:"+sha(1), "", nil)
		var sum store.Summary
		if err := json.Unmarshal(body, &sum); code != 200 || err != nil || sum.Attestations != 1 || sum.Names[0] != "demo-0.1.0-py3-none-any.whl" {
			t.Fatalf("subject: %d %s", code, body)
		}

		if code, _, body := f.do(t, "GET", "/healthz", "", nil); code != 200 || string(body) != "{\"status\":\"ok\"}\n" {
			t.Fatalf("healthz: %d %s", code, body)
		}
	})
}

// TestBadRequests: every kind of bad request gets a clear 4xx with a JSON
// error, stores nothing, and the server keeps serving.
func TestBadRequests(t *testing.T) {
	st, _ := newStore(t, storetest.SQLite(t), verify.Policy{})
	f := start(t, st, server.WithMaxBodySize(4096))
	good := attestation(t, testKey, 100, "a.whl")
	other := attestation(t, otherKey, 200, "b.whl")
	big := attestation(t, testKey, 300, strings.Repeat("x", 5000)+".whl")
	tests := []struct {
		name     string
		method   string
		path     string
		token    string
		body     []byte
		wantCode int
		wantText string
	}{
		{"no token", "POST", "/v1/attestations", "", good, 401, "needs a token"},
		{"unknown token", "POST", "/v1/attestations", "pdg_" + strings.Repeat("A", 43), good, 401, "invalid token"},
		{"malformed token", "POST", "/v1/attestations", "hunter2", good, 401, "invalid token"},
		{"empty body", "POST", "/v1/attestations", "TOKEN", nil, 400, "empty body"},
		{"not JSON", "POST", "/v1/attestations", "TOKEN", []byte("<html>"), 400, "invalid JSON"},
		{"not an attestation", "POST", "/v1/attestations", "TOKEN", []byte(`{"a":1}`), 400, "no attestation format"},
		{"oversize", "POST", "/v1/attestations", "TOKEN", big, 413, "body larger than 4096 bytes"},
		{"fails verification", "POST", "/v1/attestations", "TOKEN", other, 422, "signature verification failed"},
		{"one of two fails", "POST", "/v1/attestations", "TOKEN", bytes.Join([][]byte{good, other}, []byte("\n")), 422, `"line":2`},
		{"bad digest", "GET", "/v1/attestations?digest=sha256:xyz", "", nil, 400, "want 64 lowercase hex"},
		{"no digest", "GET", "/v1/attestations", "", nil, 400, "missing query parameter digest"},
		{"bad limit", "GET", "/v1/attestations?digest=sha256:" + sha(1) + "&limit=0", "", nil, 400, "limit"},
		{"bad id", "GET", "/v1/attestations/xyz", "", nil, 400, "want 64 lowercase hex"},
		{"unknown id", "GET", "/v1/attestations/" + sha(9), "", nil, 404, "no attestation"},
		{"unknown subject", "GET", "/v1/subjects/sha256:" + sha(9), "", nil, 404, "no attestation has subject"},
		{"not a distribution", "GET", "/integrity/demo/1.0/demo.txt/provenance", "", nil, 400, ""},
		{"no provenance", "GET", "/integrity/demo/1.0/demo-1.0.tar.gz/provenance", "", nil, 404, "no PEP 740 attestation"},
		{"wrong method", "DELETE", "/v1/attestations/" + sha(9), "", nil, 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token
			if tok == "TOKEN" {
				tok = f.token
			}
			code, h, body := f.do(t, tt.method, tt.path, tok, tt.body)
			if code != tt.wantCode || !bytes.Contains(body, []byte(tt.wantText)) {
				t.Fatalf("%d %s; want %d with %q", code, body, tt.wantCode, tt.wantText)
			}
			if code == 401 && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("401 without WWW-Authenticate: %v", h)
			}
			if tt.wantCode != 405 {
				var e store.ErrorResponse
				if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
					t.Fatalf("error body is not JSON with an error: %s", body)
				}
			}
			if code, _, _ := f.do(t, "GET", "/healthz", "", nil); code != 200 {
				t.Fatalf("server stopped serving: healthz %d", code)
			}
		})
	}
	for _, seed := range []int{100, 200, 300} {
		if recs, _, err := st.Lookup(context.Background(), store.Query{Subject: store.SubjectKey{Alg: "sha256", Hex: sha(seed)}}); err != nil || len(recs) != 0 {
			t.Fatalf("subject %d: %d records stored by refused requests (%v)", seed, len(recs), err)
		}
	}
}

func TestReadTokenRequired(t *testing.T) {
	st, _ := newStore(t, storetest.SQLite(t), verify.Policy{})
	f := start(t, st, server.WithReadTokenRequired())
	for _, path := range []string{"/v1/attestations?digest=sha256:" + sha(1), "/v1/subjects/sha256:" + sha(1), "/metrics"} {
		if code, _, _ := f.do(t, "GET", path, "", nil); code != 401 {
			t.Errorf("GET %s without token: %d, want 401", path, code)
		}
		if code, _, body := f.do(t, "GET", path, f.token, nil); code == 401 {
			t.Errorf("GET %s with token: 401 %s", path, body)
		}
	}
	if code, _, _ := f.do(t, "GET", "/healthz", "", nil); code != 200 {
		t.Errorf("healthz needs no token: %d", code)
	}
}

var sampleLine = regexp.MustCompile(`^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)+\})? [0-9.e+-]+$`)

func TestMetrics(t *testing.T) {
	st, _ := newStore(t, storetest.SQLite(t), verify.Policy{})
	f := start(t, st)
	f.do(t, "POST", "/v1/attestations", f.token, attestation(t, testKey, 1, "a.whl"))
	f.do(t, "POST", "/v1/attestations", f.token, attestation(t, testKey, 1, "a.whl"))
	f.do(t, "POST", "/v1/attestations", f.token, attestation(t, otherKey, 2, "b.whl"))
	f.do(t, "POST", "/v1/attestations", f.token, []byte("nope"))
	f.do(t, "GET", "/v1/attestations?digest=sha256:"+sha(1), "", nil)
	code, h, body := f.do(t, "GET", "/metrics", "", nil)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("metrics: %d %v", code, h)
	}
	text := string(body)
	for _, want := range []string{
		`pedigree_http_requests_total{route="POST /v1/attestations",method="POST",code="201"} 1`,
		`pedigree_http_requests_total{route="POST /v1/attestations",method="POST",code="200"} 1`,
		`pedigree_http_requests_total{route="POST /v1/attestations",method="POST",code="422"} 1`,
		`pedigree_http_requests_total{route="POST /v1/attestations",method="POST",code="400"} 1`,
		`pedigree_http_requests_total{route="GET /v1/attestations",method="GET",code="200"} 1`,
		`pedigree_ingest_attestations_total{result="created"} 1`,
		`pedigree_ingest_attestations_total{result="existing"} 1`,
		`pedigree_ingest_attestations_total{result="rejected"} 1`,
		`pedigree_ingest_attestations_total{result="malformed"} 1`,
		`pedigree_http_request_duration_seconds_count{route="POST /v1/attestations"} 4`,
		`pedigree_http_request_duration_seconds_bucket{route="POST /v1/attestations",le="+Inf"} 4`,
		`pedigree_http_requests_in_flight 1`, // this request
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if !strings.HasPrefix(line, "# HELP ") && !strings.HasPrefix(line, "# TYPE ") && !sampleLine.MatchString(line) {
			t.Errorf("not exposition format: %q", line)
		}
	}
}

// TestGracefulShutdown: ending Serve's context stops new connections but
// lets the ingest in flight finish and be acknowledged.
func TestGracefulShutdown(t *testing.T) {
	st, g := newStore(t, storetest.SQLite(t), verify.Policy{})
	tok, err := st.CreateToken(context.Background(), "ci")
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- server.New(st).Serve(ctx, l) }()

	g.mu.Lock()
	g.hold, g.entered = make(chan struct{}), make(chan struct{}, 1)
	g.mu.Unlock()
	att := attestation(t, testKey, 7, "inflight.whl")
	type result struct {
		code int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest("POST", url+"/v1/attestations", bytes.NewReader(att))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		resp.Body.Close()
		done <- result{code: resp.StatusCode}
	}()
	<-g.entered // the request is being verified
	cancel()
	// New connections are refused once the listener is closed.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", l.Addr().String(), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned with a request in flight: %v", err)
	default:
	}
	close(g.hold)
	if r := <-done; r.err != nil || r.code != http.StatusCreated {
		t.Fatalf("in-flight request: %d %v", r.code, r.err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := st.Get(context.Background(), store.ContentID(att)); err != nil {
		t.Fatalf("acknowledged attestation missing: %v", err)
	}
}

// TestSlowClient: a connection that never finishes its headers is closed
// after the header timeout, and the server keeps serving others.
func TestSlowClient(t *testing.T) {
	st, _ := newStore(t, storetest.SQLite(t), verify.Policy{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go server.New(st, server.WithTimeouts(server.Timeouts{ReadHeader: 200 * time.Millisecond, Read: 300 * time.Millisecond})).Serve(ctx, l)
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	b, err := io.ReadAll(c)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("read: %v (the server did not close the connection)", err)
	}
	if d := time.Since(start); d > 3*time.Second || bytes.Contains(b, []byte("200 OK")) {
		t.Fatalf("closed after %v with %q", d, b)
	}
	resp, err := http.Get("http://" + l.Addr().String() + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz after a slow client: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestIntegrity serves PyPI's real attestation for pypi-attestations
// 0.0.19 as a PEP 740 provenance object.
func TestIntegrity(t *testing.T) {
	dir := testshared.Dir(t, "vectors", "pypi")
	att, err := os.ReadFile(filepath.Join(dir, "pypi_attestations-0.0.19.tar.gz.publish.attestation"))
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := verify.ParsePublisher("github:trailofbits/pypi-attestations@release.yml")
	st, _ := newStore(t, storetest.SQLite(t), verify.Policy{Publisher: &pub}, verify.WithWorkers(1))
	f := start(t, st)
	if code, _, body := f.do(t, "POST", "/v1/attestations", f.token, att); code != 201 {
		t.Fatalf("POST: %d %s", code, body)
	}
	code, h, body := f.do(t, "GET", "/integrity/pypi-attestations/0.0.19/pypi_attestations-0.0.19.tar.gz/provenance", "", nil)
	if code != 200 || h.Get("Content-Type") != "application/json" {
		t.Fatalf("GET: %d %s", code, body)
	}
	var prov struct {
		Version            int `json:"version"`
		AttestationBundles []struct {
			Publisher    map[string]any    `json:"publisher"`
			Attestations []json.RawMessage `json:"attestations"`
		} `json:"attestation_bundles"`
	}
	if err := json.Unmarshal(body, &prov); err != nil || prov.Version != 1 || len(prov.AttestationBundles) != 1 ||
		prov.AttestationBundles[0].Publisher["repository"] != "trailofbits/pypi-attestations" || len(prov.AttestationBundles[0].Attestations) != 1 {
		t.Fatalf("provenance: %s", body)
	}
}

// TestLookupKeepsBytes: an attestation submitted pretty-printed comes back
// from a lookup byte for byte, so its ID can be checked.
func TestLookupKeepsBytes(t *testing.T) {
	st, _ := newStore(t, storetest.SQLite(t), verify.Policy{})
	f := start(t, st)
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, attestation(t, testKey, 40, "p.whl"), "", "    "); err != nil {
		t.Fatal(err)
	}
	if code, _, body := f.do(t, "POST", "/v1/attestations", f.token, pretty.Bytes()); code != 201 {
		t.Fatalf("POST: %d %s", code, body)
	}
	code, _, body := f.do(t, "GET", "/v1/attestations?digest=sha256:"+sha(40), "", nil)
	var lr store.LookupResponse
	if err := json.Unmarshal(body, &lr); code != 200 || err != nil || len(lr.Attestations) != 1 {
		t.Fatalf("lookup: %d %s %v", code, body, err)
	}
	if got := lr.Attestations[0]; !bytes.Equal(got.Attestation, pretty.Bytes()) || got.ID != store.ContentID(pretty.Bytes()) || got.Format != "dsse-envelope" {
		t.Fatalf("lookup changed the bytes:\n%s\nwant\n%s", got.Attestation, pretty.Bytes())
	}
}
