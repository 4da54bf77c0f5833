package provenance

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const hexA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

func TestImageSubject(t *testing.T) {
	tests := []struct {
		ref      string
		wantName string
		wantErr  error
	}{
		{"ghcr.io/pedigree-dev/demo@sha256:" + hexA, "ghcr.io/pedigree-dev/demo", nil},
		{"ghcr.io/pedigree-dev/demo:v0.1.0@sha256:" + hexA, "ghcr.io/pedigree-dev/demo", nil},
		{"localhost:5000/demo:latest@sha256:" + hexA, "localhost:5000/demo", nil},
		{"localhost:5000/demo@sha256:" + hexA, "localhost:5000/demo", nil},
		{"demo@sha256:" + hexA, "demo", nil},
		{"ghcr.io/pedigree-dev/demo:v0.1.0", "", ErrImageRef},
		{"demo@sha512:" + hexA + hexA, "", ErrImageRef},
		{"demo@sha256:" + strings.ToUpper(hexA), "", ErrImageRef},
		{"demo@sha256:" + hexA[:10], "", ErrImageRef},
		{"@sha256:" + hexA, "", ErrImageRef},
		{"my demo@sha256:" + hexA, "", ErrImageRef},
	}
	for _, tt := range tests {
		got, err := ImageSubject(tt.ref)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%q: error %v, want %v", tt.ref, err, tt.wantErr)
			continue
		}
		if err == nil && (got.Name != tt.wantName || got.Digest["sha256"] != hexA) {
			t.Errorf("%q: got %+v, want name %q", tt.ref, got, tt.wantName)
		}
	}
}

