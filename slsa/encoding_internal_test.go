package slsa

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestNumberEqual(t *testing.T) {
	tests := []struct {
		a, b  string
		equal bool
	}{
		{"1", "1", true},
		{"1", "1.0", true},
		{"1", "1e0", true},
		{"100", "1e2", true},
		{"100", "1E+2", true},
		{"0.5", "5e-1", true},
		{"-12.50e1", "-125", true},
		{"0", "-0", true}, // equal by value
		{"0", "0.000", true},
		{"0", "0e10", true},
		{"12345678901234567891", "12345678901234567891.0", true},
		{"12345678901234567891", "12345678901234567890", false},
		{"1", "2", false},
		{"1", "-1", false},
		{"0.1", "0.10000000000000001", false},
		{"1e99999999999", "1e99999999999", true},   // same text
		{"1e99999999999", "10e99999999998", false}, // exponent overflows: texts differ
		{"x", "1", false},
	}
	for _, tt := range tests {
		if got := numberEqual(tt.a, tt.b); got != tt.equal {
			t.Errorf("numberEqual(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.equal)
		}
		if got := numberEqual(tt.b, tt.a); got != tt.equal {
			t.Errorf("numberEqual(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.equal)
		}
	}
}

func TestJSONEqual(t *testing.T) {
	tests := []struct {
		a, b  string
		equal bool
	}{
		{`{"a":1,"b":[1,2]}`, `{"b":[1,2.0],"a":1}`, true},
		{`{"a":1}`, `{"a":1,"b":null}`, false},
		{`[1,2]`, `[2,1]`, false},
		{`null`, `null`, true},
		{`"1"`, `1`, false},
		{`true`, `true`, true},
		{`true`, `false`, false},
		{`{"a":{}}`, `{"a":[]}`, false},
		{`{`, `{`, false},
		{`1 2`, `1`, false},
	}
	for _, tt := range tests {
		if got := jsonEqual([]byte(tt.a), []byte(tt.b)); got != tt.equal {
			t.Errorf("jsonEqual(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.equal)
		}
	}
	if !valueEqual(map[string]any{"n": 1}, map[string]any{"n": json.Number("1.0")}) {
		t.Error("valueEqual: int and json.Number")
	}
	if !valueEqual(nil, map[string]any{}) || !valueEqual([]any{}, nil) || valueEqual(nil, map[string]any{"a": 1}) {
		t.Error("valueEqual: unset and empty")
	}
	if valueEqual(make(chan int), make(chan int)) {
		t.Error("valueEqual: unmarshalable values are never equal")
	}
}

// TestSchemaAliases: an alias is accepted only where it is declared.
func TestSchemaAliases(t *testing.T) {
	var m MetadataV02
	if err := decodeStrict([]byte(`{"buildInvocationID":"x"}`), &m, ""); err != nil || m.BuildInvocationID != "x" {
		t.Errorf("alias: %v %+v", err, m)
	}
	var b BuildMetadata
	if err := decodeStrict([]byte(`{"invocationID":"x"}`), &b, ""); err == nil {
		t.Errorf("v1 invocationID accepted: %+v", b)
	}
}

// TestEmptyPredicate: the byte scan says "empty" exactly where decoding the
// predicate and mapping {} and [] to nil gives nil.
func TestEmptyPredicate(t *testing.T) {
	byDecoding := func(raw []byte) bool {
		if len(bytes.TrimSpace(raw)) == 0 {
			return true
		}
		v, err := decodeGeneric(raw)
		return err == nil && emptyToNil(v) == nil
	}
	for _, raw := range []string{
		"", " ", "\n\t", "null", " null ", "{}", " { \n } ", "[]", "[ ]", `{"a":null}`, "[null]",
		`{"a":1}`, "0", `""`, "false", "{} x", "null null", "nul", "{", "}", "[}", "{]", "{ ", "\r\n{}\r\n",
	} {
		if got, want := emptyPredicate(json.RawMessage(raw)), byDecoding([]byte(raw)); got != want {
			t.Errorf("emptyPredicate(%q) = %v, decoding says %v", raw, got, want)
		}
	}
}
