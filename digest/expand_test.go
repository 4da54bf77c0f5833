package digest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// chdir changes into dir for the test (tests using it do not run in
// parallel).
func chdir(t *testing.T, dir string) {
	t.Helper()
	old, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(old) })
}

func TestExpandPaths(t *testing.T) {
	content := map[string]string{
		"dist/pkg-1.0-py3-none-any.whl": "wheel",
		"dist/pkg-1.0.tar.gz":           "sdist",
		"dist/sub/notes.txt":            "notes",
		"dist/[literal].txt":            "brackets",
		"other/pkg-1.0.tar.gz":          "sdist", // same name and content as in dist
		"clash/pkg-1.0.tar.gz":          "different",
		"file with space":               "space",
	}
	dir := tree(t, content)
	symlink(t, "pkg-1.0.tar.gz", filepath.Join(dir, "dist", "latest.tar.gz"))
	chdir(t, dir)
	sum := func(name string) string { return sha256Hex([]byte(content[name])) }

	tests := []struct {
		name    string
		args    []string
		opts    Options
		want    []Subject
		wantErr error
	}{
		{name: "files as given", args: []string{"./file with space", "dist/pkg-1.0.tar.gz"}, want: []Subject{
			{"./file with space", Set{SHA256: sum("file with space")}},
			{"dist/pkg-1.0.tar.gz", Set{SHA256: sum("dist/pkg-1.0.tar.gz")}},
		}},
		{name: "directory: names relative to it, sorted, links to files followed", args: []string{"dist/"}, want: []Subject{
			{"[literal].txt", Set{SHA256: sum("dist/[literal].txt")}},
			{"latest.tar.gz", Set{SHA256: sum("dist/pkg-1.0.tar.gz")}},
			{"pkg-1.0-py3-none-any.whl", Set{SHA256: sum("dist/pkg-1.0-py3-none-any.whl")}},
			{"pkg-1.0.tar.gz", Set{SHA256: sum("dist/pkg-1.0.tar.gz")}},
			{"sub/notes.txt", Set{SHA256: sum("dist/sub/notes.txt")}},
		}},
		{name: "glob: sorted, directories skipped", args: []string{"dist/*"}, want: []Subject{
			{"dist/[literal].txt", Set{SHA256: sum("dist/[literal].txt")}},
			{"dist/latest.tar.gz", Set{SHA256: sum("dist/pkg-1.0.tar.gz")}},
			{"dist/pkg-1.0-py3-none-any.whl", Set{SHA256: sum("dist/pkg-1.0-py3-none-any.whl")}},
			{"dist/pkg-1.0.tar.gz", Set{SHA256: sum("dist/pkg-1.0.tar.gz")}},
		}},
		{name: "an existing name with glob characters is a file", args: []string{"dist/[literal].txt"}, want: []Subject{
			{"dist/[literal].txt", Set{SHA256: sum("dist/[literal].txt")}},
		}},
		{name: "several algorithms", args: []string{"dist/*.whl"}, opts: Options{Algorithms: []string{SHA512, SHA256}}, want: []Subject{
			{"dist/pkg-1.0-py3-none-any.whl", Set{SHA256: sum("dist/pkg-1.0-py3-none-any.whl"),
				// printf wheel | openssl dgst -sha512
				SHA512: "2c7e17aec7b2c8363f4bcf38ac9f18d6f645eca8516a98039df9637f39aac3a98080da8a63b9f6261522fb3c3c2ff974a3670561f3c9befe424704c436c7f5bd"}},
		}},
		{name: "same name, same content, kept once", args: []string{"dist/pkg-1.0.tar.gz", "other", "dist/pkg-1.0.tar.gz"}, want: []Subject{
			{"dist/pkg-1.0.tar.gz", Set{SHA256: sum("dist/pkg-1.0.tar.gz")}},
			{"pkg-1.0.tar.gz", Set{SHA256: sum("dist/pkg-1.0.tar.gz")}},
		}},
		{name: "stdin", args: []string{"-", "other"}, opts: Options{Stdin: strings.NewReader("abc")}, want: []Subject{
			{"-", Set{SHA256: abc[SHA256]}},
			{"pkg-1.0.tar.gz", Set{SHA256: sum("dist/pkg-1.0.tar.gz")}},
		}},
		{name: "dir hash", args: []string{"other/", "file with space"}, opts: Options{DirHash: true}, want: []Subject{
			{"other", Set{DirHash1: summarize([]string{"pkg-1.0.tar.gz"}, []string{sum("dist/pkg-1.0.tar.gz")})}},
			{"file with space", Set{SHA256: sum("file with space")}},
		}},
		{name: "same name, different content", args: []string{"other", "clash"}, wantErr: ErrDuplicateSubject},
		{name: "no match", args: []string{"dist/*.exe"}, wantErr: ErrNoMatch},
		{name: "missing", args: []string{"dist/nothing.whl"}, wantErr: fs.ErrNotExist},
		{name: "bad pattern", args: []string{"dist/[.whl"}, wantErr: filepath.ErrBadPattern},
		{name: "stdin unavailable", args: []string{"-"}, wantErr: ErrStdin},
		{name: "stdin twice", args: []string{"-", "-"}, opts: Options{Stdin: strings.NewReader("")}, wantErr: ErrStdin},
		{name: "no arguments", args: nil, wantErr: ErrNoSubjects},
		{name: "unknown algorithm", args: []string{"other"}, opts: Options{Algorithms: []string{"sha256sum"}}, wantErr: ErrUnsupportedAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExpandPaths(context.Background(), tt.args, tt.opts)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if string(marshal(t, got)) != string(marshal(t, tt.want)) {
				t.Fatalf("got\n%s\nwant\n%s", marshal(t, got), marshal(t, tt.want))
			}
		})
	}
}

func TestExpandPathsRefusesLinksToDirectories(t *testing.T) {
	dir := tree(t, map[string]string{"dist/a": "a", "elsewhere/b": "b"})
	symlink(t, "../elsewhere", filepath.Join(dir, "dist", "more"))
	_, err := ExpandPaths(context.Background(), []string{filepath.Join(dir, "dist")}, Options{})
	if !errors.Is(err, ErrUnsupportedFile) || !strings.Contains(err.Error(), "symbolic link to a directory is not followed") {
		t.Fatalf("got %v", err)
	}
	// The link named directly is the user's choice, and followed.
	got, err := ExpandPaths(context.Background(), []string{filepath.Join(dir, "dist", "more")}, Options{})
	if err != nil || len(got) != 1 || got[0].Name != "b" {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// An empty directory that leaves nothing to hash is named in the error.
func TestExpandPathsNamesEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := ExpandPaths(context.Background(), []string{dir}, Options{})
	if !errors.Is(err, ErrNoSubjects) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("err = %v, want ErrNoSubjects naming %s", err, dir)
	}
}
