package pspf

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// seedCase is one line of pspf-record-cases.jsonl: a call of flavor's
// build_provenance or build_attestation and what flavor returned.
type seedCase struct {
	ID          string                     `json:"id"`
	Op          string                     `json:"op"`
	Description string                     `json:"description"`
	Env         map[string]string          `json:"env"`
	Kwargs      map[string]json.RawMessage `json:"kwargs"`
	PackageInfo map[string]json.RawMessage `json:"package_info"`
	SBOMEnabled *bool                      `json:"sbom_enabled"`
	SigningFP   *string                    `json:"signing_key_fingerprint"`
	Expect      struct {
		Outcome       string `json:"outcome"`
		CanonicalJSON string `json:"canonical_json"`
		Content       string `json:"content"`
		SHA256        string `json:"sha256"`
		ErrorClass    string `json:"error_class"`
		Message       string `json:"message"`
	} `json:"expect"`
}

// deviations are the cases where pedigree deliberately differs from flavor.
var deviations = map[string]error{
	// flavor: SOURCE_DATE_EPOCH="abc" is "reproducible"; pedigree refuses it.
	"prov-sde-garbage": ErrInvalidSourceDateEpoch,
}

// flavorErrors maps the exceptions flavor raises to pedigree's errors.
var flavorErrors = map[string]error{
	"ValueError: year 10000 is out of range":                          ErrOutOfRange,
	"ValueError: invalid literal for int() with base 10: 'yesterday'": ErrInvalidTimestamp,
}

func loadSeedCases(t *testing.T, path string) []seedCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []seedCase
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var c seedCase
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestSeedCases runs every case flavor produced, from the copy in testdata
// and from ../shared when present, and checks that the copy is current.
func TestSeedCases(t *testing.T) {
	local := filepath.Join("testdata", "pspf-record-cases.jsonl")
	t.Run("testdata", func(t *testing.T) { runSeedCases(t, local) })
	t.Run("shared", func(t *testing.T) {
		shared := filepath.Join(testshared.Dir(t, "seed-cases"), "pspf-record-cases.jsonl")
		a, err := os.ReadFile(shared)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(local)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from %s: copy the shared file into testdata", local, shared)
		}
		runSeedCases(t, shared)
	})
}

func runSeedCases(t *testing.T, path string) {
	cases := loadSeedCases(t, path)
	if len(cases) != 24 {
		t.Errorf("%s: %d cases, want 24", path, len(cases))
	}
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			got, gotSHA, err := runSeedCase(t, c)
			wantErr := deviations[c.ID]
			if c.Expect.Outcome == "error" {
				key := c.Expect.ErrorClass + ": " + c.Expect.Message
				var ok bool
				if wantErr, ok = flavorErrors[key]; !ok {
					t.Fatalf("flavor raised %s; map it to a pedigree error in flavorErrors", key)
				}
			} else if c.Expect.Outcome != "ok" {
				t.Fatalf("unknown outcome %q", c.Expect.Outcome)
			}
			if wantErr != nil {
				if !errors.Is(err, wantErr) {
					t.Fatalf("err = %v, want %v", err, wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			want := c.Expect.CanonicalJSON
			if c.Op == "build_attestation" {
				want = c.Expect.Content
				if gotSHA != c.Expect.SHA256 {
					t.Errorf("slot sha256 = %s, want %s", gotSHA, c.Expect.SHA256)
				}
			}
			if got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// runSeedCase builds what flavor built for c: the record's canonical JSON,
// or the attestation slot's content and digest.
func runSeedCase(t *testing.T, c seedCase) (string, string, error) {
	t.Helper()
	switch c.Op {
	case "build_provenance":
		opts := Options{SourceDateEpoch: c.Env["SOURCE_DATE_EPOCH"]}
		var ts json.Number
		for key, dst := range map[string]any{
			"builder_name": &opts.BuilderName, "builder_version": &opts.BuilderVersion,
			"platform_os": &opts.PlatformOS, "platform_arch": &opts.PlatformArch,
			"python_version": &opts.PythonVersion, "launcher_language": &opts.LauncherLanguage,
			"launcher_version": &opts.LauncherVersion, "launcher_hash": &opts.LauncherHash,
			"signing_key_fingerprint": &opts.SigningKeyFingerprint, "build_timestamp": &ts,
		} {
			raw, ok := c.Kwargs[key]
			if !ok {
				t.Fatalf("kwargs.%s missing", key)
			}
			if err := json.Unmarshal(raw, dst); err != nil {
				t.Fatalf("kwargs.%s: %v", key, err)
			}
		}
		if len(c.Kwargs) != 10 {
			t.Fatalf("kwargs has %d keys, want 10", len(c.Kwargs))
		}
		epoch, err := ParseEpoch(ts.String())
		if err != nil {
			t.Fatalf("build_timestamp %s: %v", ts, err)
		}
		opts.BuildTimestamp = epoch
		rec, err := Build(opts)
		if err != nil {
			return "", "", err
		}
		b, err := rec.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, b, ParseRecord)
		return string(b), "", nil

	case "build_attestation":
		if c.SBOMEnabled == nil || *c.SBOMEnabled {
			t.Fatalf("sbom_enabled must be false: pedigree writes the slot without flavor's SBOM")
		}
		info := func(key, def string) string {
			raw, ok := c.PackageInfo[key]
			if !ok {
				return def
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatalf("package_info.%s: %v", key, err)
			}
			return s
		}
		// flavor: int(package_info.get("build_timestamp", 0)).
		tsText := "0"
		if raw, ok := c.PackageInfo["build_timestamp"]; ok {
			tsText = strings.Trim(string(raw), `"`)
		}
		epoch, err := ParseEpoch(tsText)
		if err != nil {
			return "", "", err
		}
		if epoch.IsFloat() {
			t.Fatalf("build_timestamp %s: flavor's int() would truncate a float; no case covers it", tsText)
		}
		opts := Options{
			BuilderName:      info("builder_name", "flavor-python"),
			BuilderVersion:   info("builder_version", "unknown"),
			BuildTimestamp:   epoch,
			PlatformOS:       info("platform_os", "unknown"),
			PlatformArch:     info("platform_arch", "unknown"),
			PythonVersion:    info("python_version", "unknown"),
			LauncherLanguage: info("launcher_language", "unknown"),
			LauncherVersion:  info("launcher_version", "unknown"),
			LauncherHash:     info("launcher_hash", ""),
			SourceDateEpoch:  c.Env["SOURCE_DATE_EPOCH"],
		}
		// flavor: signing_key_fingerprint or None.
		if c.SigningFP != nil && *c.SigningFP != "" {
			opts.SigningKeyFingerprint = c.SigningFP
		}
		rec, err := Build(opts)
		if err != nil {
			return "", "", err
		}
		content, sum, err := rec.AttestationSlot()
		if err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, content, func(b []byte) (*Record, error) {
			r, _, err := ParseSlot(b)
			return r, err
		})
		return string(content), sum, nil
	}
	t.Fatalf("unknown op %q", c.Op)
	return "", "", fmt.Errorf("unreachable")
}

// checkRoundTrip parses b and checks that the record marshals back to b
// (for a slot, that its provenance does).
func checkRoundTrip(t *testing.T, b []byte, parse func([]byte) (*Record, error)) {
	t.Helper()
	rec, err := parse(b)
	if err != nil {
		t.Fatalf("parse own output: %v", err)
	}
	again, err := rec.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, again) {
		t.Errorf("round trip changed the record:\n%s\n%s", b, again)
	}
}
