package pspf

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/slsa"
)

func baseOptions() Options {
	fp := strings.Repeat("cd", 32)
	return Options{
		BuilderName:           "flavor-python",
		BuilderVersion:        "0.3.21",
		BuildTimestamp:        IntEpoch(1743379200),
		PlatformOS:            "linux",
		PlatformArch:          "amd64",
		PythonVersion:         "3.11.12",
		LauncherLanguage:      "go",
		LauncherVersion:       "1.24.1",
		LauncherHash:          "sha256:" + strings.Repeat("ab", 32),
		SigningKeyFingerprint: &fp,
	}
}

func TestAppendPyString(t *testing.T) {
	// want is Python's json.dumps(s) (ensure_ascii=True).
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{in: "a\"b\\c\b\f\n\r\t\x00\x1f\x7f\u0080é/<>&\u2028\U0001F336",
			want: `"a\"b\\c\b\f\n\r\t\u0000\u001f\u007f\u0080\u00e9/<>&\u2028\ud83c\udf36"`},
		{in: "", want: `""`},
		{in: "\U0010FFFF", want: `"\udbff\udfff"`},
		{in: "\xff", wantErr: ErrInvalidString},
	}
	for _, tt := range tests {
		got, err := appendPyString(nil, "x", tt.in)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%q: err = %v, want %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && string(got) != tt.want {
			t.Errorf("%q: got %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*Options)
		wantErr error
	}{
		{"ok", func(*Options) {}, nil},
		{"sde garbage", func(o *Options) { o.SourceDateEpoch = "abc" }, ErrInvalidSourceDateEpoch},
		{"sde float", func(o *Options) { o.SourceDateEpoch = "1.5" }, ErrInvalidSourceDateEpoch},
		{"year 10000", func(o *Options) { o.BuildTimestamp = IntEpoch(253402300800) }, ErrOutOfRange},
		{"year 0", func(o *Options) { o.BuildTimestamp = IntEpoch(-62135596801) }, ErrOutOfRange},
		{"bad utf-8", func(o *Options) { o.PlatformOS = "li\xffnux" }, ErrInvalidString},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := baseOptions()
			tt.mutate(&o)
			_, err := Build(o)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
	o := baseOptions()
	o.PlatformOS = "li\xffnux"
	if _, err := Build(o); err == nil || !strings.Contains(err.Error(), "platform.os") {
		t.Errorf("error %v does not name platform.os", err)
	}
}

func canonicalBase(t *testing.T) []byte {
	t.Helper()
	r, err := Build(baseOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRecord(t *testing.T) {
	base := string(canonicalBase(t))
	tests := []struct {
		name    string
		in      string
		wantErr error
	}{
		{"canonical", base, nil},
		{"indented", `{
  "builder": "b", "builder_version": "1", "build_timestamp": "1970-01-01T00:00:00+00:00",
  "source_date_epoch": 0, "platform": {"os": "linux", "arch": "amd64"},
  "python": {"version": "3.12", "implementation": "cpython"},
  "launcher": {"language": "go", "version": "1", "hash": ""},
  "reproducible": true, "signing_attestation_key_fp": null}`, nil},
		{"not json", `nope`, ErrMalformed},
		{"array", `[]`, ErrMalformed},
		{"trailing data", base + `{}`, ErrMalformed},
		{"unknown key", strings.Replace(base, `"builder":`, `"extra":1,"builder":`, 1), ErrMalformed},
		{"duplicate key", strings.Replace(base, `"builder":`, `"builder":"x","builder":`, 1), ErrMalformed},
		{"missing key", strings.Replace(base, `"reproducible":false,`, ``, 1), ErrMalformed},
		{"unknown nested key", strings.Replace(base, `"os":"linux"`, `"os":"linux","libc":"musl"`, 1), ErrMalformed},
		{"missing nested key", strings.Replace(base, `,"os":"linux"`, ``, 1), ErrMalformed},
		{"number as string", strings.Replace(base, `"builder_version":"0.3.21"`, `"builder_version":0.3`, 1), ErrMalformed},
		{"null string", strings.Replace(base, `"builder_version":"0.3.21"`, `"builder_version":null`, 1), ErrMalformed},
		{"epoch as string", strings.Replace(base, `"source_date_epoch":1743379200`, `"source_date_epoch":"1743379200"`, 1), ErrMalformed},
		{"timestamp mismatch", strings.Replace(base, `"source_date_epoch":1743379200`, `"source_date_epoch":1743379201`, 1), ErrMalformed},
		{"epoch out of range", strings.Replace(base, `"source_date_epoch":1743379200`, `"source_date_epoch":253402300800`, 1), ErrMalformed},
		{"reproducible string", strings.Replace(base, `"reproducible":false`, `"reproducible":"false"`, 1), ErrMalformed},
		{"fp without prefix", strings.Replace(base, `"sha256:cdcd`, `"cdcd`, 1), ErrMalformed},
		{"fp number", strings.Replace(base, `"signing_attestation_key_fp":"sha256:`+strings.Repeat("cd", 32)+`"`, `"signing_attestation_key_fp":1`, 1), ErrMalformed},
		{"too large", `{"builder":"` + strings.Repeat("a", MaxRecordSize) + `"}`, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRecord([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				if _, err := r.Marshal(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestParseSlot(t *testing.T) {
	r, err := Build(baseOptions())
	if err != nil {
		t.Fatal(err)
	}
	slot, _, err := r.AttestationSlot()
	if err != nil {
		t.Fatal(err)
	}
	rec := strings.TrimSuffix(strings.TrimPrefix(string(slot), `{"provenance":`), `}`)
	tests := []struct {
		name     string
		in       string
		wantSBOM string
		wantErr  error
	}{
		{"slot", string(slot), "", nil},
		{"with sbom", `{"provenance":` + rec + `,"sbom":{"bomFormat":"CycloneDX"}}`, `{"bomFormat":"CycloneDX"}`, nil},
		{"sbom not an object", `{"provenance":` + rec + `,"sbom":[]}`, "", ErrMalformed},
		{"no provenance", `{"sbom":{}}`, "", ErrMalformed},
		{"unknown key", `{"provenance":` + rec + `,"x":1}`, "", ErrMalformed},
		{"bad record", `{"provenance":{}}`, "", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sbom, err := ParseSlot([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if string(sbom) != tt.wantSBOM {
				t.Errorf("sbom = %s, want %s", sbom, tt.wantSBOM)
			}
		})
	}
}

func TestStatement(t *testing.T) {
	r, err := Build(baseOptions())
	if err != nil {
		t.Fatal(err)
	}
	subject := slsa.ResourceDescriptor{Name: "demo.psp", Digest: digest.Set{"sha256": strings.Repeat("0f", 32)}}
	st, err := NewStatement(r, []slsa.ResourceDescriptor{subject})
	if err != nil {
		t.Fatal(err)
	}
	if st.PredicateType != PredicateType || st.Type != slsa.StatementTypeV1 {
		t.Errorf("statement types %q %q", st.Type, st.PredicateType)
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var back slsa.Statement
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got, err := FromStatement(&back)
	if err != nil {
		t.Fatal(err)
	}
	gb, _ := got.Marshal()
	rb, _ := r.Marshal()
	if !bytes.Equal(gb, rb) {
		t.Errorf("record changed through the statement:\n%s\n%s", gb, rb)
	}

	errTests := []struct {
		name     string
		subjects []slsa.ResourceDescriptor
		wantErr  error
	}{
		{"no subject", nil, ErrNoSubject},
		{"no name", []slsa.ResourceDescriptor{{Digest: subject.Digest}}, ErrNoSubject},
		{"no digest", []slsa.ResourceDescriptor{{Name: "a"}}, ErrNoSubject},
		{"short digest", []slsa.ResourceDescriptor{{Name: "a", Digest: digest.Set{"sha256": "ab"}}}, digest.ErrInvalidDigest},
	}
	for _, tt := range errTests {
		if _, err := NewStatement(r, tt.subjects); !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
		}
	}
	other := *st
	other.PredicateType = slsa.PredicateProvenanceV1
	if _, err := FromStatement(&other); !errors.Is(err, ErrPredicateType) {
		t.Errorf("FromStatement(provenance) err = %v, want ErrPredicateType", err)
	}
	other = *st
	other.Predicate = json.RawMessage(`{}`)
	if _, err := FromStatement(&other); !errors.Is(err, ErrMalformed) {
		t.Errorf("FromStatement(empty predicate) err = %v, want ErrMalformed", err)
	}
}

// fuzzSeeds returns the records and slots of the seed cases (testdata, and
// ../shared when present) to seed the fuzz targets.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	paths := []string{filepath.Join("testdata", "pspf-record-cases.jsonl")}
	if p := testshared.Path("seed-cases", "pspf-record-cases.jsonl"); p != "" {
		paths = append(paths, p)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			var c struct {
				Expect struct {
					CanonicalJSON string `json:"canonical_json"`
					Content       string `json:"content"`
				} `json:"expect"`
			}
			if json.Unmarshal(line, &c) != nil {
				continue
			}
			for _, s := range []string{c.Expect.CanonicalJSON, c.Expect.Content} {
				if s != "" {
					seeds = append(seeds, []byte(s))
				}
			}
		}
	}
	return seeds
}

func FuzzParseRecord(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRecord(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		b, err := r.Marshal()
		if err != nil {
			t.Fatalf("parsed record does not marshal: %v", err) // the decoder replaces invalid UTF-8
		}
		r2, err := ParseRecord(b)
		if err != nil {
			t.Fatalf("own output does not parse: %v\n%s", err, b)
		}
		b2, _ := r2.Marshal()
		if !bytes.Equal(b, b2) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
	})
}

func FuzzParseSlot(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, _, err := ParseSlot(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		if _, _, err := r.AttestationSlot(); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkBuildMarshal(b *testing.B) {
	o := baseOptions()
	for i := 0; i < b.N; i++ {
		r, err := Build(o)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}
