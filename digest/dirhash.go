package digest

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// h1Prefix marks Go's base64 form of a dirHash1 value, as in go.sum.
const h1Prefix = "h1:"

// listTree returns the files in the tree rooted at dir as slash-separated
// names relative to dir, sorted bytewise (the order dirhash uses).
//
// Symbolic links: a link to a regular file is listed and hashed through the
// link (the content a reader of the tree gets, and what Go's dirhash does);
// a link to a directory is not followed, and, like a dangling link, a
// device, a FIFO or a socket, it is an error wrapping ErrUnsupportedFile.
// Following directory links could loop or pull in files from elsewhere;
// skipping anything silently would hash a tree that is not the one on disk.
// dir itself may be a link to a directory: the user named it.
func listTree(ctx context.Context, dir string) ([]string, error) {
	root := dir
	if fi, err := os.Lstat(dir); err != nil {
		return nil, err
	} else if fi.Mode()&fs.ModeSymlink != 0 {
		// Walk the directory the link points to, but keep names relative.
		root = dir + string(filepath.Separator)
	}
	fi, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory: %w", dir, ErrUnsupportedFile)
	}
	var names []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			fi, err := os.Stat(path)
			if err != nil {
				return fmt.Errorf("%s: dangling symbolic link: %w", path, ErrUnsupportedFile)
			}
			if fi.IsDir() {
				return fmt.Errorf("%s: symbolic link to a directory is not followed: %w", path, ErrUnsupportedFile)
			}
			mode = fi.Mode().Type()
		}
		if !mode.IsRegular() {
			return fmt.Errorf("%s: not a regular file (%v): %w", path, mode, ErrUnsupportedFile)
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}

// HashDir returns the dirHash1 of the directory dir as lowercase hex (the
// in-toto "dirHash1" digest value): the SHA-256 of the lines
// "<sha256 hex>  <name>\n" of every file below dir, names relative to dir
// with forward slashes, sorted bytewise. It equals the value of
// golang.org/x/mod/sumdb/dirhash.HashDir(dir, "", Hash1) (which is "h1:"
// and the base64 of the same bytes; see H1). Files are hashed in parallel
// on every core.
//
// Symbolic links to regular files are followed (the content a reader of the
// tree gets; Go's dirhash does the same). Links to directories are not
// followed, since they could loop or pull in files from elsewhere: like
// dangling links, devices, FIFOs, sockets and file names with a newline,
// they fail with ErrUnsupportedFile rather than be skipped silently. dir
// itself may be a link to a directory. A dir that is not a directory fails
// with ErrUnsupportedFile; I/O errors are returned as they come
// (*fs.PathError).
func HashDir(ctx context.Context, dir string) (string, error) {
	names, err := listTree(ctx, dir)
	if err != nil {
		return "", err
	}
	if err := checkH1Names(dir, names); err != nil {
		return "", err
	}
	paths := make([]string, len(names))
	for i, name := range names {
		paths[i] = filepath.Join(dir, filepath.FromSlash(name))
	}
	results, err := Files(ctx, paths, Options{})
	if err != nil {
		return "", err
	}
	sums := make([]string, len(results))
	for i, r := range results {
		sums[i] = r.Digest[SHA256]
	}
	return summarize(names, sums), nil
}

// checkH1Names fails with ErrUnsupportedFile for a name dirHash1 cannot
// represent (one with a newline, as Go's dirhash refuses too).
func checkH1Names(dir string, names []string) error {
	for _, name := range names {
		if strings.Contains(name, "\n") {
			return fmt.Errorf("%s: file name %q contains a newline, which dirHash1 cannot represent: %w", dir, name, ErrUnsupportedFile)
		}
	}
	return nil
}

// summarize computes dirHash1 from the sorted names (checked by
// checkH1Names) and the SHA-256 of each file.
func summarize(names []string, sha256s []string) string {
	h := sha256.New()
	for i, name := range names {
		fmt.Fprintf(h, "%s  %s\n", sha256s[i], name)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// H1 returns the "h1:" form of a dirHash1 hex value, as go.sum writes it,
// or "" when hexDigest is not 64 lowercase hex characters.
func H1(hexDigest string) string {
	if ValidateValue(DirHash1, hexDigest) != nil {
		return ""
	}
	raw, _ := hex.DecodeString(hexDigest)
	return h1Prefix + base64.StdEncoding.EncodeToString(raw)
}

// ParseH1 turns an "h1:" value (as in go.sum) back into the lowercase hex
// dirHash1 value. It fails with ErrInvalidDigest when the prefix is
// missing, the base64 is malformed or does not hold 32 bytes.
func ParseH1(h1 string) (string, error) {
	b64, ok := strings.CutPrefix(h1, h1Prefix)
	if !ok {
		return "", fmt.Errorf("want an %q value: %w", h1Prefix, ErrInvalidDigest)
	}
	if len(b64) != base64.StdEncoding.EncodedLen(sha256.Size) {
		return "", fmt.Errorf("want %d base64 characters after %q, got %d: %w",
			base64.StdEncoding.EncodedLen(sha256.Size), h1Prefix, len(b64), ErrInvalidDigest)
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || len(raw) != sha256.Size {
		return "", fmt.Errorf("malformed base64 after %q: %w", h1Prefix, ErrInvalidDigest)
	}
	return hex.EncodeToString(raw), nil
}
