package digest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parserFor returns the parser that reads a testdata/subjects file, by
// extension.
func parserFor(t *testing.T, path string) func([]byte) ([]Subject, error) {
	switch filepath.Ext(path) {
	case ".sha256sum":
		return func(b []byte) ([]Subject, error) { return ParseSHA256Sum(bytes.NewReader(b)) }
	case ".b64":
		return func(b []byte) ([]Subject, error) { return ParseBase64Subjects(string(b)) }
	case ".json":
		return func(b []byte) ([]Subject, error) { return ParseJSONSubjects(bytes.NewReader(b)) }
	}
	t.Fatalf("no parser for %s", path)
	return nil
}

// TestParseGolden parses every sample in testdata/subjects with its own
// parser and with ParseSubjectList (which must tell the form apart and
// agree), and compares with the .golden JSON next to it (-update rewrites).
func TestParseGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/subjects/*.*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, in := range inputs {
		if strings.HasSuffix(in, ".golden") {
			continue
		}
		n++
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parserFor(t, in)(data)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range got {
				if s.Name == "" || s.Digest.Validate() != nil {
					t.Fatalf("subject[%d] = %+v is not valid: %v", i, s, s.Digest.Validate())
				}
			}
			auto, err := ParseSubjectList(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("ParseSubjectList: %v", err)
			}
			gotJSON := marshal(t, got)
			if autoJSON := marshal(t, auto); !bytes.Equal(autoJSON, gotJSON) {
				t.Fatalf("ParseSubjectList disagrees:\n%s\nwant\n%s", autoJSON, gotJSON)
			}
			golden := in + ".golden"
			if *update {
				if err := os.WriteFile(golden, gotJSON, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(gotJSON, want) {
				t.Fatalf("got\n%s\nwant (%s)\n%s", gotJSON, golden, want)
			}
		})
	}
	if n < 9 {
		t.Fatalf("only %d samples in testdata/subjects", n)
	}
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

const (
	hexA = "ba59926159d2aa256eb8739b8da7e2b574b960e1202c6d624cbe981cef996c91"
	hexB = "714772a9f82b2aeb4fa5f7092d00fe4ac4c9cdeb6800840b6ed39ea64c4d785a"
)

func TestParseSHA256SumErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr error
		wantMsg string
	}{
		{"empty", "", ErrNoSubjects, ""},
		{"comments only", "# nothing\n\n", ErrNoSubjects, ""},
		{"short digest", hexA + "  a\n" + hexA[1:] + "  b\n", ErrSubjectList, "line 2: want 64 hex characters, got 63"},
		{"long digest", "\n\n" + hexA + "0  a\n", ErrSubjectList, "line 3: want 64 hex characters, got 65"},
		{"sha512sum line", strings.Repeat("ab", 64) + "  a\n", ErrSubjectList, "line 1: want 64 hex characters, got 128"},
		{"not hex", strings.Replace(hexA, "b", "g", 1) + "  a\n", ErrSubjectList, "line 1: want 64 hex characters, got \"ga5"},
		{"no name", hexA + "\n", ErrSubjectList, "line 1: want a file name"},
		{"only a mode", hexA + " *\n", ErrSubjectList, "line 1: want a file name"},
		{"empty name", hexA + "  \n", ErrSubjectList, "line 1: want a file name"},
		{"bad escape", `\` + hexA + `  a\tb` + "\n", ErrSubjectList, `line 1: unknown escape \t`},
		{"lone backslash", `\` + hexA + `  a\` + "\n", ErrSubjectList, "line 1: name ends with a lone backslash"},
		{"conflict", hexA + "  a\n" + hexB + " *a\n", ErrDuplicateSubject, `line 2: "a" has sha256 ` + hexB + `, but line 1 gave ` + hexA},
		{"conflict tagged", hexA + "  a\nSHA256 (a) = " + hexB + "\n", ErrDuplicateSubject, "line 2:"},
		{"unknown tag", "WHIRLPOOL (a) = " + hexA + "\n", ErrSubjectList, "line 1: want 64 hex characters, got 9"},
		{"tag without value", "SHA256 (a)\n", ErrSubjectList, "line 1: want \"(name) = digest\""},
		{"tag with short value", "SHA512 (a) = " + hexA + "\n", ErrInvalidDigest, "line 1: sha512: want 128 lowercase hex characters, got 64"},
		{"tag with empty name", "SHA256 () = " + hexA + "\n", ErrSubjectList, "line 1: want a file name in the parentheses"},
		{"bad h1", "dirHash1 (a) = h1:abc\n", ErrInvalidDigest, "line 1: dirHash1: want 44 base64 characters"},
		{"base64 is not sha256sum", base64.StdEncoding.EncodeToString([]byte(hexA + "  a\n")), ErrSubjectList, "line 1: want 64 hex characters, got "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSHA256Sum(strings.NewReader(tt.in))
			if !errors.Is(err, tt.wantErr) || got != nil {
				t.Fatalf("got %v, %v; want %v", got, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestParseSHA256SumForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Subject
	}{
		{"single space (BSD reversed)", hexA + " a\n", []Subject{{"a", Set{SHA256: hexA}}}},
		{"tab", hexA + "\ta b\n", []Subject{{"a b", Set{SHA256: hexA}}}},
		{"leading blanks", " \t" + hexA + "  a", []Subject{{"a", Set{SHA256: hexA}}}},
		{"name starting with a star in text mode", hexA + "  *a\n", []Subject{{"*a", Set{SHA256: hexA}}}},
		{"name with trailing blanks kept", hexA + "  a \n", []Subject{{"a ", Set{SHA256: hexA}}}},
		{"byte order mark", "\uFEFF" + hexA + "  a\n", []Subject{{"a", Set{SHA256: hexA}}}},
		{"same line twice", hexA + "  a\n" + hexA + " *a\n", []Subject{{"a", Set{SHA256: hexA}}}},
		{"order kept", hexB + "  b\n" + hexA + "  a\n", []Subject{{"b", Set{SHA256: hexB}}, {"a", Set{SHA256: hexA}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSHA256Sum(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(marshal(t, got), marshal(t, tt.want)) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseBase64Subjects(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	upper := strings.ToUpper(hexA)
	tests := []struct {
		name    string
		in      string
		want    []Subject
		wantErr error
		wantMsg string
	}{
		{"lowercased and trimmed", b64("  " + upper + "   a.whl  \r\n\n"), []Subject{{"a.whl", Set{SHA256: hexA}}}, nil, ""},
		{"binary marker dropped", b64(hexA + " *a.whl\n"), []Subject{{"a.whl", Set{SHA256: hexA}}}, nil, ""},
		{"tab separator", b64(hexA + "\ta.whl\n"), []Subject{{"a.whl", Set{SHA256: hexA}}}, nil, ""},
		{"surrounding newline", "\n" + b64(hexA+"  a\n") + "\n", []Subject{{"a", Set{SHA256: hexA}}}, nil, ""},
		{"same twice kept once", b64(hexA + "  a\n" + hexA + "  a\n"), []Subject{{"a", Set{SHA256: hexA}}}, nil, ""},
		{"not base64", "not base64!", nil, ErrSubjectList, "base64 subjects: illegal base64 data"},
		{"empty", "", nil, ErrNoSubjects, ""},
		{"63 hex", b64(hexA + "  a\n" + hexA[1:] + "  b\n"), nil, ErrSubjectList, "line 2: want 64 hex characters, got 63"},
		{"no name", b64(hexA + "  \n"), nil, ErrSubjectList, "line 1: want a file name"},
		{"tagged lines are not base64-subjects", b64("SHA256 (a) = " + hexA + "\n"), nil, ErrSubjectList, "line 1: want 64 hex characters, got 6"},
		{"different digests", b64(hexA + "  a\n\n" + hexB + "  a\n"), nil, ErrDuplicateSubject, "line 3:"},
		{"too large", strings.Repeat("A", 30<<20), nil, ErrTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBase64Subjects(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("error %q does not contain %q", err, tt.wantMsg)
				}
				return
			}
			if !bytes.Equal(marshal(t, got), marshal(t, tt.want)) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseJSONSubjectsErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr error
		wantMsg string
	}{
		{"empty input", "", ErrSubjectList, "line 1: unexpected end of JSON"},
		{"empty array", "[]", ErrNoSubjects, ""},
		{"object", `{"name": "a"}`, ErrSubjectList, "line 1: want a JSON array of subjects"},
		{"statement", "\n\n  {\"subject\": []}", ErrSubjectList, "line 3: want a JSON array"},
		{"no name", "[\n{\"digest\": {\"sha256\": \"" + hexA + "\"}}\n]", ErrSubjectList, "line 2: subject[0].name: want a name"},
		{"empty name", `[{"name": "", "digest": {"sha256": "` + hexA + `"}}]`, ErrSubjectList, "subject[0].name: want a name"},
		{"no digest", "[\n  {\"name\": \"a\", \"digest\": {\"sha256\": \"" + hexA + "\"}},\n  {\"name\": \"b\"}\n]", ErrSubjectList, "line 3: subject[1].digest: want at least one digest"},
		{"short sha256", "[\n\n{\"name\": \"a\",\n \"digest\": {\"sha256\": \"" + hexA[1:] + "\"}}]", ErrInvalidDigest, "line 3: subject[0].digest.sha256: want 64 lowercase hex characters, got 63"},
		{"uppercase sha256", `[{"name": "a", "digest": {"sha256": "` + strings.ToUpper(hexA) + `"}}]`, ErrInvalidDigest, "subject[0].digest.sha256: want lowercase hex"},
		{"empty algorithm", `[{"name": "a", "digest": {"": "x"}}]`, ErrSubjectList, `subject[0].digest: want an algorithm name`},
		{"empty value", `[{"name": "a", "digest": {"custom": ""}}]`, ErrEmpty, `subject[0].digest.custom: want a value`},
		{"null value", `[{"name": "a", "digest": {"sha256": null}}]`, ErrEmpty, `subject[0].digest.sha256: want a value`},
		{"digest is a string", "[\n{\"name\": \"a\", \"digest\": \"sha256:" + hexA + "\"}]", ErrSubjectList, "line 2: subject[0].digest: want map[string]string, got JSON string"},
		{"name is a number", `[{"name": 7, "digest": {"sha256": "` + hexA + `"}}]`, ErrSubjectList, "subject[0].name: want string, got JSON number"},
		{"syntax error", "[\n{\"name\": \"a\",,}]", ErrSubjectList, "line 2: invalid character ','"},
		{"unterminated", "[\n{\"name\": \"a\", \"digest\": {\"sha256\": \"" + hexA + "\"}}\n", ErrSubjectList, "line 3: unexpected end of JSON"},
		{"trailing data", `[{"name": "a", "digest": {"sha256": "` + hexA + "\"}}]\n\n[]", ErrSubjectList, "line 3: want nothing after the JSON array"},
		{"conflict", "[{\"name\": \"a\", \"digest\": {\"sha256\": \"" + hexA + "\"}},\n{\"name\": \"a\", \"digest\": {\"sha256\": \"" + hexB + "\"}}]", ErrDuplicateSubject, "line 2:"},
		{"too large", "[" + strings.Repeat(" ", MaxSubjectListSize) + "]", ErrTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseJSONSubjects(strings.NewReader(tt.in))
			if !errors.Is(err, tt.wantErr) || got != nil {
				t.Fatalf("got %v, %v; want %v", got, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

// TestEncodeRoundTrip writes subjects with awkward names in each encoding
// and reads them back unchanged.
func TestEncodeRoundTrip(t *testing.T) {
	subjects := []Subject{
		{"dist/a.whl", Set{SHA256: hexA, SHA512: strings.Repeat("ab", 64)}},
		{"new\nline", Set{SHA256: hexB, SHA512: strings.Repeat("cd", 64)}},
		{`back\slash and \n`, Set{SHA256: hexA, SHA512: strings.Repeat("ef", 64)}},
		{" lead and trail ", Set{SHA256: hexB, SHA512: strings.Repeat("01", 64)}},
		{"*star", Set{SHA256: hexA, SHA512: strings.Repeat("23", 64)}},
		{"paren) = (x", Set{SHA256: hexA, SHA512: strings.Repeat("45", 64)}},
		{"cr\r", Set{SHA256: hexA, SHA512: strings.Repeat("67", 64)}},
	}
	var tagged bytes.Buffer
	if err := EncodeTagged(&tagged, subjects); err != nil {
		t.Fatal(err)
	}
	got, err := ParseSHA256Sum(&tagged)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(marshal(t, got), marshal(t, subjects)) {
		t.Fatalf("tagged round trip:\n%s", marshal(t, got))
	}

	var sums bytes.Buffer
	if err := EncodeSHA256Sum(&sums, subjects); err != nil {
		t.Fatal(err)
	}
	got, err = ParseSHA256Sum(&sums)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i].Name != subjects[i].Name || !got[i].Digest.Equal(Set{SHA256: subjects[i].Digest[SHA256]}) {
			t.Fatalf("sha256sum round trip: %+v, want %+v", got[i], subjects[i])
		}
	}

	if _, err := EncodeBase64Subjects(subjects); !errors.Is(err, ErrUnsupportedName) {
		t.Fatalf("base64 with awkward names: got %v, want ErrUnsupportedName", err)
	}
	plain := []Subject{subjects[0], {"b c.tar.gz", Set{SHA256: hexB}}}
	b64, err := EncodeBase64Subjects(plain)
	if err != nil {
		t.Fatal(err)
	}
	got, err = ParseBase64Subjects(b64)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "dist/a.whl" || got[1].Digest[SHA256] != hexB {
		t.Fatalf("base64 round trip: %+v", got)
	}
}

func TestEncodeErrors(t *testing.T) {
	var buf bytes.Buffer
	tests := []struct {
		name    string
		encode  func() error
		wantErr error
	}{
		{"sha256sum without sha256", func() error {
			return EncodeSHA256Sum(&buf, []Subject{{"a", Set{SHA512: strings.Repeat("ab", 64)}}})
		}, ErrMissingAlgorithm},
		{"sha256sum with a bad value", func() error { return EncodeSHA256Sum(&buf, []Subject{{"a", Set{SHA256: "abc"}}}) }, ErrInvalidDigest},
		{"sha256sum without name", func() error { return EncodeSHA256Sum(&buf, []Subject{{"", Set{SHA256: hexA}}}) }, ErrUnsupportedName},
		{"tagged without the algorithm", func() error { return EncodeTagged(&buf, []Subject{{"a", Set{SHA256: hexA}}}, SHA512) }, ErrMissingAlgorithm},
		{"tagged without a tag", func() error { return EncodeTagged(&buf, []Subject{{"a", Set{GitBlob: hexA[:40]}}}) }, ErrUnsupportedAlgorithm},
		{"tagged with a bad h1", func() error { return EncodeTagged(&buf, []Subject{{"a", Set{DirHash1: "h1:xx"}}}) }, ErrInvalidDigest},
		{"base64 without sha256", func() error {
			_, err := EncodeBase64Subjects([]Subject{{"a", Set{SHA512: strings.Repeat("ab", 64)}}})
			return err
		}, ErrMissingAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf.Reset()
			if err := tt.encode(); !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if buf.Len() != 0 {
				t.Fatalf("wrote %q before failing", buf.String())
			}
		})
	}
}

func TestParseSubjectListDetects(t *testing.T) {
	sums := hexA + "  a\n"
	tests := []struct {
		name string
		in   string
		want string // the name of the only subject
	}{
		{"json", "  \n[{\"name\": \"j\", \"digest\": {\"sha256\": \"" + hexA + "\"}}]", "j"},
		{"sha256sum", sums, "a"},
		{"base64", base64.StdEncoding.EncodeToString([]byte(hexA+"  b64\n")) + "\n", "b64"},
		{"wrapped base64", "YmE1OTkyNjE1OWQyYWEyNTZlYjg3MzliOGRhN2UyYjU3NGI5NjBlMTIwMmM2ZDYyNGNiZTk4MWNl\nZjk5NmM5MSAgdwo=\n", "w"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSubjectList(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Name != tt.want || got[0].Digest[SHA256] != hexA {
				t.Fatalf("got %+v", got)
			}
		})
	}
	if _, err := ParseSubjectList(strings.NewReader("")); !errors.Is(err, ErrNoSubjects) {
		t.Fatalf("empty: %v", err)
	}
	if _, err := ParseSubjectList(strings.NewReader(strings.Repeat("#", MaxSubjectListSize+1))); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
}
