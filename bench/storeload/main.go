// Command storeload is the attestation store's bounded load test on
// loopback: it starts `pedigree serve` (a real process, SQLite or
// PostgreSQL), ingests a fixed number of key-signed attestations through
// the HTTP API with a fixed number of concurrent clients, then looks up a
// fixed number of random subject digests, and prints ingest throughput and
// latency percentiles. A deadline bounds the whole run.
//
//	go run ./bench/storeload -pedigree bin/pedigree -db sqlite:/tmp/s.db -n 100000
//
// It is not part of go test; bench/store.sh runs it for both databases.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/keys"
)

func main() {
	var (
		bin         = flag.String("pedigree", "bin/pedigree", "the pedigree binary")
		db          = flag.String("db", "", "the store's database (sqlite:PATH or postgres://...); default: a SQLite file in a temporary directory")
		n           = flag.Int("n", 100_000, "attestations to ingest")
		lookups     = flag.Int("lookups", 20_000, "digests to look up")
		concurrency = flag.Int("c", 16, "concurrent clients while ingesting")
		lookupConc  = flag.Int("lc", 4, "concurrent clients while looking up")
		batch       = flag.Int("batch", 1, "attestations per POST (1: one request per attestation)")
		deadline    = flag.Duration("max-duration", 15*time.Minute, "abort the run after this long")
	)
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), *deadline)
	defer cancel()
	if err := run(ctx, *bin, *db, *n, *lookups, *concurrency, *lookupConc, *batch); err != nil {
		fmt.Fprintln(os.Stderr, "storeload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, bin, db string, n, lookups, conc, lconc, batch int) error {
	work, err := os.MkdirTemp("", "pedigree-storeload")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if db == "" {
		db = "sqlite:" + filepath.Join(work, "store.db")
	}
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{42}, 32))
	pubPEM, err := keys.MarshalPublicKeyPEM(key.Public())
	if err != nil {
		return err
	}
	pub := filepath.Join(work, "bench.pub")
	if err := os.WriteFile(pub, pubPEM, 0o644); err != nil {
		return err
	}

	fmt.Printf("storeload: %d attestations (%d clients, %d per request), %d lookups (%d clients), database %s\n", n, conc, batch, lookups, lconc, redact(db))
	fmt.Printf("machine:   %d cores, %s; load %s\n", runtime.NumCPU(), runtime.Version(), loadavg())

	start := time.Now()
	atts, digests := generate(key, n)
	fmt.Printf("generated: %d signed attestations in %v (client side, not counted)\n", n, time.Since(start).Round(time.Millisecond))

	out, err := exec.CommandContext(ctx, bin, "serve", "token", "create", "--db", db, "--name", fmt.Sprintf("bench-%d", time.Now().UnixNano())).Output()
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token := lines[len(lines)-1]

	srv, url, err := startServe(ctx, bin, db, pub)
	if err != nil {
		return err
	}
	defer func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc * 2}, Timeout: time.Minute}

	// Ingest.
	var bodies [][]byte
	for i := 0; i < n; i += batch {
		bodies = append(bodies, bytes.Join(atts[i:min(i+batch, n)], []byte("\n")))
	}
	var created atomic.Int64
	start = time.Now()
	ingestLat, err := parallel(ctx, conc, len(bodies), func(i int) error {
		req, _ := http.NewRequestWithContext(ctx, "POST", url+"/v1/attestations", bytes.NewReader(bodies[i]))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
			return fmt.Errorf("POST: %d %s", resp.StatusCode, body)
		}
		created.Add(int64(bytes.Count(body, []byte(`"created":true`))))
		return nil
	})
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	el := time.Since(start)
	fmt.Printf("ingest:    %d attestations (%d new) in %v: %.0f verified ingests/s; per request p50 %v, p99 %v\n",
		n, created.Load(), el.Round(time.Millisecond), float64(n)/el.Seconds(), pct(ingestLat, 50), pct(ingestLat, 99))

	// Lookups of random stored digests.
	rng := rand.New(rand.NewPCG(1, 2))
	picks := make([]string, lookups)
	for i := range picks {
		picks[i] = digests[rng.IntN(len(digests))]
	}
	var found atomic.Int64
	start = time.Now()
	lookLat, err := parallel(ctx, lconc, lookups, func(i int) error {
		req, _ := http.NewRequestWithContext(ctx, "GET", url+"/v1/attestations?digest=sha256:"+picks[i], nil)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET: %d %s", resp.StatusCode, body)
		}
		var lr struct {
			Attestations []json.RawMessage `json:"attestations"`
		}
		if err := json.Unmarshal(body, &lr); err != nil || len(lr.Attestations) != 1 {
			return fmt.Errorf("GET %s: %d attestations (%v)", picks[i], len(lr.Attestations), err)
		}
		found.Add(1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("lookup: %w", err)
	}
	el = time.Since(start)
	fmt.Printf("lookup:    %d random digests (%d found) in %v: %.0f lookups/s; p50 %v, p90 %v, p99 %v, max %v\n",
		lookups, found.Load(), el.Round(time.Millisecond), float64(lookups)/el.Seconds(), pct(lookLat, 50), pct(lookLat, 90), pct(lookLat, 99), pct(lookLat, 100))
	fmt.Printf("load:      %s at end\n", loadavg())
	return nil
}

