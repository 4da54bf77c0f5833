package store_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestSplit(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantRaw   []string
		wantLines []int
		wantErr   error
	}{
		{"one object", `{"a":1}`, []string{`{"a":1}`}, []int{1}, nil},
		{"white space around", "\ufeff \n\t{\"a\": 1}\r\n\n", []string{`{"a": 1}`}, []int{2}, nil},
		{"JSON Lines", "{\"a\":1}\n{\"b\":2}\n\n{\"c\":3}\n", []string{`{"a":1}`, `{"b":2}`, `{"c":3}`}, []int{1, 2, 4}, nil},
		{"pretty-printed", "{\n  \"a\": 1\n}\n{\n  \"b\": 2\n}", []string{"{\n  \"a\": 1\n}", "{\n  \"b\": 2\n}"}, []int{1, 4}, nil},
		{"concatenated", `{"a":1}{"b":2}`, []string{`{"a":1}`, `{"b":2}`}, []int{1, 1}, nil},
		{"empty", "", nil, nil, store.ErrEmpty},
		{"blank", " \n\n", nil, nil, store.ErrEmpty},
		{"array", `[{"a":1}]`, nil, nil, store.ErrMalformed},
		{"string", `"x"`, nil, nil, store.ErrMalformed},
		{"second value a number", "{\"a\":1}\n2", nil, nil, store.ErrMalformed},
		{"truncated", `{"a":`, nil, nil, store.ErrMalformed},
		{"garbage after", "{\"a\":1}\nxyz", nil, nil, store.ErrMalformed},
		{"binary", "\x00\x01\x02", nil, nil, store.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subs, err := store.Split([]byte(tt.body))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			var raws []string
			var lines []int
			for i, s := range subs {
				raws = append(raws, string(s.Raw))
				lines = append(lines, s.Line)
				if s.Index != i || s.ID != store.ContentID(s.Raw) {
					t.Fatalf("submission %d: index %d id %s", i, s.Index, s.ID)
				}
			}
			if strings.Join(raws, "|") != strings.Join(tt.wantRaw, "|") || len(lines) != len(tt.wantLines) {
				t.Fatalf("raw %q lines %v, want %q %v", raws, lines, tt.wantRaw, tt.wantLines)
			}
			for i := range lines {
				if lines[i] != tt.wantLines[i] {
					t.Fatalf("lines %v, want %v", lines, tt.wantLines)
				}
			}
		})
	}
}

func TestSplitLimit(t *testing.T) {
	body := bytes.Repeat([]byte("{}\n"), store.MaxAttestations)
	if subs, err := store.Split(body); err != nil || len(subs) != store.MaxAttestations {
		t.Fatalf("%d attestations: %d, %v", store.MaxAttestations, len(subs), err)
	}
	if _, err := store.Split(append(body, "{}"...)); !errors.Is(err, store.ErrTooLarge) {
		t.Fatalf("one more: %v, want ErrTooLarge", err)
	}
}

// TestContentID pins the content address: SHA-256 of the bytes as
// submitted, in lowercase hex (testdata/content-id.golden).
func TestContentID(t *testing.T) {
	raw := []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}`)
	got := store.ContentID(raw) + "\n"
	golden := filepath.Join("testdata", "content-id.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestParseSubjectKey(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{"sha256:" + strings.Repeat("a", 64), "sha256:" + strings.Repeat("a", 64), nil},
		{"sha512:" + strings.Repeat("0", 128), "sha512:" + strings.Repeat("0", 128), nil},
		{"gitCommit:" + strings.Repeat("1", 40), "gitCommit:" + strings.Repeat("1", 40), nil},
		{"sha256:" + strings.Repeat("A", 64), "", store.ErrInvalidQuery},
		{"sha256:" + strings.Repeat("a", 63), "", store.ErrInvalidQuery},
		{"sha256", "", store.ErrInvalidQuery},
		{":abc", "", store.ErrInvalidQuery},
		{"sha-256:abc", "", store.ErrInvalidQuery},
		{"x:" + strings.Repeat("a", 400), "", store.ErrInvalidQuery},
	}
	for _, tt := range tests {
		k, err := store.ParseSubjectKey(tt.in)
		if !errors.Is(err, tt.wantErr) || (err == nil && k.String() != tt.want) {
			t.Errorf("ParseSubjectKey(%.20q): %v, %v; want %s, %v", tt.in, k, err, tt.want, tt.wantErr)
		}
	}
}

// BenchmarkSplit splits a full body: MaxAttestations attestations of about
// 3 KB each, one per line (about 30 MB, the size of a large .intoto.jsonl).
func BenchmarkSplit(b *testing.B) {
	line := append([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"`), bytes.Repeat([]byte("A"), 3000)...)
	line = append(line, `","signatures":[]}`+"\n"...)
	body := bytes.Repeat(line, store.MaxAttestations)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := store.Split(body); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{`{"a":1}`, "{}\n{}\n", "[1]", "", "{\n}\n{"} {
		f.Add([]byte(s))
	}
	addSharedSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		subs, err := store.Split(body)
		if err != nil {
			return
		}
		for i, s := range subs {
			if len(s.Raw) == 0 || s.Raw[0] != '{' || s.Raw[len(s.Raw)-1] != '}' || s.ID != store.ContentID(s.Raw) || s.Index != i {
				t.Fatalf("submission %d: %+v", i, s)
			}
			if !bytes.Contains(body, s.Raw) {
				t.Fatalf("submission %d is not bytes of the body", i)
			}
		}
	})
}

func FuzzParseSubjectKey(f *testing.F) {
	f.Add("sha256:" + strings.Repeat("a", 64))
	f.Add("gitCommit:abc")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := store.ParseSubjectKey(s)
		if err == nil && k.String() != s {
			t.Fatalf("%q parsed as %q", s, k)
		}
	})
}

// addSharedSeeds seeds a fuzz target with the shared attestation vectors,
// when ../shared is there (without skipping when it is not).
func addSharedSeeds(f *testing.F) {
	dir := testshared.Path("vectors", "pypi")
	if dir == "" {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.attestation"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}
