package digest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// update rewrites golden files.
var update = flag.Bool("update", false, "rewrite golden files")

// abc holds each algorithm's digest of "abc", computed with OpenSSL 3
// (`printf abc | openssl dgst -sha512-224 -r` and so on): an
// implementation independent of Go's.
var abc = map[string]string{
	MD5:        "900150983cd24fb0d6963f7d28e17f72",
	SHA1:       "a9993e364706816aba3e25717850c26c9cd0d89d",
	SHA224:     "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
	SHA256:     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	SHA384:     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
	SHA512:     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	SHA512_224: "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa",
	SHA512_256: "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
	SHA3_224:   "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf",
	SHA3_256:   "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
	SHA3_384:   "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25",
	SHA3_512:   "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0",
}

func TestHasherKnownAnswers(t *testing.T) {
	if got, want := Supported(), slices.Sorted(func(yield func(string) bool) {
		for alg := range abc {
			if !yield(alg) {
				return
			}
		}
	}); !slices.Equal(got, want) {
		t.Fatalf("Supported() = %v, want the algorithms with known answers %v", got, want)
	}
	// Every algorithm at once, in one pass, fed in awkward pieces.
	h, err := NewHasher(Supported()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a", "", "bc"} {
		if n, err := h.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	got := h.Sum()
	if !got.Equal(Set(abc)) {
		t.Fatalf("Sum() = %v\nwant %v", got, abc)
	}
	if err := got.Validate(); err != nil {
		t.Fatalf("Sum() does not validate: %v", err)
	}
	// Sum does not change the state; Reset starts over.
	if again := h.Sum(); !again.Equal(got) {
		t.Fatalf("second Sum() = %v", again)
	}
	h.Reset()
	h.Write([]byte("abc"))
	if again := h.Sum(); !again.Equal(got) {
		t.Fatalf("after Reset: %v", again)
	}
}

func TestNewHasher(t *testing.T) {
	tests := []struct {
		algs     []string
		wantAlgs []string
		wantErr  error
	}{
		{nil, []string{SHA256}, nil},
		{[]string{SHA512, SHA256, SHA512}, []string{SHA512, SHA256}, nil},
		{[]string{"SHA256"}, nil, ErrUnsupportedAlgorithm},
		{[]string{Blake2b}, nil, ErrUnsupportedAlgorithm},
		{[]string{GitBlob}, nil, ErrUnsupportedAlgorithm},
		{[]string{DirHash1}, nil, ErrUnsupportedAlgorithm},
		{[]string{""}, nil, ErrUnsupportedAlgorithm},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.algs), func(t *testing.T) {
			h, err := NewHasher(tt.algs...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := h.Algorithms(); !slices.Equal(got, tt.wantAlgs) {
				t.Fatalf("Algorithms() = %v, want %v", got, tt.wantAlgs)
			}
			if got := h.Sum().Algorithms(); len(got) != len(tt.wantAlgs) {
				t.Fatalf("Sum() has %v", got)
			}
		})
	}
}

func TestArtifactAlgorithms(t *testing.T) {
	got := ArtifactAlgorithms()
	if want := []string{SHA256, SHA384, SHA512}; !slices.Equal(got, want) {
		t.Fatalf("ArtifactAlgorithms() = %v, want %v", got, want)
	}
	if _, err := NewHasher(got...); err != nil {
		t.Fatalf("NewHasher(ArtifactAlgorithms()...): %v", err)
	}
	got[0] = MD5
	if again := ArtifactAlgorithms(); again[0] != SHA256 {
		t.Fatalf("ArtifactAlgorithms() shares its slice: %v", again)
	}
}

// randomBytes returns n random bytes.
func randomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReader(t *testing.T) {
	// Sizes around the read buffer's edges.
	for _, n := range []int{0, 1, bufSize - 1, bufSize, bufSize + 1, 3*bufSize + 17} {
		data := randomBytes(t, n)
		set, size, err := Reader(context.Background(), bytes.NewReader(data), SHA256, SHA512)
		if err != nil {
			t.Fatal(err)
		}
		s256 := sha256.Sum256(data)
		s512 := sha512.Sum512(data)
		want := Set{SHA256: hex.EncodeToString(s256[:]), SHA512: hex.EncodeToString(s512[:])}
		if size != int64(n) || !set.Equal(want) {
			t.Fatalf("n=%d: got %v, %d; want %v", n, set, size, want)
		}
	}
}

// errReader fails after its data.
type errReader struct{ data []byte }

var errBoom = errors.New("boom")

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errBoom
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// endless yields zeros forever and cancels ctx after some reads.
type endless struct {
	reads  int
	cancel func()
}

func (e *endless) Read(p []byte) (int, error) {
	e.reads++
	if e.reads == 3 {
		e.cancel()
	}
	clear(p)
	return len(p), nil
}

