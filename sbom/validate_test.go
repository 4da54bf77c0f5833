package sbom

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sharedSchemas are the official schemas from ../shared/schemas, compiled
// independently of the embedded copies (nil when ../shared is absent).
var sharedSchemas = sync.OnceValues(func() (*compiledSchemas, error) {
	dir := testshared.Path("schemas")
	if dir == "" {
		return nil, nil
	}
	return compileSchemas(func(name string) ([]byte, error) {
		return os.ReadFile(filepath.Join(dir, filepath.Base(name)))
	})
})

// checkValid validates data with the embedded schemas (what Generate uses)
// and, when ../shared is present, with the official files there too.
func checkValid(t testing.TB, format Format, data []byte) {
	t.Helper()
	if err := Validate(format, data); err != nil {
		t.Fatalf("embedded schema: %v", err)
	}
	shared, err := sharedSchemas()
	if err != nil {
		t.Fatalf("compile ../shared/schemas: %v", err)
	}
	if shared != nil {
		if err := shared.validate(format, data); err != nil {
			t.Fatalf("../shared/schemas: %v", err)
		}
	}
}

// The embedded schemas are the official files of ../shared/schemas, unchanged.
func TestEmbeddedSchemasMatchShared(t *testing.T) {
	dir := testshared.Dir(t, "schemas")
	for _, s := range schemaFiles {
		want, err := os.ReadFile(filepath.Join(dir, filepath.Base(s.file)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := schemaFS.ReadFile(s.file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from ../shared/schemas/%s", s.file, filepath.Base(s.file))
		}
	}
}

const (
	minimalSPDX = `{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"x",
"documentNamespace":"https://example.com/x","creationInfo":{"created":"2026-01-01T00:00:00Z","creators":["Tool: t"]}}`
	minimalCycloneDX = `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
"components":[{"type":"library","name":"wheel","hashes":[{"alg":"SHA-256","content":"55c570405f142630c6b9f72fe09d9b67cf1477fcf543ae5b8dcb1f5b7377da81"}]}]}`
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		format  Format
		doc     string
		wantErr error
		wantMsg string
	}{
		{"spdx minimal", FormatSPDXJSON, minimalSPDX, nil, ""},
		{"cyclonedx minimal", FormatCycloneDXJSON, minimalCycloneDX, nil, ""},
		{"spdx without creationInfo", FormatSPDXJSON,
			strings.Replace(minimalSPDX, `"creationInfo"`, `"creationInf"`, 1), ErrSchema, "creationInfo"},
		{"spdx bad package purpose", FormatSPDXJSON,
			strings.Replace(minimalSPDX, `"name":"x",`, `"name":"x","packages":[{"SPDXID":"SPDXRef-p","name":"p","downloadLocation":"NOASSERTION","primaryPackagePurpose":"GADGET"}],`, 1),
			ErrSchema, "/packages/0/primaryPackagePurpose"},
		{"cyclonedx short hash", FormatCycloneDXJSON,
			strings.Replace(minimalCycloneDX, `da81"`, `da8"`, 1), ErrSchema, "/components/0/hashes/0/content"},
		{"cyclonedx unknown scope", FormatCycloneDXJSON,
			strings.Replace(minimalCycloneDX, `"name":"wheel"`, `"name":"wheel","scope":"dev"`, 1), ErrSchema, "/components/0/scope"},
		{"cyclonedx bad timestamp (format asserted)", FormatCycloneDXJSON,
			strings.Replace(minimalCycloneDX, `"version":1,`, `"version":1,"metadata":{"timestamp":"yesterday"},`, 1), ErrSchema, "/metadata/timestamp"},
		{"cyclonedx 1.5 document", FormatCycloneDXJSON,
			strings.Replace(minimalCycloneDX, `"1.6"`, `"1.5"`, 1), nil, ""},
		{"cyclonedx unknown field", FormatCycloneDXJSON,
			strings.Replace(minimalCycloneDX, `"version":1,`, `"version":1,"pedigree":true,`, 1), ErrSchema, "pedigree"},
		{"not JSON", FormatSPDXJSON, `{"spdxVersion":`, ErrSchema, "not a JSON document"},
		{"unknown format", Format("spdx-tv"), minimalSPDX, ErrUnsupportedFormat, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.format, []byte(tt.doc))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Validate: got %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
			if shared, _ := sharedSchemas(); shared != nil && tt.wantErr != ErrUnsupportedFormat {
				if err2 := shared.validate(tt.format, []byte(tt.doc)); !errors.Is(err2, tt.wantErr) {
					t.Errorf("../shared schemas disagree: %v", err2)
				}
			}
		})
	}
}

func TestValidateTooLarge(t *testing.T) {
	big := make([]byte, MaxDocumentSize+1)
	if err := Validate(FormatSPDXJSON, big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}
