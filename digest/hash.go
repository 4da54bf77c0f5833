package digest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
)

// ErrUnsupportedFile is returned for a path pedigree does not hash: a
// directory given where a file is expected, and, inside a directory tree, a
// symbolic link to a directory, a dangling link, a device, a FIFO or a
// socket, or a file name dirHash1 cannot represent.
var ErrUnsupportedFile = errors.New("unsupported file")

// bufSize is the read size: large enough that syscalls cost little next to
// hashing, small enough that memory stays flat whatever the file size
// (one buffer per worker).
const bufSize = 1 << 20

var bufPool = sync.Pool{New: func() any { b := make([]byte, bufSize); return &b }}

// Options configures the one-shot hashing calls (Files, ExpandPaths).
type Options struct {
	// Algorithms to compute; empty means SHA-256 only. See Supported.
	Algorithms []string
	// Workers is the number of files hashed at once; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is called as bytes are hashed with the bytes done
	// so far and the total size of the files (as stat reported it before
	// hashing started). Calls never overlap; it must return quickly.
	Progress func(doneBytes, totalBytes int64)
	// DirHash makes ExpandPaths turn each directory argument into a single
	// subject whose digest is its dirHash1, instead of one subject per file.
	DirHash bool
	// Stdin is read by ExpandPaths for the argument "-"; with no Stdin, "-"
	// is an error.
	Stdin io.Reader
}

// Result is the digest of one file.
type Result struct {
	// Path is the path as given to Files.
	Path string
	// Size is the number of bytes hashed.
	Size int64
	// Digest holds one hex value per algorithm asked for.
	Digest Set
}

// Reader hashes everything r yields with the given algorithms (SHA-256 when
// none is given) and returns the digests and the number of bytes read. It
// reads in fixed-size chunks, so memory does not grow with the input, and
// stops with ctx.Err() when ctx is cancelled. Errors: ErrUnsupportedAlgorithm,
// or the read error.
func Reader(ctx context.Context, r io.Reader, algs ...string) (Set, int64, error) {
	h, err := NewHasher(algs...)
	if err != nil {
		return nil, 0, err
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	n, err := copyHash(ctx, h, r, *bp, nil, runtime.GOMAXPROCS(0) > 1)
	if err != nil {
		return nil, n, err
	}
	return h.Sum(), n, nil
}

// File hashes the file at path like Reader. A directory fails with
// ErrUnsupportedFile; other errors are the *fs.PathError of opening or
// reading it, or ctx.Err() wrapped with the path.
func File(ctx context.Context, path string, algs ...string) (Set, int64, error) {
	h, err := NewHasher(algs...)
	if err != nil {
		return nil, 0, err
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	n, err := hashFile(ctx, h, path, *bp, nil, runtime.GOMAXPROCS(0) > 1)
	if err != nil {
		return nil, n, err
	}
	return h.Sum(), n, nil
}

// hashFile feeds the file at path to h (which the caller has reset); see
// copyHash for pipeline.
func hashFile(ctx context.Context, h *Hasher, path string, buf []byte, progress func(int), pipeline bool) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if fi.IsDir() {
		return 0, fmt.Errorf("%s: is a directory: %w", path, ErrUnsupportedFile)
	}
	n, err := copyHash(ctx, h, f, buf, progress, pipeline && fi.Size() > int64(len(buf)))
	if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		err = fmt.Errorf("%s: %w", path, err)
	}
	return n, err
}

// copyHash reads r to the end into h through buf, checking ctx between
// chunks and reporting each chunk's size to progress. With pipeline, it
// reads the next chunk while other goroutines, one per algorithm, hash the
// previous one (using a second buffer): with a spare core, one big file
// then hashes at the speed of its slowest algorithm alone rather than of
// reading plus every algorithm in turn.
func copyHash(ctx context.Context, h *Hasher, r io.Reader, buf []byte, progress func(int), pipeline bool) (int64, error) {
	if pipeline {
		return pipeHash(ctx, h, r, buf, progress)
	}
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := r.Read(buf)
		if n > 0 {
			h.Write(buf[:n])
			total += int64(n)
			if progress != nil {
				progress(n)
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// pipeHash is copyHash's pipelined form: two buffers, one being read into
// while the hash goroutines consume the other.
func pipeHash(ctx context.Context, h *Hasher, r io.Reader, buf []byte, progress func(int)) (int64, error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	bufs := [2][]byte{buf, (*bp)[:len(buf)]}

	var hashed sync.WaitGroup // the chunk handed out last
	inputs := make([]chan []byte, len(h.hashes))
	for i, hh := range h.hashes {
		inputs[i] = make(chan []byte, 1)
		go func(in <-chan []byte) {
			for chunk := range in {
				hh.Write(chunk)
				hashed.Done()
			}
		}(inputs[i])
	}
	defer func() {
		hashed.Wait()
		for _, in := range inputs {
			close(in)
		}
	}()

	var total int64
	for cur := 0; ; {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := r.Read(bufs[cur])
		if n > 0 {
			hashed.Wait() // the other buffer is free again
			hashed.Add(len(inputs))
			for _, in := range inputs {
				in <- bufs[cur][:n]
			}
			total += int64(n)
			if progress != nil {
				progress(n)
			}
			cur = 1 - cur
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// Files hashes the files at paths in parallel with opts.Workers workers
// (GOMAXPROCS when 0), each with its own buffer, so memory stays flat. The
// results come in the order of paths. The first error (see File) cancels
// the remaining work and is returned alone; a cancelled ctx returns its
// error. Errors: ErrUnsupportedAlgorithm, ErrUnsupportedFile, *fs.PathError.
func Files(ctx context.Context, paths []string, opts Options) ([]Result, error) {
	algs, err := CheckAlgorithms(opts.Algorithms)
	if err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(paths))
	// A single file may use a second core (see copyHash); with several
	// files, each worker keeps to one, so --jobs 1 means one core.
	pipeline := len(paths) == 1 && runtime.GOMAXPROCS(0) > 1
	results := make([]Result, len(paths))
	if len(paths) == 0 {
		return results, ctx.Err()
	}

	var report func(int)
	if opts.Progress != nil {
		var (
			mu          sync.Mutex
			done, total int64
		)
		for _, p := range paths {
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				total += fi.Size()
			}
		}
		opts.Progress(0, total)
		report = func(n int) {
			mu.Lock()
			done += int64(n)
			opts.Progress(done, total)
			mu.Unlock()
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		errOnce.Do(func() {
			firstErr = err
			cancel()
		})
	}
	jobs := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h, _ := NewHasher(algs...) // algs checked above
			bp := bufPool.Get().(*[]byte)
			defer bufPool.Put(bp)
			for i := range jobs {
				h.Reset()
				n, err := hashFile(ctx, h, paths[i], *bp, report, pipeline)
				if err != nil {
					fail(err)
					continue
				}
				results[i] = Result{Path: paths[i], Size: n, Digest: h.Sum()}
			}
		}()
	}
feed:
	for i := range paths {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}
