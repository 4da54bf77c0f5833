package evidence

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func FuzzParseIndex(f *testing.F) {
	for _, name := range []string{"testdata/golden/evidence.json"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"schemaVersion": 2}`))
	f.Add([]byte(`{"schemaVersion": 1, "files": [{"path": "../x", "sha256": "", "size": -1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := ParseIndex(data)
		if err != nil {
			if !errors.Is(err, ErrMalformedIndex) && !errors.Is(err, ErrSchemaVersion) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		b, err := ix.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseIndex(b)
		if err != nil {
			t.Fatalf("own output does not parse: %v", err)
		}
		b2, _ := again.Marshal()
		if !bytes.Equal(b, b2) {
			t.Fatal("Marshal is not stable")
		}
	})
}

func FuzzParseDponeIndex(f *testing.F) {
	if data, err := os.ReadFile("testdata/dpone-01/" + FileDponeIndex); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"release": "v1", "passed": true, "artifacts": [{"name": "a", "path": "../a", "sha256": ""}]}`))
	f.Add([]byte(`{"passed": null, "blockers": [1]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := ParseDponeIndex(data)
		if err != nil {
			if !errors.Is(err, ErrMalformedIndex) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		if ix == nil {
			t.Fatal("nil index without an error")
		}
	})
}

// FuzzTamper replaces one file of a signed bundle by arbitrary bytes: the
// bundle must verify only when the bytes are the original ones, and
// otherwise a finding must name that file. Its inputs are whole files of a
// few KB, which the fuzzer minimizes for up to -fuzzminimizetime (60 s)
// each when they find new coverage: for a short run, pass
// -fuzzminimizetime 2s as well.
func FuzzTamper(f *testing.F) {
	s := signing{"dsse+hmac", true, true}
	dir := create(f, s)
	orig := readAll(f, dir)
	names := slices.Sorted(maps.Keys(orig))
	opts := verifyOptions(f, dir, s)
	for i, name := range names {
		f.Add(uint8(i), orig[name])
		f.Add(uint8(i), append(bytes.Clone(orig[name]), ' '))
		f.Add(uint8(i), bytes.ReplaceAll(orig[name], []byte("v0.1.0"), []byte("v0.1.1")))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name := names[int(which)%len(names)]
		checkReplaced(t, opts, name, data, orig[name])
	})
}

// FuzzTamperDpone replaces one file of dpone's sample folder (one dpone
// protects: not its index or Markdown) by arbitrary bytes: it must verify
// only when the bytes are the original ones, and otherwise a finding must
// name that file.
func FuzzTamperDpone(f *testing.F) {
	dir := copyDir(f, filepath.Join("testdata", "dpone-01"))
	orig := readAll(f, dir)
	names := []string{dponeProvenance, FileCycloneDX, FileSPDX, FileHMAC}
	opts := VerifyOptions{Dir: dir, HMACKey: []byte("local-secret")}
	for i, name := range names {
		f.Add(uint8(i), orig[name])
		f.Add(uint8(i), bytes.ToUpper(orig[name]))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name := names[int(which)%len(names)]
		checkReplaced(t, opts, name, data, orig[name])
	})
}

// checkReplaced makes the file name of opts.Dir hold data until t ends
// (then orig, what it held, goes back, so that one folder serves every fuzz
// input) and checks that the folder verifies only when data is orig, and
// that otherwise a finding names the file. The file is removed before each
// write: a new file, not a truncated one, which ext4 writes back to disk on
// close (auto_da_alloc) and makes each input several times slower.
func checkReplaced(t *testing.T, opts VerifyOptions, name string, data, orig []byte) {
	t.Helper()
	p := filepath.Join(opts.Dir, name)
	write := func(b []byte) error {
		if err := os.Remove(p); err != nil {
			return err
		}
		return os.WriteFile(p, b, 0o644)
	}
	if err := write(data); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := write(orig); err != nil {
			t.Error(err)
		}
	})
	r, err := Verify(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	same := bytes.Equal(data, orig)
	if r.OK() != same {
		t.Fatalf("%s replaced (same=%v): ok=%v findings %v", name, same, r.OK(), r.Findings)
	}
	if !same && !r.has(name) {
		t.Fatalf("%s replaced; findings name other files: %v", name, r.Findings)
	}
}

func BenchmarkCreate(b *testing.B) {
	s := signing{"dsse+hmac", true, true}
	root := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := createOptions(b, filepath.Join(root, "ev"), s)
		o.Force = true
		if _, err := Create(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	s := signing{"dsse+hmac", true, true}
	dir := create(b, s)
	o := verifyOptions(b, dir, s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Verify(context.Background(), o)
		if err != nil || !r.OK() {
			b.Fatal(err, r.Findings)
		}
	}
}