// writeLayout writes an OCI image layout whose index lists one manifest per
// entry of annotations (nil: none), with real manifest blobs.
func writeLayout(t *testing.T, dir string, annotations []map[string]string) []string {
	t.Helper()
	blobs := filepath.Join(dir, "blobs", "sha256")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion": "1.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	type desc struct {
		MediaType   string            `json:"mediaType"`
		Digest      string            `json:"digest"`
		Size        int               `json:"size"`
		Annotations map[string]string `json:"annotations,omitempty"`
	}
	var (
		manifests []desc
		digests   []string
	)
	for i, ann := range annotations {
		manifest := []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[],"annotations":{"n":"` + string(rune('0'+i)) + `"}}`)
		sum := sha256.Sum256(manifest)
		h := hex.EncodeToString(sum[:])
		if err := os.WriteFile(filepath.Join(blobs, h), manifest, 0o644); err != nil {
			t.Fatal(err)
		}
		manifests = append(manifests, desc{"application/vnd.oci.image.manifest.v1+json", "sha256:" + h, len(manifest), ann})
		digests = append(digests, h)
	}
	index, _ := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests})
	if err := os.WriteFile(filepath.Join(dir, "index.json"), index, 0o644); err != nil {
		t.Fatal(err)
	}
	return digests
}

func TestOCILayoutSubjects(t *testing.T) {
	ctx := context.Background()
	t.Run("named", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "demo-image")
		digests := writeLayout(t, dir, []map[string]string{
			{"io.containerd.image.name": "ghcr.io/pedigree-dev/demo:v0.1.0", "org.opencontainers.image.ref.name": "v0.1.0"},
			{"org.opencontainers.image.ref.name": "latest"},
			{"org.opencontainers.image.ref.name": "registry.example.com/team/app:1.2"},
		})
		got, err := OCILayoutSubjects(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"ghcr.io/pedigree-dev/demo", "demo-image:latest", "registry.example.com/team/app"}
		if len(got) != len(want) {
			t.Fatalf("%d subjects, want %d", len(got), len(want))
		}
		for i, s := range got {
			if s.Name != want[i] || s.Digest["sha256"] != digests[i] {
				t.Errorf("subject %d = %+v, want %s sha256:%s", i, s, want[i], digests[i])
			}
		}
	})
	t.Run("unnamed", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "img")
		digests := writeLayout(t, dir, []map[string]string{nil, nil})
		got, err := OCILayoutSubjects(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Name != "img@sha256:"+digests[0] || got[1].Name != "img@sha256:"+digests[1] {
			t.Fatalf("names %q, %q", got[0].Name, got[1].Name)
		}
		one := filepath.Join(t.TempDir(), "single")
		writeLayout(t, one, []map[string]string{nil})
		got, err = OCILayoutSubjects(ctx, one)
		if err != nil || got[0].Name != "single" {
			t.Fatalf("single unnamed: %+v, %v", got, err)
		}
	})
	t.Run("tampered blob", func(t *testing.T) {
		dir := t.TempDir()
		digests := writeLayout(t, dir, []map[string]string{nil})
		if err := os.WriteFile(filepath.Join(dir, "blobs", "sha256", digests[0]), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := OCILayoutSubjects(ctx, dir); !errors.Is(err, ErrOCILayout) {
			t.Fatalf("error %v, want ErrOCILayout", err)
		}
	})
	t.Run("missing blob", func(t *testing.T) {
		dir := t.TempDir()
		digests := writeLayout(t, dir, []map[string]string{nil})
		os.Remove(filepath.Join(dir, "blobs", "sha256", digests[0]))
		if _, err := OCILayoutSubjects(ctx, dir); !errors.Is(err, ErrOCILayout) {
			t.Fatalf("error %v, want ErrOCILayout", err)
		}
	})
	t.Run("not a layout", func(t *testing.T) {
		if _, err := OCILayoutSubjects(ctx, t.TempDir()); !errors.Is(err, ErrOCILayout) {
			t.Fatalf("error %v, want ErrOCILayout", err)
		}
	})
}

func TestParseOCIIndex(t *testing.T) {
	tests := []struct {
		in      string
		wantErr error
	}{
		{`{"schemaVersion":2,"manifests":[{"digest":"sha256:` + hexA + `"}]}`, nil},
		{`{"schemaVersion":1,"manifests":[{"digest":"sha256:` + hexA + `"}]}`, ErrOCILayout},
		{`{"schemaVersion":2,"manifests":[]}`, ErrNoSubjects},
		{`{"schemaVersion":2,"manifests":[{"digest":"sha512:` + hexA + `"}]}`, ErrOCILayout},
		{`{"schemaVersion":2,"manifests":[{"digest":"sha256:../../etc/passwd"}]}`, ErrOCILayout},
		{`{"schemaVersion":2}{}`, ErrOCILayout},
		{`[]`, ErrOCILayout},
	}
	for _, tt := range tests {
		if _, err := parseOCIIndex([]byte(tt.in)); !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: error %v, want %v", tt.in, err, tt.wantErr)
		}
	}
}

// FuzzParseOCIIndex: the index parser never panics, and every manifest it
// accepts has a digest that is safe to use as a blob file name.
func FuzzParseOCIIndex(f *testing.F) {
	f.Add([]byte(`{"schemaVersion":2,"manifests":[{"digest":"sha256:` + hexA + `","annotations":{"org.opencontainers.image.ref.name":"v1"}}]}`))
	f.Add([]byte(`{"schemaVersion":2,"manifests":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := parseOCIIndex(data)
		if err != nil {
			return
		}
		for _, m := range idx.Manifests {
			h := strings.TrimPrefix(m.Digest, "sha256:")
			if len(h) != 64 || strings.ContainsAny(h, "/\\.") {
				t.Fatalf("accepted digest %q", m.Digest)
			}
		}
	})
}

// FuzzImageSubject: image references never panic the parser, and accepted
// ones give a valid sha256 subject with a non-empty name.
func FuzzImageSubject(f *testing.F) {
	f.Add("ghcr.io/o/app:v1@sha256:" + hexA)
	f.Add("localhost:5000/app@sha256:" + hexA)
	f.Fuzz(func(t *testing.T, ref string) {
		s, err := ImageSubject(ref)
		if err != nil {
			return
		}
		if s.Name == "" || s.Digest.Validate() != nil {
			t.Fatalf("accepted %q as %+v", ref, s)
		}
	})
}
