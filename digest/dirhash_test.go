package digest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

// tree writes files (slash names -> content) under a new temporary
// directory and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), []byte(content))
	}
	return dir
}

// goH1 is Go's own dirhash of dir, with no prefix.
func goH1(t *testing.T, dir string) (string, error) {
	t.Helper()
	return dirhash.HashDir(dir, "", dirhash.Hash1)
}

// TestHashDirMatchesGo proves HashDir equals golang.org/x/mod's dirhash
// Hash1 on trees chosen for their edge cases.
func TestHashDirMatchesGo(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, dir string)
	}{
		{name: "empty directory", files: nil},
		{name: "one empty file", files: map[string]string{"a": ""}},
		{name: "a python release", files: map[string]string{
			"pedigree_demo-0.1.0-py3-none-any.whl": "PK\x03\x04 wheel bytes",
			"pedigree_demo-0.1.0.tar.gz":           "\x1f\x8b sdist bytes",
		}},
		// '.' sorts before '/', so "a.txt" comes before "a/b": the sort is
		// over whole names, not directory by directory.
		{name: "sort order across levels", files: map[string]string{
			"a/b": "1", "a.txt": "2", "a-b": "3", "a0": "4", "A": "5", "b/a/c/d": "6", "_": "7",
		}},
		{name: "spaces, unicode, backslash and leading dots", files: map[string]string{
			"with space.txt": "x", "ünïcødé/日本.txt": "y", `back\slash`: "z", ".hidden/.git/HEAD": "ref", "  lead": "w",
		}},
		{name: "big file spanning buffers", files: map[string]string{
			"big.bin": strings.Repeat("0123456789abcdef", 3*bufSize/16+5), "small": "s",
		}},
		{name: "symbolic link to a file", files: map[string]string{"real/file": "content"},
			setup: func(t *testing.T, dir string) {
				if err := os.Symlink("real/file", filepath.Join(dir, "link")); err != nil {
					t.Skip("no symlinks:", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tree(t, tt.files)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			want, err := goH1(t, dir)
			if err != nil {
				t.Fatalf("x/mod dirhash: %v", err)
			}
			got, err := HashDir(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := ValidateValue(DirHash1, got); err != nil {
				t.Fatalf("HashDir = %q: %v", got, err)
			}
			if H1(got) != want {
				t.Fatalf("H1(HashDir) = %s, x/mod says %s", H1(got), want)
			}
			back, err := ParseH1(want)
			if err != nil || back != got {
				t.Fatalf("ParseH1(%s) = %q, %v; want %s", want, back, err, got)
			}
			// The same through ExpandPaths --dir-hash, with one worker.
			subjects, err := ExpandPaths(context.Background(), []string{dir}, Options{DirHash: true, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(subjects) != 1 || subjects[0].Digest[DirHash1] != got || len(subjects[0].Digest) != 1 {
				t.Fatalf("ExpandPaths --dir-hash = %+v, want dirHash1 %s", subjects, got)
			}
		})
	}
}

// TestHashDirRefuses covers the trees HashDir refuses. Go's dirhash fails
// on them too (reading a directory through a link, a dangling link, a
// newline in a name) or would block (a FIFO).
func TestHashDirRefuses(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(t *testing.T, dir string)
		goFails  bool
		wantErrs []error
	}{
		{"symbolic link to a directory", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "sub", "f"), []byte("x"))
			symlink(t, "sub", filepath.Join(dir, "loop"))
		}, true, []error{ErrUnsupportedFile}},
		{"dangling symbolic link", func(t *testing.T, dir string) {
			symlink(t, "nowhere", filepath.Join(dir, "dangling"))
		}, true, []error{ErrUnsupportedFile}},
		{"newline in a name", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "new\nline"), []byte("x"))
		}, true, []error{ErrUnsupportedFile}},
		{"fifo", func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
				t.Skip("no mkfifo:", err)
			}
		}, false, []error{ErrUnsupportedFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			if tt.goFails {
				if h, err := goH1(t, dir); err == nil {
					t.Fatalf("x/mod dirhash accepted the tree: %s", h)
				}
			}
			_, err := HashDir(context.Background(), dir)
			for _, want := range tt.wantErrs {
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want %v", err, want)
				}
			}
		})
	}

	// Not a directory, and missing.
	f := filepath.Join(t.TempDir(), "file")
	writeFile(t, f, []byte("x"))
	if _, err := HashDir(context.Background(), f); !errors.Is(err, ErrUnsupportedFile) {
		t.Fatalf("file: got %v", err)
	}
	if _, err := HashDir(context.Background(), filepath.Join(f, "..", "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HashDir(ctx, filepath.Dir(f)); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: got %v", err)
	}
}

// TestHashDirThroughLink: the directory named may itself be a link; its
// names stay relative to it, so the hash equals the target's.
func TestHashDirThroughLink(t *testing.T) {
	dir := tree(t, map[string]string{"x/a": "1", "x/b/c": "2"})
	link := filepath.Join(dir, "link")
	symlink(t, "x", link)
	want, err := HashDir(context.Background(), filepath.Join(dir, "x"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := HashDir(context.Background(), link)
	if err != nil || got != want {
		t.Fatalf("through link: %s, %v; want %s", got, err, want)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks:", err)
	}
}

func TestH1(t *testing.T) {
	// The empty tree: SHA-256 of nothing.
	const emptyHex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	const emptyH1 = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
	if got := H1(emptyHex); got != emptyH1 {
		t.Fatalf("H1 = %s", got)
	}
	if got, err := ParseH1(emptyH1); err != nil || got != emptyHex {
		t.Fatalf("ParseH1 = %s, %v", got, err)
	}
	for _, bad := range []string{"", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "h1:", "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
		"h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF==", "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF!=", "h2:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="} {
		if got, err := ParseH1(bad); !errors.Is(err, ErrInvalidDigest) {
			t.Errorf("ParseH1(%q) = %q, %v; want ErrInvalidDigest", bad, got, err)
		}
	}
	for _, bad := range []string{"", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", emptyHex[1:]} {
		if got := H1(bad); got != "" {
			t.Errorf("H1(%q) = %q, want empty", bad, got)
		}
	}
}