func TestReaderErrors(t *testing.T) {
	if _, _, err := Reader(context.Background(), &errReader{data: []byte("abc")}); !errors.Is(err, errBoom) {
		t.Fatalf("read error: got %v", err)
	}
	if _, _, err := Reader(context.Background(), strings.NewReader("x"), "whirlpool"); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Fatalf("unknown algorithm: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &endless{cancel: cancel}
	_, n, err := Reader(ctx, e)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: got %v", err)
	}
	if e.reads != 3 || n != 3*bufSize {
		t.Fatalf("cancelled after %d reads and %d bytes, want 3 reads", e.reads, n)
	}
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

func sha256Hex(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func TestFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.whl")
	writeFile(t, p, []byte("abc"))
	set, n, err := File(context.Background(), p, SHA256, SHA3_256)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 || !set.Equal(Set{SHA256: abc[SHA256], SHA3_256: abc[SHA3_256]}) {
		t.Fatalf("got %v, %d", set, n)
	}
	// Large enough for the pipelined path.
	big := randomBytes(t, 3*bufSize+5)
	writeFile(t, filepath.Join(dir, "big"), big)
	set, n, err = File(context.Background(), filepath.Join(dir, "big"), SHA512, SHA256)
	s512 := sha512.Sum512(big)
	if err != nil || n != int64(len(big)) || !set.Equal(Set{SHA256: sha256Hex(big), SHA512: hex.EncodeToString(s512[:])}) {
		t.Fatalf("big file: %v, %d, %v", set, n, err)
	}
	if _, _, err := File(context.Background(), dir); !errors.Is(err, ErrUnsupportedFile) {
		t.Fatalf("directory: got %v, want ErrUnsupportedFile", err)
	}
	if _, _, err := File(context.Background(), filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := File(ctx, p); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), p) {
		t.Fatalf("cancelled: got %v, want context.Canceled naming the path", err)
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	want := map[string]string{}
	var total int64
	for i := range 40 {
		p := filepath.Join(dir, fmt.Sprintf("f%02d", i))
		data := randomBytes(t, i*i*1000) // 0 .. 1.5 MB: some span several buffers
		writeFile(t, p, data)
		paths = append(paths, p)
		want[p] = sha256Hex(data)
		total += int64(len(data))
	}
	slices.Reverse(paths) // results must follow the input order, whatever it is
	for _, workers := range []int{0, 1, 3, 100} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var mu sync.Mutex
			var calls int
			var lastDone, lastTotal int64
			inCall := false
			results, err := Files(context.Background(), paths, Options{
				Workers: workers,
				Progress: func(done, tot int64) {
					mu.Lock()
					defer mu.Unlock()
					if inCall {
						t.Error("Progress calls overlap")
					}
					inCall = true
					if done < lastDone {
						t.Errorf("done went back from %d to %d", lastDone, done)
					}
					calls++
					lastDone, lastTotal = done, tot
					inCall = false
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != len(paths) {
				t.Fatalf("%d results for %d paths", len(results), len(paths))
			}
			for i, r := range results {
				if r.Path != paths[i] || r.Digest[SHA256] != want[paths[i]] || len(r.Digest) != 1 {
					t.Fatalf("result %d = %+v, want %s %s", i, r, paths[i], want[paths[i]])
				}
			}
			if lastDone != total || lastTotal != total || calls < 2 {
				t.Fatalf("progress ended at %d/%d after %d calls, want %d/%d", lastDone, lastTotal, calls, total, total)
			}
		})
	}
}

func TestFilesErrors(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 20 {
		p := filepath.Join(dir, fmt.Sprint(i))
		writeFile(t, p, randomBytes(t, 1000))
		paths = append(paths, p)
	}
	missing := filepath.Join(dir, "missing")
	tests := []struct {
		name    string
		paths   []string
		opts    Options
		wantErr error
	}{
		{"missing file", append(slices.Clone(paths[:10]), append([]string{missing}, paths[10:]...)...), Options{}, fs.ErrNotExist},
		{"directory", []string{paths[0], dir}, Options{Workers: 1}, ErrUnsupportedFile},
		{"unknown algorithm", paths, Options{Algorithms: []string{"crc32"}}, ErrUnsupportedAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, err := Files(context.Background(), tt.paths, tt.opts)
			if !errors.Is(err, tt.wantErr) || results != nil {
				t.Fatalf("got %v, %d results; want %v and none", err, len(results), tt.wantErr)
			}
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Files(ctx, paths, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: got %v", err)
	}
	if results, err := Files(context.Background(), nil, Options{}); err != nil || len(results) != 0 {
		t.Fatalf("no paths: got %v, %v", results, err)
	}
}

// TestFilesCancelMidway cancels while the workers are busy: Files returns
// promptly with the context's error and no results.
func TestFilesCancelMidway(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 64 {
		p := filepath.Join(dir, fmt.Sprint(i))
		writeFile(t, p, make([]byte, 2*bufSize))
		paths = append(paths, p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	results, err := Files(ctx, paths, Options{Workers: 2, Progress: func(done, total int64) {
		if done > 3*bufSize {
			once.Do(cancel)
		}
	}})
	if !errors.Is(err, context.Canceled) || results != nil {
		t.Fatalf("got %v, %d results", err, len(results))
	}
}

var _ io.Writer = (*Hasher)(nil)
