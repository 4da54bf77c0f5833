package slsa_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

const (
	sha256A = "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3"
	sha256B = "c4e92e9ecc828bef2aa7dba1de8ac983511f7532a0df11c770d39099a25cf201"
)

// v1Predicate is a minimal valid SLSA v1 predicate.
const v1Predicate = `{"buildDefinition":{"buildType":"https://example.com/build/v1","externalParameters":{"ref":"refs/tags/v1"}},"runDetails":{"builder":{"id":"https://example.com/builder"}}}`

// v02Predicate is a minimal valid SLSA v0.2 predicate.
const v02Predicate = `{"builder":{"id":"https://example.com/builder"},"buildType":"https://example.com/build/v1"}`

// statementJSON returns a statement with one subject and the given
// predicate type and predicate (omitted when empty).
func statementJSON(predicateType, predicate string) string {
	s := `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a.whl","digest":{"sha256":"` + sha256A + `"}}],"predicateType":"` + predicateType + `"`
	if predicate != "" {
		s += `,"predicate":` + predicate
	}
	return s + "}"
}

func v1Statement(predicate string) string {
	return statementJSON(slsa.PredicateProvenanceV1, predicate)
}

// checkErr fails the test when err is not nil though wantErr is, or does not
// wrap wantErr and read exactly wantMsg.
func checkErr(t *testing.T, err, wantErr error, wantMsg string) {
	t.Helper()
	if wantErr == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if !errors.Is(err, wantErr) || err.Error() != wantMsg {
		t.Errorf("got %v\nwant %s (%v)", err, wantMsg, wantErr)
	}
}

