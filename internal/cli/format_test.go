package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/verify"
)

// TestEveryCommandHasFormatJSON: every command that runs takes --format
// json (sbom's --format names the document format, itself JSON).
func TestEveryCommandHasFormatJSON(t *testing.T) {
	root := newRootCmd(&app{})
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c == root || !c.Runnable() || c.HasSubCommands() {
			return
		}
		n++
		f := c.Flags().Lookup("format")
		if f == nil {
			t.Errorf("%s: no --format flag", c.CommandPath())
			return
		}
		if c.Name() == "sbom" {
			return
		}
		if err := f.Value.Set(formatJSON); err != nil {
			t.Errorf("%s --format json: %v", c.CommandPath(), err)
		}
		if f.DefValue == formatJSON {
			t.Errorf("%s: JSON is the default, want readable text", c.CommandPath())
		}
	}
	walk(root)
	if n < 12 {
		t.Fatalf("only %d commands found", n)
	}
}

// TestVerifyArtifactJSONSameBuilder: in JSON, as in text, an artifact that
// verified but from another builder than the first artifact's fails, and
// the result then names no builder.
func TestVerifyArtifactJSONSameBuilder(t *testing.T) {
	ev := func(builder string) []verify.Evaluation {
		return []verify.Evaluation{{Attestation: "p.intoto.jsonl", Verified: true, BuilderID: builder, Statement: json.RawMessage(`{}`)}}
	}
	rep := &verify.Report{Verified: true, Artifacts: []verify.ArtifactResult{
		{Artifact: "a", Verified: true, Attestations: ev("https://b1@refs/tags/v1.0.0")},
		{Artifact: "b", Verified: true, Attestations: ev("https://b1@refs/tags/v1.0.0")},
		{Artifact: "c", Verified: true, Attestations: ev("https://b2@refs/tags/v1.0.0")},
	}}
	var out bytes.Buffer
	err := writeVerifyArtifactJSON(&app{stdout: &out}, rep, sameBuilder(rep), false)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != ExitFailed {
		t.Fatalf("err = %v, want exit 1", err)
	}
	var got verifyArtifactResult
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Verified || got.BuilderID != "" || !got.Artifacts[0].Verified || !got.Artifacts[1].Verified || got.Artifacts[2].Verified ||
		got.Artifacts[2].Error != "encountered different builderIDs https://b1@refs/tags/v1.0.0 https://b2@refs/tags/v1.0.0" {
		t.Fatalf("result %s", out.Bytes())
	}
	if bytes.Contains(out.Bytes(), []byte(`"statement"`)) {
		t.Fatal("statements printed without --print-provenance")
	}
}
