package slsa_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

func validV1() slsa.ProvenanceV1 {
	start := slsa.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	end := slsa.NewTime(time.Date(2026, 1, 1, 0, 5, 0, 0, time.UTC))
	return slsa.ProvenanceV1{
		BuildDefinition: slsa.BuildDefinition{
			BuildType:          "https://pedigree.dev/buildtypes/python/v1",
			ExternalParameters: map[string]any{"source": "git+https://github.com/o/r@refs/tags/v1"},
			InternalParameters: map[string]any{"python": "3.12"},
			ResolvedDependencies: []slsa.ResourceDescriptor{
				{URI: "git+https://github.com/o/r@refs/tags/v1", Digest: digest.Set{"gitCommit": "4d329c75e7ec1725f7c9ce917a8799d408d06be3"}},
			},
		},
		RunDetails: slsa.RunDetails{
			Builder: slsa.Builder{
				ID:                  "https://pedigree.dev/builders/local@v1",
				Version:             map[string]string{"pedigree": "0.1.0"},
				BuilderDependencies: []slsa.ResourceDescriptor{{URI: "pkg:pypi/build@1.2.1"}},
			},
			Metadata:   &slsa.BuildMetadata{InvocationID: "run-1", StartedOn: start, FinishedOn: end},
			Byproducts: []slsa.ResourceDescriptor{{Name: "log", Content: []byte("ok")}},
		},
	}
}

