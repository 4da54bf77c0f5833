package sbom

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/lockfile"
)

// buildWheel writes a minimal valid wheel (METADATA, WHEEL, RECORD with
// every file hashed, plus files) into dir and returns its path and sha256.
func buildWheel(t *testing.T, dir, name, version, metadata string, files map[string][]byte) (string, string) {
	t.Helper()
	distInfo := strings.ReplaceAll(name, "-", "_") + "-" + version + ".dist-info"
	path := filepath.Join(dir, strings.ReplaceAll(name, "-", "_")+"-"+version+"-py3-none-any.whl")
	all := map[string][]byte{
		distInfo + "/METADATA": []byte("Metadata-Version: 2.4\nName: " + name + "\nVersion: " + version + "\n" + metadata),
		distInfo + "/WHEEL":    []byte("Wheel-Version: 1.0\nGenerator: pedigree-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
	}
	for p, data := range files {
		all[strings.ReplaceAll(p, "{dist-info}", distInfo)] = data
	}
	var record strings.Builder
	names := make([]string, 0, len(all))
	for p := range all {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, p := range names {
		sum := sha256.Sum256(all[p])
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", p, base64.RawURLEncoding.EncodeToString(sum[:]), len(all[p]))
	}
	record.WriteString(distInfo + "/RECORD,,\n")
	all[distInfo+"/RECORD"] = []byte(record.String())
	names = append(names, distInfo+"/RECORD")

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range names {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(all[p]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return path, hex.EncodeToString(sum[:])
}

func lockOf(pkgs ...lockfile.Package) *lockfile.Lock {
	return &lockfile.Lock{Format: lockfile.FormatPylock, Path: "pylock.toml", Packages: pkgs}
}

func lockedPackage(name, version string, hashes ...string) lockfile.Package {
	p := lockfile.Package{Name: name, NormalizedName: name, Version: version, Scope: lockfile.ScopeRuntime, Source: lockfile.Source{Kind: lockfile.SourceIndex}}
	for _, h := range hashes {
		p.Files = append(p.Files, lockfile.File{Name: name + "-" + version + "-py3-none-any.whl", Hashes: digest.Set{digest.SHA256: h}})
	}
	return p
}

func TestDists(t *testing.T) {
	dir := t.TempDir()
	embedded, err := os.ReadFile("testdata/pep770/openssl.cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	embeddedSum := sha256.Sum256(embedded)
	crypto, cryptoSum := buildWheel(t, dir, "cryptography", "48.0.0",
		"License-Expression: Apache-2.0 OR BSD-3-Clause\nSummary: cryptographic recipes\n",
		map[string][]byte{"cryptography/__init__.py": []byte("\n"), "{dist-info}/sboms/sbom.json": embedded})
	classic, classicSum := buildWheel(t, dir, "classic", "1.0",
		"Classifier: License :: OSI Approved :: MIT License\nLicense: MIT\n", nil)
	textual, _ := buildWheel(t, dir, "textual", "2.0", "License: Some License\n  with a second line\n", nil)
	custom, _ := buildWheel(t, dir, "custom", "3.0", "License-Expression: MIT AND LicenseRef-Custom-1\n", nil)
	own, ownSum := buildWheel(t, dir, "pedigree-demo", "0.1.0", "License-Expression: MIT\n",
		map[string][]byte{"pedigree_demo/__init__.py": []byte("\n"), "{dist-info}/sboms/own.cdx.json": embedded})
	other, _ := buildWheel(t, dir, "pedigree-demo", "0.2.0", "", nil)
	stranger, _ := buildWheel(t, dir, "stranger", "1.0", "", nil)
	tampered, _ := buildWheel(t, dir, "tampered", "1.0", "", map[string][]byte{"tampered.py": []byte("x")})
	tamperWheel(t, tampered, "tampered.py")
	notDist := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDist, []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	demo := mustProject(t, "../examples/demo")

	t.Run("licenses, hashes and PEP 770 SBOMs", func(t *testing.T) {
		lock := lockOf(
			lockedPackage("cryptography", "48.0.0", strings.Repeat("0", 64), cryptoSum),
			lockedPackage("classic", "1.0"), // no hashes pinned
			lockedPackage("textual", "2.0"),
			lockedPackage("custom", "3.0"),
		)
		inv, err := New(Options{Project: demo, Lock: lock, Time: epoch, Dists: []string{crypto, classic, textual, custom, own, own}})
		if err != nil {
			t.Fatal(err)
		}
		arts := inv.Artifacts()
		if len(arts) != 5 || !arts[4].Root || arts[0].Root || arts[4].Digest[digest.SHA256] != ownSum {
			t.Fatalf("artifacts = %+v", arts)
		}
		for _, f := range Formats {
			data, err := inv.Encode(f)
			if err != nil {
				t.Fatal(err)
			}
			checkValid(t, f, data)
			doc := string(data)
			for _, want := range []string{
				"Apache-2.0 OR BSD-3-Clause", // License-Expression
				`"MIT"`,                      // classifier (classic) and own License-Expression
				"Some License",               // legacy License, first line only
				classicSum,                   // recorded for a package the lock pins no hash for
				ownSum,                       // the project's own wheel
				"sboms/sbom.json",            // PEP 770 SBOM of a dependency
				"sboms/own.cdx.json",         // and of the project's wheel
			} {
				if !strings.Contains(doc, want) {
					t.Errorf("%s: %s missing", f, want)
				}
			}
			if f == FormatSPDXJSON && !strings.Contains(doc, `"licenseId": "LicenseRef-Custom-1"`) {
				t.Errorf("LicenseRef-Custom-1 is not declared in hasExtractedLicensingInfos")
			}
			if strings.Contains(doc, "second line") {
				t.Errorf("%s: kept the legacy License field past its first line", f)
			}
			if f == FormatCycloneDXJSON && !strings.Contains(doc, hex.EncodeToString(embeddedSum[:])) {
				t.Errorf("embedded SBOM digest missing")
			}
		}
		var bom struct {
			Components []struct {
				Name     string
				Licenses []struct {
					Expression string
					License    struct{ Name string }
				}
				ExternalReferences []struct{ Type, URL string }
			}
		}
		data, _ := inv.Encode(FormatCycloneDXJSON)
		if err := json.Unmarshal(data, &bom); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range bom.Components {
			for _, l := range c.Licenses {
				got[c.Name] = l.Expression + l.License.Name
			}
		}
		want := map[string]string{"cryptography": "Apache-2.0 OR BSD-3-Clause", "classic": "MIT", "textual": "Some License", "custom": "MIT AND LicenseRef-Custom-1"}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("license of %s = %q, want %q", k, got[k], v)
			}
		}
	})

	tests := []struct {
		name    string
		lock    *lockfile.Lock
		dists   []string
		wantErr error
		wantMsg string
	}{
		{"digest not in lock", lockOf(lockedPackage("cryptography", "48.0.0", strings.Repeat("0", 64))), []string{crypto},
			ErrDistMismatch, "not among the 1 the lock pins for cryptography 48.0.0"},
		{"not locked", lockOf(), []string{stranger}, ErrDistMismatch, "neither a distribution of pedigree-demo nor a locked package"},
		{"other version of the project", nil, []string{other}, ErrDistMismatch, "version 0.2.0 of pedigree-demo, the project is at 0.1.0"},
		{"RECORD mismatch", lockOf(lockedPackage("tampered", "1.0")), []string{tampered}, ErrInvalidDist, "tampered.py"},
		{"not a distribution", nil, []string{notDist}, ErrInvalidDist, "want a wheel"},
		{"missing file", nil, []string{filepath.Join(dir, "nope.whl")}, ErrInvalidDist, "nope.whl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Options{Project: demo, Lock: tt.lock, Time: epoch, Dists: tt.dists})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

// tamperWheel rewrites one entry of a wheel without updating RECORD.
func tamperWheel(t *testing.T, path, entry string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	type item struct {
		name string
		data []byte
	}
	var items []item
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == entry {
			data = append(data, "tampered"...)
		}
		items = append(items, item{f.Name, data})
	}
	zr.Close()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, it := range items {
		w, _ := zw.Create(it.name)
		w.Write(it.data)
	}
	zw.Close()
	out.Close()
}
