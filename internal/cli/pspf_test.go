package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/cli"
	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// TestPSPFRecordSeedCases runs every build_provenance case flavor produced
// through `pedigree pspf record` and compares stdout with flavor's bytes.
func TestPSPFRecordSeedCases(t *testing.T) {
	path := filepath.Join(testshared.Root(), "pspf", "testdata", "pspf-record-cases.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c struct {
			ID     string                     `json:"id"`
			Op     string                     `json:"op"`
			Env    map[string]string          `json:"env"`
			Kwargs map[string]json.RawMessage `json:"kwargs"`
			Expect struct {
				Outcome       string `json:"outcome"`
				CanonicalJSON string `json:"canonical_json"`
			} `json:"expect"`
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		if err := dec.Decode(&c); err != nil {
			t.Fatal(err)
		}
		if c.Op != "build_provenance" {
			continue
		}
		n++
		t.Run(c.ID, func(t *testing.T) {
			args := []string{"pspf", "record"}
			flags := map[string]string{
				"builder_name": "--builder-name", "builder_version": "--builder-version",
				"platform_os": "--platform-os", "platform_arch": "--platform-arch",
				"python_version": "--python-version", "launcher_language": "--launcher-language",
				"launcher_version": "--launcher-version", "launcher_hash": "--launcher-hash",
				"signing_key_fingerprint": "--signing-key-fingerprint", "build_timestamp": "--build-timestamp",
			}
			for key, flag := range flags {
				raw := c.Kwargs[key]
				if string(raw) == "null" {
					continue // an absent flag
				}
				var v any
				d := json.NewDecoder(bytes.NewReader(raw))
				d.UseNumber()
				if err := d.Decode(&v); err != nil {
					t.Fatal(err)
				}
				switch v := v.(type) {
				case string:
					args = append(args, flag+"="+v)
				case json.Number:
					args = append(args, flag+"="+v.String())
				default:
					t.Fatalf("kwargs.%s: unexpected %T", key, v)
				}
			}
			var env []string
			for k, v := range c.Env {
				env = append(env, k+"="+v)
			}
			var stdout, stderr bytes.Buffer
			code := cli.Main(context.Background(), args, env, strings.NewReader(""), &stdout, &stderr)
			switch {
			case c.ID == "prov-sde-garbage": // the deliberate difference from flavor
				if code != cli.ExitUsage || !strings.Contains(stderr.String(), "invalid SOURCE_DATE_EPOCH") {
					t.Fatalf("exit %d, stderr %q; want a usage error about SOURCE_DATE_EPOCH", code, stderr.String())
				}
			case c.Expect.Outcome == "error":
				if code != cli.ExitUsage || strings.Count(stderr.String(), "\n") != 1 {
					t.Fatalf("exit %d, stderr %q; want a one-line usage error", code, stderr.String())
				}
			default:
				if code != cli.ExitOK {
					t.Fatalf("exit %d: %s", code, stderr.String())
				}
				if got := stdout.String(); got != c.Expect.CanonicalJSON+"\n" {
					t.Errorf("got  %s\nwant %s", got, c.Expect.CanonicalJSON)
				}
			}
		})
	}
	if n != 17 {
		t.Errorf("%d build_provenance cases, want 17", n)
	}
}
