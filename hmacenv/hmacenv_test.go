package hmacenv

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// dponeKey is the key of dpone's 01-ok-json sample run (command.txt:
// --signing-key local-secret --signing-key-id ci-key).
var dponeKey = []byte("local-secret")

// signingKeyArg finds the --signing-key value in a sample's command.txt.
var signingKeyArg = regexp.MustCompile(`--signing-key (\S+)`)

// TestDponeSample verifies the envelopes dpone wrote in its sample runs,
// and re-creates them byte for byte.
func TestDponeSample(t *testing.T) {
	root := testshared.Dir(t, "seed-cases", "dpone-sample-out")
	files, _ := filepath.Glob(filepath.Join(root, "*", "output-dir", "signature.hmac-sha256.json"))
	if len(files) < 5 {
		t.Fatalf("found %d dpone envelopes, want the 5 sample runs that signed", len(files))
	}
	for _, file := range files {
		dir := filepath.Dir(file)
		run := filepath.Base(filepath.Dir(dir))
		t.Run(run, func(t *testing.T) {
			cmd, err := os.ReadFile(filepath.Join(root, run, "command.txt"))
			if err != nil {
				t.Fatal(err)
			}
			m := signingKeyArg.FindSubmatch(cmd)
			if m == nil {
				t.Fatalf("no --signing-key in %s", cmd)
			}
			key := m[1]
			envBytes, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			prov, err := os.ReadFile(filepath.Join(dir, "provenance.intoto.json"))
			if err != nil {
				t.Fatal(err)
			}
			env, err := Parse(envBytes)
			if err != nil {
				t.Fatal(err)
			}
			if err := env.VerifyBytes(key, prov); err != nil {
				t.Fatalf("dpone's envelope does not verify: %v", err)
			}
			if got := env.Marshal(); !bytes.Equal(got, envBytes) {
				t.Fatalf("Marshal(Parse(x)) != x:\n%s\nwant\n%s", got, envBytes)
			}
			mine, err := SignBytes(key, env.KeyID, env.SignedPath, prov)
			if err != nil {
				t.Fatal(err)
			}
			if got := mine.Marshal(); !bytes.Equal(got, envBytes) {
				t.Fatalf("Sign differs from dpone:\n%s\nwant\n%s", got, envBytes)
			}
			if err := env.VerifyBytes(append(bytes.Clone(key), 'x'), prov); !errors.Is(err, ErrMACMismatch) {
				t.Fatalf("wrong key: %v", err)
			}
			changed := bytes.Clone(prov)
			changed[len(changed)/2] ^= 1
			if err := env.VerifyBytes(key, changed); !errors.Is(err, ErrDigestMismatch) {
				t.Fatalf("changed file: %v", err)
			}
			if err := env.VerifyBytes(nil, prov); !errors.Is(err, ErrMissingKey) {
				t.Fatalf("no key: %v", err)
			}
		})
	}
}

const (
	sumA = "1625391ad698218b86e30738d2b58eba8ccc268c0b8b233f4ee216447fe0fa6f"
	macA = "b218d0e002716ac4253346d445b05d055fedd5b7636d740d4bce2a2489caaef5"
)

// TestKnownAnswer pins the MAC definition without ../shared: the values
// are those of dpone's 01-ok-json run.
func TestKnownAnswer(t *testing.T) {
	env, err := Sign(dponeKey, "ci-key", "out/01/provenance.intoto.json", sumA)
	if err != nil {
		t.Fatal(err)
	}
	if env.Signature != macA {
		t.Fatalf("MAC %s, want %s", env.Signature, macA)
	}
	want := "{\n  \"algorithm\": \"HMAC-SHA256\",\n  \"key_id\": \"ci-key\",\n  \"signature\": \"" + macA +
		"\",\n  \"signed_path\": \"out/01/provenance.intoto.json\",\n  \"signed_sha256\": \"" + sumA + "\"\n}\n"
	if got := string(env.Marshal()); got != want {
		t.Fatalf("Marshal:\n%s\nwant\n%s", got, want)
	}
}

func TestSignErrors(t *testing.T) {
	tests := []struct {
		name    string
		key     []byte
		sum     string
		path    string
		wantErr error
	}{
		{"ok", []byte("k"), sumA, "p", nil},
		{"missing key", nil, sumA, "p", ErrMissingKey},
		{"empty key", []byte{}, sumA, "p", ErrMissingKey},
		{"short digest", []byte("k"), sumA[:63], "p", ErrMalformed},
		{"uppercase digest", []byte("k"), strings.ToUpper(sumA), "p", ErrMalformed},
		{"invalid UTF-8 path", []byte("k"), sumA, "p\xff", ErrMalformed},
	}
	for _, tt := range tests {
		_, err := Sign(tt.key, "id", tt.path, tt.sum)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.wantErr)
		}
	}
	if !strings.HasPrefix(ErrMissingKey.Error(), CodeMissingKey) {
		t.Errorf("ErrMissingKey %q does not carry the code %s", ErrMissingKey, CodeMissingKey)
	}
}

