package digest

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
)

// BenchmarkHasher measures each algorithm on 1 MiB writes, and the usual
// pair in one pass.
func BenchmarkHasher(b *testing.B) {
	buf := make([]byte, bufSize)
	sets := [][]string{{SHA256, SHA512}}
	for _, alg := range Supported() {
		sets = append(sets, []string{alg})
	}
	for _, algs := range sets {
		b.Run(fmt.Sprint(algs), func(b *testing.B) {
			h, err := NewHasher(algs...)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				h.Write(buf)
			}
		})
	}
}

// BenchmarkFilesSmall measures the per-file cost on 2,000 files of 4 KiB,
// where opening and closing weigh more than hashing.
func BenchmarkFilesSmall(b *testing.B) {
	dir := b.TempDir()
	var paths []string
	for i := range 2000 {
		p := filepath.Join(dir, fmt.Sprint(i))
		writeFile(b, p, make([]byte, 4096))
		paths = append(paths, p)
	}
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(paths)) * 4096)
			for b.Loop() {
				if _, err := Files(context.Background(), paths, Options{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPipeline compares hashing one 256 MiB file in a single
// goroutine with the pipelined form File uses when a core is spare.
func BenchmarkPipeline(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big")
	writeFile(b, path, randomBytes(b, 256<<20))
	for _, algs := range [][]string{{SHA256}, {SHA256, SHA512}} {
		for _, pipeline := range []bool{false, true} {
			b.Run(fmt.Sprintf("%v/pipeline=%v", algs, pipeline), func(b *testing.B) {
				h, _ := NewHasher(algs...)
				buf := make([]byte, bufSize)
				b.SetBytes(256 << 20)
				for b.Loop() {
					h.Reset()
					if _, err := hashFile(context.Background(), h, path, buf, nil, pipeline); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
