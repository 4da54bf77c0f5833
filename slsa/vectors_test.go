package slsa_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/slsa"
)

var update = flag.Bool("update", false, "rewrite golden files")

// realStatement is one statement payload found in a file.
type realStatement struct {
	name string // file path (relative) plus position
	data []byte
}

// extractStatements returns the in-toto statements inside one attestation
// file: Sigstore bundles (dsseEnvelope.payload), PEP 740 attestation
// objects (envelope.statement), PEP 740 provenance objects
// (attestation_bundles[].attestations[]), DSSE envelopes and .jsonl files of
// either. Signatures are not checked: this is a data-model test. Files that
// are not JSON, or JSON without a statement, give nothing.
func extractStatements(t testing.TB, name string, data []byte) []realStatement {
	t.Helper()
	var out []realStatement
	add := func(where, b64 string) {
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatalf("%s %s: payload is not base64: %v", name, where, err)
		}
		out = append(out, realStatement{name: name + where, data: raw})
	}
	var docs []json.RawMessage
	if err := json.Unmarshal(data, new(json.RawMessage)); err == nil {
		docs = append(docs, data)
	} else {
		for line := range bytes.Lines(data) {
			if len(bytes.TrimSpace(line)) > 0 && json.Valid(line) {
				docs = append(docs, line)
			}
		}
	}
	for i, doc := range docs {
		where := ""
		if len(docs) > 1 {
			where = " line " + strconv.Itoa(i+1)
		}
		var v struct {
			DSSE *struct {
				PayloadType string `json:"payloadType"`
				Payload     string `json:"payload"`
			} `json:"dsseEnvelope"`
			Envelope *struct {
				Statement string `json:"statement"`
			} `json:"envelope"`
			Bundles []struct {
				Attestations []struct {
					Envelope struct {
						Statement string `json:"statement"`
					} `json:"envelope"`
				} `json:"attestations"`
			} `json:"attestation_bundles"`
			PayloadType string `json:"payloadType"`
			Payload     string `json:"payload"`
		}
		if json.Unmarshal(doc, &v) != nil {
			continue
		}
		switch {
		case v.DSSE != nil && v.DSSE.PayloadType == slsa.PayloadType:
			add(where+" dsseEnvelope.payload", v.DSSE.Payload)
		case v.Envelope != nil && v.Envelope.Statement != "":
			add(where+" envelope.statement", v.Envelope.Statement)
		case len(v.Bundles) > 0:
			for b, bundle := range v.Bundles {
				for a, att := range bundle.Attestations {
					add(where+" attestation_bundles["+strconv.Itoa(b)+"].attestations["+strconv.Itoa(a)+"]", att.Envelope.Statement)
				}
			}
		case v.PayloadType == slsa.PayloadType:
			add(where+" payload", v.Payload)
		}
	}
	return out
}