// TestMarshalPythonStrings compares string escaping with Python's
// json.dumps(s, ensure_ascii=False) (expected values produced by CPython 3).
func TestMarshalPythonStrings(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{`quote"back\\slash`, `"quote\"back\\\\slash"`},
		{"ctl\x00\x01\x1f\x7f", `"ctl\u0000\u0001\u001f` + "\x7f" + `"`},
		{"nl\n\r\t\b\f", `"nl\n\r\t\b\f"`},
		{"ünï \u2028 😀", "\"ünï \u2028 😀\""},
		{"<&>/", `"<&>/"`},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		writePyString(&b, tt.in)
		if b.String() != tt.want {
			t.Errorf("%q: got %s, want %s", tt.in, b.String(), tt.want)
		}
		// And the result reads back.
		env, err := Sign([]byte("k"), tt.in, tt.in, sumA)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(env.Marshal())
		if err != nil || back.KeyID != tt.in || back.SignedPath != tt.in {
			t.Errorf("%q: round trip %+v, %v", tt.in, back, err)
		}
	}
}

func TestParse(t *testing.T) {
	valid := func(mod func(m map[string]string)) string {
		m := map[string]string{
			"algorithm": `"HMAC-SHA256"`, "key_id": `"k"`, "signature": `"` + macA + `"`,
			"signed_path": `"p"`, "signed_sha256": `"` + sumA + `"`,
		}
		mod(m)
		var parts []string
		for _, k := range []string{"algorithm", "key_id", "signature", "signed_path", "signed_sha256"} {
			if v, ok := m[k]; ok {
				parts = append(parts, `"`+k+`":`+v)
			}
		}
		for k, v := range m {
			if !strings.Contains(strings.Join(parts, ","), `"`+k+`"`) {
				parts = append(parts, `"`+k+`":`+v)
			}
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	tests := []struct {
		name    string
		in      string
		wantErr error
	}{
		{"valid", valid(func(map[string]string) {}), nil},
		{"lowercase algorithm", valid(func(m map[string]string) { m["algorithm"] = `"hmac-sha256"` }), nil},
		{"uppercase MAC hex", valid(func(m map[string]string) { m["signature"] = `"` + strings.ToUpper(macA) + `"` }), nil},
		{"other algorithm", valid(func(m map[string]string) { m["algorithm"] = `"HMAC-SHA512"` }), ErrMalformed},
		{"missing key_id", valid(func(m map[string]string) { delete(m, "key_id") }), ErrMalformed},
		{"unknown field", valid(func(m map[string]string) { m["extra"] = `"x"` }), ErrMalformed},
		{"number value", valid(func(m map[string]string) { m["key_id"] = `1` }), ErrMalformed},
		{"short MAC", valid(func(m map[string]string) { m["signature"] = `"abcd"` }), ErrMalformed},
		{"non-hex MAC", valid(func(m map[string]string) { m["signature"] = `"` + strings.Repeat("z", 64) + `"` }), ErrMalformed},
		{"uppercase digest", valid(func(m map[string]string) { m["signed_sha256"] = `"` + strings.ToUpper(sumA) + `"` }), ErrMalformed},
		{"duplicate field", `{"key_id":"a","key_id":"b"}`, ErrMalformed},
		{"array", `[]`, ErrMalformed},
		{"trailing", valid(func(map[string]string) {}) + "{}", ErrMalformed},
		{"invalid UTF-8", "{\"key_id\":\"\xff\"}", ErrMalformed},
		{"too large", `{"key_id":"` + strings.Repeat("a", MaxSize) + `"}`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// FuzzParse checks that Parse never panics and that whatever it accepts
// marshals to something it accepts again, with the same fields.
func FuzzParse(f *testing.F) {
	env, _ := Sign(dponeKey, "ci-key", "out/01/provenance.intoto.json", sumA)
	f.Add(env.Marshal())
	if p := testshared.Path("seed-cases", "dpone-sample-out"); p != "" {
		files, _ := filepath.Glob(filepath.Join(p, "*", "output-dir", "signature.hmac-sha256.json"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse(data)
		if err != nil {
			return
		}
		back, err := Parse(e.Marshal())
		if err != nil || *back != *e {
			t.Fatalf("re-parse: %+v, %v; want %+v", back, err, e)
		}
		sum := sha256.Sum256(data)
		_ = e.Verify(dponeKey, hex.EncodeToString(sum[:]))
	})
}
