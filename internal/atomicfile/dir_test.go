package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func writeIn(t *testing.T, d *Dir, name, data string) {
	t.Helper()
	if err := WriteFile(filepath.Join(d.Path(), name), []byte(data), Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestDir(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "bundle")
	d, err := CreateDir(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	writeIn(t, d, "a.json", "one")
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("destination visible before Commit: %v", err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(p, "a.json")); string(got) != "one" {
		t.Fatalf("a.json = %q", got)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o755 {
		t.Errorf("mode %v, want 0755", fi.Mode().Perm())
	}
	if err := d.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}

	// No overwrite without Force, early and at Commit.
	if _, err := CreateDir(p, Options{}); !errors.Is(err, ErrExists) {
		t.Fatalf("CreateDir on existing: %v", err)
	}
	q := filepath.Join(root, "race")
	d2, err := CreateDir(q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	writeIn(t, d2, "b", "late")
	if err := os.Mkdir(q, 0o755); err != nil { // appears meanwhile, empty
		t.Fatal(err)
	}
	if err := d2.Commit(); !errors.Is(err, ErrExists) {
		t.Fatalf("Commit onto a directory that appeared: %v", err)
	}
	d2.Abort()
	if entries, _ := os.ReadDir(q); len(entries) != 0 {
		t.Fatalf("existing directory changed: %v", entries)
	}

	// Force replaces the whole directory: no file of the old one survives.
	writeExtra := filepath.Join(p, "stale.txt")
	os.WriteFile(writeExtra, []byte("x"), 0o644)
	d3, err := CreateDir(p, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	writeIn(t, d3, "a.json", "two")
	if err := d3.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(p, "a.json")); string(got) != "two" {
		t.Fatalf("a.json = %q after forced commit", got)
	}
	if _, err := os.Stat(writeExtra); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file of the replaced directory survived: %v", err)
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if e.Name() != "bundle" && e.Name() != "race" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestDirAbort(t *testing.T) {
	root := t.TempDir()
	d, err := CreateDir(filepath.Join(root, "x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	writeIn(t, d, "f", "data")
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Fatalf("Abort left %v", entries)
	}
	if _, err := CreateDir("..", Options{Force: true}); !errors.Is(err, ErrUnsafePath) {
		t.Errorf("CreateDir(..) = %v, want ErrUnsafePath", err)
	}
}
