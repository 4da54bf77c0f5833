// Package bench holds pedigree's performance measurements: Go benchmarks
// (bench_test.go) and the data they and run.sh hash. run.sh compares
// `pedigree digest` with `openssl dgst -sha256` and `sha256sum` in one run
// and prints the ratios; see docs/commands/digest.md for figures.
package bench

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Data describes what Generate wrote.
type Data struct {
	// Big is the path of the large file ("" when none was asked for).
	Big string
	// Tree is the directory holding the many files ("" when none).
	Tree string
	// Files and TreeBytes count the tree's files and bytes.
	Files     int
	TreeBytes int64
}

// Generate writes, below out (created if missing), big.bin of bigBytes
// pseudo-random bytes and tree/ with files files of mixed sizes, spread
// over 1,000 directories: 80% of 0.1-16 KiB (sources, metadata), 19% of
// 16-256 KiB, 1% of 0.25-2.25 MiB (wheels, archives); about 47 KiB on
// average. A fixed seed makes every run write the same bytes. It returns
// the first I/O error.
func Generate(out string, bigBytes int64, files int) (Data, error) {
	rng := rand.New(rand.NewChaCha8([32]byte{'p', 'e', 'd', 'i', 'g', 'r', 'e', 'e'}))
	var d Data
	if err := os.MkdirAll(out, 0o755); err != nil {
		return d, err
	}
	if bigBytes > 0 {
		d.Big = filepath.Join(out, "big.bin")
		if err := writeRandom(d.Big, bigBytes, rng); err != nil {
			return d, err
		}
	}
	if files <= 0 {
		return d, nil
	}
	d.Tree = filepath.Join(out, "tree")
	for i := range files {
		var size int64
		switch r := rng.IntN(100); {
		case r < 80:
			size = 100 + rng.Int64N(16<<10)
		case r < 99:
			size = 16<<10 + rng.Int64N(240<<10)
		default:
			size = 256<<10 + rng.Int64N(2<<20)
		}
		dir := filepath.Join(d.Tree, fmt.Sprintf("pkg%02d", i%40), fmt.Sprintf("mod%02d", (i/40)%25))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return d, err
		}
		if err := writeRandom(filepath.Join(dir, fmt.Sprintf("file%05d.dat", i)), size, rng); err != nil {
			return d, err
		}
		d.Files++
		d.TreeBytes += size
	}
	return d, nil
}

func writeRandom(path string, size int64, rng *rand.Rand) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.CopyN(w, rngReader{rng}, size); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// rngReader reads pseudo-random bytes.
type rngReader struct{ r *rand.Rand }

func (r rngReader) Read(p []byte) (int, error) {
	for i := 0; i < len(p); i += 8 {
		v := r.r.Uint64()
		for j := 0; j < 8 && i+j < len(p); j++ {
			p[i+j] = byte(v >> (8 * j))
		}
	}
	return len(p), nil
}