// TestProvenanceV1Validate: one case per rule, checked through the whole
// predicate and through the part's own Validate.
func TestProvenanceV1Validate(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(p *slsa.ProvenanceV1)
		part    func(p *slsa.ProvenanceV1) error // the part's own Validate
		wantErr error
		wantMsg string // from ProvenanceV1.Validate
	}{
		{"valid", func(*slsa.ProvenanceV1) {}, nil, nil, ""},
		{"minimal", func(p *slsa.ProvenanceV1) {
			*p = slsa.ProvenanceV1{BuildDefinition: slsa.BuildDefinition{BuildType: "https://example.com/b"}, RunDetails: slsa.RunDetails{Builder: slsa.Builder{ID: "https://example.com/b"}}}
		}, nil, nil, ""},
		{"buildType missing", func(p *slsa.ProvenanceV1) { p.BuildDefinition.BuildType = "" },
			func(p *slsa.ProvenanceV1) error { return p.BuildDefinition.Validate() },
			slsa.ErrMissingField, "buildDefinition.buildType: want the build type URI: missing field"},
		{"buildType not a URI", func(p *slsa.ProvenanceV1) { p.BuildDefinition.BuildType = "python" },
			func(p *slsa.ProvenanceV1) error { return p.BuildDefinition.Validate() },
			slsa.ErrInvalidURI, `buildDefinition.buildType: want a scheme followed by ':' in "python": invalid URI`},
		{"externalParameters not JSON", func(p *slsa.ProvenanceV1) { p.BuildDefinition.ExternalParameters["x"] = math.NaN() },
			func(p *slsa.ProvenanceV1) error { return p.BuildDefinition.Validate() },
			slsa.ErrInvalidField, "buildDefinition.externalParameters: cannot encode as JSON: json: unsupported value: NaN: invalid field"},
		{"internalParameters not UTF-8", func(p *slsa.ProvenanceV1) { p.BuildDefinition.InternalParameters["x"] = "\xff" },
			func(p *slsa.ProvenanceV1) error { return p.BuildDefinition.Validate() },
			slsa.ErrInvalidField, "buildDefinition.internalParameters: string is not valid UTF-8: invalid field"},
		{"resolved dependency invalid", func(p *slsa.ProvenanceV1) { p.BuildDefinition.ResolvedDependencies[0].Digest["gitCommit"] = "xyz" },
			func(p *slsa.ProvenanceV1) error { return p.BuildDefinition.Validate() },
			slsa.ErrInvalidDigest, "buildDefinition.resolvedDependencies[0].digest.gitCommit: want 40 or 64 lowercase hex characters, got 3: invalid digest"},
		{"builder id missing", func(p *slsa.ProvenanceV1) { p.RunDetails.Builder.ID = "" },
			func(p *slsa.ProvenanceV1) error { return p.RunDetails.Builder.Validate() },
			slsa.ErrMissingField, "runDetails.builder.id: want the builder id URI: missing field"},
		{"builder id not a URI", func(p *slsa.ProvenanceV1) { p.RunDetails.Builder.ID = "https://exa mple.com" },
			func(p *slsa.ProvenanceV1) error { return p.RunDetails.Builder.Validate() },
			slsa.ErrInvalidURI, `runDetails.builder.id: host: invalid character ' ' at offset 3 in "https://exa mple.com": invalid URI`},
		{"builder dependency invalid", func(p *slsa.ProvenanceV1) { p.RunDetails.Builder.BuilderDependencies[0].URI = "" },
			func(p *slsa.ProvenanceV1) error { return p.RunDetails.Builder.Validate() },
			slsa.ErrMissingField, "runDetails.builder.builderDependencies[0]: want at least one of uri, digest and content: missing field"},
		{"builder version not UTF-8", func(p *slsa.ProvenanceV1) { p.RunDetails.Builder.Version["v"] = "\xff" },
			func(p *slsa.ProvenanceV1) error { return p.RunDetails.Builder.Validate() },
			slsa.ErrInvalidField, "runDetails.builder.version: string is not valid UTF-8: invalid field"},
		{"startedOn not writable", func(p *slsa.ProvenanceV1) {
			p.RunDetails.Metadata.StartedOn = slsa.NewTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
		},
			func(p *slsa.ProvenanceV1) error { return p.RunDetails.Metadata.Validate() },
			slsa.ErrInvalidTime, "runDetails.metadata.startedOn: year 10000 in UTC is outside 0000-9999: invalid time"},
		{"finishedOn not writable", func(p *slsa.ProvenanceV1) {
			p.RunDetails.Metadata.FinishedOn = slsa.NewTime(time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC))
		},
			func(p *slsa.ProvenanceV1) error { return p.RunDetails.Metadata.Validate() },
			slsa.ErrInvalidTime, "runDetails.metadata.finishedOn: year -1 in UTC is outside 0000-9999: invalid time"},
		{"invocationId not UTF-8", func(p *slsa.ProvenanceV1) { p.RunDetails.Metadata.InvocationID = "\xff" },
			func(p *slsa.ProvenanceV1) error { return p.RunDetails.Metadata.Validate() },
			slsa.ErrInvalidField, "runDetails.metadata.invocationId: string is not valid UTF-8: invalid field"},
		{"byproduct invalid", func(p *slsa.ProvenanceV1) { p.RunDetails.Byproducts[0].Content = nil },
			func(p *slsa.ProvenanceV1) error { return p.RunDetails.Validate() },
			slsa.ErrMissingField, "runDetails.byproducts[0]: want at least one of uri, digest and content: missing field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validV1()
			tt.mod(&p)
			checkErr(t, p.Validate(), tt.wantErr, tt.wantMsg)
			if tt.wantErr == nil {
				return
			}
			// The part's own Validate reports the same problem, with the
			// path relative to the part.
			if perr := tt.part(&p); !errors.Is(perr, tt.wantErr) || !strings.HasSuffix(tt.wantMsg, perr.Error()) {
				t.Errorf("part Validate: got %v, want a suffix of %s", perr, tt.wantMsg)
			}
		})
	}
	var nilProv *slsa.ProvenanceV1
	if err := nilProv.Validate(); !errors.Is(err, slsa.ErrMissingField) {
		t.Errorf("nil predicate: %v", err)
	}
}

