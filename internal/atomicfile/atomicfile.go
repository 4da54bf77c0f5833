// Package atomicfile writes output files so that nobody ever sees half of
// one and an existing file is never replaced by accident: data goes to a
// temporary file in the destination's directory, is synced, and is then
// linked (no overwrite) or renamed (overwrite allowed) into place.
//
// It also resolves paths taken from inputs against an output directory so
// that they can never escape it (SafeJoin).
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Errors returned by this package, wrapped with the path concerned.
var (
	// ErrExists: the destination exists and overwriting was not allowed.
	ErrExists = errors.New("already exists (use --force to overwrite)")
	// ErrNotRegular: the destination exists and is a directory, a socket or
	// another file that an output must not replace.
	ErrNotRegular = errors.New("exists and is not a regular file")
	// ErrUnsafePath: a path from an input would leave the output directory.
	ErrUnsafePath = errors.New("path escapes the output directory")
)

// Options control how a file is written.
type Options struct {
	// Force allows replacing an existing destination.
	Force bool
	// Perm is the mode of the new file; 0 means 0644.
	Perm fs.FileMode
}

func (o Options) perm() fs.FileMode {
	if o.Perm == 0 {
		return 0o644
	}
	return o.Perm
}

// File is an output file being written. Write to it, then call Commit to put
// it in place, or Abort to discard it. Abort after Commit is a no-op, so
// `defer f.Abort()` is always safe.
type File struct {
	*os.File
	path string
	opts Options
	done bool
	// stream is set when path is a character device, a named pipe or an
	// open descriptor (/dev/null, /dev/stdout, a FIFO): it is written in
	// place, since there is no file to replace.
	stream bool
}

// Create starts writing path. It fails early with ErrExists when path exists
// and opts.Force is false (Commit checks again, atomically), and with
// ErrNotRegular when path is a directory or another kind of file that cannot
// be replaced by an output. A character device or named pipe (/dev/null,
// /dev/stdout, a FIFO), or on Linux a file reached through a link to one of
// this process's descriptors (/dev/stdout redirected to a file), is written
// to directly: there is nothing to replace, so neither a temporary file nor
// Force is involved.
func Create(path string, opts Options) (*File, error) {
	out, stream, err := openStream(path, true)
	if err != nil {
		return nil, err
	}
	if stream {
		return &File{File: out, path: path, opts: opts, stream: true}, nil
	}
	if err := refuseExisting(path, opts); err != nil {
		return nil, err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if err := tmp.Chmod(opts.perm()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{File: tmp, path: path, opts: opts}, nil
}

// Check reports, without writing anything, whether Create(path, opts) would
// refuse path: ErrExists for an existing file without Force, ErrNotRegular
// for a directory or another file an output cannot replace. Commands call
// it before long work so that a refusal comes first, not after the work.
func Check(path string, opts Options) error {
	out, stream, err := openStream(path, false)
	if err != nil {
		return err
	}
	if stream {
		if out != nil {
			return out.Close()
		}
		return nil
	}
	return refuseExisting(path, opts)
}

// refuseExisting fails with ErrExists when path exists and opts.Force is
// false.
func refuseExisting(path string, opts Options) error {
	if !opts.Force {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
	}
	return nil
}

// openStream reports whether path exists and is a stream to write in place:
// a character device or named pipe, or a link to one of this process's
// descriptors (/dev/stdout). It opens the stream for writing, except a
// device or pipe when open is false (opening a FIFO waits for its reader).
// A path that is absent or a regular file to replace is no stream; a
// directory, a socket and the like fail with ErrNotRegular.
func openStream(path string, open bool) (out *os.File, stream bool, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, false, nil
	}
	switch {
	case fi.Mode().IsRegular():
		out, err = openDescriptor(path)
	case fi.Mode()&(fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
		if !open {
			return nil, true, nil
		}
		out, err = os.OpenFile(path, os.O_WRONLY, 0)
	default:
		return nil, false, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	if err != nil {
		return nil, false, fmt.Errorf("create %s: %w", path, err)
	}
	return out, out != nil, nil
}

// Commit syncs and closes the temporary file and moves it to the
// destination. Without Force it fails with ErrExists if the destination
// appeared in the meantime, leaving it untouched.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("%s: already committed or aborted", f.path)
	}
	f.done = true
	if f.stream {
		if err := f.File.Close(); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
		return nil
	}
	tmp := f.File.Name()
	defer os.Remove(tmp)
	if err := f.File.Sync(); err != nil {
		f.File.Close()
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	if err := f.File.Close(); err != nil {
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	if f.opts.Force {
		if err := os.Rename(tmp, f.path); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
	} else if err := os.Link(tmp, f.path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", f.path, ErrExists)
		}
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	syncDir(filepath.Dir(f.path))
	return nil
}

// Abort discards the temporary file and returns the error of removing it.
// It does nothing after Commit.
func (f *File) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	f.File.Close()
	if f.stream {
		return nil
	}
	return os.Remove(f.File.Name())
}

// WriteFile writes data to path atomically (see Create and Commit). It
// fails with ErrExists when path exists and opts.Force is false, or with
// the I/O error that stopped it; path is then left as it was.
func WriteFile(path string, data []byte, opts Options) error {
	f, err := Create(path, opts)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}

// syncDir makes a rename durable; errors are ignored because some file
// systems do not support syncing directories.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// SafeJoin joins a relative, slash-separated name taken from an input (an
// archive entry, a subject name) to root, and fails with ErrUnsafePath when
// the result would not be inside root: absolute names, ".." components,
// volume names and backslashes are all refused.
func SafeJoin(root, name string) (string, error) {
	if name == "" || strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("%q: %w", name, ErrUnsafePath)
	}
	if strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || filepath.VolumeName(name) != "" {
		return "", fmt.Errorf("%q: %w", name, ErrUnsafePath)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", fmt.Errorf("%q: %w", name, ErrUnsafePath)
		}
	}
	clean := filepath.Clean(filepath.FromSlash(name))
	if clean == "." || !filepath.IsLocal(clean) {
		return "", fmt.Errorf("%q: %w", name, ErrUnsafePath)
	}
	return filepath.Join(root, clean), nil
}
