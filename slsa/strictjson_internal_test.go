package slsa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestCheckJSONDuplicatesAnySize: a duplicate member is found whether the
// object is small (a list) or large (a map), also when one spelling is
// escaped, and the error names the member's path.
func TestCheckJSONDuplicatesAnySize(t *testing.T) {
	for _, n := range []int{1, 2, 15, 16, 17, 40} {
		for _, dup := range []int{0, n / 2, n - 1} {
			var members []string
			for i := range n {
				members = append(members, fmt.Sprintf(`"m%02d":%d`, i, i))
			}
			ok := "{" + strings.Join(members, ",") + "}"
			if err := checkJSON([]byte(ok), nil, "x"); err != nil {
				t.Fatalf("%d members: %v", n, err)
			}
			// The duplicate spelled with an escape, so only the decoded
			// names are equal.
			name := fmt.Sprintf(`m%02d`, dup)
			bad := "{" + strings.Join(members, ",") + `,"\u006d` + name[1:] + `":0}`
			err := checkJSON([]byte(bad), nil, "x")
			var fe *FieldError
			if !errors.Is(err, ErrMalformed) || !errors.As(err, &fe) || fe.Path != "x."+name || !strings.Contains(err.Error(), "duplicate member") {
				t.Fatalf("%d members, duplicate of %s: %v", n, name, err)
			}
		}
	}
}

// TestCheckJSONErrorPaths: the path of an error deep in the document is
// built only then, and spelled as before: members, quoted members, indexes.
func TestCheckJSONErrorPaths(t *testing.T) {
	tests := []struct{ in, path string }{
		{`{"a":[{"b":{"c d":[1,{"e":tru}]}}]}`, `x.a[0].b["c d"][1].e`},
		{`{"a":[1,2,"\ud800"]}`, `x.a[2]`},
		{`{"a":{"b":1,"b":2}}`, `x.a.b`},
		{`{"a":{"b":1,}}`, `x.a`},
		{`[{"k":"v"},{"k":"v","K":1,"k":3}]`, `x[1].k`},
		{`{"\u0061\n":[0,01]}`, `x["a\n"]`},
	}
	for _, tt := range tests {
		err := checkJSON([]byte(tt.in), nil, "x")
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Path != tt.path {
			t.Errorf("%s: %v, want path %s", tt.in, err, tt.path)
		}
	}
}

// TestCheckJSONSeparators: what may follow a member or an element, and the
// errors for the rest.
func TestCheckJSONSeparators(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":1 "b":2}`, `want ',' or '}' at offset 7: malformed`},
		{`[1 2]`, `want ',' or ']' at offset 3: malformed`},
		{`{"a":[1}`, `a: want ',' or ']' at offset 7: malformed`},
		{`{"a":1`, `unexpected end of input in object: malformed`},
		{`[1`, `unexpected end of input in array: malformed`},
		{"[1 ,\n2 ] ", ``},
		{`{"a" : 1 , "b":[ ] }`, ``},
	}
	for _, tt := range tests {
		err := checkJSON([]byte(tt.in), nil, "")
		if got := fmt.Sprint(err); tt.want == "" && err != nil || tt.want != "" && got != tt.want {
			t.Errorf("%s: got %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestDecodeStrictNumbers: numbers that land in interfaces (parameters,
// environment, annotations, at any depth) decode as exact json.Number
// whichever decoder runs, and everything decodes as the UseNumber Decoder
// decodes it.
func TestDecodeStrictNumbers(t *testing.T) {
	reference := func(data []byte, v any) error {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		return dec.Decode(v)
	}
	const big = "12345678901234567891"
	tests := []struct {
		name string
		data string
		new  func() any
		// num digs the number out of the decoded value ("" when none).
		num func(v any) any
	}{
		{"v1 parameter", `{"buildDefinition":{"buildType":"https://t/v1","externalParameters":{"n":` + big + `}},"runDetails":{"builder":{"id":"https://b"}}}`,
			func() any { return new(ProvenanceV1) }, func(v any) any { return v.(*ProvenanceV1).BuildDefinition.ExternalParameters["n"] }},
		{"v1 nested parameter", `{"buildDefinition":{"buildType":"https://t/v1","externalParameters":{"a":[{"b":[1.5e300]}]}},"runDetails":{"builder":{"id":"https://b"}}}`,
			func() any { return new(ProvenanceV1) }, func(v any) any {
				return v.(*ProvenanceV1).BuildDefinition.ExternalParameters["a"].([]any)[0].(map[string]any)["b"].([]any)[0]
			}},
		{"annotation", `{"uri":"https://x","annotations":{"size":` + big + `}}`,
			func() any { return new(ResourceDescriptor) }, func(v any) any { return v.(*ResourceDescriptor).Annotations["size"] }},
		{"v0.2 environment", `{"builder":{"id":"https://b"},"buildType":"https://t","invocation":{"environment":{"github_run_id":` + big + `}}}`,
			func() any { return new(ProvenanceV02) }, func(v any) any { return v.(*ProvenanceV02).Invocation.Environment.(map[string]any)["github_run_id"] }},
		{"no number in an interface", `{"buildDefinition":{"buildType":"https://t/v1","externalParameters":{"s":"x","b":true,"l":["y",null]},"resolvedDependencies":[{"uri":"https://d","digest":{"sha256":"` + strings.Repeat("a", 64) + `"},"annotations":{"dirty":false}}]},"runDetails":{"builder":{"id":"https://b"},"metadata":{"startedOn":"2026-01-01T00:00:00Z"}}}`,
			func() any { return new(ProvenanceV1) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := tt.new(), tt.new()
			if err := decodeStrict([]byte(tt.data), got, ""); err != nil {
				t.Fatal(err)
			}
			if err := reference([]byte(tt.data), want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("decodeStrict = %+v, the UseNumber Decoder gives %+v", got, want)
			}
			if tt.num != nil {
				if n, ok := tt.num(got).(json.Number); !ok || (tt.name != "v1 nested parameter" && n.String() != big) {
					t.Fatalf("number %#v, want json.Number %s", tt.num(got), big)
				}
			}
		})
	}
}

// TestValidateJSONValueWalk: the walk over decoded JSON values judges them
// as marshalling them does.
func TestValidateJSONValueWalk(t *testing.T) {
	byMarshal := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return &FieldError{Path: "p", Err: fmt.Errorf("cannot encode as JSON: %v: %w", err, ErrInvalidField)}
		}
		if bytes.Contains(b, []byte(`\ufffd`)) && invalidUTF8(reflect.ValueOf(v)) {
			return &FieldError{Path: "p", Err: fmt.Errorf("string is not valid UTF-8: %w", ErrInvalidField)}
		}
		return nil
	}
	bad := string([]byte{0xff, 'x'})
	values := []any{
		"ok", bad, true, json.Number("12"), json.Number("1x"), json.Number(""), 1.5, math.NaN(), math.Inf(-1),
		map[string]any{"a": []any{"x", json.Number("1e9"), nil, map[string]any{"b": false}}},
		map[string]any{"a": []any{bad}}, map[string]any{bad: 1.0}, []any{map[string]any{"k": math.Inf(1)}, bad},
		map[string]string{"k": "v"}, map[string]string{"k": bad}, map[string]any{"t": struct{ X string }{bad}},
		map[string]any{"c": make(chan int)}, map[string]any{"ok": "\ufffd real replacement character"},
	}
	for _, v := range values {
		got, want := validateJSONValue(v, "p"), byMarshal(v)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%#v: %v, marshalling says %v", v, got, want)
		}
	}
}
