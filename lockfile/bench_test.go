package lockfile_test

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/lockfile"
)

// BenchmarkParse parses each real sample lock file (from memory, so the
// figure is parsing alone).
func BenchmarkParse(b *testing.B) {
	for _, tc := range samples {
		path := testshared.Path("python-samples", tc.path)
		if path == "" {
			b.Skip("skipped: ../shared absent")
		}
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.ReplaceAll(tc.path, "/", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := lockfile.Parse(tc.path, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// wheelhouse writes n small wheels of sizes around size bytes into dir and
// returns a requirements.txt locking them.
func wheelhouse(tb testing.TB, dir string, n, size int) string {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var req strings.Builder
	for i := range n {
		name := fmt.Sprintf("pkg%04d", i)
		file := filepath.Join(dir, name+"-1.0.0-py3-none-any.whl")
		f, err := os.Create(file)
		if err != nil {
			tb.Fatal(err)
		}
		zw := zip.NewWriter(f)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name + "/data.bin", Method: zip.Store})
		if err != nil {
			tb.Fatal(err)
		}
		buf := make([]byte, size)
		for j := range buf {
			buf[j] = byte(rng.Uint32())
		}
		if _, err := w.Write(buf); err != nil {
			tb.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			tb.Fatal(err)
		}
		if err := f.Close(); err != nil {
			tb.Fatal(err)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&req, "%s==1.0.0 \\\n    --hash=sha256:%s\n", name, hex.EncodeToString(sum[:]))
	}
	lock := filepath.Join(dir, "requirements.txt")
	if err := os.WriteFile(lock, []byte(req.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return lock
}

// BenchmarkCheck runs lock check over a generated wheelhouse of 1,000
// wheels (64 KiB each, 64 MiB in all), lock parsing included.
func BenchmarkCheck(b *testing.B) {
	for _, size := range []int{64 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("1000x%dKiB", size>>10), func(b *testing.B) {
			if size > 64<<10 && testing.Short() {
				b.Skip("skipped in -short")
			}
			dir := b.TempDir()
			lock := wheelhouse(b, dir, 1000, size)
			b.SetBytes(int64(1000 * size))
			b.ResetTimer()
			for b.Loop() {
				l, err := lockfile.ParseFile(lock, lockfile.Options{})
				if err != nil {
					b.Fatal(err)
				}
				rep, err := lockfile.Check(context.Background(), l, []string{dir}, lockfile.CheckOptions{})
				if err != nil || !rep.OK || rep.Summary.Matched != 1000 {
					b.Fatalf("report %+v, %v", rep.Summary, err)
				}
			}
		})
	}
}
