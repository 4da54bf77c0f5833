package lockfile_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/lockfile"
)

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, lock string, name string, paths []string, opts lockfile.CheckOptions) *lockfile.CheckReport {
	t.Helper()
	l, err := lockfile.Parse(name, []byte(lock))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := lockfile.Check(context.Background(), l, paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestCheckCatchesEveryByte flips each byte of the demo wheel in turn:
// lock check must report a hash mismatch every time.
func TestCheckCatchesEveryByte(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join(testshared.Root(), "examples/demo/dist/pedigree_demo-0.1.0-py3-none-any.whl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "pedigree_demo-0.1.0-py3-none-any.whl")
	lock := "pedigree-demo==0.1.0 --hash=sha256:" + sum(orig) + "\n"
	l, err := lockfile.Parse("requirements.txt", []byte(lock))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, orig)
	rep, err := lockfile.Check(context.Background(), l, []string{dir}, lockfile.CheckOptions{})
	if err != nil || !rep.OK {
		t.Fatalf("untouched wheel: %+v, %v", rep, err)
	}
	step := 1
	if testing.Short() {
		step = 37
	}
	for i := 0; i < len(orig); i += step {
		data := append([]byte(nil), orig...)
		data[i] ^= 0x01
		writeFile(t, path, data)
		rep, err := lockfile.Check(context.Background(), l, []string{path}, lockfile.CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK || rep.Summary.HashMismatch != 1 || rep.Files[0].Status != lockfile.StatusHashMismatch {
			t.Fatalf("byte %d changed: report %+v", i, rep.Summary)
		}
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"a-1.0-py3-none-any.whl":        []byte("wheel a"),
		"a-1.0.tar.gz":                  []byte("sdist a"),
		"B_c-2.0.0-py3-none-any.whl":    []byte("wheel b"),
		"Legacy-Name-3.0.zip":           []byte("legacy sdist"),
		"unlocked-1.0-py3-none-any.whl": []byte("unlocked"),
		"notes.txt":                     []byte("not a distribution"),
	}
	for n, d := range files {
		writeFile(t, filepath.Join(dir, n), d)
	}
	p := func(n string) string { return filepath.Join(dir, n) }
	tests := []struct {
		name  string
		lock  string
		paths []string
		opts  lockfile.CheckOptions
		ok    bool
		want  lockfile.CheckSummary
		first lockfile.Status
	}{
		{"all matched", fmt.Sprintf("a==1.0 --hash=sha256:%s --hash=sha256:%s\n", sum(files["a-1.0-py3-none-any.whl"]), sum(files["a-1.0.tar.gz"])),
			[]string{p("a-1.0-py3-none-any.whl"), p("a-1.0.tar.gz")}, lockfile.CheckOptions{}, true,
			lockfile.CheckSummary{Files: 2, Matched: 2}, lockfile.StatusMatched},
		{"versions compare under PEP 440, names PEP 503", fmt.Sprintf("b.c==2 --hash=sha256:%s\n", sum(files["B_c-2.0.0-py3-none-any.whl"])),
			[]string{p("B_c-2.0.0-py3-none-any.whl")}, lockfile.CheckOptions{}, true, lockfile.CheckSummary{Files: 1, Matched: 1}, lockfile.StatusMatched},
		{"legacy sdist name", fmt.Sprintf("legacy-name==3.0 --hash=sha256:%s\n", sum(files["Legacy-Name-3.0.zip"])),
			[]string{p("Legacy-Name-3.0.zip")}, lockfile.CheckOptions{}, true, lockfile.CheckSummary{Files: 1, Matched: 1}, lockfile.StatusMatched},
		{"other version locked", fmt.Sprintf("a==1.1 --hash=sha256:%s\n", sum(files["a-1.0.tar.gz"])),
			[]string{p("a-1.0.tar.gz")}, lockfile.CheckOptions{}, false,
			lockfile.CheckSummary{Files: 1, MissingFromLock: 1, LockedButAbsent: 1}, lockfile.StatusMissingFromLock},
		{"not in lock", fmt.Sprintf("a==1.0 --hash=sha256:%s\n", sum(files["a-1.0.tar.gz"])),
			[]string{p("a-1.0.tar.gz"), p("unlocked-1.0-py3-none-any.whl")}, lockfile.CheckOptions{}, false,
			lockfile.CheckSummary{Files: 2, Matched: 1, MissingFromLock: 1}, lockfile.StatusMatched},
		{"hash of the other file", fmt.Sprintf("a==1.0 --hash=sha256:%s\n", sum(files["a-1.0.tar.gz"])),
			[]string{p("a-1.0-py3-none-any.whl")}, lockfile.CheckOptions{}, false,
			lockfile.CheckSummary{Files: 1, HashMismatch: 1}, lockfile.StatusHashMismatch},
		{"absent", fmt.Sprintf("a==1.0 --hash=sha256:%s\nzzz==9 --hash=sha256:%s\n", sum(files["a-1.0.tar.gz"]), h1),
			[]string{p("a-1.0.tar.gz")}, lockfile.CheckOptions{}, false,
			lockfile.CheckSummary{Files: 1, Matched: 1, LockedButAbsent: 1}, lockfile.StatusMatched},
		{"absent allowed", fmt.Sprintf("a==1.0 --hash=sha256:%s\nzzz==9 --hash=sha256:%s\n", sum(files["a-1.0.tar.gz"]), h1),
			[]string{p("a-1.0.tar.gz")}, lockfile.CheckOptions{AllowAbsent: true}, true,
			lockfile.CheckSummary{Files: 1, Matched: 1, LockedButAbsent: 1}, lockfile.StatusMatched},
		{"lock problems fail", fmt.Sprintf("a==1.0 --hash=sha256:%s\nb>=1\n", sum(files["a-1.0.tar.gz"])),
			[]string{p("a-1.0.tar.gz")}, lockfile.CheckOptions{AllowAbsent: true}, false,
			lockfile.CheckSummary{Files: 1, Matched: 1, LockedButAbsent: 1, Problems: 2}, lockfile.StatusMatched},
		{"no hash locked", "a==1.0\n", []string{p("a-1.0.tar.gz")}, lockfile.CheckOptions{}, false,
			lockfile.CheckSummary{Files: 1, HashMismatch: 1}, lockfile.StatusHashMismatch},
		{"directory", fmt.Sprintf("a==1.0 --hash=sha256:%s\n", sum(files["a-1.0.tar.gz"])), []string{dir}, lockfile.CheckOptions{}, false,
			lockfile.CheckSummary{Files: 5, Matched: 1, HashMismatch: 1, MissingFromLock: 3}, lockfile.StatusMissingFromLock}, // B_c-2.0.0 sorts first
		{"same file twice counts once", fmt.Sprintf("a==1.0 --hash=sha256:%s\n", sum(files["a-1.0.tar.gz"])),
			[]string{p("a-1.0.tar.gz"), dir + "/./a-1.0.tar.gz"}, lockfile.CheckOptions{}, true,
			lockfile.CheckSummary{Files: 1, Matched: 1}, lockfile.StatusMatched},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := check(t, tt.lock, "requirements.txt", tt.paths, tt.opts)
			if rep.OK != tt.ok || rep.Summary != tt.want || rep.Files[0].Status != tt.first {
				t.Fatalf("ok %v summary %+v first %s; want %v %+v %s\nfiles %+v\nabsent %+v\nproblems %v", rep.OK, rep.Summary, rep.Files[0].Status,
					tt.ok, tt.want, tt.first, rep.Files, rep.Absent, rep.Problems)
			}
		})
	}
	l, _ := lockfile.Parse("requirements.txt", []byte("a==1.0\n"))
	if _, err := lockfile.Check(context.Background(), l, []string{p("notes.txt")}, lockfile.CheckOptions{}); !errors.Is(err, lockfile.ErrNotDistribution) {
		t.Fatalf("notes.txt: %v", err)
	}
	if _, err := lockfile.Check(context.Background(), l, []string{p("absent.whl")}, lockfile.CheckOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("absent: %v", err)
	}
	rep := check(t, "a==1.0\n", "requirements.txt", []string{dir}, lockfile.CheckOptions{})
	if len(rep.Ignored) != 1 || filepath.Base(rep.Ignored[0]) != "notes.txt" {
		t.Fatalf("ignored %v", rep.Ignored)
	}
}

// TestCheckUVLock checks named files of a uv.lock: a file's bytes must
// match the hash locked for it; the editable root is never expected.
func TestCheckUVLock(t *testing.T) {
	dir := t.TempDir()
	whl := []byte("lib wheel")
	writeFile(t, filepath.Join(dir, "lib-2.0-py3-none-any.whl"), whl)
	lock := `version = 1
[[package]]
name = "app"
version = "1.0"
source = { editable = "." }
dependencies = [{ name = "lib" }]
[[package]]
name = "lib"
version = "2.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://h/lib-2.0.tar.gz", hash = "sha256:` + h1 + `" }
wheels = [{ url = "https://h/lib-2.0-py3-none-any.whl", hash = "sha256:` + sum(whl) + `" }]
`
	rep := check(t, lock, "uv.lock", []string{dir}, lockfile.CheckOptions{})
	if !rep.OK || rep.Summary.Matched != 1 || len(rep.Absent) != 0 || rep.Files[0].Package != "lib" || rep.Files[0].Location != "package[1]" {
		t.Fatalf("report %+v", rep)
	}
}
