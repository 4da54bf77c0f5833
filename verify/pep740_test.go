package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/slsa"
)

func fileSHA256(t testing.TB, rel string) digest.Set {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testshared.Dir(t, "vectors"), rel))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return digest.Set{digest.SHA256: hex.EncodeToString(sum[:])}
}

func TestCheckPEP740Vectors(t *testing.T) {
	sdist := "pypi/pypi_attestations-0.0.19.tar.gz"
	wheel := "pypi/rfc8785-0.1.2-py3-none-any.whl"
	tests := []struct {
		name, file, artifact string
		filename             string
		wantErr              error
	}{
		{name: "sdist SLSA", file: pypiSLSA, artifact: sdist},
		{name: "sdist publish", file: pypiPublish, artifact: sdist},
		{name: "wheel attestation", file: "pypi/rfc8785-0.1.2-py3-none-any.whl.attestation", artifact: wheel},
		{name: "wheel publish", file: "pypi/rfc8785-0.1.2-py3-none-any.whl.publish.attestation", artifact: wheel},
		{name: "sdist attestation for the wheel", file: pypiSLSA, artifact: wheel, wantErr: ErrDistributionMismatch},
		{name: "renamed file with the same bytes", file: pypiSLSA, artifact: sdist, filename: "pypi_attestations-0.0.20.tar.gz", wantErr: ErrDistributionMismatch},
		{name: "name normalizes equal", file: pypiSLSA, artifact: sdist, filename: "PyPI_Attestations-0.0.19.tar.gz"},
		{name: "zip is another archive", file: pypiSLSA, artifact: sdist, filename: "pypi_attestations-0.0.19.zip", wantErr: ErrDistributionMismatch},
		{name: "digest only", file: pypiSLSA, artifact: sdist, filename: "-", wantErr: ErrDistributionMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := loadVector(t, tt.file)
			name := filepath.Base(tt.artifact)
			switch tt.filename {
			case "":
			case "-":
				name = ""
			default:
				name = tt.filename
			}
			err := CheckPEP740(v.stmt, PEP740Options{Filename: name, Digest: fileSHA256(t, tt.artifact)})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CheckPEP740() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestCheckPEP740Rules(t *testing.T) {
	const sum = "c4e92e9ecc828bef2aa7dba1de8ac983511f7532a0df11c770d39099a25cf201"
	stmt := func(names []string, digests digest.Set, predicateType, predicate string) *slsa.Statement {
		st := &slsa.Statement{Type: slsa.StatementTypeV1, PredicateType: predicateType}
		for _, n := range names {
			st.Subject = append(st.Subject, slsa.ResourceDescriptor{Name: n, Digest: digests})
		}
		if predicate != "" {
			st.Predicate = json.RawMessage(predicate)
		}
		return st
	}
	good := digest.Set{digest.SHA256: sum}
	tests := []struct {
		name     string
		st       *slsa.Statement
		filename string
		digest   digest.Set
		wantErr  error
	}{
		{name: "tag order ignored", st: stmt([]string{"pkg-1.0-py2.py3-none-any.whl"}, good, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-py3.py2-none-any.whl", digest: good},
		{name: "version compared as PEP 440", st: stmt([]string{"pkg-1.0-py3-none-any.whl"}, good, PredicatePyPIPublish, ""),
			filename: "pkg-1.0.0-py3-none-any.whl", digest: good},
		{name: "other tags", st: stmt([]string{"pkg-1.0-py3-none-any.whl"}, good, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", digest: good, wantErr: ErrDistributionMismatch},
		{name: "build tag differs", st: stmt([]string{"pkg-1.0-1-py3-none-any.whl"}, good, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-py3-none-any.whl", digest: good, wantErr: ErrDistributionMismatch},
		{name: "two subjects", st: stmt([]string{"pkg-1.0-py3-none-any.whl", "pkg-1.0.tar.gz"}, good, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-py3-none-any.whl", digest: good, wantErr: ErrDistributionMismatch},
		{name: "no subject", st: stmt(nil, good, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-py3-none-any.whl", digest: good, wantErr: ErrDistributionMismatch},
		{name: "subject without name", st: stmt([]string{""}, good, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-py3-none-any.whl", digest: good, wantErr: ErrDistributionMismatch},
		{name: "subject not a distribution", st: stmt([]string{"pkg.exe"}, good, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-py3-none-any.whl", digest: good, wantErr: ErrDistributionMismatch},
		{name: "artifact not a distribution", st: stmt([]string{"pkg-1.0-py3-none-any.whl"}, good, PredicatePyPIPublish, "null"),
			filename: "pkg.bin", digest: good, wantErr: ErrDistributionMismatch},
		{name: "digest differs", st: stmt([]string{"pkg-1.0-py3-none-any.whl"}, good, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-py3-none-any.whl", digest: digest.Set{digest.SHA256: sum[:63] + "0"}, wantErr: ErrSubjectMismatch},
		{name: "subject has only sha512", st: stmt([]string{"pkg-1.0-py3-none-any.whl"}, digest.Set{digest.SHA512: sum + sum}, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-py3-none-any.whl", digest: good, wantErr: ErrSubjectMismatch},
		{name: "artifact sha256 unknown", st: stmt([]string{"pkg-1.0-py3-none-any.whl"}, good, PredicatePyPIPublish, "null"),
			filename: "pkg-1.0-py3-none-any.whl", digest: digest.Set{digest.SHA512: sum + sum}, wantErr: ErrSubjectMismatch},
		{name: "unknown predicate", st: stmt([]string{"pkg-1.0-py3-none-any.whl"}, good, "https://example.com/p", "{}"),
			filename: "pkg-1.0-py3-none-any.whl", digest: good, wantErr: ErrUnknownPredicate},
		{name: "SLSA v0.2 is not PEP 740", st: stmt([]string{"pkg-1.0-py3-none-any.whl"}, good, slsa.PredicateProvenanceV02, "{}"),
			filename: "pkg-1.0-py3-none-any.whl", digest: good, wantErr: ErrUnknownPredicate},
		{name: "publish predicate with content", st: stmt([]string{"pkg-1.0-py3-none-any.whl"}, good, PredicatePyPIPublish, `{"a":1}`),
			filename: "pkg-1.0-py3-none-any.whl", digest: good, wantErr: ErrMalformedProvenance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPEP740(tt.st, PEP740Options{Filename: tt.filename, Digest: tt.digest})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CheckPEP740() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
