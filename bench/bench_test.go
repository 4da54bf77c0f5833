package bench

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/pedigree-dev/pedigree/digest"
)

// run.sh passes the data it generated; without it, the benchmarks write a
// smaller set into a temporary directory once.
var (
	bigFlag  = flag.String("big", "", "large file to hash (default: 256 MiB generated)")
	treeFlag = flag.String("tree", "", "tree of many files to hash (default: 2,000 generated files)")
)

var (
	dataOnce sync.Once
	data     Data
	dataErr  error
	tempDir  string
)

// testData returns the big file and the tree, generating what the flags
// do not name.
func testData(b *testing.B) Data {
	b.Helper()
	dataOnce.Do(func() {
		d := Data{Big: *bigFlag, Tree: *treeFlag}
		var big int64
		var files int
		if d.Big == "" {
			big = 256 << 20
		}
		if d.Tree == "" {
			files = 2000
		}
		if big > 0 || files > 0 {
			tempDir, dataErr = os.MkdirTemp("", "pedigree-bench-")
			if dataErr != nil {
				return
			}
			g, err := Generate(tempDir, big, files)
			if err != nil {
				dataErr = err
				return
			}
			if d.Big == "" {
				d.Big = g.Big
			}
			if d.Tree == "" {
				d.Tree = g.Tree
			}
		}
		data = d
		data.Files, data.TreeBytes, dataErr = countTree(d.Tree)
	})
	if dataErr != nil {
		b.Fatal(dataErr)
	}
	return data
}

func countTree(dir string) (int, int64, error) {
	var n int
	var size int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		n++
		size += fi.Size()
		return nil
	})
	return n, size, err
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if tempDir != "" {
		os.RemoveAll(tempDir)
	}
	os.Exit(code)
}

func fileSize(b *testing.B, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// BenchmarkBigFile: one large file, as `pedigree digest big.bin` hashes it.
func BenchmarkBigFile(b *testing.B) {
	for _, algs := range [][]string{{digest.SHA256}, {digest.SHA512}, {digest.SHA256, digest.SHA512}} {
		b.Run(fmt.Sprint(algs), func(b *testing.B) {
			d := testData(b)
			b.SetBytes(fileSize(b, d.Big))
			for b.Loop() {
				if _, _, err := digest.File(context.Background(), d.Big, algs...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkManyFiles: the tree's files, one worker against one per core.
// run.sh prints the ratio; the target is 1.7x on 2 cores.
func BenchmarkManyFiles(b *testing.B) {
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			d := testData(b)
			var paths []string
			filepath.WalkDir(d.Tree, func(p string, e fs.DirEntry, err error) error {
				if err == nil && !e.IsDir() {
					paths = append(paths, p)
				}
				return err
			})
			b.SetBytes(d.TreeBytes)
			for b.Loop() {
				if _, err := digest.Files(context.Background(), paths, digest.Options{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(paths))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
		})
	}
}

// BenchmarkDirHash1 compares HashDir with golang.org/x/mod's dirhash, which
// hashes the same value one file at a time.
func BenchmarkDirHash1(b *testing.B) {
	b.Run("pedigree", func(b *testing.B) {
		d := testData(b)
		b.SetBytes(d.TreeBytes)
		for b.Loop() {
			if _, err := digest.HashDir(context.Background(), d.Tree); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("x-mod-dirhash", func(b *testing.B) {
		d := testData(b)
		b.SetBytes(d.TreeBytes)
		for b.Loop() {
			if _, err := dirhash.HashDir(d.Tree, "", dirhash.Hash1); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestDirHash1Agrees checks, on the benchmark's tree, that the two
// implementations measured above compute the same value.
func TestDirHash1Agrees(t *testing.T) {
	if *treeFlag == "" {
		t.Skip("skipped: no -tree given (digest's own tests prove the equality on small trees)")
	}
	want, err := dirhash.HashDir(*treeFlag, "", dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := digest.HashDir(context.Background(), *treeFlag)
	if err != nil {
		t.Fatal(err)
	}
	if digest.H1(got) != want {
		t.Fatalf("HashDir = %s, x/mod %s", digest.H1(got), want)
	}
}
