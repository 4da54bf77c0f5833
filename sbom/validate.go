package sbom

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The official schemas, unchanged (see schemas/README.md). They are embedded
// so that every document is validated before it is returned, with no file or
// network access at run time.
//
//go:embed schemas/*.json
var schemaFS embed.FS

// Schema URLs, as the documents' own $id spell them (the CycloneDX schema
// refers to spdx.schema.json and jsf-0.82.schema.json relative to its $id).
const (
	spdxSchemaURL      = "http://spdx.org/rdf/terms/2.3"
	cyclonedxSchemaURL = "http://cyclonedx.org/schema/bom-1.6.schema.json"
)

var schemaFiles = []struct{ url, file string }{
	{spdxSchemaURL, "schemas/spdx-2.3-schema.json"},
	{cyclonedxSchemaURL, "schemas/bom-1.6.schema.json"},
	{"http://cyclonedx.org/schema/spdx.schema.json", "schemas/spdx.schema.json"},
	{"http://cyclonedx.org/schema/jsf-0.82.schema.json", "schemas/jsf-0.82.schemax.json"},
}

// MaxDocumentSize is the largest document Validate accepts.
const MaxDocumentSize = 256 << 20

type compiledSchemas struct {
	spdx, cyclonedx *jsonschema.Schema
}

var schemas = sync.OnceValues(func() (*compiledSchemas, error) {
	return compileSchemas(func(name string) ([]byte, error) { return schemaFS.ReadFile(name) })
})

// compileSchemas compiles the SPDX 2.3 and CycloneDX 1.6 schemas from the
// files read returns (by their names under schemas/), with format
// assertions on and no loader: a reference to anything else fails.
func compileSchemas(read func(name string) ([]byte, error)) (*compiledSchemas, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.UseLoader(refuseLoader{})
	for _, s := range schemaFiles {
		data, err := read(s.file)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", s.file, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", s.file, err)
		}
		if err := c.AddResource(s.url, doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", s.file, err)
		}
	}
	var out compiledSchemas
	var err error
	if out.spdx, err = c.Compile(spdxSchemaURL); err != nil {
		return nil, fmt.Errorf("compile SPDX schema: %w", err)
	}
	if out.cyclonedx, err = c.Compile(cyclonedxSchemaURL); err != nil {
		return nil, fmt.Errorf("compile CycloneDX schema: %w", err)
	}
	return &out, nil
}

// refuseLoader keeps the compiler from reading files or the network.
type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema %s is not embedded", url)
}

// Validate checks data, a JSON document in the given format, against the
// official schema: SPDX 2.3 for FormatSPDXJSON, CycloneDX 1.6 for
// FormatCycloneDXJSON. It returns an error wrapping ErrUnsupportedFormat for
// any other format, ErrTooLarge above MaxDocumentSize, and ErrSchema (naming
// the first failing locations) when data is not JSON or does not validate.
func Validate(format Format, data []byte) error {
	s, err := schemas()
	if err != nil {
		return err
	}
	return s.validate(format, data)
}

func (s *compiledSchemas) validate(format Format, data []byte) error {
	var sch *jsonschema.Schema
	switch format {
	case FormatSPDXJSON:
		sch = s.spdx
	case FormatCycloneDXJSON:
		sch = s.cyclonedx
	default:
		return fmt.Errorf("%q: %w", format, ErrUnsupportedFormat)
	}
	if len(data) > MaxDocumentSize {
		return fmt.Errorf("%s document of %d bytes, limit %d: %w", format, len(data), MaxDocumentSize, ErrTooLarge)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: not a JSON document: %v: %w", format, err, ErrSchema)
	}
	if err := sch.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return fmt.Errorf("%s: %s: %w", format, summarize(ve), ErrSchema)
		}
		return fmt.Errorf("%s: %v: %w", format, err, ErrSchema)
	}
	return nil
}

// summarize lists up to three leaf failures as "location: message".
func summarize(ve *jsonschema.ValidationError) string {
	printer := message.NewPrinter(language.English)
	var leaves []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			leaves = append(leaves, "/"+strings.Join(e.InstanceLocation, "/")+": "+e.ErrorKind.LocalizedString(printer))
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	more := ""
	if len(leaves) > 3 {
		more = fmt.Sprintf(" (and %d more)", len(leaves)-3)
		leaves = leaves[:3]
	}
	return strings.Join(leaves, "; ") + more
}
