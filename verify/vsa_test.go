package verify

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/slsa"
)

const (
	vsaVerifier = "https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1"
	vsaResource = "gce_image://gke-node-images:gke-12615-gke1418000-cos-101-17162-463-29-c-cgpv1-pre"
)

func loadVSA(t *testing.T) *slsa.Statement {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testshared.Dir(t, "vectors", "vsa"), "gke-gce-pre.bcid-vsa.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Payload []byte `json:"payload"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	st, err := slsa.ParseStatement(env.Payload)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestCheckVSA(t *testing.T) {
	st := loadVSA(t)
	base := VSAPolicy{VerifierID: vsaVerifier, ResourceURI: vsaResource}
	with := func(edit func(p *VSAPolicy)) VSAPolicy { p := base; edit(&p); return p }
	tests := []struct {
		name    string
		st      *slsa.Statement
		policy  VSAPolicy
		wantErr error
	}{
		{name: "verifier and resource", policy: base},
		{name: "levels claimed", policy: with(func(p *VSAPolicy) { p.VerifiedLevels = []string{"BCID_L1", "SLSA_BUILD_LEVEL_2"} })},
		{name: "lower SLSA level", policy: with(func(p *VSAPolicy) { p.VerifiedLevels = []string{"SLSA_BUILD_LEVEL_1"} })},
		{name: "higher SLSA level", policy: with(func(p *VSAPolicy) { p.VerifiedLevels = []string{"SLSA_BUILD_LEVEL_3"} }), wantErr: ErrVSAMismatch},
		{name: "other track", policy: with(func(p *VSAPolicy) { p.VerifiedLevels = []string{"SLSA_SOURCE_LEVEL_1"} }), wantErr: ErrVSAMismatch},
		{name: "level not claimed", policy: with(func(p *VSAPolicy) { p.VerifiedLevels = []string{"FEDRAMP_LOW"} }), wantErr: ErrVSAMismatch},
		{name: "malformed SLSA level", policy: with(func(p *VSAPolicy) { p.VerifiedLevels = []string{"SLSA_BUILD_2"} }), wantErr: ErrInvalidPolicy},
		{name: "other verifier", policy: with(func(p *VSAPolicy) { p.VerifierID = "https://example.com/verifier" }), wantErr: ErrVSAMismatch},
		{name: "other resource", policy: with(func(p *VSAPolicy) { p.ResourceURI = "gce_image://other" }), wantErr: ErrVSAMismatch},
		{name: "no policy", policy: VSAPolicy{}, wantErr: ErrVSAMismatch},
		{name: "incomplete policy", policy: VSAPolicy{VerifierID: vsaVerifier}, wantErr: ErrInvalidPolicy},
		{name: "result FAILED", policy: base, st: mutate(t, st, func(p map[string]any) { p["verificationResult"] = "FAILED" }), wantErr: ErrVSAMismatch},
		{name: "no verifier", policy: base, st: mutate(t, st, func(p map[string]any) { delete(p, "verifier") }), wantErr: ErrMalformedProvenance},
		{name: "no resource", policy: base, st: mutate(t, st, func(p map[string]any) { delete(p, "resourceUri") }), wantErr: ErrMalformedProvenance},
		{name: "malformed claimed level", policy: base, st: mutate(t, st, func(p map[string]any) { p["verifiedLevels"] = []any{"SLSA_BUILD_LEVEL_x"} }), wantErr: ErrMalformedProvenance},
		{name: "not a VSA", policy: base, st: &slsa.Statement{PredicateType: slsa.PredicateProvenanceV1}, wantErr: ErrUnknownPredicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.st
			if s == nil {
				s = st
			}
			if err := CheckVSA(s, tt.policy); !errors.Is(err, tt.wantErr) {
				t.Fatalf("CheckVSA() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestCheckVSADeterministic: with several levels unmet, the reason names
// the same one every time (the first in the policy's order), not whichever
// a map hands out first.
func TestCheckVSADeterministic(t *testing.T) {
	st := loadVSA(t)
	p := VSAPolicy{VerifierID: vsaVerifier, ResourceURI: vsaResource, VerifiedLevels: []string{"SLSA_BUILD_LEVEL_3", "SLSA_SOURCE_LEVEL_1", "SLSA_PLATFORM_LEVEL_1"}}
	for range 50 {
		err := CheckVSA(st, p)
		if !errors.Is(err, ErrVSAMismatch) || !strings.Contains(err.Error(), "SLSA_BUILD_LEVEL_3 or higher") {
			t.Fatalf("CheckVSA() = %v, want the first unmet level, SLSA_BUILD_LEVEL_3", err)
		}
	}
}