// TestParseStatementErrors: malformed or invalid input gets one line naming
// the field, wrapping the right sentinel.
func TestParseStatementErrors(t *testing.T) {
	hex63 := sha256A[:63]
	tests := []struct {
		name    string
		in      string
		wantErr error
		wantMsg string
	}{
		{"empty input", ``, slsa.ErrMalformed, "unexpected end of input: malformed"},
		{"not JSON", `hello`, slsa.ErrMalformed, "invalid character 'h' at offset 0: malformed"},
		{"top-level array", `[]`, slsa.ErrMalformed, "want an object, got an array: malformed"},
		{"top-level null", `null`, slsa.ErrMalformed, "want an object, got null: malformed"},
		{"trailing data", statementJSON("https://example.com/p", "") + `{}`, slsa.ErrMalformed, "unexpected data after the JSON value at offset 199: malformed"},
		{"truncated", `{"_type":"https://in-toto.io/Statement/v1","subject":[`, slsa.ErrMalformed, "subject[0]: unexpected end of input: malformed"},
		{"invalid UTF-8", "{\"_type\":\"\xff\"}", slsa.ErrMalformed, "invalid UTF-8 at offset 10: malformed"},
		{"lone surrogate", `{"_type":"\ud800"}`, slsa.ErrMalformed, "_type: lone UTF-16 surrogate escape at offset 10: malformed"},
		{"control character", "{\"_type\":\"a\tb\"}", slsa.ErrMalformed, "_type: control character in string at offset 11: malformed"},
		{"bad escape", `{"_type":"\x41"}`, slsa.ErrMalformed, `_type: invalid escape "\\x" at offset 10: malformed`},
		{"duplicate member", `{"_type":"https://in-toto.io/Statement/v1","_type":"x"}`, slsa.ErrMalformed, "_type: duplicate member: malformed"},
		{"duplicate deep in the predicate", v1Statement(`{"x":{"a":1,"a":2}}`), slsa.ErrMalformed, "predicate.x.a: duplicate member: malformed"},
		{"case-confused member", `{"_type":"https://in-toto.io/Statement/v1","PredicateType":"x"}`, slsa.ErrMalformed, `PredicateType: member name is case-sensitive: want "predicateType": malformed`},
		{"Unicode case-folded member", `{"ſubject":[]}`, slsa.ErrMalformed, `["ſubject"]: member name is case-sensitive: want "subject": malformed`},
		{"case-confused digest field", strings.Replace(statementJSON("https://example.com/p", ""), `"digest"`, `"Digest"`, 1), slsa.ErrMalformed, `subject[0].Digest: member name is case-sensitive: want "digest": malformed`},
		{"subject is an object", `{"subject":{}}`, slsa.ErrMalformed, "subject: want an array, got an object: malformed"},
		{"digest value is a number", `{"subject":[{"digest":{"sha256":1}}]}`, slsa.ErrMalformed, "subject[0].digest.sha256: want a string, got a number: malformed"},
		{"content is not base64", `{"subject":[{"content":"!!"}]}`, slsa.ErrMalformed, "subject[0].content: want standard base64 (offset 23): malformed"},
		{"nesting too deep", v1Statement(strings.Repeat(`{"a":`, 600) + "1" + strings.Repeat("}", 600)), slsa.ErrMalformed, "predicate.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a....: nested more than 512 levels deep at offset 2780: malformed"},
		{"missing _type", `{"subject":[{"digest":{"sha256":"` + sha256A + `"}}],"predicateType":"https://example.com/p"}`, slsa.ErrStatementType, `_type: want "https://in-toto.io/Statement/v1" (or the legacy "https://in-toto.io/Statement/v0.1"), got "": unsupported statement type`},
		{"unknown _type", strings.Replace(statementJSON("https://example.com/p", ""), "Statement/v1", "Statement/v2", 1), slsa.ErrStatementType, `_type: want "https://in-toto.io/Statement/v1" (or the legacy "https://in-toto.io/Statement/v0.1"), got "https://in-toto.io/Statement/v2": unsupported statement type`},
		{"missing subject", `{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://example.com/p"}`, slsa.ErrMissingField, "subject: want at least one subject: missing field"},
		{"empty subject", `{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"https://example.com/p"}`, slsa.ErrMissingField, "subject: want at least one subject: missing field"},
		{"subject without digest", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","uri":"pkg:pypi/a"}],"predicateType":"https://example.com/p"}`, slsa.ErrMissingField, "subject[0].digest: every subject needs a digest: missing field"},
		{"short digest in the third subject", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"` + sha256A + `"}},{"digest":{"sha256":"` + sha256B + `"}},{"digest":{"sha256":"` + hex63 + `"}}],"predicateType":"https://example.com/p"}`, slsa.ErrInvalidDigest, "subject[2].digest.sha256: want 64 lowercase hex characters, got 63: invalid digest"},
		{"uppercase digest", strings.Replace(statementJSON("https://example.com/p", ""), sha256A, strings.ToUpper(sha256A), 1), slsa.ErrInvalidDigest, "subject[0].digest.sha256: want lowercase hex, got 'B' at offset 1: invalid digest"},
		{"empty digest value", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"custom":""}}],"predicateType":"https://example.com/p"}`, slsa.ErrInvalidDigest, "subject[0].digest.custom: want a value: empty digest"},
		{"subject uri not a URI", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"uri":"a b","digest":{"sha256":"` + sha256A + `"}}],"predicateType":"https://example.com/p"}`, slsa.ErrInvalidURI, `subject[0].uri: want a scheme followed by ':' in "a b": invalid URI`},
		{"missing predicateType", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"` + sha256A + `"}}]}`, slsa.ErrMissingField, "predicateType: want the predicate type URI: missing field"},
		{"predicateType not a URI", statementJSON("provenance", ""), slsa.ErrInvalidURI, `predicateType: want a scheme followed by ':' in "provenance": invalid URI`},
		{"predicate is an array", statementJSON("https://example.com/p", `[1]`), slsa.ErrInvalidField, "predicate: want a JSON object or null: invalid field"},
		{"provenance v1 without predicate", v1Statement(""), slsa.ErrMissingField, "predicate: want a SLSA v1 provenance predicate: missing field"},
		{"provenance v1 with null predicate", v1Statement("null"), slsa.ErrMissingField, "predicate: want a SLSA v1 provenance predicate: missing field"},
		{"provenance v1 without builder id", v1Statement(`{"buildDefinition":{"buildType":"https://example.com/b"},"runDetails":{"builder":{}}}`), slsa.ErrMissingField, "predicate.runDetails.builder.id: want the builder id URI: missing field"},
		{"provenance v1 without buildType", v1Statement(`{"buildDefinition":{},"runDetails":{"builder":{"id":"https://example.com/b"}}}`), slsa.ErrMissingField, "predicate.buildDefinition.buildType: want the build type URI: missing field"},
		{"provenance v1 builder id not a URI", v1Statement(`{"buildDefinition":{"buildType":"https://example.com/b"},"runDetails":{"builder":{"id":"local-ci"}}}`), slsa.ErrInvalidURI, `predicate.runDetails.builder.id: want a scheme followed by ':' in "local-ci": invalid URI`},
		{"provenance v1 parameters not an object", v1Statement(`{"buildDefinition":{"buildType":"https://example.com/b","externalParameters":"x"},"runDetails":{"builder":{"id":"https://example.com/b"}}}`), slsa.ErrMalformed, "predicate.buildDefinition.externalParameters: want an object, got a string: malformed"},
		{"provenance v1 bad time", v1Statement(`{"buildDefinition":{"buildType":"https://example.com/b"},"runDetails":{"builder":{"id":"https://example.com/b"},"metadata":{"startedOn":"yesterday"}}}`), slsa.ErrInvalidTime, `predicate.runDetails.metadata.startedOn: want an RFC 3339 time, got "yesterday": invalid time`},
		{"provenance v1 bad dependency digest", v1Statement(`{"buildDefinition":{"buildType":"https://example.com/b","resolvedDependencies":[{"uri":"git+https://github.com/o/r","digest":{"gitCommit":"abc"}}]},"runDetails":{"builder":{"id":"https://example.com/b"}}}`), slsa.ErrInvalidDigest, "predicate.buildDefinition.resolvedDependencies[0].digest.gitCommit: want 40 or 64 lowercase hex characters, got 3: invalid digest"},
		{"provenance v1 empty byproduct", v1Statement(`{"buildDefinition":{"buildType":"https://example.com/b"},"runDetails":{"builder":{"id":"https://example.com/b"},"byproducts":[{"name":"log"}]}}`), slsa.ErrMissingField, "predicate.runDetails.byproducts[0]: want at least one of uri, digest and content: missing field"},
		{"provenance v0.2 without builder", statementJSON(slsa.PredicateProvenanceV02, `{"buildType":"https://example.com/b"}`), slsa.ErrMissingField, "predicate.builder.id: want the builder id URI: missing field"},
		{"provenance v0.2 duplicate invocation id spellings", statementJSON(slsa.PredicateProvenanceV02, `{"builder":{"id":"https://example.com/b"},"buildType":"https://example.com/b","metadata":{"buildInvocationId":"1","buildInvocationID":"2"}}`), slsa.ErrMalformed, `predicate.metadata.buildInvocationID: duplicate member (also spelled "buildInvocationId"): malformed`},
		{"provenance v0.2 empty material", statementJSON(slsa.PredicateProvenanceV02, `{"builder":{"id":"https://example.com/b"},"buildType":"https://example.com/b","materials":[{}]}`), slsa.ErrMissingField, "predicate.materials[0]: want a uri or a digest: missing field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := slsa.ParseStatement([]byte(tt.in))
			if err == nil {
				t.Fatalf("ParseStatement accepted it: %+v", s)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %q does not wrap %v", err, tt.wantErr)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("error:\n got %s\nwant %s", err, tt.wantMsg)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestParseStatementTooLarge(t *testing.T) {
	_, err := slsa.ParseStatement(make([]byte, slsa.MaxStatementSize+1))
	if !errors.Is(err, slsa.ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	_, err = slsa.DecodeStatement(make([]byte, slsa.MaxStatementSize+1))
	if !errors.Is(err, slsa.ErrTooLarge) {
		t.Fatalf("DecodeStatement: got %v, want ErrTooLarge", err)
	}
}

// TestDigestErrorsWrapBothPackages: a digest problem matches the digest
// package's sentinel as well as this package's.
func TestDigestErrorsWrapBothPackages(t *testing.T) {
	_, err := slsa.ParseStatement([]byte(strings.Replace(statementJSON("https://example.com/p", ""), sha256A, sha256A[:63], 1)))
	if !errors.Is(err, slsa.ErrInvalidDigest) || !errors.Is(err, digest.ErrInvalidDigest) {
		t.Errorf("%v: want both slsa.ErrInvalidDigest and digest.ErrInvalidDigest", err)
	}
	var fe *slsa.FieldError
	if !errors.As(err, &fe) || fe.Path != "subject[0].digest.sha256" {
		t.Errorf("want a *FieldError with path subject[0].digest.sha256, got %#v", err)
	}
}

func TestParseStatementAccepts(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, s *slsa.Statement)
	}{
		{"null predicate", statementJSON("https://docs.pypi.org/attestations/publish/v1", "null"), func(t *testing.T, s *slsa.Statement) {
			if string(s.Predicate) != "null" || s.HasPredicate() {
				t.Errorf("predicate = %q, HasPredicate %v", s.Predicate, s.HasPredicate())
			}
		}},
		{"absent predicate", statementJSON("https://docs.pypi.org/attestations/publish/v1", ""), func(t *testing.T, s *slsa.Statement) {
			if s.Predicate != nil {
				t.Errorf("predicate = %q", s.Predicate)
			}
		}},
		{"legacy v0.1 statement", strings.Replace(statementJSON("https://example.com/p", "{}"), "Statement/v1", "Statement/v0.1", 1), nil},
		{"unknown members everywhere", `{"_type":"https://in-toto.io/Statement/v1","x-top":1,"subject":[{"digest":{"sha256":"` + sha256A + `"},"x-sub":true}],"predicateType":"` + slsa.PredicateProvenanceV1 + `","predicate":{"x-pred":{},"buildDefinition":{"buildType":"https://example.com/b","x-bd":[]},"runDetails":{"builder":{"id":"https://example.com/b","x-b":null}}}}`, nil},
		{"unknown digest algorithm with any value", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"gce_image_id":"8970095005306000053","sha512_256":"` + sha256A + `"}}],"predicateType":"https://example.com/p"}`, func(t *testing.T, s *slsa.Statement) {
			if s.Subject[0].Digest["gce_image_id"] != "8970095005306000053" {
				t.Errorf("unknown algorithm lost: %v", s.Subject[0].Digest)
			}
		}},
		{"big integers keep every digit", v1Statement(`{"buildDefinition":{"buildType":"https://example.com/b","externalParameters":{"run":12345678901234567891,"f":1.50}},"runDetails":{"builder":{"id":"https://example.com/b"}}}`), func(t *testing.T, s *slsa.Statement) {
			p, err := s.ProvenanceV1()
			if err != nil {
				t.Fatal(err)
			}
			if got := p.BuildDefinition.ExternalParameters["run"]; got != json.Number("12345678901234567891") {
				t.Errorf("run = %#v", got)
			}
			b, _ := json.Marshal(p)
			if !bytes.Contains(b, []byte(`"run":12345678901234567891`)) || !bytes.Contains(b, []byte(`"f":1.50`)) {
				t.Errorf("re-encoded numbers changed: %s", b)
			}
		}},
		{"v0.2 buildInvocationID spelling", statementJSON(slsa.PredicateProvenanceV02, `{"builder":{"id":"https://example.com/b"},"buildType":"https://example.com/b","metadata":{"buildInvocationID":"123-1","buildStartedOn":"2026-01-01T01:00:00+01:00"}}`), func(t *testing.T, s *slsa.Statement) {
			p, err := s.ProvenanceV02()
			if err != nil {
				t.Fatal(err)
			}
			if p.Metadata.BuildInvocationID != "123-1" {
				t.Errorf("BuildInvocationID = %q", p.Metadata.BuildInvocationID)
			}
			if got := p.Metadata.BuildStartedOn.String(); got != "2026-01-01T00:00:00Z" {
				t.Errorf("BuildStartedOn = %s", got)
			}
		}},
		{"escaped member names", `{"\u005ftype":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"` + sha256A + `"}}],"predicateType":"https://example.com/p"}`, nil},
		{"whitespace around the value", " \n\t" + statementJSON("https://example.com/p", "{}") + "\r\n ", nil},
		{"uppercase scheme and host in types", `{"_type":"HTTPS://IN-TOTO.IO/Statement/v1","subject":[{"digest":{"sha256":"` + sha256A + `"}}],"predicateType":"HTTPS://SLSA.DEV/provenance/v1","predicate":` + v1Predicate + `}`, func(t *testing.T, s *slsa.Statement) {
			if _, err := s.ProvenanceV1(); err != nil {
				t.Error(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := slsa.ParseStatement([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
}

func TestPredicateAccessorsCheckType(t *testing.T) {
	v1, err := slsa.ParseStatement([]byte(v1Statement(v1Predicate)))
	if err != nil {
		t.Fatal(err)
	}
	v02, err := slsa.ParseStatement([]byte(statementJSON(slsa.PredicateProvenanceV02, v02Predicate)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v1.ProvenanceV02(); !errors.Is(err, slsa.ErrPredicateType) {
		t.Errorf("ProvenanceV02 on a v1 statement: %v", err)
	}
	if _, err := v02.ProvenanceV1(); !errors.Is(err, slsa.ErrPredicateType) {
		t.Errorf("ProvenanceV1 on a v0.2 statement: %v", err)
	} else if want := `predicateType: want "https://slsa.dev/provenance/v1", got "https://slsa.dev/provenance/v0.2": unexpected predicate type`; err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
	if p, err := v1.ProvenanceV1(); err != nil || p.RunDetails.Builder.ID != "https://example.com/builder" {
		t.Errorf("ProvenanceV1: %v %+v", err, p)
	}
	if p, err := v02.ProvenanceV02(); err != nil || p.BuildType != "https://example.com/build/v1" {
		t.Errorf("ProvenanceV02: %v %+v", err, p)
	}
}

func TestNewStatement(t *testing.T) {
	subjects := []slsa.ResourceDescriptor{{Name: "a.whl", URI: "PKG:pypi/a@1.0", Digest: digest.Set{"sha256": sha256A}}}
	prov := &slsa.ProvenanceV1{
		BuildDefinition: slsa.BuildDefinition{
			BuildType:          "HTTPS://Example.COM/build/%7ev1",
			ExternalParameters: map[string]any{"ref": "refs/tags/v1"},
			ResolvedDependencies: []slsa.ResourceDescriptor{{
				URI: "git+HTTPS://GitHub.com/o/r@refs/tags/v1", Digest: digest.Set{"gitCommit": "4d329c75e7ec1725f7c9ce917a8799d408d06be3"},
			}},
		},
		RunDetails: slsa.RunDetails{Builder: slsa.Builder{ID: "https://example.com/builder"}},
	}
	s, err := slsa.NewStatement(subjects, "HTTPS://SLSA.dev/provenance/v1", prov)
	if err != nil {
		t.Fatal(err)
	}
	if s.Type != slsa.StatementTypeV1 || s.PredicateType != slsa.PredicateProvenanceV1 {
		t.Errorf("type %q predicateType %q", s.Type, s.PredicateType)
	}
	if s.Subject[0].URI != "pkg:pypi/a@1.0" {
		t.Errorf("subject uri not normalized: %q", s.Subject[0].URI)
	}
	p, err := s.ProvenanceV1()
	if err != nil {
		t.Fatal(err)
	}
	if p.BuildDefinition.BuildType != "https://example.com/build/%7Ev1" ||
		p.BuildDefinition.ResolvedDependencies[0].URI != "git+https://github.com/o/r@refs/tags/v1" {
		t.Errorf("predicate URIs not normalized: %+v", p.BuildDefinition)
	}
	if prov.BuildDefinition.BuildType != "HTTPS://Example.COM/build/%7ev1" || subjects[0].URI != "PKG:pypi/a@1.0" {
		t.Error("NewStatement changed its arguments")
	}
	subjects[0].Digest["sha256"] = sha256B
	if s.Subject[0].Digest["sha256"] != sha256A {
		t.Error("the statement shares the caller's digest set")
	}

	// A value ProvenanceV1 works like a pointer; no predicate is allowed.
	if _, err := slsa.NewStatement(subjects, slsa.PredicateProvenanceV1, *prov); err != nil {
		t.Errorf("value predicate: %v", err)
	}
	if s, err := slsa.NewStatement(subjects, "https://docs.pypi.org/attestations/publish/v1", nil); err != nil || s.Predicate != nil {
		t.Errorf("nil predicate: %v %q", err, s.Predicate)
	}
	if s, err := slsa.NewStatement(subjects, "https://example.com/p", json.RawMessage(" { \"b\" : 1 } ")); err != nil || string(s.Predicate) != `{"b":1}` {
		t.Errorf("raw predicate: %v %q", err, s.Predicate)
	}

	bad := []struct {
		name      string
		subjects  []slsa.ResourceDescriptor
		predType  string
		predicate any
		wantErr   error
		wantMsg   string
	}{
		{"no subjects", nil, "https://example.com/p", nil, slsa.ErrMissingField, "subject: want at least one subject: missing field"},
		{"subject uri invalid", []slsa.ResourceDescriptor{{URI: "%", Digest: digest.Set{"sha256": sha256A}}}, "https://example.com/p", nil, slsa.ErrInvalidURI, `subject[0].uri: want a scheme followed by ':' in "%": invalid URI`},
		{"bad predicate type", subjects, "not a uri", nil, slsa.ErrInvalidURI, `predicateType: want a scheme followed by ':' in "not a uri": invalid URI`},
		{"predicate is a string", subjects, "https://example.com/p", "text", slsa.ErrInvalidField, "predicate: want a JSON object or null: invalid field"},
		{"predicate is invalid JSON", subjects, "https://example.com/p", json.RawMessage("{"), slsa.ErrMalformed, "predicate: invalid JSON: unexpected end of JSON input: malformed"},
		{"predicate cannot be marshalled", subjects, "https://example.com/p", map[string]any{"c": make(chan int)}, slsa.ErrInvalidField, "predicate: json: unsupported type: chan int: invalid field"},
		{"provenance without external parameters", subjects, slsa.PredicateProvenanceV1, &slsa.ProvenanceV1{
			BuildDefinition: slsa.BuildDefinition{BuildType: "https://example.com/b"},
			RunDetails:      slsa.RunDetails{Builder: slsa.Builder{ID: "https://example.com/b"}},
		}, slsa.ErrMissingField, "predicate.buildDefinition.externalParameters: SLSA v1 requires the parameters the build was asked for: missing field"},
		{"raw provenance without external parameters", subjects, slsa.PredicateProvenanceV1, json.RawMessage(`{"buildDefinition":{"buildType":"https://e.com/b","externalParameters":{}},"runDetails":{"builder":{"id":"https://e.com/b"}}}`),
			slsa.ErrMissingField, "predicate.buildDefinition.externalParameters: SLSA v1 requires the parameters the build was asked for: missing field"},
		{"provenance with invalid builder", subjects, slsa.PredicateProvenanceV1, &slsa.ProvenanceV1{
			BuildDefinition: slsa.BuildDefinition{BuildType: "https://example.com/b", ExternalParameters: map[string]any{"a": 1}},
		}, slsa.ErrMissingField, "predicate.runDetails.builder.id: want the builder id URI: missing field"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := slsa.NewStatement(tt.subjects, tt.predType, tt.predicate)
			if !errors.Is(err, tt.wantErr) || err.Error() != tt.wantMsg {
				t.Errorf("got %v\nwant %s (%v)", err, tt.wantMsg, tt.wantErr)
			}
		})
	}
}

func TestMatchSubject(t *testing.T) {
	s := &slsa.Statement{Subject: []slsa.ResourceDescriptor{
		{Name: "a", Digest: digest.Set{"sha256": sha256A}},
		{Name: "b", Digest: digest.Set{"sha256": sha256B, "sha1": "4d329c75e7ec1725f7c9ce917a8799d408d06be3"}},
	}}
	tests := []struct {
		name   string
		d      digest.Set
		want   int
		wantOK bool
	}{
		{"first", digest.Set{"sha256": sha256A}, 0, true},
		{"second by one shared algorithm", digest.Set{"sha256": sha256B, "sha512": strings.Repeat("0", 128)}, 1, true},
		{"disagreeing shared algorithm", digest.Set{"sha256": sha256B, "sha1": strings.Repeat("0", 40)}, -1, false},
		{"no shared algorithm", digest.Set{"sha512": strings.Repeat("0", 128)}, -1, false},
		{"empty set", digest.Set{}, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, ok := s.MatchSubject(tt.d)
			if i != tt.want || ok != tt.wantOK {
				t.Errorf("MatchSubject = %d, %v; want %d, %v", i, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestStatementEqual(t *testing.T) {
	parse := func(s string) *slsa.Statement {
		t.Helper()
		st, err := slsa.ParseStatement([]byte(s))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		return st
	}
	base := statementJSON("https://example.com/p", `{"a":1,"b":[true,null,"x"]}`)
	tests := []struct {
		name  string
		other string
		equal bool
	}{
		{"identical", base, true},
		{"member order and spacing", statementJSON("https://example.com/p", `{ "b" : [true, null, "x"], "a" : 1.0 }`), true},
		{"number spelled with an exponent", statementJSON("https://example.com/p", `{"a":10e-1,"b":[true,null,"x"]}`), true},
		{"scheme and host case", strings.Replace(statementJSON("HTTPS://EXAMPLE.com/p", `{"a":1,"b":[true,null,"x"]}`), "https://in-toto.io", "https://IN-TOTO.io", 1), true},
		{"path case", statementJSON("https://example.com/P", `{"a":1,"b":[true,null,"x"]}`), false},
		{"different number", statementJSON("https://example.com/p", `{"a":2,"b":[true,null,"x"]}`), false},
		{"array order", statementJSON("https://example.com/p", `{"a":1,"b":[null,true,"x"]}`), false},
		{"extra member", statementJSON("https://example.com/p", `{"a":1,"b":[true,null,"x"],"c":0}`), false},
		{"different digest", strings.Replace(base, sha256A, sha256B, 1), false},
		{"legacy statement type", strings.Replace(base, "Statement/v1", "Statement/v0.1", 1), false},
	}
	a := parse(base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := parse(tt.other)
			if a.Equal(b) != tt.equal || b.Equal(a) != tt.equal {
				t.Errorf("Equal = %v, want %v", a.Equal(b), tt.equal)
			}
		})
	}
	// Unset, null and {} predicates are the same (in-toto statement spec).
	none := parse(statementJSON("https://example.com/p", ""))
	null := parse(statementJSON("https://example.com/p", "null"))
	empty := parse(statementJSON("https://example.com/p", "{}"))
	if !none.Equal(null) || !null.Equal(empty) || !empty.Equal(none) || none.Equal(a) || a.Equal(none) {
		t.Error("unset, null and {} predicates should be equal to each other and only to each other")
	}
	var nilStmt *slsa.Statement
	if !nilStmt.Equal(nil) || nilStmt.Equal(a) || a.Equal(nil) {
		t.Error("nil statements")
	}
}

// TestParseStatementWithProvenance: the predicate handed back is the one
// ProvenanceV1 or ProvenanceV02 decodes, and nil for other predicates.
func TestParseStatementWithProvenance(t *testing.T) {
	files, _ := filepath.Glob("testdata/statements/*.json")
	if len(files) < 5 {
		t.Fatalf("only %d statements in testdata", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		st, prov, err := slsa.ParseStatementWithProvenance(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		switch pt := slsa.TypeURI(st.PredicateType); {
		case pt.Equal(slsa.PredicateProvenanceV1):
			want, err := st.ProvenanceV1()
			if err != nil || prov == nil || prov.V02 != nil || !prov.V1.Equal(want) {
				t.Errorf("%s: %+v, want %+v (%v)", f, prov, want, err)
			}
		case pt.Equal(slsa.PredicateProvenanceV02):
			want, err := st.ProvenanceV02()
			if err != nil || prov == nil || prov.V1 != nil || !prov.V02.Equal(want) {
				t.Errorf("%s: %+v, want %+v (%v)", f, prov, want, err)
			}
		default:
			if prov != nil {
				t.Errorf("%s: predicate %s, yet provenance %+v", f, st.PredicateType, prov)
			}
		}
	}
	if _, _, err := slsa.ParseStatementWithProvenance([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"` + sha256A + `"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{}}}`)); !errors.Is(err, slsa.ErrMissingField) {
		t.Errorf("invalid provenance: %v", err)
	}
}
