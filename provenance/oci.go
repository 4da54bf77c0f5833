package provenance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// MaxIndexSize bounds the index.json and oci-layout files read from an OCI
// image layout (4 MiB).
const MaxIndexSize = 4 << 20

// ImageSubject turns an image reference pinned by digest,
// NAME[:TAG]@sha256:HEX, into a subject named NAME (the repository, without
// tag) whose digest is the manifest digest. It fails with ErrImageRef when
// there is no sha256 digest, the digest is malformed or the name is empty
// or holds whitespace.
func ImageSubject(ref string) (slsa.ResourceDescriptor, error) {
	name, dgst, ok := strings.Cut(ref, "@")
	if !ok {
		return slsa.ResourceDescriptor{}, fmt.Errorf("%q: want NAME@sha256:HEX (pin the image by its manifest digest): %w", ref, ErrImageRef)
	}
	alg, hex, ok := strings.Cut(dgst, ":")
	if !ok || alg != digest.SHA256 {
		return slsa.ResourceDescriptor{}, fmt.Errorf("%q: want a sha256:HEX digest after '@': %w", ref, ErrImageRef)
	}
	if err := digest.ValidateValue(digest.SHA256, hex); err != nil {
		return slsa.ResourceDescriptor{}, fmt.Errorf("%q: %v: %w", ref, err, ErrImageRef)
	}
	name = stripTag(name)
	if name == "" || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return slsa.ResourceDescriptor{}, fmt.Errorf("%q: want an image name before '@': %w", ref, ErrImageRef)
	}
	return slsa.ResourceDescriptor{Name: name, Digest: digest.Set{digest.SHA256: hex}}, nil
}

// stripTag removes a ":tag" from the last path component of an image name
// (a registry's ":port" is in the first one and stays).
func stripTag(name string) string {
	slash := strings.LastIndexByte(name, '/')
	if colon := strings.LastIndexByte(name[slash+1:], ':'); colon >= 0 {
		return name[:slash+1+colon]
	}
	return name
}

// ociIndex is the part of an OCI image index pedigree reads.
type ociIndex struct {
	SchemaVersion int `json:"schemaVersion"`
	Manifests     []struct {
		MediaType   string            `json:"mediaType"`
		Digest      string            `json:"digest"`
		Size        int64             `json:"size"`
		Annotations map[string]string `json:"annotations"`
	} `json:"manifests"`
}

// Annotations that name an image in an OCI layout's index.json.
const (
	annotationContainerdName = "io.containerd.image.name"
	annotationRefName        = "org.opencontainers.image.ref.name"
)

// OCILayoutSubjects returns one subject per manifest listed in the
// index.json of the OCI image layout at dir, in index order. The digest is
// the manifest's; its blob must be in blobs/sha256/ and hash to it. The
// name is the manifest's io.containerd.image.name annotation, else its
// org.opencontainers.image.ref.name, else the directory's name (with
// "@sha256:HEX" added when the index lists several unnamed manifests). Tags
// are stripped from names. It fails with ErrOCILayout for a missing or
// malformed oci-layout or index.json, a manifest digest that is not sha256,
// or a missing or mismatched blob.
func OCILayoutSubjects(ctx context.Context, dir string) ([]slsa.ResourceDescriptor, error) {
	layout, err := readLimited(filepath.Join(dir, "oci-layout"))
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", dir, err, ErrOCILayout)
	}
	var lv struct {
		Version string `json:"imageLayoutVersion"`
	}
	if err := json.Unmarshal(layout, &lv); err != nil || lv.Version == "" {
		return nil, fmt.Errorf("%s/oci-layout: want {\"imageLayoutVersion\": ...}: %w", dir, ErrOCILayout)
	}
	data, err := readLimited(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", dir, err, ErrOCILayout)
	}
	idx, err := parseOCIIndex(data)
	if err != nil {
		return nil, fmt.Errorf("%s/index.json: %w", dir, err)
	}
	base := filepath.Base(filepath.Clean(dir))
	unnamed := 0
	for _, m := range idx.Manifests {
		if m.Annotations[annotationContainerdName] == "" && m.Annotations[annotationRefName] == "" {
			unnamed++
		}
	}
	out := make([]slsa.ResourceDescriptor, 0, len(idx.Manifests))
	for i, m := range idx.Manifests {
		field := fmt.Sprintf("%s/index.json: manifests[%d]", dir, i)
		hex := strings.TrimPrefix(m.Digest, "sha256:") // checked by parseOCIIndex
		blob := filepath.Join(dir, "blobs", "sha256", hex)
		got, _, err := digest.File(ctx, blob, digest.SHA256)
		if err != nil {
			return nil, fmt.Errorf("%s: blob %s: %v: %w", field, m.Digest, err, ErrOCILayout)
		}
		if got[digest.SHA256] != hex {
			return nil, fmt.Errorf("%s: blob %s hashes to sha256:%s: %w", field, m.Digest, got[digest.SHA256], ErrOCILayout)
		}
		var name string
		switch ref := m.Annotations[annotationRefName]; {
		case m.Annotations[annotationContainerdName] != "":
			name = stripTag(m.Annotations[annotationContainerdName])
		case strings.ContainsRune(ref, '/'):
			name = stripTag(ref) // a full reference
		case ref != "":
			name = base + ":" + ref // a bare tag: the layout has no repository name
		case unnamed > 1:
			name = base + "@" + m.Digest
		default:
			name = base
		}
		out = append(out, slsa.ResourceDescriptor{Name: name, Digest: digest.Set{digest.SHA256: hex}})
	}
	return out, nil
}

// parseOCIIndex decodes an OCI image index and checks what
// OCILayoutSubjects relies on: schemaVersion 2, at least one manifest, each
// with a sha256:HEX digest. Errors wrap ErrOCILayout or ErrNoSubjects.
func parseOCIIndex(data []byte) (*ociIndex, error) {
	if len(data) > MaxIndexSize {
		return nil, fmt.Errorf("larger than %d bytes: %w", MaxIndexSize, ErrOCILayout)
	}
	var idx ociIndex
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&idx); err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrOCILayout)
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the index: %w", ErrOCILayout)
	}
	if idx.SchemaVersion != 2 {
		return nil, fmt.Errorf("schemaVersion %d, want 2: %w", idx.SchemaVersion, ErrOCILayout)
	}
	if len(idx.Manifests) == 0 {
		return nil, fmt.Errorf("no manifests: %w", ErrNoSubjects)
	}
	for i, m := range idx.Manifests {
		alg, hex, ok := strings.Cut(m.Digest, ":")
		if !ok || alg != digest.SHA256 {
			return nil, fmt.Errorf("manifests[%d].digest: %q: want sha256:HEX: %w", i, m.Digest, ErrOCILayout)
		}
		if err := digest.ValidateValue(digest.SHA256, hex); err != nil {
			return nil, fmt.Errorf("manifests[%d].digest: %v: %w", i, err, ErrOCILayout)
		}
	}
	return &idx, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxIndexSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxIndexSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, MaxIndexSize)
	}
	return data, nil
}