// sharedStatements returns every statement in ../shared/vectors, skipping
// the test when ../shared is absent.
func sharedStatements(t *testing.T) []realStatement {
	t.Helper()
	root := testshared.Dir(t, "vectors")
	var all []realStatement
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil || info.Size() > 8<<20 {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		all = append(all, extractStatements(t, rel, data)...)
		if filepath.Base(path) == "statement.json" {
			all = append(all, realStatement{name: rel, data: data})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// checkReal is what every real statement must do: parse, validate, decode
// its SLSA predicate, round-trip through encoding/json and through the
// canonical form, and come out of Indent unchanged in value.
func checkReal(t *testing.T, name string, data []byte) *slsa.Statement {
	t.Helper()
	s, err := slsa.ParseStatement(data)
	if err != nil {
		t.Fatalf("%s: ParseStatement: %v", name, err)
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("%s: Validate: %v", name, err)
	}
	switch s.PredicateType {
	case slsa.PredicateProvenanceV1:
		p, err := s.ProvenanceV1()
		if err != nil {
			t.Fatalf("%s: ProvenanceV1: %v", name, err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("%s: marshal predicate: %v", name, err)
		}
		again, err := (&slsa.Statement{Type: s.Type, Subject: s.Subject, PredicateType: s.PredicateType, Predicate: b}).ProvenanceV1()
		if err != nil || !again.Equal(p) {
			t.Fatalf("%s: v1 predicate round trip: err=%v equal=%v", name, err, err == nil && again.Equal(p))
		}
	case slsa.PredicateProvenanceV02:
		p, err := s.ProvenanceV02()
		if err != nil {
			t.Fatalf("%s: ProvenanceV02: %v", name, err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("%s: marshal predicate: %v", name, err)
		}
		again, err := (&slsa.Statement{Type: s.Type, Subject: s.Subject, PredicateType: s.PredicateType, Predicate: b}).ProvenanceV02()
		if err != nil || !again.Equal(p) {
			t.Fatalf("%s: v0.2 predicate round trip: err=%v", name, err)
		}
	}
	encoded, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("%s: marshal: %v", name, err)
	}
	s2, err := slsa.ParseStatement(encoded)
	if err != nil {
		t.Fatalf("%s: re-parse: %v", name, err)
	}
	if !s.Equal(s2) || !s2.Equal(s) {
		t.Fatalf("%s: decode -> encode -> decode changed the statement", name)
	}
	canon, err := slsa.Canonical(s)
	if err != nil {
		t.Fatalf("%s: Canonical: %v", name, err)
	}
	s3, err := slsa.ParseStatement(canon)
	if err != nil {
		t.Fatalf("%s: parse canonical: %v", name, err)
	}
	if !s.Equal(s3) {
		t.Fatalf("%s: canonical form changed the statement", name)
	}
	if canon2, err := slsa.Canonical(s3); err != nil || !bytes.Equal(canon, canon2) {
		t.Fatalf("%s: Canonical is not idempotent (err=%v)", name, err)
	}
	ind, err := slsa.Indent(s)
	if err != nil {
		t.Fatalf("%s: Indent: %v", name, err)
	}
	s4, err := slsa.ParseStatement(ind)
	if err != nil || !s.Equal(s4) {
		t.Fatalf("%s: Indent changed the statement (err=%v)", name, err)
	}
	return s
}

// TestSharedVectors: every real statement in ../shared/vectors decodes,
// validates and round-trips.
func TestSharedVectors(t *testing.T) {
	all := sharedStatements(t)
	byType := map[string]int{}
	for _, st := range all {
		s := checkReal(t, st.name, st.data)
		byType[s.Type+" "+s.PredicateType]++
	}
	// The corpus has slsa-github-generator's v0.2 and v1, PyPI's null
	// predicate, conformance SLSA v1 statements and a VSA; each kind must
	// have been found, or the extraction above is broken.
	for _, want := range []string{
		slsa.StatementTypeV01 + " " + slsa.PredicateProvenanceV02,
		slsa.StatementTypeV01 + " " + slsa.PredicateProvenanceV1,
		slsa.StatementTypeV1 + " " + slsa.PredicateProvenanceV1,
		slsa.StatementTypeV1 + " https://docs.pypi.org/attestations/publish/v1",
		slsa.StatementTypeV1 + " https://slsa.dev/verification_summary/v1",
	} {
		if byType[want] == 0 {
			t.Errorf("no statement of kind %q found in ../shared/vectors", want)
		}
	}
	t.Logf("%d real statements decode, validate and round-trip: %v", len(all), byType)
}

// TestGolden round-trips the statements copied into testdata/statements
// (so the package tests without ../shared) and pins their Indent and
// Canonical forms in testdata/golden. Run with -update to rewrite.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/statements/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata statements: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s := checkReal(t, name, data)
			ind, err := slsa.Indent(s)
			if err != nil {
				t.Fatal(err)
			}
			canon, err := slsa.Canonical(s)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", name+".indent.json"), ind)
			golden(t, filepath.Join("testdata", "golden", name+".canonical.json"), canon)
		})
	}
}

// TestTestdataMatchesShared checks that the copies in testdata/statements
// are byte-for-byte payloads of the shared vectors they came from.
func TestTestdataMatchesShared(t *testing.T) {
	all := sharedStatements(t)
	files, _ := filepath.Glob("testdata/statements/*.json")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, st := range all {
			if bytes.Equal(st.data, data) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s is not a payload of any file in ../shared/vectors", f)
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run with -update to accept):\ngot:\n%s", path, truncateBytes(got, 2000))
	}
}

func truncateBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// TestSeedCaseProvenance: dpone's provenance (seed-cases) is not valid
// in-toto: its builder.id "local-ci" is not a URI, and one run has no
// subjects. ParseStatement says so in one line naming the field; Decode
// still reads it for inspection.
func TestSeedCaseProvenance(t *testing.T) {
	dir := testshared.Dir(t, "seed-cases", "dpone-sample-out")
	cases := []struct {
		run     string
		wantErr error
		wantMsg string
	}{
		{"01-ok-json", slsa.ErrInvalidURI, `predicate.runDetails.builder.id: want a scheme followed by ':' in "local-ci": invalid URI`},
		{"12-service-empty-subjects", slsa.ErrMissingField, "subject: want at least one subject: missing field"},
	}
	for _, c := range cases {
		data, err := os.ReadFile(filepath.Join(dir, c.run, "output-dir", "provenance.intoto.json"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = slsa.ParseStatement(data)
		if !errors.Is(err, c.wantErr) || err.Error() != c.wantMsg {
			t.Errorf("%s: got %v, want %q (%v)", c.run, err, c.wantMsg, c.wantErr)
		}
		s, err := slsa.DecodeStatement(data)
		if err != nil {
			t.Errorf("%s: DecodeStatement: %v", c.run, err)
			continue
		}
		if s.Validate() == nil {
			t.Errorf("%s: Validate passed", c.run)
		}
	}
}
