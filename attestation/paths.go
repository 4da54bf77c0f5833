package attestation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ParseFile reads the file at path and returns its attestations (Parse).
// Besides Parse's errors it returns the file system's error, wrapped, and
// ErrTooLarge for a file over MaxFileSize.
func ParseFile(path string) ([]Item, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// ParsePaths returns the attestations of every path, in order. A file must
// hold attestations. A directory is walked recursively in lexical order
// (skipping directories whose name starts with "."), and every file in it
// whose content is a JSON object of an attestation format is read; other
// files (artifacts, unrelated JSON such as a trusted_root.json) are
// skipped, but a malformed attestation is an error. A directory with no
// attestation fails with ErrNoAttestations.
func ParsePaths(paths []string) ([]Item, error) {
	var items []Item
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("attestation: %w", err)
		}
		if !fi.IsDir() {
			found, err := ParseFile(p)
			if err != nil {
				return nil, err
			}
			items = append(items, found...)
			continue
		}
		found, err := parseDir(p)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: a directory with no attestation file: %w", p, ErrNoAttestations)
		}
		items = append(items, found...)
		if len(items) > MaxItems {
			return nil, fmt.Errorf("more than %d attestations: %w", MaxItems, ErrTooLarge)
		}
	}
	return items, nil
}

func parseDir(dir string) ([]Item, error) {
	var items []Item
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("attestation: %w", err)
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		ok, err := looksLikeJSONObject(path)
		if err != nil || !ok {
			return err
		}
		found, err := ParseFile(path)
		if errors.Is(err, ErrUnknownFormat) {
			return nil
		}
		if err != nil {
			return err
		}
		items = append(items, found...)
		if len(items) > MaxItems {
			return fmt.Errorf("%s: more than %d attestations: %w", dir, MaxItems, ErrTooLarge)
		}
		return nil
	})
	return items, err
}

// looksLikeJSONObject reports whether the file's first non-space byte is
// "{", reading at most 4 KiB.
func looksLikeJSONObject(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("attestation: %w", err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("attestation: %s: %w", path, err)
	}
	head := bytes.TrimLeft(bytes.TrimPrefix(buf[:n], []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(head) > 0 && head[0] == '{', nil
}

// readFile reads a regular file of at most MaxFileSize bytes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("attestation: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("attestation: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("attestation: %s: not a regular file", path)
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s: %d bytes, limit %d: %w", path, fi.Size(), MaxFileSize, ErrTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("attestation: %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: more than %d bytes: %w", path, MaxFileSize, ErrTooLarge)
	}
	return data, nil
}
