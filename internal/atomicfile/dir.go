package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir is an output directory being written: its files go into a temporary
// sibling directory (Path), and Commit renames that directory into place in
// one step, so nobody ever sees half of it. `defer d.Abort()` is always
// safe: it removes the temporary directory unless Commit succeeded.
type Dir struct {
	path string
	tmp  string
	opts Options
	done bool
}

// CreateDir starts writing the directory path. Its parent must exist. It
// fails early with ErrExists when path exists and opts.Force is false
// (Commit checks again). opts.Perm is the new directory's mode; 0 means
// 0755.
func CreateDir(path string, opts Options) (*Dir, error) {
	if !opts.Force {
		if _, err := os.Lstat(path); err == nil {
			return nil, fmt.Errorf("%s: %w", path, ErrExists)
		}
	}
	clean := filepath.Clean(path)
	parent, base := filepath.Split(clean)
	if parent == "" {
		parent = "."
	}
	if base == "" || base == "." || base == ".." {
		return nil, fmt.Errorf("%q: %w", path, ErrUnsafePath)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	perm := opts.Perm
	if perm == 0 {
		perm = 0o755
	}
	if err := os.Chmod(tmp, perm); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &Dir{path: clean, tmp: tmp, opts: opts}, nil
}

// Path returns the temporary directory to write the files into.
func (d *Dir) Path() string { return d.tmp }

// Commit syncs the temporary directory and renames it to the destination.
// Without Force it fails with ErrExists, leaving everything as it was, when
// the destination appeared meanwhile (atomically on Linux). With Force an
// existing destination is moved aside, replaced and then removed; if the
// replacement fails the old directory is put back.
func (d *Dir) Commit() error {
	if d.done {
		return fmt.Errorf("%s: already committed or aborted", d.path)
	}
	syncDir(d.tmp)
	if !d.opts.Force {
		if err := renameNoReplace(d.tmp, d.path); err != nil {
			if errors.Is(err, fs.ErrExist) || errors.Is(err, ErrExists) {
				return fmt.Errorf("%s: %w", d.path, ErrExists)
			}
			return fmt.Errorf("write %s: %w", d.path, err)
		}
		d.done = true
		syncDir(filepath.Dir(d.path))
		return nil
	}
	var old string
	if _, err := os.Lstat(d.path); err == nil {
		parent, base := filepath.Split(d.path)
		if parent == "" {
			parent = "."
		}
		aside, err := os.MkdirTemp(parent, "."+base+".old-*")
		if err != nil {
			return fmt.Errorf("write %s: %w", d.path, err)
		}
		old = filepath.Join(aside, base)
		if err := os.Rename(d.path, old); err != nil {
			os.Remove(aside)
			return fmt.Errorf("write %s: move the old one aside: %w", d.path, err)
		}
		defer os.RemoveAll(aside)
	}
	if err := os.Rename(d.tmp, d.path); err != nil {
		if old != "" {
			os.Rename(old, d.path)
		}
		return fmt.Errorf("write %s: %w", d.path, err)
	}
	d.done = true
	syncDir(filepath.Dir(d.path))
	return nil
}

// Abort removes the temporary directory and returns the error of removing
// it. It does nothing after Commit.
func (d *Dir) Abort() error {
	if d.done {
		return nil
	}
	d.done = true
	return os.RemoveAll(d.tmp)
}

// renameCheck renames oldpath to newpath after checking that newpath does
// not exist (a window remains between the two).
func renameCheck(oldpath, newpath string) error {
	if _, err := os.Lstat(newpath); err == nil {
		return ErrExists
	}
	return os.Rename(oldpath, newpath)
}
