package evidence

import (
	"bytes"
	"context"
	"errors"
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
// otherwise a finding must name that file.
func FuzzTamper(f *testing.F) {
	s := signing{"dsse+hmac", true, true}
	src := filepath.Join(f.TempDir(), "bundle")
	if _, err := Create(context.Background(), createOptions(f, src, s)); err != nil {
		f.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		f.Fatal(err)
	}
	var names []string
	orig := map[string][]byte{}
	for _, e := range entries {
		names = append(names, e.Name())
		orig[e.Name()], _ = os.ReadFile(filepath.Join(src, e.Name()))
	}
	slices.Sort(names)
	for i, name := range names {
		f.Add(uint8(i), orig[name])
		f.Add(uint8(i), append(bytes.Clone(orig[name]), ' '))
		f.Add(uint8(i), bytes.ReplaceAll(orig[name], []byte("v0.1.0"), []byte("v0.1.1")))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name := names[int(which)%len(names)]
		dir := filepath.Join(t.TempDir(), "bundle")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for n, b := range orig {
			if n == name {
				b = data
			}
			if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := Verify(context.Background(), verifyOptions(t, dir, s))
		if err != nil {
			t.Fatal(err)
		}
		same := bytes.Equal(data, orig[name])
		if r.OK() != same {
			t.Fatalf("%s replaced (same=%v): ok=%v findings %v", name, same, r.OK(), r.Findings)
		}
		if !same && !r.has(name) {
			t.Fatalf("%s replaced; findings name other files: %v", name, r.Findings)
		}
	})
}

// FuzzTamperDpone replaces one file of dpone's sample folder (one dpone
// protects: not its index or Markdown) by arbitrary bytes: it must verify
// only when the bytes are the original ones.
func FuzzTamperDpone(f *testing.F) {
	src := filepath.Join("testdata", "dpone-01")
	names := []string{"provenance.intoto.json", "sbom.cyclonedx.json", "sbom.spdx.json", "signature.hmac-sha256.json"}
	orig := map[string][]byte{}
	entries, err := os.ReadDir(src)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		orig[e.Name()], _ = os.ReadFile(filepath.Join(src, e.Name()))
	}
	for i, name := range names {
		f.Add(uint8(i), orig[name])
		f.Add(uint8(i), bytes.ToUpper(orig[name]))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name := names[int(which)%len(names)]
		dir := filepath.Join(t.TempDir(), "out")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for n, b := range orig {
			if n == name {
				b = data
			}
			if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := Verify(context.Background(), VerifyOptions{Dir: dir, HMACKey: []byte("local-secret")})
		if err != nil {
			t.Fatal(err)
		}
		same := bytes.Equal(data, orig[name])
		if r.OK() != same || (!same && !r.has(name)) {
			t.Fatalf("%s replaced (same=%v): ok=%v findings %v", name, same, r.OK(), r.Findings)
		}
	})
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
