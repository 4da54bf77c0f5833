package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	if err := WriteFile(p, []byte("one"), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two"), Options{}); !errors.Is(err, ErrExists) {
		t.Fatalf("second write without Force: err = %v, want ErrExists", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "one" {
		t.Fatalf("existing file changed to %q", got)
	}
	if err := WriteFile(p, []byte("two"), Options{Force: true, Perm: 0o600}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(got) != "two" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("forced write: %q %v", got, fi.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestCommitRaceKeepsExisting(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	f, err := Create(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("late")
	if err := os.WriteFile(p, []byte("early"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); !errors.Is(err, ErrExists) {
		t.Fatalf("Commit = %v, want ErrExists", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "early" {
		t.Fatalf("file replaced: %q", got)
	}
}

func TestAbort(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	f, err := Create(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half")
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("abort left %v", entries)
	}
	if err := f.Abort(); err != nil {
		t.Fatalf("second Abort: %v", err)
	}
}

func TestSafeJoin(t *testing.T) {
	tests := []struct {
		name    string
		want    string
		wantErr error
	}{
		{name: "a.txt", want: "root/a.txt"},
		{name: "dir/b.txt", want: "root/dir/b.txt"},
		{name: "./c", want: "root/c"},
		{name: "", wantErr: ErrUnsafePath},
		{name: ".", wantErr: ErrUnsafePath},
		{name: "../x", wantErr: ErrUnsafePath},
		{name: "a/../../x", wantErr: ErrUnsafePath},
		{name: "a/..", wantErr: ErrUnsafePath},
		{name: "/etc/passwd", wantErr: ErrUnsafePath},
		{name: `..\x`, wantErr: ErrUnsafePath},
		{name: "a\x00b", wantErr: ErrUnsafePath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SafeJoin("root", tt.name)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("SafeJoin(%q) err = %v, want %v", tt.name, err, tt.wantErr)
			}
			if err == nil && got != filepath.FromSlash(tt.want) {
				t.Fatalf("SafeJoin(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// An output named /dev/null (or a FIFO) is written to in place: it must stay
// a device, with or without Force.
func TestCreateDevice(t *testing.T) {
	for _, force := range []bool{false, true} {
		f, err := Create(os.DevNull, Options{Force: force})
		if err != nil {
			t.Fatalf("Create(%s, Force=%v): %v", os.DevNull, force, err)
		}
		if _, err := f.WriteString("discarded"); err != nil {
			t.Fatal(err)
		}
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%s is no longer a character device: %v", os.DevNull, fi.Mode())
		}
	}
}

func TestCreateDirectoryRefused(t *testing.T) {
	dir := t.TempDir()
	for _, force := range []bool{false, true} {
		if _, err := Create(dir, Options{Force: force}); !errors.Is(err, ErrNotRegular) {
			t.Fatalf("Create(dir, Force=%v) err = %v, want ErrNotRegular", force, err)
		}
	}
}

// /dev/stdout redirected to a file (`pedigree ... -o /dev/stdout > out`) is
// a link to an open descriptor, not a file to replace: it is written in
// place, with or without Force, continuing what the process wrote there
// before and followed by what it writes after.
func TestCreateDescriptorLink(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("skipped: no /proc/self/fd on this system")
	}
	for _, force := range []bool{false, true} {
		out, err := os.OpenFile(filepath.Join(t.TempDir(), "out"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		if _, err := out.WriteString("before "); err != nil {
			t.Fatal(err)
		}
		link := fmt.Sprintf("/dev/fd/%d", out.Fd())
		if err := WriteFile(link, []byte("written"), Options{Force: force}); err != nil {
			t.Fatalf("WriteFile(%s, Force=%v): %v", link, force, err)
		}
		if _, err := out.WriteString(" after"); err != nil {
			t.Fatalf("the descriptor was closed: %v", err)
		}
		if got, _ := os.ReadFile(out.Name()); string(got) != "before written after" {
			t.Errorf("Force=%v: the redirected file holds %q, want %q", force, got, "before written after")
		}
	}
	// An ordinary link to a file is still an existing output.
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(dir, "link"), []byte("x"), Options{}); !errors.Is(err, ErrExists) {
		t.Fatalf("WriteFile over a link to a file: %v, want ErrExists", err)
	}
}

// Check refuses exactly what Create would refuse, without writing or
// waiting on a named pipe's reader.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "out")
	if err := os.WriteFile(existing, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	tests := []struct {
		path    string
		force   bool
		wantErr error
	}{
		{path: filepath.Join(dir, "new")},
		{path: existing, wantErr: ErrExists},
		{path: existing, force: true},
		{path: dir, wantErr: ErrNotRegular},
		{path: dir, force: true, wantErr: ErrNotRegular},
		{path: os.DevNull},
		{path: fifo},
	}
	for _, tt := range tests {
		if err := Check(tt.path, Options{Force: tt.force}); !errors.Is(err, tt.wantErr) {
			t.Errorf("Check(%s, Force=%v) = %v, want %v", tt.path, tt.force, err, tt.wantErr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Fatalf("Check wrote something: %v", entries)
	}
}
