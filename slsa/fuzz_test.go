package slsa_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/slsa"
)

// addStatementSeeds seeds a fuzz target with testdata/statements and, when
// ../shared is present, every statement in ../shared/vectors (without
// skipping when it is absent).
func addStatementSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/statements/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	if root := testshared.Path("vectors"); root != "" {
		for _, dir := range []string{"pypi", "slsa-github-generator", "vsa"} {
			_ = filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				if data, err := os.ReadFile(path); err == nil && len(data) < 1<<20 {
					for _, st := range extractStatements(f, path, data) {
						f.Add(st.data)
					}
				}
				return nil
			})
		}
	}
	f.Add([]byte(v1Statement(v1Predicate)))
	f.Add([]byte(statementJSON(slsa.PredicateProvenanceV02, v02Predicate)))
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"` + sha256A + `"},"content":"aGk=","annotations":{"a":[1.5e3,null]}}],"predicateType":"x:y","predicate":null}`))
	f.Add([]byte(`{"_type":"\ud83d\ude00","subject":[],"ſubject":1}`))
}

// sentinels are the errors ParseStatement may return.
var sentinels = []error{
	slsa.ErrMalformed, slsa.ErrTooLarge, slsa.ErrMissingField, slsa.ErrInvalidField, slsa.ErrInvalidDigest,
	slsa.ErrInvalidURI, slsa.ErrInvalidTime, slsa.ErrStatementType, slsa.ErrPredicateType,
}

// FuzzParseStatement: any input is either rejected with one line wrapping a
// sentinel, or accepted as a statement that re-encodes, re-parses equal,
// canonicalizes idempotently and is accepted by encoding/json too.
func FuzzParseStatement(f *testing.F) {
	addStatementSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := slsa.ParseStatement(data)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error is not one line: %q", err)
			}
			for _, sentinel := range sentinels {
				if errors.Is(err, sentinel) {
					return
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON: %q", data)
		}
		encoded, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		s2, err := slsa.ParseStatement(encoded)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", encoded, err)
		}
		if !s.Equal(s2) {
			t.Fatalf("round trip changed the statement:\n%s\n%s", data, encoded)
		}
		canon, err := slsa.Canonical(s)
		if err != nil {
			if errors.Is(err, slsa.ErrCanonical) {
				return // an integer outside ±(2^53-1)
			}
			t.Fatalf("Canonical: %v", err)
		}
		s3, err := slsa.ParseStatement(canon)
		if err != nil {
			t.Fatalf("parse canonical %s: %v", canon, err)
		}
		canon2, err := slsa.Canonical(s3)
		if err != nil || !bytes.Equal(canon, canon2) {
			t.Fatalf("Canonical not idempotent: %s / %s (%v)", canon, canon2, err)
		}
		if _, err := slsa.Indent(s); err != nil {
			t.Fatalf("Indent: %v", err)
		}
	})
}

// FuzzURI: normalization is idempotent, normalized URIs are valid and equal
// to their source, and Equal is symmetric.
func FuzzURI(f *testing.F) {
	for _, s := range []string{
		"https://in-toto.io/Statement/v1", "HTTPS://User@GitHub.COM:443/a%2fb?q=%7e#f", "pkg:pypi/a@1.0?x=y#z",
		"git+https://github.com/o/r@refs/tags/v1", "http://[2001:DB8::1]/", "http://[v1.A:b]/", "x:", "a b", "%zz",
	} {
		f.Add(s, strings.ToUpper(s))
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		n, err := slsa.ParseResourceURI(a)
		if err != nil {
			if !errors.Is(err, slsa.ErrInvalidURI) || strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("bad error for %q: %v", a, err)
			}
			if slsa.ResourceURI(a).Validate() == nil {
				t.Fatalf("Validate accepts %q that Parse rejects", a)
			}
			return
		}
		n2, err := n.Normalize()
		if err != nil || n2 != n {
			t.Fatalf("%q: normalize(normalize) = %q, %v; want %q", a, n2, err, n)
		}
		if !slsa.ResourceURI(a).Equal(n) || !n.Equal(slsa.ResourceURI(a)) {
			t.Fatalf("%q not equal to its normalized form %q", a, n)
		}
		if slsa.TypeURI(a).Equal(slsa.TypeURI(b)) != slsa.TypeURI(b).Equal(slsa.TypeURI(a)) {
			t.Fatalf("Equal not symmetric for %q, %q", a, b)
		}
	})
}

// FuzzTime: whatever parses writes back as RFC 3339 in UTC and parses to
// the same instant.
func FuzzTime(f *testing.F) {
	for _, s := range []string{"2026-01-01T00:00:00Z", "2026-11-22T01:49:17.066362+00:00", "0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59.999999999-23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := slsa.ParseTime(s)
		if err != nil {
			if !errors.Is(err, slsa.ErrInvalidTime) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		b, err := json.Marshal(tm)
		if err != nil {
			t.Fatalf("%q: marshal: %v", s, err)
		}
		var back slsa.Time
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(tm.Time) {
			t.Fatalf("%q -> %s -> %v (%v)", s, b, back, err)
		}
		if !strings.HasSuffix(string(b), `Z"`) {
			t.Fatalf("%q written as %s, not UTC", s, b)
		}
	})
}

// FuzzCanonical: Canonical accepts only valid JSON, and its output is
// valid JSON equal in value to the input (numbers compared as doubles)
// that canonicalizes to itself.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[true,null,"x\u2028"]}`, `[1e400]`, `[-0,0.1,1e21,123456789012345678]`, `{"\ud83d\ude00":1,"\uffff":2}`, `"x"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := slsa.Canonical(json.RawMessage(data))
		if err != nil {
			return
		}
		if !json.Valid(data) || !json.Valid(out) {
			t.Fatalf("Canonical(%q) = %q", data, out)
		}
		var a, b any
		if json.Unmarshal(data, &a) != nil || json.Unmarshal(out, &b) != nil {
			t.Fatal("unmarshal")
		}
		if !sameValue(a, b) {
			t.Fatalf("value changed: %s -> %s", data, out)
		}
		again, err := slsa.Canonical(json.RawMessage(out))
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %s -> %s (%v)", out, again, err)
		}
	})
}

// sameValue compares two values decoded by encoding/json, numbers as
// doubles (so -0 equals 0, as RFC 8785 writes it).
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}
