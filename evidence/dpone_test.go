package evidence

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// dponeKeys are the HMAC keys the dpone sample scenarios were run with
// (their command.txt); "" means no envelope was written.
var dponeKeys = map[string]string{
	"01-ok-json": "local-secret", "02-ok-md": "local-secret", "03-no-key-md": "", "04-empty-key-json": "",
	"08-no-project-table": "k", "10-duplicate-subject": "k", "12-service-empty-subjects": "", "13-md-stdout-redaction": "k",
}

func copyDir(t testing.TB, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "out")
	copyTree(t, from, to)
	return to
}

// TestDponeTestdata verifies the dpone folder kept in testdata, then
// changes one byte of each file in turn.
func TestDponeTestdata(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "dpone-01"))
	checkDponeFolder(t, dir, "local-secret", true)
}

// TestDponeSamples runs every dpone sample that wrote an index.
func TestDponeSamples(t *testing.T) {
	root := testshared.Dir(t, "seed-cases", "dpone-sample-out")
	n := 0
	for scenario, key := range dponeKeys {
		out := filepath.Join(root, scenario, "output-dir")
		if _, err := os.Stat(filepath.Join(out, FileDponeIndex)); err != nil {
			t.Errorf("%s: %v", scenario, err)
			continue
		}
		n++
		t.Run(scenario, func(t *testing.T) {
			dir := copyDir(t, out)
			if key == "" {
				r := mustVerify(t, VerifyOptions{Dir: dir, AllowUnsigned: true})
				// dpone recorded its blockers; the checksums still hold.
				if len(r.Findings) != 1 || r.Findings[0].Code != FindingBlockers {
					t.Errorf("unsigned dpone folder: %v", r.Findings)
				}
				r = mustVerify(t, VerifyOptions{Dir: dir})
				if !slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Code == FindingNoKey }) {
					t.Errorf("unsigned dpone folder without --allow-unsigned: %v", r.Findings)
				}
				return
			}
			checkDponeFolder(t, dir, key, true)
		})
	}
	if n != len(dponeKeys) {
		t.Errorf("%d scenarios ran, want %d", n, len(dponeKeys))
	}
}

func checkDponeFolder(t *testing.T, dir, key string, tamper bool) {
	t.Helper()
	o := VerifyOptions{Dir: dir, HMACKey: []byte(key)}
	r := mustVerify(t, o)
	if !r.OK() || r.Format != FormatDpone || len(r.Verified) != 1 {
		t.Fatalf("dpone folder: format %s, verified %v, findings %v", r.Format, r.Verified, r.Findings)
	}
	if len(r.Notes) == 0 {
		t.Error("no note about what dpone's format leaves unprotected")
	}
	if r := mustVerify(t, VerifyOptions{Dir: dir, HMACKey: []byte("wrong")}); r.OK() || r.Findings[0].File != FileHMAC {
		t.Errorf("wrong key: %v", r.Findings)
	}
	if r := mustVerify(t, VerifyOptions{Dir: dir}); r.OK() || r.Findings[0].Code != FindingNoKey {
		t.Errorf("no key: %v", r.Findings)
	}
	if !tamper {
		return
	}
	files := readAll(t, dir)
	for name, orig := range files {
		if name == FileDponeIndex || name == dponeMarkdown {
			continue // dpone protects neither
		}
		for _, at := range []int{0, len(orig) / 2, len(orig) - 2} {
			changed := bytes.Clone(orig)
			changed[at] ^= 0x01
			os.WriteFile(filepath.Join(dir, name), changed, 0o644)
			r := mustVerify(t, o)
			if r.OK() || !r.has(name) {
				t.Errorf("%s: byte %d changed: findings %v", name, at, r.Findings)
			}
		}
		os.WriteFile(filepath.Join(dir, name), orig, 0o644)
	}
	// A listed checksum changed in the index blames the index when the
	// file is the signed one.
	idx := filepath.Join(dir, FileDponeIndex)
	data := files[FileDponeIndex]
	env := string(files[FileHMAC])
	i := strings.Index(env, `"signed_sha256": "`) + len(`"signed_sha256": "`)
	signed := env[i : i+64]
	os.WriteFile(idx, []byte(strings.Replace(string(data), signed, strings.Repeat("0", 64), 1)), 0o644)
	if r := mustVerify(t, o); r.OK() || r.Findings[0].File != FileDponeIndex {
		t.Errorf("index lists a wrong provenance checksum: %v", r.Findings)
	}
	os.WriteFile(idx, data, 0o644)
	os.WriteFile(filepath.Join(dir, "extra.json"), []byte("{}"), 0o644)
	if r := mustVerify(t, o); r.OK() || !r.has("extra.json") {
		t.Errorf("added file: %v", r.Findings)
	}
	os.Remove(filepath.Join(dir, "extra.json"))
	if r := mustVerify(t, o); !r.OK() {
		t.Errorf("restored: %v", r.Findings)
	}
}