// generate signs n statements, each with one subject of its own digest.
func generate(key ed25519.PrivateKey, n int) ([][]byte, []string) {
	atts := make([][]byte, n)
	digests := make([]string, n)
	parallel(context.Background(), runtime.NumCPU(), n, func(i int) error {
		digests[i] = fmt.Sprintf("%064x", uint64(i)*0x9e3779b97f4a7c15+1)
		st, _ := json.Marshal(map[string]any{
			"_type":         "https://in-toto.io/Statement/v1",
			"subject":       []any{map[string]any{"name": fmt.Sprintf("pkg_%06d-1.0.0-py3-none-any.whl", i), "digest": map[string]string{"sha256": digests[i]}}},
			"predicateType": "https://slsa.dev/provenance/v1",
			"predicate": map[string]any{
				"buildDefinition": map[string]any{
					"buildType":          "https://pedigree.dev/buildtypes/local@v1",
					"externalParameters": map[string]any{"source": "git+https://github.com/example/bench@refs/tags/v1.0.0"},
					"resolvedDependencies": []any{map[string]any{
						"uri":    "git+https://github.com/example/bench@refs/tags/v1.0.0",
						"digest": map[string]string{"gitCommit": "0123456789abcdef0123456789abcdef01234567"},
					}},
				},
				"runDetails": map[string]any{"builder": map[string]any{"id": "https://pedigree.dev/local@v1"}},
			},
		})
		env, err := dsse.Sign(key, "application/vnd.in-toto+json", st, dsse.SignOptions{})
		if err != nil {
			panic(err)
		}
		atts[i], _ = json.Marshal(env)
		return nil
	})
	return atts, digests
}

// parallel runs f(0..n-1) on workers goroutines and returns each call's
// latency; it stops at the first error.
func parallel(ctx context.Context, workers, n int, f func(i int) error) ([]time.Duration, error) {
	lat := make([]time.Duration, n)
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
		failed  atomic.Bool
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() && ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				t := time.Now()
				if err := f(i); err != nil {
					errOnce.Do(func() { first = err })
					failed.Store(true)
					return
				}
				lat[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return lat, first
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	i = min(max(i-1, 0), len(s)-1)
	return s[i].Round(10 * time.Microsecond)
}

var listening = regexp.MustCompile(`url=(http://[0-9.:]+)`)

func startServe(ctx context.Context, bin, db, pub string) (*exec.Cmd, string, error) {
	cmd := exec.CommandContext(ctx, bin, "serve", "--db", db, "--key", pub, "--listen", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stderr)
			return cmd, m[1], nil
		}
	}
	cmd.Wait()
	return nil, "", errors.New("pedigree serve exited before listening")
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// redact hides a connection string's password for the report: the one in
// its user info, and any in its query, which it drops.
func redact(dsn string) string {
	dsn, _, _ = strings.Cut(dsn, "?")
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}
