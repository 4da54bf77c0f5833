package slsa_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// TestCanonical checks RFC 8785 output. The expected values were produced
// by the rfc8785 Python package 0.1.2 (Trail of Bits; the wheel is in
// ../shared/vectors/pypi), an independent implementation; the first case is
// the example of RFC 8785 §3.2.2, the second its §3.2.3 sorting example.
func TestCanonical(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"RFC 8785 example",
			`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}`,
			`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`},
		{"sorting by UTF-16 code units",
			`{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}`,
			"{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"},
		{"numbers",
			`[-0, 0.0, 1e21, 1e-7, 123e-2, 9007199254740991, -9007199254740991, 1.5e300, -1e-300, 100, 0.1, 5e-324, 1.7976931348623157e308]`,
			`[0,0,1e+21,1e-7,1.23,9007199254740991,-9007199254740991,1.5e+300,-1e-300,100,0.1,5e-324,1.7976931348623157e+308]`},
		{"escapes: no HTML escaping, control characters as \\u00xx, U+2028 raw",
			`{"html":"<a href=\"x\">&amp;</a>","ctl":"\u001f\u007f","ls":"\u2028\u2029","b":"\b\f\t"}`,
			"{\"b\":\"\\b\\f\\t\",\"ctl\":\"\\u001f\x7f\",\"html\":\"<a href=\\\"x\\\">&amp;</a>\",\"ls\":\"\u2028\u2029\"}"},
		{"nested and whitespace",
			" {\"b\" : [ {\"z\":1, \"a\":2} ], \"a\" : { } } ",
			`{"a":{},"b":[{"a":2,"z":1}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := slsa.Canonical(json.RawMessage(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCanonicalStatement(t *testing.T) {
	s, err := slsa.NewStatement(
		[]slsa.ResourceDescriptor{{Name: "pedigree_demo-0.1.0-py3-none-any.whl", Digest: digest.Set{"sha256": sha256A}}},
		"https://docs.pypi.org/attestations/publish/v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := slsa.Canonical(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://docs.pypi.org/attestations/publish/v1","subject":[{"digest":{"sha256":"` + sha256A + `"},"name":"pedigree_demo-0.1.0-py3-none-any.whl"}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestCanonicalErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		wantErr error
		wantMsg string
	}{
		{"2^53", json.RawMessage(`{"run":9007199254740992}`), slsa.ErrCanonical,
			"number 9007199254740992 at offset 7 is an integer beyond ±(2^53-1), which RFC 8785's IEEE 754 doubles do not keep exactly (put it in a string): not representable as canonical JSON"},
		{"negative integer beyond", map[string]any{"n": json.Number("-12345678901234567891")}, slsa.ErrCanonical,
			"number -12345678901234567891 at offset 5 is an integer beyond ±(2^53-1), which RFC 8785's IEEE 754 doubles do not keep exactly (put it in a string): not representable as canonical JSON"},
		{"float that would print as a large integer", json.RawMessage(`[0.1e20]`), slsa.ErrCanonical,
			"number 0.1e20 at offset 1 is an integer beyond ±(2^53-1), which RFC 8785's IEEE 754 doubles do not keep exactly (put it in a string): not representable as canonical JSON"},
		{"integer beyond the double range", json.RawMessage(`[` + strings.Repeat("9", 400) + `]`), slsa.ErrCanonical,
			"number 9999999999999999999999999999999999999999... at offset 1 is an integer beyond ±(2^53-1), which RFC 8785's IEEE 754 doubles do not keep exactly (put it in a string): not representable as canonical JSON"},
		{"number out of double range", json.RawMessage(`[1e400]`), slsa.ErrCanonical,
			"number 1e400 at offset 1 is an integer beyond ±(2^53-1), which RFC 8785's IEEE 754 doubles do not keep exactly (put it in a string): not representable as canonical JSON"},
		{"top-level string", "text", slsa.ErrCanonical, "want a JSON object or array at the top level: not representable as canonical JSON"},
		{"duplicate member", json.RawMessage(`{"a":1,"a":2}`), slsa.ErrMalformed, "a: duplicate member: malformed"},
		{"invalid JSON", json.RawMessage(`{`), slsa.ErrMalformed, "invalid JSON: unexpected end of JSON input: malformed"},
		{"not marshalable", map[string]any{"f": func() {}}, slsa.ErrInvalidField, "json: unsupported type: func(): invalid field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := slsa.Canonical(tt.in)
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
	// Safe integers, and numbers written with a fraction or exponent that
	// RFC 8785 does not print as large integers, are fine.
	got, err := slsa.Canonical(json.RawMessage(`[9007199254740991,-9007199254740991,9007199254740991.0,1e21,1e30,-2.5e300,1e-300]`))
	if want := `[9007199254740991,-9007199254740991,9007199254740991,1e+21,1e+30,-2.5e+300,1e-300]`; err != nil || string(got) != want {
		t.Errorf("got %s (%v), want %s", got, err, want)
	}
	// Digits inside strings are not numbers.
	if _, err := slsa.Canonical(json.RawMessage(`{"id":"12345678901234567891","e":"\"99999999999999999999"}`)); err != nil {
		t.Error(err)
	}
}

func TestIndent(t *testing.T) {
	in := json.RawMessage(`{"z":{"b":1.50,"a":[true,null]},"_type":"<&>","n":12345678901234567891,"e":{},"l":[]}`)
	got, err := slsa.Indent(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "_type": "<&>",
  "e": {},
  "l": [],
  "n": 12345678901234567891,
  "z": {
    "a": [
      true,
      null
    ],
    "b": 1.50
  }
}
`
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if _, err := slsa.Indent(json.RawMessage(`{"a":1,"a":1}`)); !errors.Is(err, slsa.ErrMalformed) {
		t.Errorf("duplicate member: %v", err)
	}
	if _, err := slsa.Indent(make(chan int)); !errors.Is(err, slsa.ErrInvalidField) {
		t.Errorf("channel: %v", err)
	}
}
