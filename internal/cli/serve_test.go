package cli_test

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/cli"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/store"

	_ "modernc.org/sqlite" // integrity_check on the crash test's database
)

var serveKey = ed25519.NewKeyFromSeed([]byte("pedigree cli serve test key, 32b"))

// buildPedigree builds the pedigree binary into a temporary directory.
func buildPedigree(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped in -short mode: builds the pedigree binary")
	}
	bin := filepath.Join(t.TempDir(), "pedigree")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/pedigree")
	cmd.Dir = testshared.Root()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func writePublicKey(t *testing.T, dir string) string {
	t.Helper()
	pub, err := keys.MarshalPublicKeyPEM(serveKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "release.pub")
	if err := os.WriteFile(p, pub, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// signed returns a key-signed DSSE envelope over a statement naming one
// artifact, n-th of its kind.
func signed(t testing.TB, n int) []byte {
	t.Helper()
	st, _ := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": fmt.Sprintf("pkg-%d.0-py3-none-any.whl", n), "digest": map[string]string{"sha256": fmt.Sprintf("%064x", n)}}},
		"predicateType": "https://slsa.dev/provenance/v1",
		"predicate": map[string]any{
			"buildDefinition": map[string]any{"buildType": "https://pedigree.dev/buildtypes/local@v1", "externalParameters": map[string]any{}},
			"runDetails":      map[string]any{"builder": map[string]any{"id": "https://pedigree.dev/local@v1"}},
		},
	})
	env, err := dsse.Sign(serveKey, "application/vnd.in-toto+json", st, dsse.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(env)
	return b
}

// serverProc is a running pedigree serve.
type serverProc struct {
	cmd  *exec.Cmd
	url  string
	logs *bytes.Buffer
	mu   *sync.Mutex
	done chan error
}

var listeningRE = regexp.MustCompile(`url=(http://127\.0\.0\.1:[0-9]+)`)

// startServe starts bin serve with args on a free loopback port and waits
// until it listens.
func startServe(t *testing.T, bin string, args ...string) *serverProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProc{cmd: cmd, logs: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.logs.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	select {
	case p.url = <-urlc:
	case err := <-p.done:
		t.Fatalf("pedigree serve exited: %v\n%s", err, p.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("pedigree serve did not start:\n%s", p.log())
	}
	return p
}

func (p *serverProc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

func post(url, token string, body []byte) (int, []byte, error) {
	req, _ := http.NewRequest("POST", url+"/v1/attestations", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// TestServeCrash kills the server with SIGKILL in the middle of a stream of
// ingests, restarts it on the same SQLite file, and checks that every
// attestation it acknowledged (2xx) is there, byte for byte; three rounds.
func TestServeCrash(t *testing.T) {
	bin := buildPedigree(t)
	dir := t.TempDir()
	pub := writePublicKey(t, dir)
	db := "sqlite:" + filepath.Join(dir, "store.db")
	code, out, errOut := runEnv(t, nil, "serve", "token", "create", "--db", db, "--name", "crash")
	if code != 0 {
		t.Fatalf("token create: %d %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]

	acked := map[string][]byte{}
	var mu sync.Mutex
	next := 0
	for round := range 3 {
		p := startServe(t, bin, "--db", db, "--key", pub)
		// Everything acknowledged so far survived the previous kill.
		checkStored(t, p.url, acked, fmt.Sprintf("round %d", round))
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					n := next
					next++
					mu.Unlock()
					att := signed(t, n)
					code, body, err := post(p.url, token, att)
					if err != nil {
						continue // the server died mid-request: not acknowledged
					}
					if code != 201 {
						t.Errorf("POST: %d %s", code, body)
						return
					}
					var res store.IngestResponse
					if err := json.Unmarshal(body, &res); err != nil || res.Attestations[0].ID != store.ContentID(att) {
						t.Errorf("POST answer: %s", body)
						return
					}
					mu.Lock()
					acked[res.Attestations[0].ID] = att
					mu.Unlock()
				}
			}()
		}
		time.Sleep(700 * time.Millisecond)
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-p.done
		close(stop)
		wg.Wait()
		t.Logf("round %d: %d attestations acknowledged in all", round, len(acked))
	}
	if len(acked) < 50 {
		t.Fatalf("only %d attestations acknowledged: the test did not exercise the store", len(acked))
	}
	p := startServe(t, bin, "--db", db, "--key", pub)
	checkStored(t, p.url, acked, "after the last kill")
	// The subject index is intact too, and so is the file.
	var one []byte
	for _, b := range acked {
		one = b
		break
	}
	var env dsse.Envelope
	json.Unmarshal(one, &env)
	var st struct {
		Subject []struct {
			Digest map[string]string `json:"digest"`
		} `json:"subject"`
	}
	json.Unmarshal(env.Payload, &st)
	resp, err := http.Get(p.url + "/v1/attestations?digest=sha256:" + st.Subject[0].Digest["sha256"])
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("lookup: %v %v", resp, err)
	}
	resp.Body.Close()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-p.done; err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, p.log())
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
}

// checkStored fetches every attestation of acked (ID -> bytes) from the
// store at url and fails unless each is there byte for byte.
func checkStored(t *testing.T, url string, acked map[string][]byte, when string) {
	t.Helper()
	for id, want := range acked {
		resp, err := http.Get(url + "/v1/attestations/" + id)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(got, want) {
			t.Fatalf("%s: acknowledged attestation %s: %d, identical %v", when, id, resp.StatusCode, bytes.Equal(got, want))
		}
	}
}

// TestServePushVerify is the store's user story end to end with real
// processes: create a token, serve, push a release's provenance, verify the
// artifacts by digest against the store, stop the server with SIGTERM.
func TestServePushVerify(t *testing.T) {
	bin := buildPedigree(t)
	dir := t.TempDir()
	pub := writePublicKey(t, dir)
	db := "sqlite:" + filepath.Join(dir, "store.db")
	_, out, _ := runEnv(t, nil, "serve", "token", "create", "--db", db, "--name", "ci")
	token := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	p := startServe(t, bin, "--db", db, "--key", pub)

	// A release: two artifacts and one attestation naming both.
	wheel, sdist := []byte("wheel bytes"), []byte("sdist bytes")
	wpath, spath := filepath.Join(dir, "demo-1.0-py3-none-any.whl"), filepath.Join(dir, "demo-1.0.tar.gz")
	os.WriteFile(wpath, wheel, 0o644)
	os.WriteFile(spath, sdist, 0o644)
	st, _ := json.Marshal(map[string]any{
		"_type": "https://in-toto.io/Statement/v1",
		"subject": []any{
			map[string]any{"name": "demo-1.0-py3-none-any.whl", "digest": map[string]string{"sha256": sha256hex(wheel)}},
			map[string]any{"name": "demo-1.0.tar.gz", "digest": map[string]string{"sha256": sha256hex(sdist)}},
		},
		"predicateType": "https://slsa.dev/provenance/v1",
		"predicate": map[string]any{
			"buildDefinition": map[string]any{
				"buildType":          "https://pedigree.dev/buildtypes/local@v1",
				"externalParameters": map[string]any{"source": "git+https://github.com/example/demo@refs/tags/v1.0"},
				"resolvedDependencies": []any{map[string]any{
					"uri":    "git+https://github.com/example/demo@refs/tags/v1.0",
					"digest": map[string]string{"gitCommit": "0123456789abcdef0123456789abcdef01234567"},
				}},
			},
			"runDetails": map[string]any{"builder": map[string]any{"id": "https://pedigree.dev/local@v1"}},
		},
	})
	env, _ := dsse.Sign(serveKey, "application/vnd.in-toto+json", st, dsse.SignOptions{})
	envJSON, _ := json.Marshal(env)
	prov := filepath.Join(dir, "demo.intoto.jsonl")
	os.WriteFile(prov, append(envJSON, '\n'), 0o644)
	id := store.ContentID(envJSON)

	// push needs the token; without it, a usage error.
	if code, _, errOut := runEnv(t, nil, "push", "--server", p.url, prov); code != cli.ExitUsage || !strings.Contains(errOut, "PEDIGREE_STORE_TOKEN") {
		t.Fatalf("push without token: %d %s", code, errOut)
	}
	tokEnv := []string{"PEDIGREE_STORE_TOKEN=" + token}
	code, out, errOut := runEnv(t, tokEnv, "push", "--server", p.url, prov)
	want := prov + ":1: stored " + id + " (new): demo-1.0-py3-none-any.whl, demo-1.0.tar.gz\n"
	if code != 0 || out != want {
		t.Fatalf("push: %d\n%s%s\nwant\n%s", code, out, errOut, want)
	}
	if code, out, _ := runEnv(t, tokEnv, "push", "--server", p.url, prov); code != 0 || !strings.Contains(out, "(already stored)") {
		t.Fatalf("push again: %d %s", code, out)
	}
	// A wrong token, and an attestation from another key: exit 1 with the
	// store's reason.
	if code, _, errOut := runEnv(t, []string{"PEDIGREE_STORE_TOKEN=pdg_" + strings.Repeat("x", 43)}, "push", "--server", p.url, prov); code != cli.ExitInternal || !strings.Contains(errOut, "401") {
		t.Fatalf("push with a wrong token: %d %s", code, errOut)
	}
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	badEnv, _ := dsse.Sign(other, "application/vnd.in-toto+json", st, dsse.SignOptions{})
	badJSON, _ := json.Marshal(badEnv)
	bad := filepath.Join(dir, "bad.intoto.jsonl")
	os.WriteFile(bad, append(append(append(envJSON, '\n'), badJSON...), '\n'), 0o644)
	code, out, _ = runEnv(t, tokEnv, "push", "--server", p.url, bad)
	if code != cli.ExitFailed || !strings.Contains(out, bad+":2: REFUSED: attestation rejected: signature verification failed") {
		t.Fatalf("push refused: %d %s", code, out)
	}

	// verify --server finds the provenance by digest.
	code, out, errOut = runEnv(t, nil, "verify", "--server", p.url, "--key", pub, "--source-uri", "github.com/example/demo", wpath, spath)
	if code != 0 || strings.Count(out, "PASSED: ") != 2 || !strings.Contains(out, p.url+"/v1/attestations/"+id) {
		t.Fatalf("verify --server: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runEnv(t, nil, "verify", "--server", p.url, "--key", pub, "sha256:"+sha256hex([]byte("unknown")))
	if code != cli.ExitFailed || !strings.Contains(out, "no attestation names this artifact") {
		t.Fatalf("verify --server, unknown artifact: %d %s", code, out)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-p.done; err != nil || !strings.Contains(p.log(), "pedigree serve: stopped") {
		t.Fatalf("SIGTERM: %v\n%s", err, p.log())
	}
}

func sha256hex(b []byte) string { return store.ContentID(b) }

func TestServeExitCodes(t *testing.T) {
	dir := t.TempDir()
	pub := writePublicKey(t, dir)
	db := "sqlite:" + filepath.Join(dir, "s.db")
	notJSON := filepath.Join(dir, "root.json")
	if err := os.WriteFile(notJSON, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"serve", "--db", db}, cli.ExitUsage},
		// Trust material that is read but unusable is a bad flag to serve,
		// which checks nothing at start (verify counts it a failed check).
		{[]string{"serve", "--db", db, "--key", notJSON}, cli.ExitUsage},
		{[]string{"serve", "--db", db, "--trusted-root", notJSON, "--source-uri", "github.com/o/r"}, cli.ExitUsage},
		{[]string{"serve", "--db", "mysql://x", "--key", pub}, cli.ExitUsage},
		{[]string{"serve", "--key", pub, "--max-body", "10"}, cli.ExitUsage},
		{[]string{"serve", "--key", pub, "--cert-identity", "x", "--cert-oidc-issuer", "y"}, cli.ExitUsage},
		{[]string{"serve", "--key", filepath.Join(dir, "missing.pub")}, cli.ExitInternal},
		{[]string{"serve", "extra"}, cli.ExitUsage},
		{[]string{"serve", "token"}, cli.ExitUsage},
		{[]string{"serve", "token", "create", "--db", db}, cli.ExitUsage},
		{[]string{"serve", "token", "create", "--db", db, "--name", "a"}, cli.ExitOK},
		{[]string{"serve", "token", "create", "--db", db, "--name", "a"}, cli.ExitFailed},
		{[]string{"serve", "token", "revoke", "--db", db, "--name", "b"}, cli.ExitFailed},
		{[]string{"serve", "token", "list", "--db", db, "--format", "json"}, cli.ExitOK},
		{[]string{"push", "x"}, cli.ExitUsage},
		{[]string{"push", "--server", "http://127.0.0.1:9"}, cli.ExitUsage},
	}
	for _, tt := range tests {
		code, _, stderr := runEnv(t, nil, tt.args...)
		if code != tt.want {
			t.Errorf("%v: exit %d, want %d (%s)", tt.args, code, tt.want, stderr)
		}
		if code != cli.ExitOK && strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: want one line on stderr, got %q", tt.args, stderr)
		}
	}
	// A file that is not attestations is refused without asking the store
	// (exit 1); network errors are exit 3.
	tok := []string{"PEDIGREE_STORE_TOKEN=pdg_" + strings.Repeat("A", 43)}
	if code, out, _ := runEnv(t, tok, "push", "--server", "http://127.0.0.1:9", pub); code != cli.ExitFailed || !strings.Contains(out, "REFUSED: line 1: invalid JSON") {
		t.Errorf("push a PEM file: %d %s", code, out)
	}
	att := filepath.Join(dir, "att.json")
	os.WriteFile(att, []byte("{}"), 0o644)
	code, _, stderr := runEnv(t, tok, "push", "--server", "http://127.0.0.1:9", att)
	if code != cli.ExitInternal || !strings.Contains(stderr, "connection refused") {
		t.Errorf("push to nothing: %d %s", code, stderr)
	}
}