// TestProvenanceV1JSON pins the field names (as the SLSA v1 spec spells
// them) and the timestamp format.
func TestProvenanceV1JSON(t *testing.T) {
	b, err := json.Marshal(validV1())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"buildDefinition":{"buildType":"https://pedigree.dev/buildtypes/python/v1","externalParameters":{"source":"git+https://github.com/o/r@refs/tags/v1"},"internalParameters":{"python":"3.12"},"resolvedDependencies":[{"uri":"git+https://github.com/o/r@refs/tags/v1","digest":{"gitCommit":"4d329c75e7ec1725f7c9ce917a8799d408d06be3"}}]},` +
		`"runDetails":{"builder":{"id":"https://pedigree.dev/builders/local@v1","builderDependencies":[{"uri":"pkg:pypi/build@1.2.1"}],"version":{"pedigree":"0.1.0"}},"metadata":{"invocationId":"run-1","startedOn":"2026-01-01T00:00:00Z","finishedOn":"2026-01-01T00:05:00Z"},"byproducts":[{"name":"log","content":"b2s="}]}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	// externalParameters is required: written as {} when unset.
	b, err = json.Marshal(slsa.BuildDefinition{BuildType: "https://example.com/b"})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"buildType":"https://example.com/b","externalParameters":{}}` {
		t.Errorf("unset externalParameters: %s", b)
	}
}

func TestProvenanceV1Equal(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(p *slsa.ProvenanceV1)
		equal bool
	}{
		{"same", func(*slsa.ProvenanceV1) {}, true},
		{"buildType host case", func(p *slsa.ProvenanceV1) { p.BuildDefinition.BuildType = "https://PEDIGREE.dev/buildtypes/python/v1" }, true},
		{"parameter number type", func(p *slsa.ProvenanceV1) { p.BuildDefinition.InternalParameters["n"] = json.Number("2.0") }, false},
		{"time in another zone", func(p *slsa.ProvenanceV1) {
			p.RunDetails.Metadata.StartedOn = &slsa.Time{Time: time.Date(2026, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600))}
		}, true},
		{"time differs", func(p *slsa.ProvenanceV1) { p.RunDetails.Metadata.StartedOn = nil }, false},
		{"invocation differs", func(p *slsa.ProvenanceV1) { p.RunDetails.Metadata.InvocationID = "run-2" }, false},
		{"builder version differs", func(p *slsa.ProvenanceV1) { p.RunDetails.Builder.Version = nil }, false},
		{"builder id differs", func(p *slsa.ProvenanceV1) { p.RunDetails.Builder.ID += "x" }, false},
		{"byproducts differ", func(p *slsa.ProvenanceV1) { p.RunDetails.Byproducts = nil }, false},
		{"dependencies differ", func(p *slsa.ProvenanceV1) { p.BuildDefinition.ResolvedDependencies = nil }, false},
		{"external parameters differ", func(p *slsa.ProvenanceV1) { p.BuildDefinition.ExternalParameters = map[string]any{} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := validV1(), validV1()
			tt.mod(&b)
			if a.Equal(&b) != tt.equal || b.Equal(&a) != tt.equal {
				t.Errorf("Equal = %v, want %v", a.Equal(&b), tt.equal)
			}
		})
	}
	// Absent and empty metadata and parameters are the same.
	x := slsa.ProvenanceV1{BuildDefinition: slsa.BuildDefinition{BuildType: "https://e.com/b"}, RunDetails: slsa.RunDetails{Builder: slsa.Builder{ID: "https://e.com/b"}}}
	y := x
	y.RunDetails.Metadata = &slsa.BuildMetadata{}
	y.BuildDefinition.ExternalParameters = map[string]any{}
	if !x.Equal(&y) {
		t.Error("absent and empty metadata/parameters should be equal")
	}
}

func validV02() slsa.ProvenanceV02 {
	return slsa.ProvenanceV02{
		Builder:   slsa.BuilderV02{ID: "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0"},
		BuildType: "https://github.com/slsa-framework/slsa-github-generator/generic@v1",
		Invocation: slsa.InvocationV02{
			ConfigSource: slsa.ConfigSourceV02{URI: "git+https://github.com/o/r@refs/tags/v1", Digest: digest.Set{"sha1": "4d329c75e7ec1725f7c9ce917a8799d408d06be3"}, EntryPoint: ".github/workflows/release.yml"},
			Parameters:   map[string]any{},
			Environment:  map[string]any{"github_run_id": "1"},
		},
		Metadata: &slsa.MetadataV02{
			BuildInvocationID: "1-1", BuildStartedOn: slsa.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
			Completeness: &slsa.CompletenessV02{Parameters: true},
		},
		Materials: []slsa.MaterialV02{{URI: "git+https://github.com/o/r@refs/tags/v1", Digest: digest.Set{"sha1": "4d329c75e7ec1725f7c9ce917a8799d408d06be3"}}},
	}
}

func TestProvenanceV02Validate(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(p *slsa.ProvenanceV02)
		wantErr error
		wantMsg string
	}{
		{"valid", func(*slsa.ProvenanceV02) {}, nil, ""},
		{"builder id missing", func(p *slsa.ProvenanceV02) { p.Builder.ID = "" }, slsa.ErrMissingField, "builder.id: want the builder id URI: missing field"},
		{"builder id not a URI", func(p *slsa.ProvenanceV02) { p.Builder.ID = "builder" }, slsa.ErrInvalidURI, `builder.id: want a scheme followed by ':' in "builder": invalid URI`},
		{"buildType missing", func(p *slsa.ProvenanceV02) { p.BuildType = "" }, slsa.ErrMissingField, "buildType: want the build type URI: missing field"},
		{"buildType not a URI", func(p *slsa.ProvenanceV02) { p.BuildType = "generic" }, slsa.ErrInvalidURI, `buildType: want a scheme followed by ':' in "generic": invalid URI`},
		{"configSource uri", func(p *slsa.ProvenanceV02) { p.Invocation.ConfigSource.URI = "git+https://[::1" }, slsa.ErrInvalidURI, `invocation.configSource.uri: IP literal without ']' in "git+https://[::1": invalid URI`},
		{"configSource digest", func(p *slsa.ProvenanceV02) { p.Invocation.ConfigSource.Digest["sha1"] = "x" }, slsa.ErrInvalidDigest, "invocation.configSource.digest.sha1: want 40 lowercase hex characters, got 1: invalid digest"},
		{"parameters not JSON", func(p *slsa.ProvenanceV02) { p.Invocation.Parameters = make(chan int) }, slsa.ErrInvalidField, "invocation.parameters: cannot encode as JSON: json: unsupported type: chan int: invalid field"},
		{"environment not UTF-8", func(p *slsa.ProvenanceV02) { p.Invocation.Environment = "\xff" }, slsa.ErrInvalidField, "invocation.environment: string is not valid UTF-8: invalid field"},
		{"buildConfig not JSON", func(p *slsa.ProvenanceV02) { p.BuildConfig = math.Inf(1) }, slsa.ErrInvalidField, "buildConfig: cannot encode as JSON: json: unsupported value: +Inf: invalid field"},
		{"buildStartedOn not writable", func(p *slsa.ProvenanceV02) {
			p.Metadata.BuildStartedOn = slsa.NewTime(time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC))
		}, slsa.ErrInvalidTime, "metadata.buildStartedOn: year 12000 in UTC is outside 0000-9999: invalid time"},
		{"buildFinishedOn not writable", func(p *slsa.ProvenanceV02) {
			p.Metadata.BuildFinishedOn = slsa.NewTime(time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC))
		}, slsa.ErrInvalidTime, "metadata.buildFinishedOn: year -5 in UTC is outside 0000-9999: invalid time"},
		{"material empty", func(p *slsa.ProvenanceV02) { p.Materials = append(p.Materials, slsa.MaterialV02{}) }, slsa.ErrMissingField, "materials[1]: want a uri or a digest: missing field"},
		{"material uri", func(p *slsa.ProvenanceV02) { p.Materials[0].URI = "::" }, slsa.ErrInvalidURI, `materials[0].uri: want a scheme followed by ':' in "::": invalid URI`},
		{"material digest", func(p *slsa.ProvenanceV02) { p.Materials[0].Digest["sha256"] = "00" }, slsa.ErrInvalidDigest, "materials[0].digest.sha256: want 64 lowercase hex characters, got 2: invalid digest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validV02()
			tt.mod(&p)
			checkErr(t, p.Validate(), tt.wantErr, tt.wantMsg)
		})
	}
}

func TestProvenanceV02Equal(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(p *slsa.ProvenanceV02)
		equal bool
	}{
		{"same", func(*slsa.ProvenanceV02) {}, true},
		{"builder host case", func(p *slsa.ProvenanceV02) {
			p.Builder.ID = strings.Replace(p.Builder.ID, "github.com", "GitHub.com", 1)
		}, true},
		{"completeness absent vs all false", func(p *slsa.ProvenanceV02) {
			p.Metadata.Completeness = &slsa.CompletenessV02{Parameters: true, Environment: false}
		}, true},
		{"completeness differs", func(p *slsa.ProvenanceV02) { p.Metadata.Completeness = nil }, false},
		{"reproducible differs", func(p *slsa.ProvenanceV02) { p.Metadata.Reproducible = true }, false},
		{"invocation id differs", func(p *slsa.ProvenanceV02) { p.Metadata.BuildInvocationID = "2-1" }, false},
		{"start differs", func(p *slsa.ProvenanceV02) { p.Metadata.BuildStartedOn = nil }, false},
		{"buildType differs", func(p *slsa.ProvenanceV02) { p.BuildType += "x" }, false},
		{"entry point differs", func(p *slsa.ProvenanceV02) { p.Invocation.ConfigSource.EntryPoint = "x" }, false},
		{"config digest differs", func(p *slsa.ProvenanceV02) { p.Invocation.ConfigSource.Digest = nil }, false},
		{"parameters absent vs empty", func(p *slsa.ProvenanceV02) { p.Invocation.Parameters = nil }, true},
		{"environment differs", func(p *slsa.ProvenanceV02) { p.Invocation.Environment = map[string]any{"github_run_id": 1} }, false},
		{"buildConfig absent vs empty", func(p *slsa.ProvenanceV02) { p.BuildConfig = []any{} }, true},
		{"buildConfig differs", func(p *slsa.ProvenanceV02) { p.BuildConfig = []any{1} }, false},
		{"materials differ", func(p *slsa.ProvenanceV02) { p.Materials[0].URI = "git+https://github.com/o/r" }, false},
		{"fewer materials", func(p *slsa.ProvenanceV02) { p.Materials = nil }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := validV02(), validV02()
			tt.mod(&b)
			if a.Equal(&b) != tt.equal || b.Equal(&a) != tt.equal {
				t.Errorf("Equal = %v, want %v", a.Equal(&b), tt.equal)
			}
		})
	}
}

// TestProvenanceV02JSON pins the v0.2 field names as the SLSA v0.2 spec
// spells them.
func TestProvenanceV02JSON(t *testing.T) {
	b, err := json.Marshal(validV02())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"builder":{"id":"https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0"},"buildType":"https://github.com/slsa-framework/slsa-github-generator/generic@v1",` +
		`"invocation":{"configSource":{"uri":"git+https://github.com/o/r@refs/tags/v1","digest":{"sha1":"4d329c75e7ec1725f7c9ce917a8799d408d06be3"},"entryPoint":".github/workflows/release.yml"},"parameters":{},"environment":{"github_run_id":"1"}},` +
		`"metadata":{"buildInvocationId":"1-1","buildStartedOn":"2026-01-01T00:00:00Z","completeness":{"parameters":true}},` +
		`"materials":[{"uri":"git+https://github.com/o/r@refs/tags/v1","digest":{"sha1":"4d329c75e7ec1725f7c9ce917a8799d408d06be3"}}]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

// TestProvenanceV02PartsValidate: each v0.2 part validates on its own, with
// paths relative to the part.
func TestProvenanceV02PartsValidate(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		wantErr error
		wantMsg string
	}{
		{"builder", (&slsa.BuilderV02{}).Validate(), slsa.ErrMissingField, "id: want the builder id URI: missing field"},
		{"invocation", (&slsa.InvocationV02{ConfigSource: slsa.ConfigSourceV02{URI: "x"}}).Validate(), slsa.ErrInvalidURI, `configSource.uri: want a scheme followed by ':' in "x": invalid URI`},
		{"config source", (&slsa.ConfigSourceV02{Digest: digest.Set{"sha1": "0"}}).Validate(), slsa.ErrInvalidDigest, "digest.sha1: want 40 lowercase hex characters, got 1: invalid digest"},
		{"metadata", (&slsa.MetadataV02{BuildFinishedOn: slsa.NewTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))}).Validate(), slsa.ErrInvalidTime, "buildFinishedOn: year 10000 in UTC is outside 0000-9999: invalid time"},
		{"material", (&slsa.MaterialV02{}).Validate(), slsa.ErrMissingField, "want a uri or a digest: missing field"},
		{"time", slsa.NewTime(time.Date(-3, 1, 1, 0, 0, 0, 0, time.UTC)).Validate(), slsa.ErrInvalidTime, "year -3 in UTC is outside 0000-9999: invalid time"},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.wantErr) || tt.err.Error() != tt.wantMsg {
			t.Errorf("%s: got %v, want %s", tt.name, tt.err, tt.wantMsg)
		}
	}
	v := validV02()
	for name, err := range map[string]error{
		"builder": v.Builder.Validate(), "invocation": v.Invocation.Validate(), "config source": v.Invocation.ConfigSource.Validate(),
		"metadata": v.Metadata.Validate(), "material": v.Materials[0].Validate(), "time": v.Metadata.BuildStartedOn.Validate(),
	} {
		if err != nil {
			t.Errorf("valid %s: %v", name, err)
		}
	}
}
