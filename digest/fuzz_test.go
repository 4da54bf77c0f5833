package digest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// seedFiles returns the contents of the testdata/subjects samples, plus the
// subject arrays of the in-toto statements in ../shared when it is there
// (never skipping when it is not).
func seedFiles(f *testing.F) [][]byte {
	f.Helper()
	paths, err := filepath.Glob("testdata/subjects/*.*")
	if err != nil {
		f.Fatal(err)
	}
	var seeds [][]byte
	for _, p := range paths {
		if strings.HasSuffix(p, ".golden") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	if len(seeds) == 0 {
		f.Fatal("no seeds in testdata/subjects")
	}
	var statements []string
	if p := testshared.Path("vectors", "sigstore-conformance", "statement.json"); p != "" {
		statements = append(statements, p)
	}
	if p := testshared.Path("seed-cases", "dpone-sample-out"); p != "" {
		more, _ := filepath.Glob(filepath.Join(p, "*", "output-dir", "provenance.intoto.json"))
		statements = append(statements, more...)
	}
	for _, p := range statements {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var st struct {
			Subject json.RawMessage `json:"subject"`
		}
		if json.Unmarshal(b, &st) == nil && len(st.Subject) > 0 {
			seeds = append(seeds, st.Subject)
		}
	}
	return seeds
}

// checkParsed fails unless err is one of the parsers' documented errors,
// or, on success, every subject is named and validly digested.
func checkParsed(t *testing.T, subjects []Subject, err error) bool {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrSubjectList) && !errors.Is(err, ErrNoSubjects) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("undocumented error: %v", err)
		}
		if subjects != nil {
			t.Fatalf("subjects with an error: %v", subjects)
		}
		return false
	}
	if len(subjects) == 0 {
		t.Fatal("no subjects and no error")
	}
	seen := map[string]bool{}
	for i, s := range subjects {
		if s.Name == "" {
			t.Fatalf("subject[%d] has no name", i)
		}
		if seen[s.Name] {
			t.Fatalf("subject[%d] %q twice", i, s.Name)
		}
		seen[s.Name] = true
		if err := s.Digest.Validate(); err != nil {
			t.Fatalf("subject[%d]: %v", i, err)
		}
	}
	return true
}

func sameSubjects(t *testing.T, got, want []Subject) {
	t.Helper()
	if !bytes.Equal(marshal(t, got), marshal(t, want)) {
		t.Fatalf("round trip changed the subjects:\n%s\nwant\n%s", marshal(t, got), marshal(t, want))
	}
}

func FuzzParseSHA256Sum(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		subjects, err := ParseSHA256Sum(bytes.NewReader(data))
		if !checkParsed(t, subjects, err) {
			return
		}
		// Whatever it read, the tagged form writes back losslessly.
		var buf bytes.Buffer
		if err := EncodeTagged(&buf, subjects); err != nil {
			t.Fatalf("EncodeTagged: %v", err)
		}
		again, err := ParseSHA256Sum(&buf)
		if err != nil {
			t.Fatalf("reading back %q: %v", buf.String(), err)
		}
		sameSubjects(t, again, subjects)
	})
}

func FuzzParseBase64Subjects(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(string(s))
	}
	f.Fuzz(func(t *testing.T, s string) {
		subjects, err := ParseBase64Subjects(s)
		if !checkParsed(t, subjects, err) {
			return
		}
		for _, sub := range subjects {
			if sub.Name != strings.TrimSpace(sub.Name) || len(sub.Digest) != 1 || sub.Digest[SHA256] == "" {
				t.Fatalf("subject %+v: want a trimmed name and a sha256 alone", sub)
			}
		}
		enc, err := EncodeBase64Subjects(subjects)
		if errors.Is(err, ErrUnsupportedName) {
			return
		}
		if err != nil {
			t.Fatalf("EncodeBase64Subjects: %v", err)
		}
		again, err := ParseBase64Subjects(enc)
		if err != nil {
			t.Fatal(err)
		}
		sameSubjects(t, again, subjects)
	})
}

func FuzzParseJSONSubjects(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		subjects, err := ParseJSONSubjects(bytes.NewReader(data))
		if !checkParsed(t, subjects, err) {
			return
		}
		b, err := json.Marshal(subjects)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseJSONSubjects(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("reading back %s: %v", b, err)
		}
		sameSubjects(t, again, subjects)
	})
}

func FuzzParseSubjectList(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		subjects, err := ParseSubjectList(bytes.NewReader(data))
		checkParsed(t, subjects, err)
	})
}

func FuzzParseH1(f *testing.F) {
	for _, s := range []string{"h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "h1:P4L32DuZQMe3y1/oIV9Lo2WWznACiiaJtsK5iA15hHI=", "h1:", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hexDigest, err := ParseH1(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidDigest) {
				t.Fatalf("undocumented error: %v", err)
			}
			return
		}
		if err := ValidateValue(DirHash1, hexDigest); err != nil {
			t.Fatal(err)
		}
		if H1(hexDigest) != s {
			t.Fatalf("H1(ParseH1(%q)) = %q", s, H1(hexDigest))
		}
	})
}
